"""How a point moves: torch-exact optimizers, learning-rate schedules and the simulator."""

from optimizers.registry import get, names
from optimizers.schedules import KINDS as SCHEDULE_KINDS
from optimizers.schedules import Schedule
from optimizers.simulate import ESCAPE_RADIUS, Trajectories, simulate
from optimizers.spec import Hyper, OptimizerSpec, StepInput

__all__ = [
    "ESCAPE_RADIUS",
    "SCHEDULE_KINDS",
    "Hyper",
    "OptimizerSpec",
    "Schedule",
    "StepInput",
    "Trajectories",
    "get",
    "names",
    "simulate",
]
