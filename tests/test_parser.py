"""The safe parser: right Sympy for valid formulas, a clear refusal for everything else, fast,
and never a way to run code."""

import ast
import builtins
import contextlib
import gc
import importlib
import itertools
import math
import time
from unittest import mock

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import landscapes
import texts
from landscapes import ExpressionError, x, y
from landscapes.parser import (
    MAX_CONSTANT_EXPONENT,
    MAX_EXACT_DIGITS,
    MAX_LENGTH,
    MAX_LITERAL,
    MAX_NESTING,
    MAX_NODES,
    parse_expression,
)


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


# The standard 2-D test functions as a student would type them (Jamil & Yang 2013; Surjanovic &
# Bingham's library): text, domain, a point and the textbook value there.
STANDARD_FUNCTIONS = {
    "Goldstein-Price": (
        "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
        "*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))",
        ((-2, 2), (-2, 2)),
        (0, -1),
        3,
    ),
    "Beale": (
        "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
        ((-4.5, 4.5), (-4.5, 4.5)),
        (3, 0.5),
        0,
    ),
    "Booth": ("(x + 2*y - 7)^2 + (2*x + y - 5)^2", ((-10, 10), (-10, 10)), (1, 3), 0),
    "Matyas": ("0.26*(x^2 + y^2) - 0.48*x*y", ((-10, 10), (-10, 10)), (0, 0), 0),
    "Himmelblau": ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", ((-5, 5), (-5, 5)), (3, 2), 0),
    "three-hump camel": ("2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2", ((-5, 5), (-5, 5)), (0, 0), 0),
    "six-hump camel": (
        "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
        ((-3, 3), (-2, 2)),
        (0.0898, -0.7126),
        -1.0316,
    ),
    "Rosenbrock": ("(1 - x)^2 + 100*(y - x^2)^2", ((-2, 2), (-1, 3)), (1, 1), 0),
    "Rastrigin": (
        "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
        ((-5.12, 5.12), (-5.12, 5.12)),
        (0, 0),
        0,
    ),
    "Ackley": (
        "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
        ((-5, 5), (-5, 5)),
        (0, 0),
        0,
    ),
    "Lévi N.13": (
        "sin(3*pi*x)^2 + (x - 1)^2*(1 + sin(3*pi*y)^2) + (y - 1)^2*(1 + sin(2*pi*y)^2)",
        ((-10, 10), (-10, 10)),
        (1, 1),
        0,
    ),
    "Easom": (
        "-cos(x)*cos(y)*exp(-((x - pi)^2 + (y - pi)^2))",
        ((-100, 100), (-100, 100)),
        (math.pi, math.pi),
        -1,
    ),
    "McCormick": (
        "sin(x + y) + (x - y)^2 - 1.5*x + 2.5*y + 1",
        ((-1.5, 4), (-3, 4)),
        (-0.54719, -1.54719),
        -1.9133,
    ),
    "Styblinski-Tang": (
        "(x^4 - 16*x^2 + 5*x + y^4 - 16*y^2 + 5*y)/2",
        ((-5, 5), (-5, 5)),
        (-2.903534, -2.903534),
        -78.33233,
    ),
    "Bukin N.6": (
        "100*sqrt(abs(y - 0.01*x^2)) + 0.01*abs(x + 10)",
        ((-15, -5), (-3, 3)),
        (-10, 1),
        0,
    ),
    "Schaffer N.2": (
        "0.5 + (sin(x^2 - y^2)^2 - 0.5)/(1 + 0.001*(x^2 + y^2))^2",
        ((-100, 100), (-100, 100)),
        (0, 0),
        0,
    ),
    "Schaffer N.4": (
        "0.5 + (cos(sin(abs(x^2 - y^2)))^2 - 0.5)/(1 + 0.001*(x^2 + y^2))^2",
        ((-100, 100), (-100, 100)),
        (0, 1.25313),
        0.292579,
    ),
    "Eggholder": (
        "-(y + 47)*sin(sqrt(abs(x/2 + (y + 47)))) - x*sin(sqrt(abs(x - (y + 47))))",
        ((-512, 512), (-512, 512)),
        (512, 404.2319),
        -959.6407,
    ),
    "Hölder table": (
        "-abs(sin(x)*cos(y)*exp(abs(1 - sqrt(x^2 + y^2)/pi)))",
        ((-10, 10), (-10, 10)),
        (8.05502, 9.66459),
        -19.2085,
    ),
    "cross-in-tray": (
        "-0.0001*(abs(sin(x)*sin(y)*exp(abs(100 - sqrt(x^2 + y^2)/pi))) + 1)^0.1",
        ((-10, 10), (-10, 10)),
        (1.34941, -1.34941),
        -2.06261,
    ),
    "Griewank": (
        "1 + (x^2 + y^2)/4000 - cos(x)*cos(y/sqrt(2))",
        ((-10, 10), (-10, 10)),
        (0, 0),
        0,
    ),
    "Branin": (
        "(y - 5.1/(4*pi^2)*x^2 + 5/pi*x - 6)^2 + 10*(1 - 1/(8*pi))*cos(x) + 10",
        ((-5, 10), (0, 15)),
        (math.pi, 2.275),
        0.397887,
    ),
    "Shubert": (
        "(cos(2*x + 1) + 2*cos(3*x + 2) + 3*cos(4*x + 3) + 4*cos(5*x + 4) + 5*cos(6*x + 5))"
        "*(cos(2*y + 1) + 2*cos(3*y + 2) + 3*cos(4*y + 3) + 4*cos(5*y + 4) + 5*cos(6*y + 5))",
        ((-10, 10), (-10, 10)),
        (-7.0835, 4.8580),
        -186.7309,
    ),
    "drop-wave": (
        "-(1 + cos(12*sqrt(x^2 + y^2)))/(0.5*(x^2 + y^2) + 2)",
        ((-5.12, 5.12), (-5.12, 5.12)),
        (0, 0),
        -1,
    ),
}


