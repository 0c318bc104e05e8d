"""The optimizers' texts, the sidebar controls and the maths panel in Korean (texts/ko/): what they
draw is the catalogue's Korean, over several runs of a page, and the English stays as it was."""

from __future__ import annotations

import pytest
from korean_text import english_left, page_texts
from streamlit.testing.v1 import AppTest

import optimizers
import texts

# A name kept in every language that tests/korean_text.py does not know yet.
NAMES = ("Newton–Schulz",)


@pytest.fixture
def korean():
    texts.use("ko")
    yield
    texts.use("en")


def test_the_many_run_note_reads_in_the_language_of_the_run(korean):
    spec = optimizers.get("lbfgs")
    assert spec.many_runs_note() == (
        "여기서는 수천 번의 실행이 빠르게 끝나도록 L-BFGS의 설정을 바꿉니다: "
        "기록 크기 m = 10 (torch 기본값 100), 기록 크기 m 최대 20."
    )
    texts.use("en")
    assert spec.many_runs_note() == (
        "L-BFGS runs here with history size m = 10 (torch's default 100), history size m at most "
        "20, so that thousands of runs stay quick."
    )
    assert optimizers.get("adam").many_runs_note() == ""


def _maths_page(key: str) -> None:
    import landscapes
    import texts
    import ui
    from optimizers import Schedule, get

    texts.use("ko")
    spec = get(key)
    schedule = Schedule("cosine", warmup_steps=5)
    ui.maths_panel(landscapes.get("rosenbrock"), spec, spec.defaults(), schedule)


@pytest.mark.parametrize("key", optimizers.names())
def test_the_maths_panel_leaves_no_english_but_formulas_and_code(key):
    at = AppTest.from_function(_maths_page, args=(key,)).run()
    assert not at.exception
    shown = page_texts(at)
    assert texts.catalogue("ko")[optimizers.get(key).summary] in shown
    for name in NAMES:
        shown = [text.replace(name, "") for text in shown]
    assert english_left(shown) == []


def _sidebar_page() -> None:
    import texts
    import ui
    from optimizers import get
    from ui.url import PageState

    texts.use("ko")
    state = PageState("compare")
    choice, surface = ui.surface_picker(state)
    keys = ui.optimizers_multiselect(state, ("sgd", "adam", "newton"))
    for key in keys:
        ui.hyperparameter_controls(state, get(key), choice, surface, prefix=f"{key}.")
    ui.start_point(state, choice, surface)
    ui.run_settings(state)
    ui.schedule_controls(state)
    ui.switch_controls(state, keys, 300)


def test_the_sidebar_controls_speak_korean_run_after_run():
    at = AppTest.from_function(_sidebar_page, default_timeout=60).run()
    # Each change reruns the page: the boxes' options must be the same Korean texts every time.
    at.selectbox(key="newton.line_search").select("backtracking").run()
    at.selectbox(key="switch_from").select("adam").run()
    for kind in ("step", "exponential", "cosine"):
        at.selectbox(key="schedule").select(kind).run()
    at.slider(key="warmup").set_value(10).run()
    assert not at.exception
    assert at.selectbox(key="schedule").value == "cosine"
    assert at.selectbox(key="newton.line_search").options == ["없음", "백트래킹"]
    assert at.selectbox(key="switch_to").options == ["경사 하강법 (SGD)", "뉴턴 방법"]
    # The surfaces' titles are landscapes' texts, not these controls'.
    surfaces = set(at.selectbox(key="surface").options)
    assert english_left(text for text in page_texts(at) if text not in surfaces) == []
