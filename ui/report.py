"""What happened, in words: the results line under a run and the Compare page's ranking.

Pure functions from run summaries to text, so tests can check every wording without Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from analysis.outcome import FAR_OFF_WIDTHS, Outcome, distance_to_nearest_minimum, map_heights
from analysis.starting_rates import steepest_curvature
from landscapes import Surface
from optimizers import Choice, Family, Flag, OptimizerSpec, Schedule, Trajectories
from texts import tr

Level = Literal["success", "info", "warning", "error"]


@dataclass(frozen=True)
class Message:
    level: Level
    text: str  # Markdown made only of numbers and our own words, never user text


def outcome_message(
    outcome: Outcome, surface: Surface, spec: OptimizerSpec, lr: float, noise: float = 0.0
) -> Message:
    """One sentence on the run from start point 0, with a hint when it went wrong.

    `noise` is the batch-noise σ of the run: with noise a point jitters instead of settling.
    """
    run = outcome.run
    diverged = int(outcome.diverged_at[0])
    if diverged >= 0:
        return Message(
            "error",
            tr("**Diverged at step {step}.**", step=diverged)
            + " "
            + _divergence_hint(surface, spec, lr),
        )
    if raised := _raised_flags(run):
        flag, step = raised[0]
        return Message("warning", tr(flag.message, step=step))
    if outcome.unstable[0]:
        return Message(
            "error",
            " ".join(
                (
                    tr("**Unstable.**"),
                    _instability(outcome, surface),
                    _divergence_hint(surface, spec, lr),
                )
            ),
        )
    final_loss = float(outcome.final_loss[0])
    end = run.points[-1, 0]
    converged = int(outcome.converged_at[0])
    if converged >= 0:
        return Message(
            "success",
            tr(
                "**Reached the minimum** at {point} after **{steps} steps** (within "
                "{tolerance:.2g}); final loss {loss}.",
                point=_point(end),
                steps=converged,
                tolerance=outcome.tolerance,
                loss=_loss(final_loss),
            ),
        )
    outside = _outside(outcome, surface)
    if not surface.minima:
        return Message(
            "info",
            tr(
                "After {steps} steps the loss is {loss} at {point}.",
                steps=run.steps,
                loss=_loss(final_loss),
                point=_point(end),
            )
            + outside
            + " "
            + tr("There is no minimum on the map to reach."),
        )
    distance = float(distance_to_nearest_minimum(surface, run.points[-1])[0])
    if noise:
        hint = tr(
            "With batch noise σ = {noise:g} every step is a little random, so the point jitters "
            "around instead of settling; a smaller σ (a larger batch) lets it settle.",
            noise=noise,
        )
    else:
        hint = tr(
            "More steps or a larger learning rate would get closer, unless the run is stuck at a "
            "saddle or a local minimum that is not in the list."
        )
    return Message(
        "info",
        tr(
            "After {steps} steps the loss is {loss}, still {distance:.3g} from the nearest minimum.",
            steps=run.steps,
            loss=_loss(final_loss),
            distance=distance,
        )
        + outside
        + " "
        + hint,
    )


def _raised_flags(run: Trajectories) -> list[tuple[Flag, int]]:
    """The flags start point 0 raised (see OptimizerSpec.flags), with the first step of each."""
    raised = [(flag, int(first[0])) for flag, first in run.flagged_at.items()]
    return [(flag, step) for flag, step in raised if step >= 0]


def _loss(value: float) -> str:
    # Below float64's resolution around 1 the digits are rounding noise, not information.
    return "< 10⁻¹²" if abs(value) < 1e-12 else f"{value:.4g}"


def _point(point) -> str:
    # Rounded to what the map can show; + 0.0 turns -0.0 into 0.0.
    x, y = (round(float(v), 3) + 0.0 for v in point)
    return f"({x:g}, {y:g})"


def _outside(outcome: Outcome, surface: Surface) -> str:
    """ " It ended outside the map …" when start point 0 did, else ""."""
    if not outcome.beyond_map[0] > 0:
        return ""
    (xmin, xmax), (ymin, ymax) = surface.domain
    return " " + tr(
        "It ended outside the map, which shows x from {xmin:g} to {xmax:g} and y from {ymin:g} "
        "to {ymax:g}.",
        xmin=xmin,
        xmax=xmax,
        ymin=ymin,
        ymax=ymax,
    )


def _instability(outcome: Outcome, surface: Surface) -> str:
    """What made start point 0 unstable, though it did not diverge (analysis.outcome's rule)."""
    beyond = float(outcome.beyond_map[0])
    if beyond > FAR_OFF_WIDTHS:
        return tr(
            "It ended {beyond:.3g} map widths beyond the edge of the map, higher than it started.",
            beyond=beyond,
        )
    highest = _loss(float(outcome.highest_loss[0]))
    top = _loss(map_heights(surface)[1])
    return tr(
        "Its loss climbed to {highest} on the way, far above anything on the map (at most "
        "{top}), before coming back: the steps are too large, not too few.",
        highest=highest,
        top=top,
    )


def _divergence_hint(surface: Surface, spec: OptimizerSpec, lr: float) -> str:
    if not surface.minima:
        return tr(
            "There is no minimum on the map, so a descent that keeps going downhill leaves it "
            "in the end."
        )
    if spec.family is Family.GRADIENT:
        edge = 2 / steepest_curvature(surface)
        return tr(
            "The learning rate is too large for the curvature here: plain gradient descent is "
            "stable only below 2/L ≈ {edge:.3g} (L is the steepest curvature), and lr = {lr:.3g}. "
            "Each step overshoots further than the last.",
            edge=edge,
            lr=lr,
        )
    if spec.family is Family.SECOND_ORDER:
        return tr(
            "{optimizer}'s step jumped far away where the local quadratic model was a poor "
            "guide; try {remedies}.",
            optimizer=tr(spec.title),
            remedies=_second_order_remedies(spec),
        )
    return tr(
        "The learning rate lr = {lr:.3g} is too large for this surface: steps overshoot the "
        "valleys and grow. Try a smaller learning rate.",
        lr=lr,
    )


def _second_order_remedies(spec: OptimizerSpec) -> str:
    """What the spec's own hyperparameters offer against a wild second-order step, e.g. "a
    smaller learning rate, more damping δ or a line search (backtracking)"."""
    remedies = [tr("a smaller learning rate")]
    for hyper in spec.hyperparams:
        if hyper.name == "damping":
            remedies.append(tr("more {hyperparameter}", hyperparameter=tr(hyper.label)))
        elif isinstance(hyper, Choice) and hyper.name.startswith("line_search"):
            remedies.append(
                tr(
                    "a {hyperparameter} ({option})",
                    hyperparameter=tr(hyper.label),
                    option=tr(hyper.title(hyper.options[-1])),
                )
            )
    if len(remedies) == 1:
        return remedies[0]
    return tr("{some} or {last}", some=", ".join(remedies[:-1]), last=remedies[-1])


@dataclass(frozen=True)
class Ranked:
    title: str
    final_loss: float  # NaN if diverged
    steps_to_minimum: int  # -1 if never
    evaluations_to_minimum: int  # of f and ∇f (Evaluations.total) by then; -1 if never
    outcome: str
    unstable: bool  # analysis.outcome's rule: diverged, flew off or blew up


def ranking(entries: list[tuple[str, Outcome]]) -> list[Ranked]:
    """Best first: reached a minimum (fewest steps), then lowest final loss, then unstable runs,
    diverged last."""
    rows = []
    for title, outcome in entries:
        diverged, converged = int(outcome.diverged_at[0]), int(outcome.converged_at[0])
        raised = _raised_flags(outcome.run)
        unstable = bool(outcome.unstable[0])
        if diverged >= 0:
            text = tr("diverged at step {step}", step=diverged)
        elif raised:
            flag, step = raised[0]
            text = tr(flag.short, step=step)
        elif unstable:
            text = tr("unstable: lower the learning rate")
        elif converged >= 0:
            text = tr("reached a minimum")
        else:
            text = tr("still moving")
        spent = np.concatenate([[0], outcome.run.evaluations.total()])
        evaluations = int(spent[converged]) if converged >= 0 else -1
        rows.append(
            Ranked(title, float(outcome.final_loss[0]), converged, evaluations, text, unstable)
        )

    def order(row: Ranked):
        if np.isnan(row.final_loss):
            return (3, 0.0, 0.0)
        if row.unstable:
            return (2, row.final_loss, 0.0)
        if row.steps_to_minimum >= 0:
            return (0, row.steps_to_minimum, row.final_loss)
        return (1, row.final_loss, 0.0)

    return sorted(rows, key=order)


def ranking_table(entries: list[tuple[str, Outcome]]) -> list[dict]:
    """The ranking as rows for st.dataframe: no loss for a diverged run, "—" for never reached."""
    return [
        {
            tr("Optimizer"): row.title,
            tr("Final loss"): None if np.isnan(row.final_loss) else row.final_loss,
            tr("Steps to minimum"): (
                str(row.steps_to_minimum) if row.steps_to_minimum >= 0 else "—"
            ),
            tr("Evaluations to minimum"): (
                str(row.evaluations_to_minimum) if row.evaluations_to_minimum >= 0 else "—"
            ),
            tr("Outcome"): row.outcome,
        }
        for row in ranking(entries)
    ]


def schedule_caption(run: Trajectories, schedule: Schedule) -> str:
    """How the learning rate moved during the run, e.g. "η went from 0.0025 up to 0.025 … "."""
    rates = run.learning_rates
    if schedule.kind == "constant" and not schedule.warmup_steps:
        return ""
    low, high = float(rates.min()), float(rates.max())
    return tr(
        "Learning rate over the run: η started at {first:.3g}, peaked at {high:.3g}, went as "
        "low as {low:.3g} and ended at {last:.3g}.",
        first=rates[0],
        high=high,
        low=low,
        last=rates[-1],
    )