@pytest.mark.parametrize("name", STANDARD_FUNCTIONS)
def test_standard_test_functions_compile_with_their_textbook_values(name):
    text, domain, point, value = STANDARD_FUNCTIONS[name]
    surface = landscapes.from_expression(text, domain)
    # Textbook points and values are rounded to about five digits.
    assert surface.f(np.array([point], dtype=float))[0] == pytest.approx(value, abs=1e-4)


def _parts(text):
    """The size the parser counts: every node of Python's syntax tree."""
    return sum(1 for _ in ast.walk(ast.parse(text.replace("^", "**"), mode="eval")))


def test_standard_test_functions_leave_room_below_the_limits():
    texts = [text for text, *_ in STANDARD_FUNCTIONS.values()]
    assert max(map(_parts, texts)) <= 0.8 * MAX_NODES  # Goldstein-Price: 132
    assert max(map(len, texts)) <= 0.6 * MAX_LENGTH  # Shubert: 165 characters


def _balanced(parts, operator):
    """parts joined by operator, bracketed as a balanced tree so that nesting stays shallow."""
    if len(parts) == 1:
        return parts[0]
    middle = len(parts) // 2
    halves = (parts[:middle], parts[middle:])
    return operator.join(
        half[0] if len(half) == 1 else f"({_balanced(half, operator)})" for half in halves
    )


def _nested(functions, k, inner):
    text = inner
    for i in range(k):
        text = f"{functions[i % len(functions)]}(x*y + {text})"
    return text


_MIXED = ["sin", "exp", "cos", "tanh", "atan", "sinh"]

# Formulas of k pieces that make parsing, differentiating, compiling or minimum-finding slow;
# every one is defined on the default domain, so the whole pipeline runs.
WORST_CASES = {
    "functions nested to the deepest": lambda k: _nested(_MIXED, k, "x*y"),
    "a product of functions": lambda k: _balanced(
        [f"{_MIXED[i % 6]}({i + 1}*x + y)" for i in range(k)], "*"
    ),
    "a product of sums": lambda k: _balanced([f"(x + {i + 1}*y + {i + 2})" for i in range(k)], "*"),
    "a product of 50th powers": lambda k: _balanced(
        [f"(1 + sin({i + 1}*x + y)/2)^{MAX_CONSTANT_EXPONENT - i}" for i in range(k)], "*"
    ),
    "a product of quotients": lambda k: _balanced(
        [f"1/(x^2 + {i + 1}*y^2 + {i + 1})" for i in range(k)], "*"
    ),
    "the exponential of a product": lambda k: (
        "exp(" + _balanced([f"sin({i + 1}*x + y)" for i in range(k)], "*") + ")"
    ),
    "a power tower": lambda k: "^".join(f"(1 + sin(x + {i + 1}*y)/4)" for i in range(k)),
    "a continued fraction": lambda k: (
        "".join(f"1/(2 + {'xy'[i % 2]}^2 + " for i in range(k)) + "x^2" + ")" * k
    ),
    "nested abs": lambda k: "".join(f"abs({'xy'[i % 2]} - " for i in range(k)) + "1" + ")" * k,
    "a long sum of functions": lambda k: _balanced([f"sin({i + 1}*x + y)" for i in range(k)], "+"),
    "a grid of minima under a product": lambda k: (
        "cos(10*pi*x) + cos(10*pi*y) + 0.001*"
        + _balanced([f"{_MIXED[i % 6]}({i + 1}*x + y)" for i in range(k)], "*")
    ),
    "a grid of minima under nested functions": lambda k: (
        "cos(10*pi*x) + cos(10*pi*y) + 0.001*" + _nested(["sin", "cos", "atan"], k, "x*y")
    ),
}


def _within_the_limits(text):
    try:
        landscapes._check_second_derivatives_are_short(parse_expression(text))
    except ExpressionError:
        return False
    return True


