"""A shared link that is a fresh server's very first request still opens the real app.

Streamlit treats a folder named pages/ as an old-style multipage app until app.py has run once;
without ui.ensure_app_navigation a link to /compare on a fresh server would run the page file on
its own, with a menu of file names and no page configuration.
"""

import pytest
from atlas_view import page_url
from browser_harness import AppSession, streamlit_server

pytestmark = pytest.mark.browser


def test_a_link_to_compare_as_a_fresh_servers_first_request_opens_the_app(new_session):
    with streamlit_server("deep-link") as fresh:
        session: AppSession = new_session()
        session.open(page_url(fresh.url, "compare", "surface=rosenbrock"))
        titles = session.page.locator("[data-testid='stSidebarNav'] a").evaluate_all(
            "(as) => as.map((a) => a.innerText.split('\\n').pop())"
        )
        assert titles[:2] == ["Explore", "Compare"], f"navigation lists {titles}"
        assert "app" not in titles
        assert session.page.title() == "Gradient Atlas"
        heading = session.page.get_by_text("optimizers on Rosenbrock valley")
        assert heading.count() == 1
        assert session.exception_texts() == []
        # Closed while its server still runs: requests the page still makes must not fail.
        session.page.close()
