"""Every page in Korean (AppTest): no exception and no English sentence left, and one student's
Korean never reaches another's English page through a cache."""

import pytest
from korean_text import english_left, page_texts
from page_charts import chart_figures, open_page

PAGES = ["explore", "compare", "present", "learn", "basins", "sweeps", "minibatch", "networks"]


@pytest.mark.parametrize("page", PAGES)
def test_the_page_reads_in_korean(page: str):
    at = open_page(page, {"lang": "ko"})
    # Expanders drawn only while open (the maths, the share link): opened, so they are read too.
    for expander in at.expander:
        if expander.key:
            at.session_state[expander.key] = True
    at.run()
    assert [e.value for e in at.exception] == []
    assert english_left(page_texts(at)) == []


def test_a_korean_page_leaves_the_english_page_english():
    korean = chart_figures(open_page("explore", {"lang": "ko"}))
    english = chart_figures(open_page("explore", {}))
    assert korean != english
    assert english == chart_figures(open_page("explore", {"lang": "en"}))
    assert english_left(page_texts(open_page("explore", {"lang": "en"})))  # English is English


def test_a_language_the_app_does_not_speak_gets_a_note_and_english():
    at = open_page("explore", {"lang": "fr"})
    assert "`lang=fr` is not a language of this app; using English." in at.warning[0].value
    assert at.session_state["lang"] == "en"
    assert "lang" not in at.query_params  # an English page on an English browser


def test_the_link_keeps_the_language():
    at = open_page("compare", {"lang": "ko", "steps": "50"})
    assert at.query_params["lang"] == "ko" and at.query_params["steps"] == "50"
