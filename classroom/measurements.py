"""The Learn page's comparison table, measured by running every optimizer, not typed in.

For each optimizer and each built-in surface with a known minimum, every learning rate of LR_GRID
runs from the surface's start point. A cell reports the fewest steps any of them needed to come
within tolerance of a minimum (and with which rate); the robustness column counts how many of
all (surface, rate) pairs got there at all, i.e. how forgiving the optimizer is about its rate.

The 504 runs take 5-20 s on a busy 2-core machine, too long for a page load, so the table is
measured at build time and saved next to this file:

    python3 -m classroom.measurements

tests/test_page_learn.py re-measures it and fails if the saved numbers differ from what the code
measures now. An optimizer missing from the file (just added) is measured when the page loads.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import landscapes
import optimizers
from analysis.outcome import summarise, summary_reductions, tolerance_for
from optimizers import OptimizerSpec
from texts import tr

TABLE_FILE = Path(__file__).with_name("comparison.json")
LR_GRID = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
TABLE_STEPS = 400
PARAMETERS_SHOWN = 2  # the maps have two parameters, x and y


@dataclass(frozen=True)
class Cell:
    steps: int  # fewest steps to a minimum over LR_GRID, -1 if no rate got there
    lr: float | None  # the rate that took `steps`; None if no rate got there
    converging_rates: int  # how many rates of LR_GRID reached a minimum

    def text(self) -> str:
        return "—" if self.steps < 0 else f"{self.steps} (η {self.lr:g})"


@dataclass(frozen=True)
class Row:
    key: str
    title: str
    cells: dict[str, Cell]  # by surface name

    @property
    def robustness(self) -> float:
        """Share of (surface, learning rate) pairs that reached a minimum."""
        tried = len(self.cells) * len(LR_GRID)
        return sum(cell.converging_rates for cell in self.cells.values()) / tried


def measured_surfaces() -> list[str]:
    """Built-in surfaces with a known minimum: on the others "steps to the minimum" is undefined."""
    return [name for name in landscapes.names() if landscapes.get(name).minima]


def measure_cell(surface_name: str, key: str) -> Cell:
    surface = landscapes.get(surface_name)
    tolerance = tolerance_for(surface)
    first_arrivals = []
    settings = optimizers.get(key).many_run_defaults()
    for lr in LR_GRID:
        # Only when it arrived matters: the run keeps no history.
        run = optimizers.simulate(
            surface,
            key,
            {**settings, "lr": lr},
            [surface.start],
            TABLE_STEPS,
            every=None,
            reductions=summary_reductions(surface, tolerance),
        )
        first_arrivals.append(int(summarise(run, surface, tolerance).converged_at[0]))
    reached = [(at, lr) for at, lr in zip(first_arrivals, LR_GRID, strict=True) if at >= 0]
    best_steps, best_lr = min(reached) if reached else (-1, None)
    return Cell(best_steps, best_lr, len(reached))


def measure_row(key: str) -> Row:
    cells = {name: measure_cell(name, key) for name in measured_surfaces()}
    return Row(key, optimizers.get(key).title, cells)


def measure_table() -> list[Row]:
    return [measure_row(key) for key in optimizers.names()]


def save_table(rows: list[Row], path: Path = TABLE_FILE) -> None:
    content = {
        "steps": TABLE_STEPS,
        "learning_rates": list(LR_GRID),
        "rows": {row.key: {name: asdict(cell) for name, cell in row.cells.items()} for row in rows},
    }
    path.write_text(json.dumps(content, indent=1) + "\n")


def load_table(path: Path = TABLE_FILE) -> dict[str, Row]:
    """Saved rows by optimizer key; empty if the file was measured with other settings or for
    other surfaces, so nothing stale is ever shown."""
    try:
        content = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if content.get("steps") != TABLE_STEPS or content.get("learning_rates") != list(LR_GRID):
        return {}
    rows = {}
    for key, cells in content["rows"].items():
        if key in optimizers.names() and list(cells) == measured_surfaces():
            parsed = {name: Cell(**cell) for name, cell in cells.items()}
            rows[key] = Row(key, optimizers.get(key).title, parsed)
    return rows


def extra_memory(spec: OptimizerSpec, parameters: int = PARAMETERS_SHOWN) -> int:
    """Numbers of optimizer state for a model with `parameters` parameters, beyond the parameters
    themselves: one array per state field, or the n×n Hessian for a second-order method."""
    if spec.needs_hessian:
        return parameters * parameters
    return spec.state_numbers_per_parameter() * parameters


def memory_text(spec: OptimizerSpec) -> str:
    """How the extra memory grows with the number of parameters n, in words (the page's
    language)."""
    if spec.needs_hessian:
        return tr("n² (a {n}×{n} Hessian here)", n=PARAMETERS_SHOWN)
    per_parameter = spec.state_numbers_per_parameter()
    if per_parameter == 0:
        return tr("none")
    return tr("{count} per parameter", count=per_parameter)


if __name__ == "__main__":
    save_table(measure_table())
    print(f"measured {len(optimizers.names())} optimizers, saved to {TABLE_FILE}")
