"""The safe parser: right Sympy for valid formulas, a clear refusal for everything else, fast,
and never a way to run code."""

import ast
import builtins
import contextlib
import gc
import importlib
import math
import time
from unittest import mock

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import landscapes
from landscapes import ExpressionError, x, y
from landscapes.parser import MAX_LENGTH, parse_expression


@contextlib.contextmanager
def evaluation_forbidden():
    """Fail if user text reaches eval, exec, sympify or parse_expr while the block runs.

    ast.parse itself calls compile() with PyCF_ONLY_AST, which builds a tree and runs nothing;
    any other compile, and any eval/exec, fails. Sympy calls sympify internally on its own
    objects, so only a string argument counts.
    """
    # sympy.core re-exports the function under the module's name, so fetch the module itself.
    sympify_module = importlib.import_module("sympy.core.sympify")
    sympy_parser = importlib.import_module("sympy.parsing.sympy_parser")
    real_compile, real_sympify = builtins.compile, sympify_module.sympify
    calls = []

    def forbidden(name):
        def refuse(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} was called with {args[:1]!r}")

        return refuse

    def ast_only_compile(source, filename, mode, flags=0, *args, **kwargs):
        if not flags & ast.PyCF_ONLY_AST:
            return forbidden("compile")(source)
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def sympify_non_text(value, *args, **kwargs):
        if isinstance(value, str):
            return forbidden("sympify")(value)
        return real_sympify(value, *args, **kwargs)

    replacements = [
        (builtins, "eval", forbidden("eval")),
        (builtins, "exec", forbidden("exec")),
        (builtins, "compile", ast_only_compile),
        (sympify_module, "sympify", sympify_non_text),
        (sp, "sympify", sympify_non_text),
        (sympy_parser, "parse_expr", forbidden("parse_expr")),
        (sp, "parse_expr", forbidden("parse_expr")),
    ]
    with contextlib.ExitStack() as stack:
        for target, name, replacement in replacements:
            stack.enter_context(mock.patch.object(target, name, replacement))
        yield
    # Also catches a refusal that the code under test swallowed.
    assert not calls, calls


def test_the_guard_catches_evaluation():
    with pytest.raises(AssertionError, match="eval"), evaluation_forbidden():
        eval("1")
    with pytest.raises(AssertionError, match="sympify"), evaluation_forbidden():
        sp.sympify("x + 1")


# A hang burns CPU, while other work on a shared machine only stretches the wall clock: the limit
# counts this process's CPU time (so Hypothesis's wall-clock deadline is off below).
CPU_SECONDS_ALLOWED = 1.0


