"""Every setting of a page in the query string, so a copied link reproduces the view.

A page run goes: `state = PageState("explore")`, then widgets call `state.seed(setting)` before
they are drawn (the value comes from the link on the page's first run, from the session after
that, else from the default), and `state.publish()` at the end writes the current values back to
the URL. Values equal to their default are left out, so links stay short.

Widgets are not bound with Streamlit's `bind="query-params"` because it drops a bad value
silently; here a bad or stale parameter falls back to the default with a note saying so.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from optimizers.choices import nearest_choice
from texts import tr
from ui import language
from ui.markdown import inline_code
from ui.replicas import shown_in_browser

_LOADED = "_url_loaded_{page}"
# Link values for widgets a run did not reach (the page stopped at a bad formula): they wait for
# the run that draws those widgets.
_PENDING = "_url_pending_{page}"
# Values that several pages share (surface, start, steps ...) carry over when the user switches
# page: Streamlit forgets a widget's value once a page without it has run.
_CARRIED = "_carried_settings"
MAX_TEXT = 300


class SettingError(ValueError):
    """A query-string value that cannot be used; the message is shown to the user."""


class NearestChoice(SettingError):
    """A value between a slider's choices: the nearest choice is used, with a note saying so."""

    def __init__(self, choice: Any):
        super().__init__(tr("is not one of the slider's values"))
        self.choice = choice


@dataclass(frozen=True)
class Setting:
    """One value in the URL: its widget key (= parameter name), default, and text codec.

    `kind` and `limits` say what values it takes (tests/link_fuzz.py makes hostile links from
    them): "number" or "whole" in limits = (low, high), "choice" or "list" of limits = the
    options, "point" with every coordinate in limits = (low, high), or "text".
    """

    key: str
    default: Any
    parse: Callable[[str], Any]
    encode: Callable[[Any], str] = str
    kind: str = "text"
    limits: tuple = ()


def number_setting(
    key: str, default: float, low: float, high: float, choices: Sequence[float] | None = None
) -> Setting:
    """A float in [low, high]; with `choices`, snapped to the nearest one (sliders need a member)."""

    def parse(text: str) -> float:
        value = _float(text)
        if not low <= value <= high:
            raise SettingError(tr("must be between {low:g} and {high:g}", low=low, high=high))
        if choices is not None:
            nearest = nearest_choice(tuple(choices), value)
            if nearest != value:
                raise NearestChoice(nearest)
            return nearest
        return value

    return Setting(key, default, parse, encode_float, "number", (low, high))


def int_setting(key: str, default: int, low: int, high: int) -> Setting:
    """A whole number in [low, high]; "12.0" is accepted, "12.5" is not."""

    def parse(text: str) -> int:
        value = _float(text)
        if value != int(value) or not low <= value <= high:
            raise SettingError(
                tr("must be a whole number from {low} to {high}", low=low, high=high)
            )
        return int(value)

    return Setting(key, default, parse, kind="whole", limits=(low, high))


def choice_setting(key: str, default: str, options: Sequence[str]) -> Setting:
    def parse(text: str) -> str:
        if text not in options:
            raise SettingError(tr("must be one of {options}", options=", ".join(options)))
        return text

    return Setting(key, default, parse, kind="choice", limits=tuple(options))


def list_setting(key: str, default: Sequence[str], options: Sequence[str]) -> Setting:
    """Several options, comma-separated in the URL, in the order given."""

    def parse(text: str) -> list[str]:
        items = [item for item in text.split(",") if item]
        unknown = [item for item in items if item not in options]
        if unknown or not items:
            raise SettingError(tr("must list some of {options}", options=", ".join(options)))
        return list(dict.fromkeys(items))

    return Setting(key, list(default), parse, ",".join, "list", tuple(options))


def text_setting(key: str, default: str) -> Setting:
    def parse(text: str) -> str:
        if len(text) > MAX_TEXT:
            raise SettingError(tr("is longer than {limit} characters", limit=MAX_TEXT))
        return text

    return Setting(key, default, parse)


def point_setting(key: str, low: float, high: float) -> Setting:
    """A point "x,y,z" with every coordinate in [low, high]; None (the default) is no point."""

    def parse(text: str) -> tuple[float, ...]:
        parts = text.split(",")
        if len(parts) != 3:
            raise SettingError(tr("must be three numbers separated by commas"))
        point = tuple(_float(part) for part in parts)
        if not all(low <= value <= high for value in point):
            raise SettingError(
                tr("must have every number between {low:g} and {high:g}", low=low, high=high)
            )
        return point

    return Setting(
        key,
        None,
        parse,
        lambda point: ",".join(f"{value:.3g}" for value in point),
        "point",
        (low, high),
    )


def encode_float(value: float) -> str:
    # 10 significant digits survive a round trip of anything a widget produces, and stay short.
    return f"{value:.10g}"


