"""L-BFGS, one step being one torch.optim.LBFGS(max_iter=1).step(closure), for many points at once.

Each point carries torch's state: its iteration count, last direction d and step t, the last
gradient, the scale of the initial inverse Hessian and the last m curvature pairs (y, s, ρ = 1/y·s),
kept oldest first in a ring buffer. Points are independent: one may be in its first iteration,
another have converged (torch returns at once when max|g| ≤ tolerance_grad, state untouched).
The order of operations is torch's, and so is the rounding where a line search's branches depend
on the last bit (add_ with alpha is one fused multiply-add).

torch also keeps the previous loss, for a lack-of-progress test that max_iter = 1 never reaches
(the loop breaks on n_iter == max_iter first); it is left out here.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from optimizers.line_search import strong_wolfe
from optimizers.registry import register
from optimizers.rules import lr_hyper
from optimizers.spec import Choice, Family, Hyper, OptimizerSpec, StepInput
from optimizers.torch_rounding import dot, fused_multiply_add
from texts import translatable

TOLERANCE_GRAD = 1e-7  # torch's defaults
TOLERANCE_CHANGE = 1e-9
CURVATURE_TOLERANCE = 1e-10  # a pair enters the history only when y·s exceeds this


class LbfgsState(NamedTuple):
    iterations: np.ndarray  # (n,) torch's state["n_iter"]
    direction: np.ndarray  # (n, d) d
    step_length: np.ndarray  # (n,) t
    previous_grad: np.ndarray  # (n, d)
    hessian_scale: np.ndarray  # (n,) H_diag = y·s / y·y of the newest pair
    gradient_changes: np.ndarray  # (n, m, d) y, oldest first from `oldest`
    steps: np.ndarray  # (n, m, d) s
    inverse_curvatures: np.ndarray  # (n, m) ρ = 1 / y·s
    oldest: np.ndarray  # (n,) slot of the oldest pair
    filled: np.ndarray  # (n,) how many pairs are kept (torch's len(old_dirs))
    stalled: np.ndarray  # (n,) the last iteration found no descent and did not move


def init(params: np.ndarray, hp: SimpleNamespace) -> LbfgsState:
    n, d = params.shape
    m = hp.history_size
    return LbfgsState(
        iterations=np.zeros(n, dtype=int),
        direction=np.zeros((n, d)),
        step_length=np.zeros(n),
        previous_grad=np.zeros((n, d)),
        hessian_scale=np.ones(n),
        gradient_changes=np.zeros((n, m, d)),
        steps=np.zeros((n, m, d)),
        inverse_curvatures=np.zeros((n, m)),
        oldest=np.zeros(n, dtype=int),
        filled=np.zeros(n, dtype=int),
        stalled=np.zeros(n, dtype=bool),
    )


def update(inputs: StepInput, state: LbfgsState, hp: SimpleNamespace):
    """One torch L-BFGS iteration for every point that has not converged."""
    # torch returns before touching its state where the gradient is already (almost) zero.
    waiting = np.abs(inputs.grad).max(axis=1) > TOLERANCE_GRAD
    # A point that stalled and sees the very same gradient again computes exactly what it did
    # then (no new pair, the same direction, no descent): only its count and length move on.
    # Most points of a basin grid end like this, a little short of tolerance_grad.
    repeats = waiting & state.stalled & (inputs.grad == state.previous_grad).all(axis=1)
    active = np.flatnonzero(waiting & ~repeats)
    state = state._replace(
        iterations=state.iterations + repeats,
        step_length=np.where(repeats, inputs.lr, state.step_length),
    )
    if not active.size:
        return inputs.params, state
    before = LbfgsState(*(field[active] for field in state))
    x, g = inputs.params[active], inputs.grad[active]
    first = before.iterations == 0
    direction, hessian_scale, memory = _direction(g, before, first, hp.history_size)
    # The first step ever is min(1, 1/‖g‖₁)·lr times −g: at most lr long however steep the start.
    inverse_norm = 1.0 / np.abs(g).sum(axis=1)
    length = np.where(first, np.where(inverse_norm < 1.0, inverse_norm, 1.0) * inputs.lr, inputs.lr)
    slope = dot(g, direction)
    # Not a descent direction (or too flat to matter): the point stays put, keeping its new
    # direction and length, as torch does when it breaks out there.
    moving = np.flatnonzero(~(slope > -TOLERANCE_CHANGE))
    if hp.line_search_fn == "strong_wolfe" and moving.size:
        length[moving] = strong_wolfe(
            inputs.objective,
            x[moving],
            length[moving],
            direction[moving],
            inputs.loss[active][moving],
            g[moving],
            slope[moving],
            max_ls=hp.max_eval - 1,  # the closure call that gave g counts against max_eval
        )[2]
    params = inputs.params.copy()
    params[active[moving]] = fused_multiply_add(length[moving, None], direction[moving], x[moving])
    stalled = np.ones(active.size, dtype=bool)
    stalled[moving] = False
    after = LbfgsState(before.iterations + 1, direction, length, g, hessian_scale, *memory, stalled)
    fields = [field.copy() for field in state]
    for whole, part in zip(fields, after, strict=True):
        whole[active] = part
    return params, LbfgsState(*fields)


def _direction(g: np.ndarray, s: LbfgsState, first: np.ndarray, history_size: int):
    """torch's new direction d = −H·g for each point (−g at its first iteration), after adding
    its newest curvature pair where y·s > 1e-10, by the two-loop recursion over its pairs."""
    y = g - s.previous_grad
    step = s.direction * s.step_length[:, None]
    ys = dot(y, step)
    changes, steps = s.gradient_changes.copy(), s.steps.copy()
    curvatures, oldest, filled = s.inverse_curvatures.copy(), s.oldest.copy(), s.filled.copy()
    hessian_scale = s.hessian_scale.copy()
    rows = np.flatnonzero(~first & (ys > CURVATURE_TOLERANCE))
    full = filled[rows] == history_size
    slot = (oldest[rows] + filled[rows]) % history_size  # past the newest: the oldest when full
    changes[rows, slot], steps[rows, slot] = y[rows], step[rows]
    curvatures[rows, slot] = 1.0 / ys[rows]
    oldest[rows] = np.where(full, (oldest[rows] + 1) % history_size, oldest[rows])
    filled[rows] += ~full
    hessian_scale[rows] = ys[rows] / dot(y[rows], y[rows])
    # The two-loop recursion over the pairs each point keeps, newest first, then oldest first.
    # Put in age order once, a point's missing pairs are zeros (ρ = 0): their α and β are 0, and
    # adding 0·v leaves q and r exactly as they were.
    kept = int(filled.max(initial=0))
    age = (oldest[:, None] + np.arange(kept)) % history_size
    present = np.arange(kept) < filled[:, None]
    every = np.arange(len(g))[:, None]
    ordered_changes = np.where(present[..., None], changes[every, age], 0.0)
    ordered_steps = np.where(present[..., None], steps[every, age], 0.0)
    ordered_curvatures = np.where(present, curvatures[every, age], 0.0)
    q = -g
    alphas = np.zeros((len(g), kept))
    for i in reversed(range(kept)):
        alphas[:, i] = dot(ordered_steps[:, i], q) * ordered_curvatures[:, i]
        q = fused_multiply_add(-alphas[:, i, None], ordered_changes[:, i], q)
    r = q * hessian_scale[:, None]
    for i in range(kept):
        beta = dot(ordered_changes[:, i], r) * ordered_curvatures[:, i]
        r = fused_multiply_add((alphas[:, i] - beta)[:, None], ordered_steps[:, i], r)
    direction = np.where(first[:, None], -g, r)
    return direction, hessian_scale, (changes, steps, curvatures, oldest, filled)


LBFGS = register(
    OptimizerSpec(
        key="lbfgs",
        title="L-BFGS",
        hyperparams=(
            lr_hyper(1.0, low=1e-3),
            Hyper(
                "history_size",
                100,
                1,
                100,
                "m",
                translatable("history size m"),
                translatable(
                    "How many of the last curvature pairs (y, s) it keeps: 2m + 2 numbers per "
                    "parameter. With two parameters a few pairs already describe the curvature."
                ),
                whole=True,
            ),
            Hyper(
                "max_eval",
                25,
                1,
                50,
                r"n_{\text{eval}}",
                translatable("evaluations per step"),
                translatable(
                    "The most times one step may evaluate f and ∇f (the strong-Wolfe search uses "
                    "all but one). torch's own default, max_iter·5/4, is 1 for max_iter = 1: the "
                    "search could then try only its first step, and a point whose first trial fails "
                    "would stay put for ever; 25 lets it search."
                ),
                whole=True,
            ),
            Choice(
                "line_search_fn",
                "none",
                ("none", "strong_wolfe"),
                r"\text{line search}",
                translatable("line search"),
                translatable(
                    "none: every step is lr times the L-BFGS direction. strong_wolfe: search along "
                    "it for a step where f fell enough and the slope flattened (torch's search, "
                    "several evaluations per step)."
                ),
                titles=(translatable("none"), "strong_wolfe"),
            ),
        ),
        init=init,
        update=update,
        latex=(
            r"s_k = \theta_k - \theta_{k-1},\ y_k = g_k - g_{k-1},\ "
            r"\rho_k = 1 / y_k^\top s_k \quad (\text{the last } m \text{ pairs with } "
            r"y_k^\top s_k > 10^{-10}) \\ "
            r"d_t = -H_t\, g_t \text{ (two-loop recursion over the pairs, } "
            r"H^0 = \tfrac{y^\top s}{y^\top y} I) \\ "
            r"\theta_t = \theta_{t-1} + s_t\, d_t,\quad s_t = \eta "
            r"\ (\eta \min(1, 1/\|g_1\|_1) \text{ at the first step}) "
            r"\text{ or the strong-Wolfe step from there, } \le n_{\text{eval}} "
            r"\text{ evaluations with the } \text{line search}"
        ),
        summary=translatable(
            "Builds a picture of the curvature from what it has seen: the last m changes of "
            "position and of gradient say how the slope bends, and a short recursion turns "
            "them into a Newton-like step without ever forming or solving with the Hessian "
            "(2m + 2 numbers per parameter instead of n²). With a strong-Wolfe line search it "
            "tries several step lengths per step, each one an evaluation of f and ∇f."
        ),
        torch_equivalent=(
            "torch.optim.LBFGS(params, lr=lr, max_iter=1, max_eval=max_eval, "
            "history_size=history_size, line_search_fn=line_search_fn)  "
            "# one step: opt.step(closure)"
        ),
        # lr = 1 is the full quasi-Newton step, as for Newton's method.
        family=Family.SECOND_ORDER,
        color="#997700",  # dark yellow
        # Each step's two-loop recursion is 2m operations one after another (with torch's fused
        # rounding, ~25 NumPy calls each): at m = 100 a single run of 400 steps that never
        # converges takes seconds, a basin grid minutes. With two parameters, ten pairs carry
        # the curvature as well.
        many_runs=(("history_size", 10),),
        many_runs_at_most=(("history_size", 20),),
    )
)
