"""Widgets bound to a setting of the page's URL in one call: the value comes from the link, the
session or the default (see ui.url.PageState.seed), and goes back into the link.

    model = ui.selectbox(state, "model", tr("Model"), list(data.MODELS), format_func=lambda key: tr(data.MODELS[key].title))

A `format_func` is called for every option when the widget is drawn, and the widget gets the
texts it returned: AppTest calls a widget's format_func again between runs, in a thread that
speaks no page's language (see texts), where tr() would give English options that are not the
Korean ones the page drew.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from texts import tr
from ui.url import PageState, choice_setting, int_setting, number_setting


def selectbox(
    state: PageState, key: str, label: str, options: Sequence[str], *, default=None, **widget
) -> str:
    """One of `options` (the first unless `default` says otherwise) in a select box; `widget`
    arguments (format_func, help) go to st.selectbox."""
    _seed_choice(state, key, options, default)
    return st.selectbox(label, options, key=key, **_drawn_now(options, widget))


def radio(
    state: PageState, key: str, label: str, options: Sequence[str], *, default=None, **widget
) -> str:
    """As selectbox, as radio buttons (`widget`: format_func, horizontal, help)."""
    _seed_choice(state, key, options, default)
    return st.radio(label, options, key=key, **_drawn_now(options, widget))


def _drawn_now(options: Sequence[Any], widget: dict[str, Any]) -> dict[str, Any]:
    """`widget` with its format_func replaced by the texts it gives each option now."""
    if "format_func" not in widget:
        return widget
    return {**widget, "format_func": drawn_texts(options, widget["format_func"])}


def drawn_texts(options: Sequence[Any], format_func: Callable[[Any], str]) -> Callable[[Any], str]:
    """A format_func that gives each option the text `format_func` gives it now, in the page's
    language (for a Streamlit widget drawn directly; the widgets here do it themselves)."""
    return {option: format_func(option) for option in options}.__getitem__


def _seed_choice(state: PageState, key: str, options: Sequence[str], default: str | None) -> None:
    state.seed(choice_setting(key, options[0] if default is None else default, list(options)))


def select_slider(
    state: PageState,
    key: str,
    label: str,
    choices: Sequence[float],
    *,
    default: float,
    format_func: Callable[[Any], str] = lambda value: f"{value:g}",
    help: str | None = None,
) -> Any:
    """One of the numbers `choices`; a link value between them snaps to the nearest one."""
    state.seed(number_setting(key, default, choices[0], choices[-1], tuple(choices)))
    shown = drawn_texts(choices, format_func)
    return st.select_slider(label, choices, key=key, format_func=shown, help=help)


def slider(
    state: PageState,
    key: str,
    label: str,
    low: int,
    high: int,
    *,
    default: int,
    step: int = 1,
    help: str | None = None,
) -> int:
    """A whole number from low to high."""
    state.seed(int_setting(key, default, low, high))
    return int(st.slider(label, low, high, key=key, step=step, help=help))


def whole_number_input(
    state: PageState,
    key: str,
    label: str,
    low: int,
    high: int,
    *,
    default: int,
    disabled: bool = False,
    help: str | None = None,
) -> int:
    state.seed(int_setting(key, default, low, high))
    return int(st.number_input(label, low, high, key=key, disabled=disabled, help=help))


def setting_tabs(key: str, names: Sequence[str]) -> Sequence[Any]:
    """Tabs named `names` in the page's language, the open one held by the setting `key` in
    English (the link's value, e.g. `view=Side by side`); seed the setting before the page writes
    its link, as for any setting. Only the open tab's `.open` is true, so a page builds only its
    content.

    The tabs widget's own value is its label, which changes with the language; its callback
    writes the English name into the setting before the script runs, so the link written during
    that run already holds the tab just clicked."""
    labels = {name: tr(name) for name in names}
    widget = f"{key}_tab"
    st.session_state[widget] = labels.get(st.session_state.get(key), labels[names[0]])
    return st.tabs(
        list(labels.values()),
        key=widget,
        on_change=_tab_chosen,
        args=(key, widget, {label: name for name, label in labels.items()}),
    )


def _tab_chosen(key: str, widget: str, name_of: dict[str, str]) -> None:
    st.session_state[key] = name_of[st.session_state[widget]]