def _largest_within_the_limits(build):
    """build(k) for the largest k the limits allow (each piece only makes the formula larger)."""
    k = 1
    while _within_the_limits(build(k + 1)):
        k += 1
    assert _within_the_limits(build(k))
    return build(k)


def _forget_compiled_formulas():
    """So that a timing includes all the work, as for a formula typed for the first time."""
    landscapes._compile_expression.cache_clear()
    landscapes.surface.derivatives.cache_clear()
    landscapes.surface._compile.cache_clear()
    sp.core.cache.clear_cache()


@pytest.mark.parametrize("construction", WORST_CASES)
def test_largest_formulas_compile_and_find_their_minima_within_a_second(construction):
    text = _largest_within_the_limits(WORST_CASES[construction])
    _forget_compiled_formulas()
    gc.disable()  # collecting garbage left by other tests is not this formula's time
    started = time.process_time()
    try:
        surface = landscapes.from_expression(text)
    finally:
        elapsed = time.process_time() - started
        gc.enable()
    assert elapsed < CPU_SECONDS_ALLOWED, f"{elapsed:.2f} s of CPU time for {text!r}"
    assert np.isfinite(surface.hessian(np.array([surface.start]))).all()


def _sum_of_parts(parts):
    """A formula of exactly `parts` parts: a balanced sum of x and 1 terms."""
    # k terms of which `with_x` are x take 3k + with_x - 1 parts (x is a name and its context).
    terms = (parts + 1) // 3
    with_x = parts + 1 - 3 * terms
    if with_x == 0:
        terms, with_x = terms - 1, 3
    return _balanced(["x"] * with_x + ["1"] * (terms - with_x), "+")


def _digits_long(digits):
    """An exact fraction whose denominator, a power of 3, has `digits` digits."""
    power = next(n for n in itertools.count() if len(str(3**n)) == digits)
    return f"x*(2/3)^{power % MAX_CONSTANT_EXPONENT}*((2/3)^{MAX_CONSTANT_EXPONENT})^" + str(
        power // MAX_CONSTANT_EXPONENT
    )


@pytest.mark.parametrize(
    "at_the_limit, over_the_limit, message",
    [
        (
            "x + 0." + "1" * (MAX_LENGTH - 6),
            "x + 0." + "1" * (MAX_LENGTH - 5),
            f"{MAX_LENGTH + 1} characters long; the limit is {MAX_LENGTH}.",
        ),
        (
            _sum_of_parts(MAX_NODES),
            _sum_of_parts(MAX_NODES + 1),
            f"too large ({MAX_NODES + 1} parts; the limit is {MAX_NODES})",
        ),
        (
            "(" * MAX_NESTING + "x" + ")" * MAX_NESTING + " + y",
            "(" * (MAX_NESTING + 1) + "x" + ")" * (MAX_NESTING + 1) + " + y",
            f"Brackets are nested {MAX_NESTING + 1} deep; the limit is {MAX_NESTING}.",
        ),
        (
            "sin(" * (MAX_NESTING - 1) + "x" + ")" * (MAX_NESTING - 1) + " + y",
            "sin(" * MAX_NESTING + "x" + ")" * MAX_NESTING + " + y",
            f"nested too deeply (limit {MAX_NESTING})",
        ),
        (
            f"x^{MAX_CONSTANT_EXPONENT} + y",
            f"x^{MAX_CONSTANT_EXPONENT + 1} + y",
            f"is too large (|exponent| ≤ {MAX_CONSTANT_EXPONENT})",
        ),
        (
            f"{MAX_LITERAL:.0f}*x + y",
            f"{MAX_LITERAL + 1:.0f}*x + y",
            f"too large (limit {MAX_LITERAL:g})",
        ),
        (
            _digits_long(MAX_EXACT_DIGITS),
            _digits_long(MAX_EXACT_DIGITS + 1),
            f"exact fraction of more than {MAX_EXACT_DIGITS} digits",
        ),
    ],
)
def test_each_limit_accepts_up_to_it_and_refuses_just_over_it(
    at_the_limit, over_the_limit, message
):
    _parse_guarded(at_the_limit)
    with pytest.raises(ExpressionError) as refusal:
        _parse_guarded(over_the_limit)
    assert message in str(refusal.value)


def test_a_formula_error_reads_in_the_language_of_the_run_with_its_position():
    texts.use("ko")
    try:
        with pytest.raises(ExpressionError) as korean:
            parse_expression("x + sinn(y) + z")
    finally:
        texts.use("en")
    with pytest.raises(ExpressionError) as english:
        parse_expression("x + sinn(y) + z")
    assert str(english.value).startswith("Unknown function 'sinn'. Did you mean 'sin'?")
    assert "'sinn'" in str(korean.value) and "'sin'" in str(korean.value)
    assert "알 수 없는 함수" in str(korean.value)
    texts.use("ko")
    try:
        with pytest.raises(ExpressionError, match="14번째 문자"):
            parse_expression("x + sin(y) + zz")
    finally:
        texts.use("en")
