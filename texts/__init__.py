"""Every text a person reads, in each language the app speaks.

The English text is the key: code says `tr("Steps and batch noise")` or, with numbers,
`tr("{count} runs diverged", count=n)` (a `str.format` template), and reads in the language of
the current page run. A text defined once and shown elsewhere (a spec's summary, a surface's
lesson) is marked where it is written, `translatable("…")`, and translated where it is shown,
`tr(spec.summary)`. Each other language has one catalogue, the folder `texts/<language>/`: TOML
files of `[[message]]` tables, each the English text (`en`) and its translation (`ko`).
tests/test_texts.py fails when a marked text has no translation, a translation's English text
is no longer in the code, or the two differ in their placeholders.

The language is per script run, held in a context variable: Streamlit runs each session's script
in that session's own thread, so one student's choice never reaches another's page. Cached
results that hold text take the language as an argument (ui/runs.py).
"""

from __future__ import annotations

import contextvars
import functools
import string
import tomllib
from pathlib import Path

LANGUAGES = {"en": "English", "ko": "한국어"}
SOURCE = "en"  # the language the code is written in: its texts are the catalogues' keys
_FOLDER = Path(__file__).parent
_current = contextvars.ContextVar("language", default=SOURCE)


def use(language: str) -> None:
    """Speak `language` (a key of LANGUAGES) for the rest of this script run."""
    if language not in LANGUAGES:
        raise ValueError(f"no language {language!r}; there are {sorted(LANGUAGES)}")
    _current.set(language)


def language() -> str:
    return _current.get()


def tr(message: str, /, **values: object) -> str:
    """`message` in the current language, its placeholders filled from `values`.

    A text that is not in the catalogue (a formula the user typed, a surface they named) is shown
    as it is."""
    current = _current.get()
    text = message if current == SOURCE else catalogue(current).get(message, message)
    return text.format(**values) if values else text


def translatable(message: str) -> str:
    """Marks a text for the catalogue where it is defined; `tr` translates it where it is shown."""
    return message


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """English text -> its translation, from every file of texts/<language>/."""
    entries: dict[str, str] = {}
    for path in sorted((_FOLDER / language).glob("*.toml")):
        for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("message", []):
            entries[entry[SOURCE]] = entry[language]
    return entries


def placeholders(text: str) -> set[str]:
    """The `{name:spec}` fields of a template, e.g. {"count", "lr:.3g"}."""
    return {
        name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        for _, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    }
