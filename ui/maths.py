"""The "maths" panel: the surface's formulas and the optimizer's update rule as LaTeX."""

from __future__ import annotations

import functools
import re

import streamlit as st
import sympy as sp

from landscapes import Surface
from optimizers import OptimizerSpec, Schedule


# Sympy's printer takes ~30 ms for Beale's Hessian: print each surface once, not every rerun.
@functools.lru_cache(maxsize=128)
def surface_latex(surface: Surface) -> tuple[str, str, str]:
    """f, its gradient and its Hessian, written by Sympy (never from user text directly)."""
    f = sp.latex(surface.expr)
    gradient = sp.latex(sp.Matrix(surface.gradient_expr))
    hessian = sp.latex(sp.Matrix(surface.hessian_expr))
    return (
        rf"f(x, y) = {f}",
        rf"\nabla f = \begin{{pmatrix}} \partial f / \partial x \\ \partial f / \partial y "
        rf"\end{{pmatrix}} = {gradient}",
        rf"H = \nabla^2 f = {hessian}",
    )


def hyperparameter_latex(spec: OptimizerSpec, values: dict[str, float]) -> str:
    """The current values by their symbols, e.g. η = 0.05, β₁ = 0.9, shown as the slider shows them."""
    return r",\quad ".join(
        rf"{hyper.symbol} = {_latex_number(hyper.format(values[hyper.name]))}"
        for hyper in spec.hyperparams
    )


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
    lines += [f"{hyper.name} = {hyper.format(values[hyper.name])}" for hyper in spec.hyperparams]
    lines.append(f"opt = {spec.torch_equivalent.replace('params', 'model.parameters()')}")
    if schedule.kind != "constant" or schedule.warmup_steps:
        code = schedule.torch_code()
        names = ", ".join(dict.fromkeys(re.findall(r"(\w+)\(", code)))
        lines.insert(1, f"from torch.optim.lr_scheduler import {names}")
        lines.append(f"sched = {code}  # call sched.step() after every opt.step()")
    return "\n".join(lines)


def maths_panel(
    surface: Surface, spec: OptimizerSpec, values: dict[str, float], schedule: Schedule
):
    """Two columns: the surface (f, ∇f, H) and the optimizer (rule, current values, torch code)."""
    left, right = st.columns(2)
    with left:
        st.markdown("**The surface**")
        for formula in surface_latex(surface):
            st.latex(formula)
    with right:
        st.markdown(f"**{spec.title}** ($g_t$ is the gradient ∇f at step $t$)")
        st.latex(rf"\begin{{gathered}} {spec.latex} \end{{gathered}}")
        st.latex(hyperparameter_latex(spec, values))
        st.caption(spec.summary)
        snippet = torch_snippet(spec, values, schedule)
        if snippet:
            st.markdown("The same optimizer in PyTorch:")
            st.code(snippet, language="python")
        else:
            st.caption("PyTorch has no built-in optimizer for this rule.")
