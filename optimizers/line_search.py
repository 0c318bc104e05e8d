"""Line searches: how far to go along a direction, found by evaluating the objective there.

Both work on many points at once, each point on its own: its own trial step, its own phase.
`objective` is StepInput.objective, so every evaluation is counted in the run's Evaluations.
"""

from __future__ import annotations

import numpy as np

from optimizers.torch_rounding import dot, fused_multiply_add

# Backtracking (Armijo): the step is halved until f falls by at least this share of what the slope
# promises, at most this many times; a point that never qualifies stays where it is.
ARMIJO_SHARE = 1e-4
MAX_HALVINGS = 30


def backtracking(
    objective, params: np.ndarray, loss: np.ndarray, direction: np.ndarray, slope, lr: float
) -> np.ndarray:
    """params + s·direction with s = lr, lr/2, lr/4 … the first that lowers f enough (Armijo);
    f never rises: a point that finds no such s within MAX_HALVINGS stays put."""
    length = np.full(slope.shape, float(lr))
    waiting = slope < 0  # a zero slope (a critical point) has nowhere to go
    length[~waiting] = 0.0
    for _ in range(MAX_HALVINGS):
        if not waiting.any():
            break
        trial = params[waiting] + length[waiting, None] * direction[waiting]
        enough = objective.value(trial) <= loss[waiting] + ARMIJO_SHARE * (
            length[waiting] * slope[waiting]
        )
        settled = np.flatnonzero(waiting)[enough]
        waiting[settled] = False
        length[waiting] *= 0.5
    length[waiting] = 0.0
    return params + length[:, None] * direction


