"""The catalogues of texts (texts/): every text the code marks has a translation in every
language, every translation is of a text still in the code, and both have the same placeholders."""

from __future__ import annotations

import ast
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

import landscapes
import optimizers
import texts
from classroom import scenarios
from classroom.exports import EXPORT_FONT
from texts import tr

ROOT = Path(__file__).resolve().parents[1]
# Every module whose texts a person reads.
SOURCES = sorted(
    [ROOT / "app.py"]
    + [
        path
        for folder in (
            "analysis",
            "classroom",
            "figures",
            "landscapes",
            "optimizers",
            "pages",
            "texts",
            "ui",
        )
        for path in (ROOT / folder).glob("*.py")
    ]
)
MARKERS = {"tr", "translatable"}
TRANSLATIONS = sorted(set(texts.LANGUAGES) - {texts.SOURCE})


def _marker_calls():
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in MARKERS:
                yield path.relative_to(ROOT), node


def marked_texts() -> set[str]:
    return {
        node.args[0].value
        for _, node in _marker_calls()
        if isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
    }


def _entries(language: str) -> list[tuple[Path, dict]]:
    return [
        (path.relative_to(ROOT), entry)
        for path in sorted((ROOT / "texts" / language).glob("*.toml"))
        for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("message", [])
    ]


def test_texts_are_marked_as_written_not_built():
    # tr(f"…") or tr(a + b) could never be found in a catalogue: numbers go in as placeholders.
    built = [
        f"{path}:{node.lineno}"
        for path, node in _marker_calls()
        if isinstance(node.args[0], (ast.JoinedStr, ast.BinOp))
    ]
    assert built == []


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_marked_text_has_a_translation(language: str):
    missing = sorted(marked_texts() - set(texts.catalogue(language)))
    assert missing == [], f"{len(missing)} texts have no {language} translation: {missing[:20]}"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_translation_is_of_a_text_in_the_code(language: str):
    stale = sorted(set(texts.catalogue(language)) - marked_texts())
    assert stale == [], f"{len(stale)} {language} entries translate texts no longer in the code"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_each_text_is_translated_once_with_the_same_placeholders(language: str):
    entries = _entries(language)
    counts = Counter(entry[texts.SOURCE] for _, entry in entries)
    assert [text for text, count in counts.items() if count > 1] == []
    differing = [
        f"{path}: {entry[texts.SOURCE][:60]!r}"
        for path, entry in entries
        if texts.placeholders(entry[texts.SOURCE]) != texts.placeholders(entry[language])
    ]
    assert differing == []
    assert all(entry[language].strip() for _, entry in entries)


def test_a_text_reads_in_the_language_of_the_run():
    texts.use("ko")
    try:
        assert tr("Explore") == texts.catalogue("ko")["Explore"] != "Explore"
        assert tr("a formula someone typed") == "a formula someone typed"
    finally:
        texts.use("en")
    assert tr("Explore") == "Explore"
    with pytest.raises(ValueError, match="no language"):
        texts.use("xx")


def _drawn_in_exports() -> set[str]:
    """Every text a GIF/MP4 frame can show (classroom/exports.py): its heading, a legend entry's
    "(diverged)", and the names in headings and legends: surfaces, optimizers, scenario runs."""
    names = [surface.title for surface in map(landscapes.get, landscapes.names())]
    names += [optimizers.get(key).title for key in optimizers.names()]
    names += [entry.title for scenario in scenarios.all_scenarios() for entry in scenario.entries]
    return {"{surface} · step {step} / {steps}", "{run} (diverged)", *names}


@pytest.mark.parametrize("language", sorted(texts.LANGUAGES))
def test_the_export_font_draws_every_text_an_export_draws(language: str):
    # The frames' text is drawn with it; a character it lacked would be an empty box. Rebuild it
    # with scripts/build-export-font after adding texts.
    drawable = {chr(code) for code in TTFont(EXPORT_FONT).getBestCmap()}
    texts.use(language)
    try:
        used = {character for text in _drawn_in_exports() for character in tr(text)}
    finally:
        texts.use(texts.SOURCE)
    assert sorted(used - drawable) == []