def _parse_guarded(text):
    """parse_expression with evaluation forbidden and within the CPU-time limit."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # collecting garbage left by other tests is not the parser's time
    started = time.process_time()
    try:
        with evaluation_forbidden():
            return parse_expression(text)
    finally:
        elapsed = time.process_time() - started
        if gc_was_enabled:
            gc.enable()
        assert elapsed < CPU_SECONDS_ALLOWED, f"{elapsed:.2f} s of CPU time for {text!r}"


VALID = {
    "x^2 + 3*y^2": x**2 + 3 * y**2,
    "x**2 + 3*y**2": x**2 + 3 * y**2,
    "-x^2": -(x**2),
    "(-x)^2": x**2,
    "2^3^x": 2 ** (3**x),
    "x^-1 + y": 1 / x + y,
    "--x + +y": x + y,
    "1 - x - y": 1 - x - y,
    "x / 2 / y": x / 2 / y,
    "sin(x) * cos(y)": sp.sin(x) * sp.cos(y),
    "exp(-(x^2 + y^2))": sp.exp(-(x**2) - y**2),
    "log(1 + x^2) + ln(1 + y^2)": sp.log(1 + x**2) + sp.log(1 + y**2),
    "sqrt(x^2 + y^2 + 1)": sp.sqrt(x**2 + y**2 + 1),
    "abs(x) + tanh(y) + atan(x*y)": sp.Abs(x) + sp.tanh(y) + sp.atan(x * y),
    "sinh(x) - cosh(y) + tan(x)": sp.sinh(x) - sp.cosh(y) + sp.tan(x),
    "pi*x + e*y": sp.pi * x + sp.E * y,
    "e^x": sp.exp(x),
    "0.5*x^2 + 1e-3*y": sp.Float(0.5) * x**2 + sp.Float(1e-3) * y,
    "  x  +  y  ": x + y,
    # NFKC: fullwidth letters and operators fold to ASCII, as Python itself would read them.
    "ｘ＾２ ＋ ｙ": x**2 + y,
    "ｓｉｎ(x) + y": sp.sin(x) + y,
    # Math typography pasted from notes.
    "x² + y³": x**2 + y**3,
    "x⁻¹ + y": 1 / x + y,
    "2×x − 3·y ÷ 4": 2 * x - 3 * y / 4,
}


@pytest.mark.parametrize("text", VALID)
def test_valid_formulas_parse_to_the_right_expression(text):
    expr = _parse_guarded(text)
    assert sp.simplify(expr - VALID[text]) == 0, expr


def test_precedence_of_unary_minus_and_power_is_the_mathematical_one():
    # −x² is −(x²), and powers group from the right: 2^3^2 = 2^9.
    assert parse_expression("-x^2").subs(x, 3) == -9
    assert parse_expression("2^3^2*x").subs(x, 1) == 512


HOSTILE = [
    "__import__('os').system('echo pwned')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__",
    "x.__class__.__mro__[-1].__subclasses__()",
    "(1).__class__",
    "x.real.imag",
    "open('/etc/passwd').read()",
    "exec('import os')",
    "eval('1')",
    "sympify('x')",
    "getattr(x, '__class__')",
    "globals()",
    "__builtins__",
    "breakpoint()",
    "lambda: 1",
    "(lambda q: q)(x)",
    "[t for t in (1, 2)]",
    "{t for t in (1, 2)}",
    "(t for t in (1, 2))",
    "f'{x}'",
    "(y := 2)",
    "x if y else 1",
    "await x",
    "(yield)",
    "x[0]",
    "x, y",
    "{x: y}",
    "*x",
    "x == y",
    "not x",
    "~x",
    "x % 2",
    "x // 2",
    "x @ y",
    "x & y",
    "x << 2",
    "'abc'",
    "b'x'",
    "None",
    "True",
    "...",
    "1j + x",
    "x; import os",
    "import os",
    "x\n+ y",
    "x\x00+y",
    "x\u200b+y",  # zero-width space
    "\u202ex+y",  # right-to-left override
    "x·y·𝔞",  # a mathematical letter NFKC folds to a name we do not know
    "9**9**9**9",
    "(10**12)**50**50",
    "2**2**2**2**2",
    "x**(10**12)",
    "x**-1000",
    "10**300 * x",
    "1e999 + x",
    "1e308*10*x",
    "123456789012345678901234567890*x",
    "(" * 200 + "x" + ")" * 200,
    "(" * 25 + "x" + ")" * 25,
    "sin(" * 30 + "x" + ")" * 30,
    "-" * 100 + "x",
    "x+" * 100 + "x",
    "x" * 301,
    "1/0",
    "x/0",
    "0**-1 + x",
    "sqrt(-1)",
    "log(0) + x",
    "log(-1) + x",
    "asin(2) + x",
    "(-8)**(1/3) + x",
    "exp(exp(exp(5))) + x",
    # Exact fractions keep every digit: each ^50 multiplies their length by 50.
    "(999999999999/999999999998)^50*x",
    "((((999999999999/999999999998)^50)^50)^50)^50*x",
    "x*((1/999999999999^25)^2)^50",
    "pi",
    "e",
    "2",
    "x - x",
    "sin",
    "sin(x, y)",
    "sin()",
    "sin(x=1)",
    "foo(x)",
    "X + Y",
    "2x",
    "x +",
    "",
    "   ",
    "#x",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_refused_quickly_with_a_message(text):
    with pytest.raises(ExpressionError) as refusal:
        _parse_guarded(text)
    message = str(refusal.value)
    # A sentence for a student: no Python exception or syntax-tree class names.
    assert len(message) > 20 and message.endswith((".", "?"))
    for jargon in ("Error", "ast.", "Traceback", "Await", "Yield", "UnaryOp", "construct"):
        assert jargon not in message


@pytest.mark.parametrize(
    "text, hint",
    [
        ("x.__class__", "dot"),
        ("9**9**9**9", "exponent"),
        ("1/0", "position 1"),
        ("sqrt(-1)", "not a finite real number"),
        ("sine(x)", "Did you mean 'sin'?"),
        ("z + x", "Unknown name 'z'"),
        ("x % 2", "%"),
        ("x" * 301, f"limit is {MAX_LENGTH}"),
        ("2x", "write 2*x"),
        ("pi*e", "constant"),
        ("sin(" * 30 + "x" + ")" * 30, "nested"),
        ("x\x00", "position 2"),
        ("x + (yield)", "position 6"),
    ],
)
def test_refusals_say_what_is_wrong_and_where(text, hint):
    with pytest.raises(ExpressionError) as refusal:
        parse_expression(text)
    assert hint in str(refusal.value)


def test_non_text_is_refused():
    with pytest.raises(ExpressionError, match="text"):
        parse_expression(42)


# Pieces of formulas: random sequences of these often parse, and often nearly parse.
TOKENS = [
    *"xy+-*/^()., ",
    "**",
    "pi",
    "e",
    "0",
    "1",
    "2",
    "9",
    "0.5",
    "1e3",
    "sin(",
    "log(",
    "sqrt(",
    "abs(",
    "exp(",
    "tanh(",
    "__",
    "[",
    "]",
    "'",
    "lambda",
    ":",
    "=",
    "_",
    "ｘ",
    "²",
    "−",
]
formula_like = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
QUICK = settings(max_examples=300, deadline=None)


@QUICK
@given(st.text(max_size=MAX_LENGTH + 20))
def test_random_text_only_ever_raises_expression_error(text):
    _parse_or_refuse(text)


@QUICK
@given(formula_like)
def test_formula_like_text_only_ever_raises_expression_error(text):
    expr = _parse_or_refuse(text)
    if expr is not None:
        assert expr.free_symbols <= {x, y} and expr.free_symbols


def _parse_or_refuse(text):
    try:
        return _parse_guarded(text)
    except ExpressionError as refusal:
        assert str(refusal)
        return None


def _expressions():
    """(text, value at (x, y) = (0.7, −1.3)) pairs: formulas with their meaning computed by math."""
    px, py = 0.7, -1.3
    leaves = st.sampled_from(
        [("x", px), ("y", py), ("pi", math.pi), ("e", math.e), ("2", 2.0), ("0.5", 0.5)]
    )
    functions = {"sin": math.sin, "cos": math.cos, "atan": math.atan, "tanh": math.tanh}

    def extend(children):
        binary = st.tuples(children, st.sampled_from("+-*/"), children).map(
            lambda t: (
                f"({t[0][0]}) {t[1]} ({t[2][0]})",
                _apply(t[1], t[0][1], t[2][1]),
            )
        )
        power = st.tuples(children, st.sampled_from([2, 3])).map(
            lambda t: (f"({t[0][0]})^{t[1]}", t[0][1] ** t[1])
        )
        negate = children.map(lambda c: (f"-({c[0]})", -c[1]))
        call = st.tuples(st.sampled_from(sorted(functions)), children).map(
            lambda t: (f"{t[0]}({t[1][0]})", functions[t[0]](t[1][1]))
        )
        return binary | power | negate | call

    return st.recursive(leaves, extend, max_leaves=8)


def _apply(op, a, b):
    if op == "/":
        return a / b if b else math.inf
    return {"+": a + b, "-": a - b, "*": a * b}[op]


@settings(max_examples=150, deadline=None)
@given(_expressions())
def test_generated_formulas_mean_what_they_say(formula):
    text, expected = formula
    try:
        expr = parse_expression(text)
    except ExpressionError:
        # Constant formulas, divisions by zero and over-long texts are refused, not mis-parsed.
        return
    value = complex(expr.subs({x: 0.7, y: -1.3}).evalf())
    if math.isfinite(expected) and abs(expected) < 1e9:
        assert value.imag == 0
        assert value.real == pytest.approx(expected, rel=1e-9, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(formula_like)
def test_from_expression_only_ever_raises_expression_error(text):
    try:
        surface = landscapes.from_expression(text)
    except ExpressionError:
        return
    assert np.isfinite(surface.grid(9)[2]).all()
    assert surface.hessian(np.zeros((2, 2))).shape == (2, 2, 2)
