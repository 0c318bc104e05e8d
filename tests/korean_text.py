"""What a person reads on a page drawn in AppTest, and what of it is still English.

`page_texts(at)` gathers every text of the page: Markdown, headings, alerts, captions, widget
labels, help and options, expander, tab and popover labels, and each chart's titles, axis titles,
legend entries, annotations, hover templates, buttons and slider labels. `english_left(texts)`
returns the snippets that still contain an English word: a common English word (the, of, is, ...)
or a word of the English texts the app marks for translation (tests/test_texts.py finds them), if
it is not a name or symbol kept as it is in every language (Adam, torch, lr, CSV, ...).
Formulas, LaTeX, code and Plotly's %{…} tokens are left out first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from page_charts import chart_figures
from streamlit.testing.v1 import AppTest
from test_texts import marked_texts

import optimizers

# Proto fields a person reads (ids, keys, URLs, scripts and formats are left out).
_READ_FIELDS = {"body", "label", "help", "options", "placeholder", "caption", "title"}
# Figure keys whose strings a person reads.
_FIGURE_TEXT_KEYS = {"text", "name", "hovertemplate", "label", "prefix", "title", "suffix"}


def _words(text: str) -> set[str]:
    return set(text.split())


# Every English sentence has some of these, marked for translation or not.
_STOPWORDS = _words(
    "the a an of to in on at by for with from and or not is are was be it this that these those "
    "its as than then there here what which who how when where why can cannot will would should "
    "has have had no yes all each every one two more less most"
)
# Kept as they are in every language: names of optimizers, people, libraries and formats, and
# the symbols of the maths.
_KEPT = {
    word.lower()
    for word in _words(
        """
    SGD GD Adam AdamW AMSGrad RMSprop AdaGrad Adadelta Adamax NAdam RAdam Rprop Lion Muon L-BFGS
    LBFGS BFGS Newton Nesterov Armijo Wolfe Polyak Rosenbrock Himmelblau Beale Rastrigin Booth
    Matyas Styblinski Tang Camel Goldstein Price Ackley Levi Santurkar Li Goldstein Chen Kingma Ba
    torch optim PyTorch NumPy Sympy Plotly Streamlit Python CSV GIF MP4 HTML PNG JSON URL MSE
    ReLU tanh sigmoid XOR lr eps rho beta betas momentum nesterov amsgrad weight_decay
    dampening lambd alpha etas step_sizes history_size line_search_fn strong_wolfe max_iter
    ns_steps adjust_lr_fn momentum_decay sin cos tan exp log sqrt abs max min sinh cosh pi
    x y z t w b f g m v k n d e i
    Language Schulz et al T_max MLP
    """
    )
} | {key.lower() for key in optimizers.names()}
# The values of a choice hyperparameter are torch's arguments (strong_wolfe, True, original).
_KEPT |= {
    option.lower()
    for key in optimizers.names()
    for hyper in optimizers.get(key).hyperparams
    if isinstance(hyper, optimizers.Choice)
    for option in hyper.options
}
# Words of two letters or more: a single letter is a symbol (L, H, a), and a letter joined to a
# digit a name (L2, MP4); "Adam's" is the word Adam.
_WORD = re.compile(r"\b[A-Za-z][A-Za-z_-]*[A-Za-z]\b(?!['’]?\d)")
_LEFT_OUT = [
    re.compile(r"<style>.*?</style>", re.S),  # a page's CSS and scripts (st.html)
    re.compile(r"<script>.*?</script>", re.S),
    re.compile(r"\$\$.*?\$\$", re.S),  # LaTeX
    re.compile(r"\$[^$]*\$"),
    re.compile(r"```.*?```", re.S),  # code
    re.compile(r"`[^`]*`"),
    re.compile(r"%\{[^}]*\}"),  # Plotly's hover tokens
    re.compile(r"<[^>]*>"),  # HTML tags in hover texts
    re.compile(r"https?://\S+"),
    re.compile(r":material/[a-z_]+:"),
    re.compile(r"\\[A-Za-z]+"),  # a LaTeX command outside $…$ (st.latex bodies)
]


def _english_words() -> set[str]:
    words = set()
    for text in marked_texts():
        words.update(word.lower() for word in _WORD.findall(_readable(text)))
    return (words | _STOPWORDS) - _KEPT


def _readable(text: str) -> str:
    for pattern in _LEFT_OUT:
        text = pattern.sub(" ", text)
    return text


def _proto_strings(message) -> Iterator[str]:
    for field, value in message.ListFields():
        for item in value if field.is_repeated else [value]:
            if isinstance(item, str):
                if field.name in _READ_FIELDS:
                    yield item
            elif hasattr(item, "ListFields"):
                yield from _proto_strings(item)


def _figure_strings(node, key: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for child_key, child in node.items():
            yield from _figure_strings(child, child_key)
    elif isinstance(node, list):
        for child in node:
            yield from _figure_strings(child, key)
    elif isinstance(node, str) and key in _FIGURE_TEXT_KEYS:
        yield node


def _tree_strings(node) -> Iterator[str]:
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "ListFields") and type(proto).__name__ != "Code":
        yield from _proto_strings(proto)
    for child in getattr(node, "children", {}).values():
        yield from _tree_strings(child)


def page_texts(at: AppTest) -> list[str]:
    """Every text of the page as drawn (closed expanders' contents are not drawn)."""
    found = list(_tree_strings(at._tree))
    for figure in chart_figures(at):
        found.extend(_figure_strings(figure))
    return [text for text in found if text.strip()]


def english_left(texts: Iterable[str]) -> list[str]:
    """The texts that still hold an English word, each once."""
    english = _english_words()
    left = []
    for text in texts:
        words = {word.lower() for word in _WORD.findall(_readable(text))}
        if words & english and text not in left:
            left.append(text)
    return left
