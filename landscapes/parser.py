"""Safe parsing of user-typed formulas in x and y.

User text never reaches eval, exec, sympify or parse_expr, which all evaluate Python. The text is
parsed by `ast` into a syntax tree, every node is checked against an allow-list, and the Sympy
expression is built node by node here.
"""

from __future__ import annotations

import ast
import difflib
import math
import re
import unicodedata

import sympy as sp

from landscapes.surface import x, y
from texts import tr, translatable

# The standard 2-D test functions of the optimisation literature, typed out, fit with room to
# spare: the largest, Goldstein-Price, is 129 characters and 132 parts, and none nests brackets
# more than 5 deep or operations more than 12 (cross-in-tray). What the text cannot show, the
# length of the second derivatives and the time Sympy takes, landscapes.from_expression bounds.
MAX_LENGTH = 300
MAX_NESTING = 20
MAX_NODES = 200
MAX_CONSTANT_EXPONENT = 50
MAX_LITERAL = 1e12
# Sympy keeps fractions exact: (999999999999/999999999998)^50 has 600 digits above and below
# the line and each further ^50 multiplies that by 50. A float holds nothing longer than this.
MAX_EXACT_DIGITS = 308

FUNCTIONS = {
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "exp": sp.exp,
    "log": sp.log,
    "ln": sp.log,
    "sqrt": sp.sqrt,
    "abs": sp.Abs,
    "tanh": sp.tanh,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "atan": sp.atan,
    "asin": sp.asin,
    "acos": sp.acos,
}
NAMES = {"x": x, "y": y, "pi": sp.pi, "e": sp.E}

_OPERATORS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_FORBIDDEN_OPERATORS = {
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.LShift: "<<",
    ast.RShift: ">>",
}
# As they begin a sentence: "A dot (attribute access) is not allowed; …".
_NODE_DESCRIPTIONS = {
    ast.Attribute: translatable("A dot (attribute access)"),
    ast.Subscript: translatable("Square brackets (indexing)"),
    ast.Lambda: translatable("Lambda"),
    ast.Compare: translatable("A comparison"),
    ast.BoolOp: translatable("'and' / 'or'"),
    ast.IfExp: translatable("'if ... else'"),
    ast.List: translatable("A list"),
    ast.Tuple: translatable("A comma (tuple)"),
    ast.Dict: translatable("A dictionary"),
    ast.Set: translatable("A set"),
    ast.ListComp: translatable("A comprehension"),
    ast.GeneratorExp: translatable("A generator"),
    ast.NamedExpr: translatable("':='"),
    ast.JoinedStr: translatable("An f-string"),
    ast.Starred: translatable("'*' unpacking"),
}


class ExpressionError(ValueError):
    """A formula that cannot be used, with a message meant for a student."""


def allowed_vocabulary() -> str:
    return tr(
        "numbers, x, y, pi, e, + - * / ** (or ^), parentheses and {functions}",
        functions=", ".join(sorted(FUNCTIONS)),
    )