@dataclass
class PageState:
    """The settings of one page run and the notes about links that could not be used."""

    page: str
    incoming: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Setting] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    query: dict[str, str] = field(default_factory=dict)  # what publish() wrote to the URL

    def __post_init__(self) -> None:
        # Notes about the link appear at the top of the page, wherever the page creates its state.
        self._notes_slot = st.container()
        self._shown_in_browser = shown_in_browser()
        marker = _LOADED.format(page=self.page)
        # The link is read once per page and session; after that the widgets own the values.
        if marker not in st.session_state:
            st.session_state[marker] = True
            self.incoming = {key: st.query_params[key] for key in st.query_params}
            # app.py read the language before the page (ui.language).
            self.incoming.pop(language.KEY, None)
            if note := language.language_note():
                self.notes.append(note)
            for key in st.query_params:
                if len(given := st.query_params.get_all(key)) > 1:
                    # Streamlit reads the last; publish() then writes the key once.
                    self.notes.append(
                        tr(
                            "{key} is in the link {count} times; using the last, {used}.",
                            key=inline_code(key),
                            count=len(given),
                            used=inline_code(given[-1]),
                        )
                    )
        else:
            self.incoming = st.session_state.pop(_PENDING.format(page=self.page), {})

    def seed(self, setting: Setting, default: Any | None = None) -> Any:
        """Give the widget `setting.key` its value before it is drawn; returns that value (None
        when the browser holds it, after a reconnect: the widget returns it).

        `default` overrides setting.default for this run (e.g. a learning rate that depends on
        the surface chosen above).
        """
        if default is not None:
            setting = dataclasses.replace(setting, default=default)
        self.settings[setting.key] = setting
        key = setting.key
        if key in self._shown_in_browser:
            # The page reconnected to a new server process: what its widget shows, which the user
            # may have just changed, wins over the link, and its widget is drawn with it.
            self.incoming.pop(key, None)
            return None
        if key in self.incoming:
            text = self.incoming.pop(key)
            try:
                st.session_state[key] = setting.parse(text)
            except NearestChoice as snapped:
                used = setting.encode(snapped.choice)
                self.notes.append(_note(key, text, snapped, used))
                st.session_state[key] = snapped.choice
            except (SettingError, ValueError) as error:
                default = "none" if setting.default is None else setting.encode(setting.default)
                self.notes.append(_note(key, text, error, default))
                st.session_state[key] = setting.default
        elif key in st.session_state:
            # Re-assigned so the value survives a page switch: Streamlit drops the value of a
            # widget it saw on another page unless the script sets it again.
            st.session_state[key] = st.session_state[key]
        else:
            carried = st.session_state.get(_CARRIED, {})
            st.session_state[key] = carried.get(key, setting.default)
        return st.session_state[key]

    def follow(self, key: str, context: Any, value: Any) -> None:
        """Reset widget `key` to `value` when `context` (e.g. the surface) changed since last run.

        Call before seed(). A value the link just chose is kept.
        """
        memory = f"_context_{key}"
        changed = memory in st.session_state and st.session_state[memory] != context
        if changed and key not in self.incoming:
            st.session_state[key] = value
        st.session_state[memory] = context

    def publish(self, complete: bool = True) -> None:
        """Write the current values to the URL and remember the shared ones across pages.

        `complete=False` says the run stopped before drawing all its widgets: link values not
        used yet stay in the URL and wait for a later run, instead of being reported as unknown.
        """
        values = {key: st.session_state[key] for key in self.settings if key in st.session_state}
        st.session_state[_CARRIED] = {**st.session_state.get(_CARRIED, {}), **values}
        self.query = {
            key: self.settings[key].encode(value)
            for key, value in values.items()
            if value != self.settings[key].default
        }
        if (lang := language.link_language()) is not None:
            self.query[language.KEY] = lang
        if complete:
            for key in sorted(self.incoming):
                self.notes.append(
                    tr("{key} is not a setting of this page; ignored.", key=inline_code(key))
                )
        else:
            st.session_state[_PENDING.format(page=self.page)] = dict(self.incoming)
            self.query.update(self.incoming)
        self.incoming = {}
        written = {key: st.query_params.get_all(key) for key in st.query_params}
        if written != {key: [value] for key, value in self.query.items()}:
            st.query_params.from_dict(self.query)

    def reset_button(self) -> None:
        """A button that puts every setting of the page back to its default (and the URL with it)."""
        st.button(
            tr("Reset all settings"),
            key=f"_reset_{self.page}",
            on_click=_forget,
            args=(tuple(self.settings),),
            help=tr("Back to the page's starting view; the link becomes the plain page address."),
        )

    def show_notes(self) -> None:
        if self.notes:
            self._notes_slot.warning(
                tr("Some settings in the link could not be used:")
                + "\n\n"
                + "\n".join(f"- {note}" for note in self.notes),
                icon=":material/link:",
            )


def _forget(keys: tuple[str, ...]) -> None:
    # A button callback runs before the script, while widget values may still be deleted.
    for key in keys:
        st.session_state.pop(key, None)
        st.session_state.pop(f"_context_{key}", None)
    st.session_state.pop(_CARRIED, None)


def _note(key: str, text: str, problem: Exception, used: str) -> str:
    return tr(
        "{given} {problem}; using {used}.",
        given=inline_code(f"{key}={text}"),
        problem=problem,
        used=used,
    )


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise SettingError(tr("is not a number")) from None
    if not math.isfinite(value):
        raise SettingError(tr("is not a finite number"))
    return value
