"""Hostile links made from the pages' own settings, and what every page must do with them.

Every `Setting` a page seeds (ui.url.PageState.seed, recorded while AppTest runs the page) is
fuzzed with hostile values of its kind, so a new setting is covered without writing a case:
empty, 1e400, nan, ±inf, huge integers, 10,000-character values, unicode digits, values just past
its limits or between its choices, unknown options, hostile formulas; and every page gets repeated
and unknown keys. A setting that only appears in some context (the formula once the surface is
"custom", the step size of a step schedule) is found by opening the page with the options of its
choice settings, and is fuzzed in that context.

check() opens one case and returns what went wrong: an exception, a Python warning, a page with
neither a chart nor a message, or a value not taken as given without a note saying so.
tests/test_link_fuzz.py runs a seeded sample; bench/link_fuzz.py runs them all.
"""

from __future__ import annotations

import contextlib
import random
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from page_charts import chart_figures, open_page
from streamlit.testing.v1 import AppTest

import ui.url
from ui.url import Setting

PAGES = sorted(
    path.stem for path in (Path(__file__).resolve().parent.parent / "pages").glob("*.py")
)
NOTE_TITLE = "could not be used"
LONG = 10_000

GENERIC = (
    "",
    " ",
    "1e400",
    "-1e400",
    "nan",
    "inf",
    "-inf",
    "9" * 400,
    "-" + "9" * 30,
    "１２",  # fullwidth digits: float() reads them as 12
    "٣",  # Arabic-Indic three
    "x" * LONG,
    "0x10",
    "1_000",
    "\u202e1",
    "None",
    "%00",
)
HOSTILE_FORMULAS = (
    "__import__('os').system('true')",
    "x.__class__.__mro__",
    "9**9**9**9",
    "lambda: x",
    "[x for x in (1, 2)]",
    "x if y else 1",
    "sin(" * 60 + "x" + ")" * 60,
    "exp(exp(exp(exp(x))))",
    "1/0 + x",
    "x/0",
    "(x+y)**50",
    "cosh(x)**50",
    "ｘ**2 + ｙ**2",
    "x**2 + y**2 + " * 40 + "1",
    "log(-1 - x**2)",
    "sqrt(x)",
)


@dataclass(frozen=True)
class Case:
    page: str
    query: dict[str, Any]  # a link's query; a list value is a key repeated
    key: str  # the setting fuzzed ("" for a page-wide case)
    given: Any  # the value given for it

    def __str__(self) -> str:
        shown = {k: (v if len(str(v)) <= 60 else str(v)[:57] + "…") for k, v in self.query.items()}
        return f"/{self.page}?{shown}"


@contextlib.contextmanager
def recording(page: str) -> Iterator[dict[str, Setting]]:
    """Every Setting `page` seeds while the block runs, by key (the last seen wins)."""
    seen: dict[str, Setting] = {}
    seed = ui.url.PageState.seed

    def recorded(state, setting, default=None):
        if state.page == page:
            seen[setting.key] = setting
        return seed(state, setting, default)

    ui.url.PageState.seed = recorded
    try:
        yield seen
    finally:
        ui.url.PageState.seed = seed


def discover(page: str, thorough: bool = False) -> dict[str, tuple[Setting, dict[str, str]]]:
    """The settings of `page`, each with the query (context) in which the page seeds it."""
    found: dict[str, tuple[Setting, dict[str, str]]] = {}

    def visit(context: dict[str, str]) -> dict[str, Setting]:
        with recording(page) as seen, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            open_page(page, context)
        for key, setting in seen.items():
            found.setdefault(key, (setting, context))
        return seen

    choices = [s for s in visit({}).values() if s.kind == "choice"]
    if thorough:
        for setting in choices:
            for option in setting.limits:
                if option != setting.default:
                    visit({setting.key: option})
    else:
        # One run with every choice at its last option reveals most conditional settings (the
        # surface's last is "custom", with the formula and the domain).
        visit({s.key: s.limits[-1] for s in choices if s.limits[-1] != s.default})
    return found


