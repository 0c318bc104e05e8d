"""Learning-rate schedules: closed forms, torch.optim.lr_scheduler parity, lr never negative."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import landscapes
import optimizers
from optimizers import Schedule

BASE_LR = 0.1


def test_constant_schedule_is_the_base_rate():
    np.testing.assert_array_equal(Schedule().learning_rates(BASE_LR, 7), np.full(7, BASE_LR))


def test_step_decay_halves_every_step_size_steps():
    rates = Schedule("step", gamma=0.5, step_size=3).learning_rates(0.8, 8)
    np.testing.assert_allclose(rates, [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2], rtol=1e-15)


def test_exponential_decay_multiplies_every_step():
    rates = Schedule("exponential", gamma=0.9).learning_rates(1.0, 4)
    np.testing.assert_allclose(rates, [1.0, 0.9, 0.81, 0.729], rtol=1e-15)


def test_cosine_annealing_follows_the_half_cosine_and_restarts_like_torch():
    schedule = Schedule("cosine", t_max=4, eta_min=0.02)
    rates = schedule.learning_rates(0.1, 9)
    k = np.arange(9)
    # torch's closed form, periodic with period 2·T_max: down to eta_min at T_max, back up after.
    expected = 0.02 + (0.1 - 0.02) * (1 + np.cos(np.pi * k / 4)) / 2
    np.testing.assert_allclose(rates, expected, rtol=1e-12)
    assert rates[4] == pytest.approx(0.02) and rates[8] == pytest.approx(0.1)


def test_linear_warmup_ramps_from_start_factor_to_the_base_rate():
    rates = Schedule(warmup_steps=4, warmup_start_factor=0.2).learning_rates(1.0, 6)
    np.testing.assert_allclose(rates, [0.2, 0.4, 0.6, 0.8, 1.0, 1.0], rtol=1e-12)


def test_warmup_multiplies_onto_step_decay():
    schedule = Schedule("step", gamma=0.5, step_size=2, warmup_steps=2, warmup_start_factor=0.5)
    np.testing.assert_allclose(
        schedule.learning_rates(1.0, 5), [0.5, 0.75, 0.5, 0.5, 0.25], rtol=1e-12
    )


ALL_SCHEDULES = [
    Schedule(),
    Schedule("step", gamma=0.5, step_size=7),
    Schedule("step", gamma=0.3, step_size=1),
    Schedule("exponential", gamma=0.97),
    Schedule("cosine", t_max=50),
    Schedule("cosine", t_max=50, eta_min=0.01),
    Schedule("cosine", t_max=1),
    Schedule(warmup_steps=10),
    Schedule("step", gamma=0.5, step_size=7, warmup_steps=10, warmup_start_factor=0.3),
    Schedule("exponential", gamma=0.97, warmup_steps=10),
    Schedule("cosine", t_max=50, warmup_steps=10),
    # The two chains that are not "warm-up × cosine": torch anneals the warmed-up rate towards
    # eta_min, and restarts after t_max with an unscaled share of the base rate.
    Schedule("cosine", t_max=50, eta_min=0.01, warmup_steps=10),
    Schedule("cosine", t_max=20, warmup_steps=30, warmup_start_factor=0.05),
    Schedule("cosine", t_max=20, eta_min=0.03, warmup_steps=30),
]


def _torch_rates(schedule: Schedule, base_lr: float, steps: int) -> np.ndarray:
    """The lr torch's optimizer holds at each step, with the schedulers torch_code() names."""
    torch = pytest.importorskip("torch", reason="torch is the reference for the schedules")
    from torch.optim import lr_scheduler

    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    chain = []
    if schedule.warmup_steps:
        chain.append(
            lr_scheduler.LinearLR(
                optimizer,
                start_factor=schedule.warmup_start_factor,
                total_iters=schedule.warmup_steps,
            )
        )
    if schedule.kind == "step":
        chain.append(lr_scheduler.StepLR(optimizer, schedule.step_size, schedule.gamma))
    elif schedule.kind == "exponential":
        chain.append(lr_scheduler.ExponentialLR(optimizer, schedule.gamma))
    elif schedule.kind == "cosine":
        chain.append(lr_scheduler.CosineAnnealingLR(optimizer, schedule.t_max, schedule.eta_min))
    scheduler = lr_scheduler.ChainedScheduler(chain) if len(chain) > 1 else next(iter(chain), None)
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    return np.array(rates)


@pytest.mark.parametrize("schedule", ALL_SCHEDULES, ids=repr)
def test_rates_match_torch_lr_scheduler(schedule):
    np.testing.assert_allclose(
        schedule.learning_rates(BASE_LR, 300), _torch_rates(schedule, BASE_LR, 300), rtol=1e-12
    )


def test_torch_code_names_the_schedulers_compared_against_torch():
    assert Schedule().torch_code() == "no scheduler"
    assert Schedule("exponential", gamma=0.97).torch_code() == "ExponentialLR(opt, gamma=0.97)"
    chained = Schedule("cosine", t_max=50, eta_min=0.01, warmup_steps=10).torch_code()
    assert chained == (
        "ChainedScheduler([LinearLR(opt, start_factor=0.1, total_iters=10), "
        "CosineAnnealingLR(opt, T_max=50, eta_min=0.01)])"
    )


@pytest.mark.parametrize("schedule", ALL_SCHEDULES, ids=repr)
def test_rates_never_negative_over_long_runs(schedule):
    rates = schedule.learning_rates(BASE_LR, 5000)
    assert np.isfinite(rates).all()
    assert rates.min() >= 0.0


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "cyclic"},
        {"step_size": 0},
        {"t_max": 0},
        {"warmup_steps": -1},
        {"warmup_start_factor": 0.0},
        {"gamma": 0.0},
        {"eta_min": -0.1},
    ],
)
def test_invalid_schedules_are_refused(fields):
    with pytest.raises(ValueError):
        Schedule(**fields)


def test_simulate_uses_and_records_the_schedule():
    # GD on f = x² from x0 = 1: x_{k+1} = (1 − 2·lr_k)·x_k, so the path exposes every rate used.
    surface = landscapes.from_expression("x^2")
    schedule = Schedule("step", gamma=0.5, step_size=2)
    run = optimizers.simulate(surface, "sgd", {"lr": 0.2}, [(1.0, 0.0)], 5, schedule=schedule)
    np.testing.assert_array_equal(run.learning_rates, schedule.learning_rates(0.2, 5))
    factors = [1 - 2 * lr for lr in (0.2, 0.2, 0.1, 0.1, 0.05)]
    np.testing.assert_allclose(run.points[1:, 0, 0], np.cumprod(factors), rtol=1e-14)
    assert math.isclose(run.points[-1, 0, 1], 0.0)


@settings(max_examples=100, deadline=None)
@given(
    kind=st.sampled_from(sorted(optimizers.SCHEDULE_KINDS)),
    gamma=st.floats(0.01, 1.0),
    step_size=st.integers(1, 500),
    t_max=st.integers(1, 500),
    eta_min=st.floats(0.0, 0.2),
    warmup_steps=st.integers(0, 500),
    warmup_start_factor=st.floats(0.001, 1.0),
)
def test_any_valid_schedule_keeps_lr_non_negative(**fields):
    rates = Schedule(**fields).learning_rates(BASE_LR, 3000)
    assert np.isfinite(rates).all() and rates.min() >= 0.0