def parse_expression(text: str) -> sp.Expr:
    """Turn a formula such as ``x^2 + 3*sin(y)`` into a Sympy expression, or raise ExpressionError."""
    if not isinstance(text, str):
        raise ExpressionError(tr("The formula must be text."))
    # Python folds fullwidth and other compatibility characters into ASCII identifiers when it
    # parses, so normalise first: what we check is then what the parser sees. NFKC would turn
    # x² into the name x2, so math typography is translated before it.
    text = unicodedata.normalize("NFKC", _from_math_typography(text)).strip()
    if not text:
        raise ExpressionError(
            tr("The formula is empty: type an expression in x and y, e.g. x^2 + 3*y^2.")
        )
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            tr(
                "The formula is {length} characters long; the limit is {limit}.",
                length=len(text),
                limit=MAX_LENGTH,
            )
        )
    bad = next((c for c in text if not (c.isascii() and (c.isprintable() or c == " "))), None)
    if bad is not None:
        raise ExpressionError(
            tr(
                "The character {character!r} at position {position} is not allowed; use {allowed}.",
                character=bad,
                position=text.index(bad) + 1,
                allowed=allowed_vocabulary(),
            )
        )
    _check_bracket_nesting(text)
    source = text.replace("^", "**")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        if error.offset:
            message = tr(
                "Could not read the formula near position {position}: check for a missing "
                "operator or bracket (write 2*x, not 2x).",
                position=error.offset,
            )
        else:
            message = tr(
                "Could not read the formula: check for a missing operator or bracket "
                "(write 2*x, not 2x)."
            )
        raise ExpressionError(message) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError(tr("Could not read the formula: it is too complicated.")) from None
    node_count = sum(1 for _ in ast.walk(tree))
    if node_count > MAX_NODES:
        raise ExpressionError(
            tr(
                "The formula is too large ({count} parts; the limit is {limit}).",
                count=node_count,
                limit=MAX_NODES,
            )
        )
    expr, _ = _Builder().build(tree.body, depth=0)
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ExpressionError(tr("The formula divides by zero or is infinite."))
    if expr.has(sp.I):
        raise ExpressionError(
            tr("The formula has complex values (e.g. the root of a negative number).")
        )
    if not expr.free_symbols & {x, y}:
        raise ExpressionError(tr("The formula is constant: it must depend on x or y."))
    return expr


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SUPERSCRIPT_EXPONENT = re.compile("⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_MATH_SYMBOLS = str.maketrans({"−": "-", "×": "*", "·": "*", "÷": "/"})


def _from_math_typography(text: str) -> str:
    """x², 2×y, −1, a÷b as pasted from notes, written the way Python's grammar reads them."""
    text = _SUPERSCRIPT_EXPONENT.sub(lambda m: f"^({m.group().translate(_SUPERSCRIPTS)})", text)
    return text.translate(_MATH_SYMBOLS)


def _check_bracket_nesting(text: str) -> None:
    depth = deepest = 0
    for char in text:
        depth += char == "("
        depth -= char == ")"
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise ExpressionError(
            tr(
                "Brackets are nested {depth} deep; the limit is {limit}.",
                depth=deepest,
                limit=MAX_NESTING,
            )
        )


class _Builder:
    """Builds Sympy from an allowed AST, tracking the value of constant subexpressions.

    The constant values (floats, or None where x or y appear) let huge exponents such as
    9**9**9 be refused before Sympy or Python integer arithmetic ever see them.
    """

    def build(self, node: ast.AST, depth: int) -> tuple[sp.Expr, float | None]:
        if depth > MAX_NESTING:
            raise ExpressionError(
                tr("The formula is nested too deeply (limit {limit}).", limit=MAX_NESTING)
            )
        method = getattr(self, f"_build_{type(node).__name__}", None)
        if method is None:
            raise ExpressionError(
                tr(
                    "{construct} is not allowed; use {allowed}.",
                    construct=_describe(node),
                    allowed=allowed_vocabulary(),
                )
            )
        expr, value = method(node, depth + 1)
        if value is not None and not math.isfinite(value):
            raise ExpressionError(
                tr(
                    "The part starting at position {position} is not a finite real number "
                    "(a division by zero, a huge power, or the root or log of a negative number?).",
                    position=node.col_offset + 1,
                )
            )
        return expr, value

    def _build_Constant(self, node: ast.Constant, depth: int) -> tuple[sp.Expr, float | None]:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExpressionError(
                tr("{value!r} is not a number; only numbers, x and y are allowed.", value=value)
            )
        if not math.isfinite(value) or abs(value) > MAX_LITERAL:
            raise ExpressionError(
                tr(
                    "The number {value!r} is too large (limit {limit:g}).",
                    value=value,
                    limit=MAX_LITERAL,
                )
            )
        return (sp.Integer(value) if isinstance(value, int) else sp.Float(value)), float(value)

    def _build_Name(self, node: ast.Name, depth: int) -> tuple[sp.Expr, float | None]:
        if node.id in NAMES:
            symbol = NAMES[node.id]
            return symbol, (float(symbol) if symbol.is_number else None)
        if node.id in FUNCTIONS:
            raise ExpressionError(
                tr("'{name}' is a function: write {name}(...) with brackets.", name=node.id)
            )
        hint = difflib.get_close_matches(node.id, [*NAMES, *FUNCTIONS], n=1)
        position = node.col_offset + 1
        if hint:
            message = tr(
                "Unknown name '{name}' at position {position}: the variables are x and y. "
                "Did you mean '{hint}'?",
                name=node.id,
                position=position,
                hint=hint[0],
            )
        else:
            message = tr(
                "Unknown name '{name}' at position {position}: the variables are x and y.",
                name=node.id,
                position=position,
            )
        raise ExpressionError(message)

    def _build_UnaryOp(self, node: ast.UnaryOp, depth: int) -> tuple[sp.Expr, float | None]:
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            word = "not" if isinstance(node.op, ast.Not) else "~"
            raise ExpressionError(
                tr(
                    "'{word}' is not allowed; use {allowed}.",
                    word=word,
                    allowed=allowed_vocabulary(),
                )
            )
        operand, value = self.build(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return -operand, (None if value is None else -value)
        return operand, value

    def _build_BinOp(self, node: ast.BinOp, depth: int) -> tuple[sp.Expr, float | None]:
        operator = _OPERATORS.get(type(node.op))
        if operator is None:
            symbol = _FORBIDDEN_OPERATORS.get(type(node.op)) or tr("this operator")
            raise ExpressionError(
                tr(
                    "The operator {symbol} is not allowed; use + - * / and ** (or ^).",
                    symbol=symbol,
                )
            )
        left, left_value = self.build(node.left, depth)
        right, right_value = self.build(node.right, depth)
        constant_exponent = isinstance(node.op, ast.Pow) and right_value is not None
        if constant_exponent and abs(right_value) > MAX_CONSTANT_EXPONENT:
            raise ExpressionError(
                tr(
                    "The exponent at position {position} is too large (|exponent| ≤ {limit}).",
                    position=node.right.col_offset + 1,
                    limit=MAX_CONSTANT_EXPONENT,
                )
            )
        result = operator(left, right)
        _check_exact_numbers(result, node)
        return result, _combine(type(node.op), left_value, right_value)

    def _build_Call(self, node: ast.Call, depth: int) -> tuple[sp.Expr, float | None]:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            functions = ", ".join(sorted(FUNCTIONS))
            if name is None:
                raise ExpressionError(
                    tr(
                        "Only a function name may be called, as in sin(x), at position "
                        "{position}. Available: {functions}.",
                        position=node.col_offset + 1,
                        functions=functions,
                    )
                )
            hint = difflib.get_close_matches(name, list(FUNCTIONS), n=1)
            if hint:
                message = tr(
                    "Unknown function '{name}'. Did you mean '{hint}'? Available: {functions}.",
                    name=name,
                    hint=hint[0],
                    functions=functions,
                )
            else:
                message = tr(
                    "Unknown function '{name}'. Available: {functions}.",
                    name=name,
                    functions=functions,
                )
            raise ExpressionError(message)
        if node.keywords or len(node.args) != 1:
            raise ExpressionError(tr("{name}(...) takes exactly one argument.", name=name))
        argument, value = self.build(node.args[0], depth)
        result = FUNCTIONS[name](argument)
        return result, (_as_float(result) if value is not None else None)


def _check_exact_numbers(expr: sp.Expr, node: ast.BinOp) -> None:
    limit = 10**MAX_EXACT_DIGITS
    if any(max(abs(number.p), number.q) >= limit for number in expr.atoms(sp.Rational)):
        raise ExpressionError(
            tr(
                "The part starting at position {position} makes an exact fraction of more than "
                "{limit} digits; write its numbers with a decimal point (1.5 rather than 3/2) "
                "to compute in decimals.",
                position=node.col_offset + 1,
                limit=MAX_EXACT_DIGITS,
            )
        )


def _combine(op: type, left: float | None, right: float | None) -> float | None:
    if left is None or right is None:
        return None
    try:
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return left * right
        if op is ast.Div:
            return left / right if right else math.inf
        return math.pow(left, right)
    except (OverflowError, ValueError, ZeroDivisionError):
        return math.inf


def _as_float(expr: sp.Expr) -> float | None:
    try:
        return float(expr)
    except (TypeError, ValueError, OverflowError):
        return math.inf


def _describe(node: ast.AST) -> str:
    for kind, description in _NODE_DESCRIPTIONS.items():
        if isinstance(node, kind):
            return tr(description)
    # Python's name for the construct (Await, Yield, ...) would mean nothing to a student.
    return tr(
        "The part starting at position {position}", position=getattr(node, "col_offset", 0) + 1
    )