def hostile_values(setting: Setting) -> list[Any]:
    """Values of the setting's kind that a hostile or careless link might carry."""
    values: list[Any] = list(GENERIC)
    if setting.kind in ("number", "whole"):
        low, high = setting.limits
        span = high - low
        values += [
            repr(low),
            repr(high),
            repr(low - max(abs(low), 1) * 1e-9),
            repr(high + max(abs(high), 1) * 1e-9),
            repr(high * 10 + 1),
            repr((low + high) / 2),
            repr(low + span / 3),
            "1e-320",
            "-0",
            f"{int(high) + 1}",
            f"{int(low)}.5",
        ]
    elif setting.kind in ("choice", "list"):
        options = [str(option) for option in setting.limits]
        values += [
            options[0].upper(),
            options[-1] + " ",
            ",".join(options),
            ",,",
            f"{options[0]},{options[0]}",
            f"{options[0]},unknown",
            "unknown",
        ]
    elif setting.kind == "point":
        low, high = setting.limits
        values += ["1,2", "1,2,3,4", "nan,0,0", f"{high * 2},0,0", ",,", f"{low},{high},0"]
    else:
        values += list(HOSTILE_FORMULAS)
    return values


def cases(page: str, thorough: bool = False) -> list[Case]:
    """Every hostile case of `page`: each setting × its hostile values, repeated keys, unknown keys."""
    found = discover(page, thorough)
    result = []
    for key, (setting, context) in found.items():
        for value in hostile_values(setting):
            result.append(Case(page, {**context, key: value}, key, value))
        example = context.get(key, setting.encode(setting.default) if setting.default else "1")
        result.append(Case(page, {**context, key: [str(example), "1"]}, key, "1"))
    result += [
        Case(page, {"zzz": "1"}, "zzz", "1"),
        Case(page, {"__proto__": "x" * LONG}, "__proto__", "x" * LONG),
    ]
    return result


def sample(all_cases: list[Case], per_page: int, seed: int) -> list[Case]:
    """A seeded sample of `per_page` cases of each page."""
    rng = random.Random(seed)
    chosen = []
    for page in sorted({case.page for case in all_cases}):
        of_page = [case for case in all_cases if case.page == page]
        chosen += rng.sample(of_page, min(per_page, len(of_page)))
    return chosen


def check(case: Case, settings: dict[str, Setting] | None = None) -> list[str]:
    """What went wrong when `case` was opened (empty if nothing did)."""
    with warnings.catch_warnings(record=True) as caught, recording(case.page) as seen:
        warnings.simplefilter("always")
        try:
            at = open_page(case.page, case.query)
        except Exception as error:  # AppTest itself failed (a timeout, say)
            return [f"{case}: {type(error).__name__}: {error}"]
    problems = [f"{case}: exception {e.message[:200]}" for e in at.exception]
    problems += [
        f"{case}: {w.category.__name__} {str(w.message)[:120]} ({Path(w.filename).name}:{w.lineno})"
        for w in caught
        if not issubclass(w.category, ResourceWarning)
    ]
    notes = " ".join(w.value for w in at.warning if NOTE_TITLE in w.value)
    messages = [m.value for kind in ("error", "info", "success") for m in getattr(at, kind)]
    messages += [w.value for w in at.warning if NOTE_TITLE not in w.value]
    if not (chart_figures(at) or messages):
        problems.append(f"{case}: neither a chart nor a message")
    setting = (settings or {}).get(case.key) or seen.get(case.key)
    if not _taken_as_given(at, case, setting) and f"`{case.key}" not in notes:
        problems.append(f"{case}: {case.key} not taken as given, and no note says so")
    return problems


def _taken_as_given(at: AppTest, case: Case, setting: Setting | None) -> bool:
    if isinstance(case.query.get(case.key), list):
        return False  # a repeated key always needs its note
    if setting is None:
        return False  # not a setting of the page: "ignored" needs its note
    try:
        parsed = setting.parse(case.given)
    except ValueError:  # SettingError, NearestChoice
        return False
    return case.key in at.session_state and at.session_state[case.key] == parsed
