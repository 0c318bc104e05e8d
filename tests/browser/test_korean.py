"""The app in Korean in a real browser: a Korean browser gets every page in Korean without asking,
its charts draw Hangul with a real font (no empty boxes), and a link keeps the language."""

from urllib.parse import parse_qs, urlsplit

import pytest
from atlas_view import page_url, wait_for_trajectory_chart
from browser_harness import AppSession, StreamlitServer

import texts

pytestmark = pytest.mark.browser

PAGES = ["explore", "compare", "present", "learn", "basins", "sweeps", "minibatch", "networks"]
NAVIGATION = [
    "Explore",
    "Compare",
    "Present",
    "Learn",
    "Basins",
    "Sweeps",
    "Mini-batches",
    "Networks",
]
HANGUL = "[\\uac00-\\ud7a3]"
# Each distinct syllable of a chart's Korean text drawn alone with the text's own font: with a
# Korean font every one is a different picture; without one all are the same empty box.
_GLYPH_PICTURES = f"""(root) => {{
    const texts = [...root.querySelectorAll('svg text')]
        .filter((t) => /{HANGUL}/.test(t.textContent));
    if (!texts.length) return null;
    const syllables = [...new Set(texts.map((t) => t.textContent).join('')
        .match(/{HANGUL}/g))].slice(0, 12);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 48;
    const context = canvas.getContext('2d');
    const style = getComputedStyle(texts[0]);
    context.font = `32px ${{style.fontFamily}}`;
    return syllables.map((syllable) => {{
        context.clearRect(0, 0, 48, 48);
        context.fillText(syllable, 4, 38);
        return canvas.toDataURL();
    }});
}}"""


@pytest.fixture
def korean_browser(new_session) -> AppSession:
    return new_session(locale="ko-KR")


def test_a_korean_browser_gets_every_page_in_korean(
    server: StreamlitServer, korean_browser: AppSession
):
    session = korean_browser
    session.open(server.url)
    links = session.page.locator("[data-testid='stSidebarNav'] a")
    titles = links.evaluate_all("(as) => as.map((a) => a.innerText.split('\\n').pop())")
    texts.use("ko")
    try:
        assert titles == [texts.tr(title) for title in NAVIGATION]
    finally:
        texts.use(texts.SOURCE)
    for page in PAGES:
        session.open(page_url(server.url, page))
        assert session.exception_texts() == [], f"{page} shows an exception"
        traces = session.wait_for_charts()
        assert traces and all(traces), f"{page}: charts without traces: {traces}"
        # The link says the language, so it shows Korean on any browser.
        session.page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("lang") == ["ko"])
        session.screenshot(f"korean-{page}")


def test_hangul_on_the_charts_is_drawn_with_a_korean_font(
    server: StreamlitServer, session: AppSession
):
    session.open(page_url(server.url, "explore", "lang=ko"))
    chart = wait_for_trajectory_chart(session)
    pictures = chart.evaluate(_GLYPH_PICTURES)
    assert pictures, "the chart has no Korean text"
    assert len(set(pictures)) == len(pictures) > 3, "Korean syllables drawn as the same box"


def test_an_english_link_on_a_korean_browser_stays_english(
    server: StreamlitServer, korean_browser: AppSession
):
    session = korean_browser
    session.open(page_url(server.url, "explore", "lang=en"))
    wait_for_trajectory_chart(session)
    assert session.page.get_by_text("Steps and batch noise").count() == 1
    assert parse_qs(urlsplit(session.page.url).query).get("lang") == ["en"]


def test_the_language_chosen_in_the_sidebar_stays_from_page_to_page(
    server: StreamlitServer, session: AppSession
):
    session.open(page_url(server.url, "explore"))
    wait_for_trajectory_chart(session)
    session.choose("Language · 언어", "한국어")
    session.page.get_by_text("단계 수와 배치 노이즈").wait_for()
    assert parse_qs(urlsplit(session.page.url).query).get("lang") == ["ko"]
    with session.rerun():
        session.page.locator("[data-testid='stSidebarNav'] a").filter(has_text="비교").click()
    session.page.get_by_text("실행 도중 옵티마이저 바꾸기").wait_for()
    assert session.exception_texts() == []
