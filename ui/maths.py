"""The "maths" panel: the surface's formulas and the optimizer's update rule as LaTeX."""

from __future__ import annotations

import functools
import re

import streamlit as st
import sympy as sp

from landscapes import Surface
from optimizers import Choice, OptimizerSpec, Schedule
from texts import tr


# Sympy's printer takes ~30 ms for Beale's Hessian: print each surface once, not every rerun.
# LaTeX only, no text in any language, so the cache is shared by every page language.
@functools.lru_cache(maxsize=128)
def surface_latex(surface: Surface) -> tuple[str, str, str]:
    """f, its gradient and its Hessian, written by Sympy (never from user text directly).

    One partial derivative per line, so long formulas (Beale, a typed one) stay readable.
    """
    (fxx, fxy), (_, fyy) = surface.hessian_expr
    fx, fy = surface.gradient_expr
    return (
        rf"f(x, y) = {sp.latex(surface.expr)}",
        _aligned((r"\frac{\partial f}{\partial x}", fx), (r"\frac{\partial f}{\partial y}", fy)),
        _aligned(
            (r"\frac{\partial^2 f}{\partial x^2}", fxx),
            (r"\frac{\partial^2 f}{\partial x \partial y}", fxy),
            (r"\frac{\partial^2 f}{\partial y^2}", fyy),
        ),
    )


def _aligned(*rows: tuple[str, sp.Expr]) -> str:
    body = r" \\ ".join(rf"{name} &= {sp.latex(expr)}" for name, expr in rows)
    return rf"\begin{{aligned}} {body} \end{{aligned}}"


def hyperparameter_latex(spec: OptimizerSpec, values: dict[str, float]) -> str:
    """The current values by their symbols, e.g. η = 0.05, β₁ = 0.9, shown as the slider shows them."""
    return r",\quad ".join(
        rf"{hyper.symbol} = {_latex_value(hyper, values[hyper.name])}" for hyper in spec.hyperparams
    )


def _latex_value(hyper, value) -> str:
    if isinstance(hyper, Choice):
        return r"\text{" + value.replace("_", r"\_") + "}"
    return _latex_number(hyper.format(value))


def _latex_number(text: str) -> str:
    """'1e-08' as 1 × 10⁻⁸; plain numbers unchanged."""
    mantissa, _, exponent = text.partition("e")
    if not exponent:
        return text
    power = rf"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else rf"{mantissa} \times {power}"


def torch_snippet(spec: OptimizerSpec, values: dict[str, float], schedule: Schedule) -> str:
    """Python that builds the same optimizer (and scheduler) in PyTorch."""
    if not spec.torch_equivalent:
        return ""
    lines = ["import torch", ""]
    lines += [
        f"{hyper.name} = {_python_value(hyper, values[hyper.name])}" for hyper in spec.hyperparams
    ]
    lines.append(f"opt = {spec.torch_equivalent.replace('params', 'model.parameters()')}")
    if schedule.kind != "constant" or schedule.warmup_steps:
        code = schedule.torch_code()
        names = ", ".join(dict.fromkeys(re.findall(r"(\w+)\(", code)))
        lines.insert(1, f"from torch.optim.lr_scheduler import {names}")
        lines.append(f"sched = {code}  # call sched.step() after every opt.step()")
    return "\n".join(lines)


def _python_value(hyper, value) -> str:
    return hyper.python(value) if isinstance(hyper, Choice) else hyper.format(value)


def maths_panel(
    surface: Surface, spec: OptimizerSpec, values: dict[str, float], schedule: Schedule
) -> None:
    """The surface (f, ∇f, H), then the optimizer's rule with the current values and torch code."""
    f, gradient, hessian = surface_latex(surface)
    st.markdown(
        tr("**The surface**: the loss, its gradient ∇f (which points uphill) and its Hessian H")
    )
    st.latex(f)
    gradient_column, hessian_column = st.columns(2)
    gradient_column.latex(gradient)
    hessian_column.latex(hessian)
    rule_column, code_column = st.columns(2)
    with rule_column:
        st.markdown(
            tr(
                "**{optimizer}** ($g_t$ is the gradient ∇f at step $t$)",
                optimizer=tr(spec.title),
            )
        )
        st.latex(rf"\begin{{gathered}} {spec.latex} \end{{gathered}}")
        st.latex(hyperparameter_latex(spec, values))
        st.caption(tr(spec.summary))
    with code_column:
        snippet = torch_snippet(spec, values, schedule)
        if snippet:
            st.markdown(tr("**The same optimizer in PyTorch**"))
            st.code(snippet, language="python", wrap_lines=True)
        else:
            st.caption(tr("PyTorch has no built-in optimizer for this rule."))
