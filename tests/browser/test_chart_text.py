"""No chart text drawn over other text, and none outside its chart: every chart of every page at
the screen sizes a class uses, read from Plotly's own DOM text (legend entries, axis titles, tick
labels, colour bar, slider and button labels, annotations, titles).

The 3D scene's axis titles and tick labels are drawn in WebGL, not in the DOM: this test cannot see
them (their spacing is set in figures/trajectory.py)."""

import pytest
from atlas_view import page_url
from browser_harness import AppSession, StreamlitServer

pytestmark = pytest.mark.browser

SCREENS = ((1280, 720), (1920, 1080), (390, 844))
# Every page, and every view of a page that shows other charts (a tab built only while open).
VIEWS = (
    ("explore", ""),
    ("compare", ""),
    ("compare", "view=Side+by+side"),
    ("present", ""),
    ("learn", ""),
    ("basins", ""),
    ("sweeps", ""),
    ("sweeps", "view=Momentum+%CE%BC"),
    ("sweeps", "view=Learning+rate+%C3%97+%CE%BC+map"),
    ("minibatch", ""),
    ("networks", "net_steps=100&resolution=21"),
)
# Text boxes (getBoundingClientRect) include the font's ascent and descent: neighbours on two lines
# touch by a pixel or two without any glyph overlapping.
TOLERANCE_PX = 2

TEXT = ", ".join(
    (
        ".legendtext",
        ".g-xtitle text, [class^='g-x'][class$='title'] text",
        ".g-ytitle text, [class^='g-y'][class$='title'] text",
        ".xtick text, .ytick text, [class*='tick'] > text",
        ".cbaxis text, .cbtitle text",
        ".slider-label, .slider-current-value",
        ".updatemenu-item-text",
        ".annotation-text",
        ".gtitle",
    )
)

# For every drawn chart with a size (one in a closed expander or a hidden tab has none): each
# visible piece of text and its box, and the chart's own box.
READ_TEXT = """
(selector) => {
  const charts = Array.from(document.querySelectorAll('.js-plotly-plot'));
  const box = (r) => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
  const shown = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentNode) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') {
        return false;
      }
    }
    const fill = getComputedStyle(el).fill;
    return !/rgba\\([^)]*,\\s*0\\)$/.test(fill) && el.textContent.trim() !== '';
  };
  return charts.map((gd, index) => {
    const chart = gd.getBoundingClientRect();
    if (chart.width === 0 || chart.height === 0) return null;
    const seen = new Set();
    const texts = [];
    for (const el of gd.querySelectorAll(selector)) {
      if (seen.has(el) || !shown(el)) continue;
      seen.add(el);
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      const kind = el.getAttribute('class') || el.parentNode.getAttribute('class');
      texts.push({text: el.textContent.trim(), kind, ...box(r)});
    }
    return {index, chart: box(chart), texts};
  }).filter(Boolean);
}
"""


def _overlap(a: dict, b: dict) -> bool:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return width > TOLERANCE_PX and height > TOLERANCE_PX


def _outside(text: dict, chart: dict) -> bool:
    return (
        text["left"] < chart["left"] - TOLERANCE_PX
        or text["right"] > chart["right"] + TOLERANCE_PX
        or text["top"] < chart["top"] - TOLERANCE_PX
        or text["bottom"] > chart["bottom"] + TOLERANCE_PX
    )


def text_problems(charts: list[dict]) -> list[str]:
    """Every pair of overlapping texts and every text outside its chart, in words."""
    problems = []
    for chart in charts:
        texts = chart["texts"]
        name = f"chart {chart['index']}"
        for i, a in enumerate(texts):
            if _outside(a, chart["chart"]):
                problems.append(f"{name}: {a['text']!r} ({a['kind']}) is outside the chart")
            for b in texts[i + 1 :]:
                if _overlap(a, b):
                    problems.append(
                        f"{name}: {a['text']!r} ({a['kind']}) overlaps {b['text']!r} ({b['kind']})"
                    )
    return problems


@pytest.mark.parametrize(("width", "height"), SCREENS, ids=lambda size: str(size))
def test_no_chart_text_overlaps_or_leaves_its_chart(
    server: StreamlitServer, session: AppSession, width: int, height: int
):
    session.page.set_viewport_size({"width": width, "height": height})
    problems = []
    for page, query in VIEWS:
        session.open(page_url(server.url, page, query))
        session.wait_for_charts()
        # Charts draw one after another, then follow their element's width: read when settled.
        session.page.evaluate(
            "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        assert session.exception_texts() == [], f"{page}?{query} shows an exception"
        found = text_problems(session.page.evaluate(READ_TEXT, TEXT))
        problems += [f"{width}×{height} {page}?{query}: {problem}" for problem in found]
    assert not problems, f"{len(problems)} text problems:\n" + "\n".join(problems)
