"""What every figure builder and export takes in: one run as it is drawn."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from landscapes import Surface
from optimizers import Trajectories


@dataclass(frozen=True)
class Track:
    """One run from one start point, with its legend text and colour."""

    label: str  # legend text
    color: str  # "#rrggbb": the optimizer's own (OptimizerSpec.color) or a reference colour
    points: np.ndarray  # (steps + 1, 2)
    losses: np.ndarray  # (steps + 1,), NaN from the divergence step on
    grads: np.ndarray  # (steps + 1, 2), gradient at each point
    diverged_at: int = -1  # first step that was not finite or escaped, -1 if never
    # (steps + 1,) evaluations of f and ∇f spent by each step (0 at the start, Evaluations.total
    # after); None where the run did not count them.
    evaluations: np.ndarray | None = None

    @classmethod
    def of(
        cls, run: Trajectories, label: str, color: str, surface: Surface, index: int = 0
    ) -> Track:
        """Start point `index` of a simulate() result, with the true gradient at each point."""
        points = run.points[:, index]
        return cls(
            label=label,
            color=color,
            points=points,
            losses=run.losses[:, index],
            grads=surface.grad(points),
            diverged_at=int(run.diverged_at[index]),
            evaluations=np.concatenate([[0], run.evaluations.total()])[run.recorded_steps],
        )

    @property
    def steps(self) -> int:
        return self.points.shape[0] - 1

    @property
    def last_step(self) -> int:
        """The last step with a real position: the path is drawn up to here and stops."""
        if self.diverged_at < 0:
            return self.steps
        return max(self.diverged_at - 1, 0)

    @property
    def diverged(self) -> bool:
        return self.diverged_at >= 0
