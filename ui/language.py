"""The page's language: the sidebar's choice, first taken from the link (`lang=ko`), else from the
browser's language (st.context.locale), else English.

app.py calls choose_language() before it builds the navigation, so page titles, widgets and
messages of the whole run speak the same language; PageState writes it into the page's link
(see link_language) and reports a `lang` value it could not use.
"""

from __future__ import annotations

import streamlit as st

import texts
from texts import tr
from ui.markdown import inline_code
from ui.replicas import shown_in_browser

KEY = "lang"
_NOTE = "_language_note"  # a bad link value, reported by the page's PageState


def browser_language() -> str:
    """The language of the browser's locale ("ko-KR" -> "ko") if the app speaks it, else English."""
    locale = (st.context.locale or "").split("-")[0].lower()
    return locale if locale in texts.LANGUAGES else texts.SOURCE


def choose_language() -> str:
    """Draw the language choice at the top of the sidebar and speak it for this run."""
    if KEY in shown_in_browser():
        pass  # after a reconnect the widget returns what the browser shows (ui.replicas)
    elif KEY in st.session_state:
        # Re-assigned, as PageState.seed does: else Streamlit may drop the value of a widget on a
        # page switch and show the first option.
        st.session_state[KEY] = st.session_state[KEY]
    else:
        given = st.query_params.get(KEY)
        if given is None or given in texts.LANGUAGES:
            st.session_state[KEY] = given or browser_language()
        else:
            st.session_state[KEY] = browser_language()
            st.session_state[_NOTE] = given
    language = st.sidebar.selectbox(
        "Language · 언어", list(texts.LANGUAGES), format_func=texts.LANGUAGES.get, key=KEY
    )
    texts.use(language)
    return language


def link_language() -> str | None:
    """`lang` for the page's link: left out only where it would change nothing, an English page
    on an English browser (so the app's old links stay as they were); any other language is
    written, so the link shows the same language on every browser."""
    language = texts.language()
    if language == texts.SOURCE and browser_language() == texts.SOURCE:
        return None
    return language


def language_note() -> str | None:
    """What to say about a `lang` value in the link the app does not speak (once)."""
    given = st.session_state.pop(_NOTE, None)
    if given is None:
        return None
    return tr(
        "{given} is not a language of this app; using {language}.",
        given=inline_code(f"{KEY}={given}"),
        language=texts.LANGUAGES[texts.language()],
    )
