"""Showing text we did not write (a typed formula, a parser message quoting it, a link value) in
Markdown."""

import re

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: str) -> str:
    """Text for Markdown that shows exactly as typed: every ASCII punctuation mark is escaped.

    A typed formula must not turn into bold text, a link, LaTeX ($) or a Streamlit directive
    (:red[...]); line breaks become spaces.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def inline_code(text: str, limit: int = 40) -> str:
    """Link text as inline code: backticks and line breaks removed, so it cannot become Markdown."""
    text = "".join(c for c in text if c.isprintable() and c != "`")
    return f"`{text if len(text) <= limit else text[: limit - 1] + '…'}`"