def strong_wolfe(
    objective,
    x: np.ndarray,
    t: np.ndarray,
    d: np.ndarray,
    f: np.ndarray,
    g: np.ndarray,
    gtd: np.ndarray,
    max_ls: int,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """torch.optim.lbfgs._strong_wolfe for every point at once: (f, g, t, evaluations) per point.

    x (n, D) the points, d (n, D) the directions, t (n,) the first trial steps, f, g, gtd the loss,
    gradient and slope g·d at x. Each point brackets, then zooms, with torch's branch decisions
    and torch's rounding (a trial point is x + t·d in one fused multiply-add, as add_ computes
    it), so it stops where torch stops. Points evaluate together, one call per round.
    """
    n = x.shape[0]
    search = _Search(objective, x, d, f, gtd, c1, c2)
    f_new, g_new = search.evaluate(np.arange(n), t)
    evaluations = np.ones(n, dtype=int)
    gtd_new = dot(g_new, d)
    t = np.array(t, dtype=float)
    t_prev, f_prev, g_prev, gtd_prev = np.zeros(n), f.copy(), g.copy(), gtd.copy()
    ls_iter = np.zeros(n, dtype=int)
    # Per point: bracketing, zooming, or done with its answer in (t, f_new, g_new) or the bracket.
    bracketing = np.ones(n, dtype=bool)
    zooming = np.zeros(n, dtype=bool)
    # The bracket [a, b] with f, g and g·d at both ends; `low` is the end with the lower f.
    bracket = np.zeros((n, 2))
    bracket_f = np.zeros((n, 2))
    bracket_g = np.zeros((n, 2, x.shape[1]))
    bracket_gtd = np.full((n, 2), np.nan)
    low = np.zeros(n, dtype=int)
    insufficient = np.zeros(n, dtype=bool)
    answered = np.zeros(n, dtype=bool)  # Wolfe holds at (t, f_new, g_new) itself
    rows = np.arange(n)

    def open_bracket(which, start, start_f, start_g, start_gtd):
        bracket[which, 0], bracket[which, 1] = start, t[which]
        bracket_f[which, 0], bracket_f[which, 1] = start_f, f_new[which]
        bracket_g[which, 0], bracket_g[which, 1] = start_g, g_new[which]
        bracket_gtd[which, 0], bracket_gtd[which, 1] = start_gtd, gtd_new[which]
        low[which] = np.where(bracket_f[which, 0] <= bracket_f[which, 1], 0, 1)
        bracketing[which] = False
        zooming[which] = True

    while True:
        # Bracketing: decide for each point that has just evaluated its trial step.
        out_of_budget = bracketing & (ls_iter >= max_ls)
        open_bracket(out_of_budget, 0.0, f[out_of_budget], g[out_of_budget], np.nan)
        armijo_fails = f_new > f + c1 * t * gtd
        rises = bracketing & (armijo_fails | ((ls_iter > 1) & (f_new >= f_prev)))
        open_bracket(rises, t_prev[rises], f_prev[rises], g_prev[rises], gtd_prev[rises])
        wolfe = bracketing & (np.abs(gtd_new) <= -c2 * gtd)
        answered |= wolfe
        bracketing &= ~wolfe
        past_minimum = bracketing & (gtd_new >= 0)
        open_bracket(
            past_minimum,
            t_prev[past_minimum],
            f_prev[past_minimum],
            g_prev[past_minimum],
            gtd_prev[past_minimum],
        )
        extrapolate = np.flatnonzero(bracketing)
        # Zooming: stop when out of budget or the bracket is too short, else pick a trial step.
        zoom = zooming & (ls_iter < max_ls)
        span = np.abs(bracket[:, 1] - bracket[:, 0]) * np.abs(d).max(axis=1)
        zoom &= ~(span < tolerance_change)
        zooming &= zoom
        refine = np.flatnonzero(zoom)
        if not extrapolate.size and not refine.size:
            break
        trial = t.copy()
        if extrapolate.size:
            i = extrapolate
            min_step = t[i] + 0.01 * (t[i] - t_prev[i])
            max_step = t[i] * 10
            trial[i] = cubic_interpolate(
                t_prev[i], f_prev[i], gtd_prev[i], t[i], f_new[i], gtd_new[i], (min_step, max_step)
            )
        if refine.size:
            trial[refine] = _zoom_trial(
                bracket[refine], bracket_f[refine], bracket_gtd[refine], insufficient, refine
            )
        moving = np.concatenate([extrapolate, refine])
        evaluated_f, evaluated_g = search.evaluate(moving, trial[moving])
        evaluations[moving] += 1
        ls_iter[moving] += 1
        if extrapolate.size:
            i, k = extrapolate, slice(0, extrapolate.size)
            t_prev[i], f_prev[i], g_prev[i], gtd_prev[i] = t[i], f_new[i], g_new[i], gtd_new[i]
            t[i], f_new[i], g_new[i] = trial[i], evaluated_f[k], evaluated_g[k]
            gtd_new[i] = dot(g_new[i], d[i])
        if refine.size:
            k = slice(extrapolate.size, None)
            _zoom_update(
                search,
                refine,
                trial[refine],
                evaluated_f[k],
                evaluated_g[k],
                bracket,
                bracket_f,
                bracket_g,
                bracket_gtd,
                low,
                zooming,
            )
    # The answer: the trial step itself where Wolfe held while bracketing, else the bracket's low.
    from_bracket = ~answered
    t_out, f_out, g_out = t.copy(), f_new.copy(), g_new.copy()
    ends = low[from_bracket]
    picked = rows[from_bracket]
    t_out[picked] = bracket[picked, ends]
    f_out[picked] = bracket_f[picked, ends]
    g_out[picked] = bracket_g[picked, ends]
    return f_out, g_out, t_out, evaluations


class _Search:
    """What every round of one line search shares: the objective along each point's line."""

    def __init__(self, objective, x, d, f, gtd, c1, c2):
        self.objective, self.x, self.d = objective, x, d
        self.f, self.gtd, self.c1, self.c2 = f, gtd, c1, c2

    def evaluate(self, rows: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """f and ∇f at x + t·d of `rows`, the trial point rounded as torch's add_(d, alpha=t)."""
        points = fused_multiply_add(t[:, None], self.d[rows], self.x[rows])
        return self.objective.value_and_grad(points)


def _zoom_trial(bracket, bracket_f, bracket_gtd, insufficient, rows) -> np.ndarray:
    """The next trial step inside each bracket: the cubic's minimum, moved a tenth of the bracket
    away from an end it comes too close to (at once, or the second time running)."""
    t = cubic_interpolate(
        bracket[:, 0],
        bracket_f[:, 0],
        bracket_gtd[:, 0],
        bracket[:, 1],
        bracket_f[:, 1],
        bracket_gtd[:, 1],
    )
    top = _python_max(bracket[:, 0], bracket[:, 1])
    bottom = _python_min(bracket[:, 0], bracket[:, 1])
    eps = 0.1 * (top - bottom)
    near_end = _python_min(top - t, t - bottom) < eps
    was_insufficient = insufficient[rows]
    move = near_end & (was_insufficient | (t >= top) | (t <= bottom))
    nearer_top = np.abs(t - top) < np.abs(t - bottom)
    t = np.where(move, np.where(nearer_top, top - eps, bottom + eps), t)
    insufficient[rows] = near_end & ~move
    return t


def _zoom_update(
    search, rows, t, f_new, g_new, bracket, bracket_f, bracket_g, bracket_gtd, low, zooming
) -> None:
    """Put each zooming point's new trial into its bracket, as torch's zoom does."""
    gtd_new = dot(g_new, search.d[rows])
    row_low = low[rows]
    high = 1 - row_low
    worse = (f_new > search.f[rows] + search.c1 * t * search.gtd[rows]) | (
        f_new >= bracket_f[rows, row_low]
    )
    # Armijo fails or no lower than the low end: the trial becomes the high end.
    h = rows[worse]
    hi = high[worse]
    bracket[h, hi], bracket_f[h, hi], bracket_g[h, hi] = t[worse], f_new[worse], g_new[worse]
    bracket_gtd[h, hi] = gtd_new[worse]
    low[h] = np.where(bracket_f[h, 0] <= bracket_f[h, 1], 0, 1)
    # Otherwise it becomes the low end, after the old low moved to the high end if the slope there
    # points towards the old high end; it is the answer when Wolfe holds.
    better = ~worse
    wolfe = better & (np.abs(gtd_new) <= -search.c2 * search.gtd[rows])
    swap = better & ~wolfe & (gtd_new * (bracket[rows, high] - bracket[rows, row_low]) >= 0)
    s, s_low, s_high = rows[swap], row_low[swap], high[swap]
    bracket[s, s_high], bracket_f[s, s_high] = bracket[s, s_low], bracket_f[s, s_low]
    bracket_g[s, s_high], bracket_gtd[s, s_high] = bracket_g[s, s_low], bracket_gtd[s, s_low]
    b, b_low = rows[better], row_low[better]
    bracket[b, b_low], bracket_f[b, b_low], bracket_g[b, b_low] = (
        t[better],
        f_new[better],
        g_new[better],
    )
    bracket_gtd[b, b_low] = gtd_new[better]
    zooming[rows[wolfe]] = False


def cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None) -> np.ndarray:
    """torch.optim.lbfgs._cubic_interpolate elementwise: the minimiser of the cubic through
    (x1, f1) and (x2, f2) with slopes g1, g2, clipped to `bounds` (default: between x1 and x2);
    their midpoint where the cubic has no minimum."""
    if bounds is None:
        in_order = x1 <= x2
        lowest, highest = np.where(in_order, x1, x2), np.where(in_order, x2, x1)
    else:
        lowest, highest = bounds
    with np.errstate(all="ignore"):
        d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
        d2_square = d1 * d1 - g1 * g2
        d2 = np.sqrt(np.where(d2_square >= 0, d2_square, 0.0))
        forward = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        backward = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    min_pos = np.where(x1 <= x2, forward, backward)
    clipped = _python_min(_python_max(min_pos, lowest), highest)
    return np.where(d2_square >= 0, clipped, (lowest + highest) / 2.0)


def _python_max(a, b):
    """Python's max(a, b): a unless b is larger (so a NaN first stays, a NaN second is ignored)."""
    return np.where(b > a, b, a)


def _python_min(a, b):
    return np.where(b < a, b, a)
