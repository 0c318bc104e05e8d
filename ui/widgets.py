"""Widgets bound to a setting of the page's URL in one call: the value comes from the link, the
session or the default (see ui.url.PageState.seed), and goes back into the link.

    model = ui.selectbox(state, "model", "Model", list(data.MODELS), format_func=lambda key: data.MODELS[key].title)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from ui.url import PageState, choice_setting, int_setting, number_setting


def selectbox(
    state: PageState, key: str, label: str, options: Sequence[str], *, default=None, **widget
) -> str:
    """One of `options` (the first unless `default` says otherwise) in a select box; `widget`
    arguments (format_func, help) go to st.selectbox."""
    _seed_choice(state, key, options, default)
    return st.selectbox(label, options, key=key, **widget)


def radio(
    state: PageState, key: str, label: str, options: Sequence[str], *, default=None, **widget
) -> str:
    """As selectbox, as radio buttons (`widget`: format_func, horizontal, help)."""
    _seed_choice(state, key, options, default)
    return st.radio(label, options, key=key, **widget)


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
    return st.select_slider(label, choices, key=key, format_func=format_func, help=help)


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
