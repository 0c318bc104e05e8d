"""How a point moves: torch-exact optimizers, learning-rate schedules and the simulator."""

import optimizers.lbfgs
import optimizers.muon
import optimizers.rules  # noqa: F401
from optimizers.registry import get, names, register, unregister
from optimizers.schedules import KINDS as SCHEDULE_KINDS
from optimizers.schedules import Schedule
from optimizers.simulate import ESCAPE_RADIUS, Evaluations, Trajectories, simulate
from optimizers.spec import Choice, Family, Flag, Hyper, OptimizerSpec, StepInput

__all__ = [
    "ESCAPE_RADIUS",
    "SCHEDULE_KINDS",
    "Choice",
    "Evaluations",
    "Family",
    "Flag",
    "Hyper",
    "OptimizerSpec",
    "Schedule",
    "StepInput",
    "Trajectories",
    "get",
    "names",
    "register",
    "simulate",
    "unregister",
]
