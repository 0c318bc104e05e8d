"""Every optimizer torch has, against the real torch.optim in float64: whole trajectories agree."""

import contextlib

import numpy as np
import pytest

import landscapes
import optimizers
from optimizers import Schedule

torch = pytest.importorskip("torch", reason="torch.optim is the reference these tests compare to")
from torch.optim import lr_scheduler  # noqa: E402

STEPS = 200

# Deliberately not the defaults, so a hyperparameter that is ignored or misplaced shows up. On
# CPUs with FMA, torch 2.13 fuses lerp_, addcmul_ and add_(alpha=...) into one rounding where
# NumPy rounds twice, so runs agree to the last few bits, not always bit for bit; the settings
# keep clear of paths where a one-ulp difference grows (NAdam with ψ = 0.05 from the six-hump
# camel's start drifts 1e-6 apart by step 50, as it does from a start moved by one ulp; Adadelta
# with lr 2, ρ 0.8, ε 1e-5 drifts 1e-8 to 1e-5 apart on Rosenbrock, Himmelblau and Beale).
HYPERPARAMS = {
    "sgd": {"lr": 2e-4},
    "momentum": {"lr": 1e-4, "momentum": 0.8},
    "nesterov": {"lr": 1e-4, "momentum": 0.85},
    "adagrad": {"lr": 0.3, "eps": 1e-6},
    "rmsprop": {"lr": 3e-3, "alpha": 0.9, "eps": 1e-6},
    "adam": {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-7},
    "adamw": {"lr": 0.02, "beta1": 0.85, "beta2": 0.995, "eps": 1e-6, "weight_decay": 0.1},
    "amsgrad": {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-7},
    "nadam": {"lr": 0.02, "beta1": 0.85, "beta2": 0.99, "eps": 1e-7, "momentum_decay": 0.1},
    # Small: RAdam's first five steps are η·m̂, which a large η throws off Rosenbrock's map.
    "radam": {"lr": 3e-3, "beta1": 0.85, "beta2": 0.99, "eps": 1e-6},
    "adamax": {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6},
    "adadelta": {"lr": 3.0, "rho": 0.95, "eps": 1e-7},
    "rprop": {
        "lr": 0.02,
        "eta_minus": 0.4,
        "eta_plus": 1.3,
        "step_size_min": 1e-4,
        "step_size_max": 0.5,
    },
}
# torch's tuple arguments, and the two hyperparameters each becomes.
TUPLE_ARGUMENTS = {
    "betas": ("beta1", "beta2"),
    "etas": ("eta_minus", "eta_plus"),
    "step_sizes": ("step_size_min", "step_size_max"),
}
# Rprop reads lr only at its first step (a warm-up's first rate); later rates change nothing.
SCHEDULED = {
    "momentum": {"lr": 2e-3, "momentum": 0.9},
    "adam": {"lr": 0.05},
    "rprop": {"lr": 0.05},
}
SURFACES = ["rosenbrock", "himmelblau", "six_hump_camel", "ill_conditioned", "beale"]
# Optimizers whose torch state cannot be shared by the starts of one (n, 2) tensor: L-BFGS's
# state is global to its optimizer (one optimizer and closure per start), Muon takes only
# matrices (each start a 1×2 parameter). Here the rounding is torch's (fused add_, bfloat16), so
# most runs agree bit for bit; torch's float64 sqrt is not always correctly rounded (1 in 80
# values is an ulp off NumPy's), which moves strong Wolfe's cubic step by an ulp now and then:
# from one start on Beale, out on its far plateau, that reaches 9e-11 relative by step 200.
MATRIX_CASES = {
    "lbfgs": ("lbfgs", {"lr": 0.4, "history_size": 3}),
    "lbfgs_strong_wolfe": (
        "lbfgs",
        {"lr": 0.7, "history_size": 10, "line_search_fn": "strong_wolfe"},
    ),
    "muon": (
        "muon",
        {
            "lr": 0.02,
            "momentum": 0.9,
            "nesterov": "False",
            "weight_decay": 0.05,
            "ns_steps": 4,
            "adjust_lr_fn": "match_rms_adamw",
        },
    ),
    "muon_defaults": ("muon", {}),
}


def _torch_optimizer(key: str, params, hp):
    if key == "sgd":
        return torch.optim.SGD(params, lr=hp.lr)
    if key in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=hp.lr, momentum=hp.momentum, nesterov=key == "nesterov")
    if key == "adagrad":
        return torch.optim.Adagrad(params, lr=hp.lr, eps=hp.eps)
    if key == "rmsprop":
        return torch.optim.RMSprop(params, lr=hp.lr, alpha=hp.alpha, eps=hp.eps)
    if key == "rprop":
        etas, step_sizes = (hp.eta_minus, hp.eta_plus), (hp.step_size_min, hp.step_size_max)
        return torch.optim.Rprop(params, lr=hp.lr, etas=etas, step_sizes=step_sizes)
    if key == "adadelta":
        return torch.optim.Adadelta(params, lr=hp.lr, rho=hp.rho, eps=hp.eps)
    betas = (hp.beta1, hp.beta2)
    if key == "nadam":
        return torch.optim.NAdam(
            params, lr=hp.lr, betas=betas, eps=hp.eps, momentum_decay=hp.momentum_decay
        )
    if key == "adamax":
        return torch.optim.Adamax(params, lr=hp.lr, betas=betas, eps=hp.eps)
    if key == "radam":
        return torch.optim.RAdam(params, lr=hp.lr, betas=betas, eps=hp.eps)
    if key == "adamw":
        return torch.optim.AdamW(
            params, lr=hp.lr, betas=betas, eps=hp.eps, weight_decay=hp.weight_decay
        )
    return torch.optim.Adam(params, lr=hp.lr, betas=betas, eps=hp.eps, amsgrad=key == "amsgrad")


def _torch_trajectory(surface, key, hyperparams, starts, steps, make_scheduler=None):
    """torch.optim moving all starts (one (n, 2) tensor; the rules act elementwise).

    The gradient is the surface's own (checked against finite differences elsewhere), so what is
    compared here is the update rule alone.
    """
    hp = optimizers.get(key).resolve(hyperparams)
    params = torch.tensor(starts, dtype=torch.float64, requires_grad=True)
    with _float64_scalars():
        optimizer = _torch_optimizer(key, [params], hp)
        scheduler = make_scheduler(optimizer) if make_scheduler else None
        path = [params.detach().numpy().copy()]
        for _ in range(steps):
            params.grad = torch.from_numpy(surface.grad(params.detach().numpy()))
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            path.append(params.detach().numpy().copy())
    return np.array(path)


@contextlib.contextmanager
def _float64_scalars():
    """torch keeps an optimizer's scalar state (the step count, NAdam's product of momenta) in
    the default dtype, float32 unless changed: NAdam's μ product would then be rounded to float32
    every step, some 1e-8 off a float64 run. In float64 means all of torch's state in float64."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        yield
    finally:
        torch.set_default_dtype(before)


def _starts(surface) -> np.ndarray:
    (xmin, xmax), (ymin, ymax) = surface.domain
    inner = [(xmin + 0.3 * (xmax - xmin), ymin + 0.6 * (ymax - ymin))]
    inner.append((xmin + 0.7 * (xmax - xmin), ymin + 0.25 * (ymax - ymin)))
    return np.array([surface.start, *inner])


def test_every_torch_optimizer_is_covered():
    with_torch = {key for key in optimizers.names() if optimizers.get(key).torch_equivalent}
    assert with_torch == set(HYPERPARAMS) | {key for key, _ in MATRIX_CASES.values()}


def _torch_lbfgs(surface, hp, start, steps):
    """torch's L-BFGS from one start, one step(closure) per step; also how many times each
    step called the closure."""
    params = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    line_search = None if hp.line_search_fn == "none" else hp.line_search_fn
    optimizer = torch.optim.LBFGS(
        [params],
        lr=hp.lr,
        max_iter=1,
        max_eval=hp.max_eval,
        history_size=hp.history_size,
        line_search_fn=line_search,
    )
    calls = []

    def closure():
        calls.append(1)
        loss, grad = surface.value_and_grad(params.detach().numpy()[None])
        params.grad = torch.from_numpy(grad[0].copy())
        return torch.tensor(loss[0])

    path, evaluations = [params.detach().numpy().copy()], []
    for _ in range(steps):
        calls.clear()
        optimizer.step(closure)
        evaluations.append(len(calls))
        path.append(params.detach().numpy().copy())
    return np.array(path), np.array(evaluations)


def _torch_muon(surface, hp, starts, steps):
    matrices = [torch.tensor(start[None], dtype=torch.float64) for start in starts]
    optimizer = torch.optim.Muon(
        matrices,
        lr=hp.lr,
        momentum=hp.momentum,
        nesterov=hp.nesterov == "True",
        weight_decay=hp.weight_decay,
        ns_steps=hp.ns_steps,
        adjust_lr_fn=hp.adjust_lr_fn,
    )
    path = [np.array(starts)]
    for _ in range(steps):
        for matrix in matrices:
            matrix.grad = torch.from_numpy(surface.grad(matrix.numpy()))
        optimizer.step()
        path.append(np.array([matrix.numpy()[0] for matrix in matrices]))
    return np.array(path)


@pytest.mark.parametrize("surface_name", SURFACES)
@pytest.mark.parametrize("case", list(MATRIX_CASES))
def test_lbfgs_and_muon_trajectories_match_torch(case, surface_name):
    key, hyperparams = MATRIX_CASES[case]
    surface = landscapes.get(surface_name)
    starts = _starts(surface)
    ours = optimizers.simulate(surface, key, hyperparams, starts, STEPS)
    assert (ours.diverged_at == -1).all()
    hp = optimizers.get(key).resolve(hyperparams)
    with _float64_scalars():
        if key == "lbfgs":
            runs = [_torch_lbfgs(surface, hp, start, STEPS) for start in starts]
            reference = np.stack([path for path, _ in runs], axis=1)
            # The starts evaluate together: a step costs what the hungriest start needed.
            calls = np.max([evaluations for _, evaluations in runs], axis=0)
            np.testing.assert_array_equal(ours.evaluations.gradient, calls)
        else:
            reference = _torch_muon(surface, hp, starts, STEPS)
    np.testing.assert_allclose(ours.points, reference, rtol=1e-10, atol=1e-12)
    assert (np.linalg.norm(ours.points[-1] - starts, axis=1) > 1e-2).all()


@pytest.mark.parametrize("surface_name", SURFACES)
def test_lbfgs_counts_evaluations_as_torch_calls_its_closure(surface_name):
    """From each start alone, every step's count is torch's number of closure calls."""
    surface = landscapes.get(surface_name)
    hyperparams = {"lr": 1.0, "line_search_fn": "strong_wolfe"}
    hp = optimizers.get("lbfgs").resolve(hyperparams)
    for start in _starts(surface):
        ours = optimizers.simulate(surface, "lbfgs", hyperparams, [start], 60)
        with _float64_scalars():
            _, calls = _torch_lbfgs(surface, hp, start, 60)
        np.testing.assert_array_equal(ours.evaluations.gradient, calls)
        assert calls.max() > 1  # the line search did search


def test_lbfgs_and_muon_defaults_are_torchs():
    lbfgs = optimizers.get("lbfgs").defaults()
    torch_lbfgs = torch.optim.LBFGS([torch.zeros(1)], max_iter=1).defaults
    for name in ("lr", "history_size"):
        assert lbfgs[name] == torch_lbfgs[name], name
    assert torch_lbfgs["line_search_fn"] is None and lbfgs["line_search_fn"] == "none"
    # The one default that differs, on purpose (its help says why): torch's is max_iter·5/4.
    assert torch_lbfgs["max_eval"] == 1 and lbfgs["max_eval"] == 25
    muon = optimizers.get("muon").defaults()
    torch_muon = torch.optim.Muon([torch.zeros(1, 2)]).defaults
    for name in ("lr", "momentum", "weight_decay", "ns_steps"):
        assert muon[name] == torch_muon[name], name
    assert torch_muon["nesterov"] is True and muon["nesterov"] == "True"
    # torch's None means "original" (torch.optim._muon._adjust_lr).
    assert torch_muon["adjust_lr_fn"] is None and muon["adjust_lr_fn"] == "original"


@pytest.mark.parametrize("surface_name", SURFACES)
@pytest.mark.parametrize("key", list(HYPERPARAMS))
def test_trajectory_matches_torch_optim(key, surface_name):
    surface = landscapes.get(surface_name)
    starts = _starts(surface)
    ours = optimizers.simulate(surface, key, HYPERPARAMS[key], starts, STEPS)
    assert (ours.diverged_at == -1).all()
    reference = _torch_trajectory(surface, key, HYPERPARAMS[key], starts, STEPS)
    np.testing.assert_allclose(ours.points, reference, rtol=1e-10, atol=1e-12)
    # The comparison is not vacuous: every run moved well away from where it started.
    assert (np.linalg.norm(ours.points[-1] - starts, axis=1) > 1e-2).all()


@pytest.mark.parametrize(
    "schedule, make_scheduler",
    [
        (
            Schedule("cosine", t_max=80, eta_min=1e-3, warmup_steps=20),
            lambda opt: lr_scheduler.ChainedScheduler(
                [
                    lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=20),
                    lr_scheduler.CosineAnnealingLR(opt, T_max=80, eta_min=1e-3),
                ]
            ),
        ),
        (
            Schedule("step", gamma=0.5, step_size=30),
            lambda opt: lr_scheduler.StepLR(opt, step_size=30, gamma=0.5),
        ),
    ],
)
@pytest.mark.parametrize("key", list(SCHEDULED))
def test_scheduled_trajectory_matches_torch(key, schedule, make_scheduler):
    surface = landscapes.get("himmelblau")
    starts = _starts(surface)
    hyperparams = SCHEDULED[key]
    ours = optimizers.simulate(surface, key, hyperparams, starts, STEPS, schedule=schedule)
    reference = _torch_trajectory(surface, key, hyperparams, starts, STEPS, make_scheduler)
    np.testing.assert_allclose(ours.points, reference, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("key", list(HYPERPARAMS))
def test_defaults_are_torch_defaults(key):
    spec = optimizers.get(key)
    torch_class = type(_torch_optimizer(key, [torch.zeros(1)], spec.resolve(None)))
    torch_defaults = dict(torch_class([torch.zeros(1)]).defaults)
    # A tuple argument is two hyperparameters here.
    for argument, names in TUPLE_ARGUMENTS.items():
        torch_defaults.update(zip(names, torch_defaults.pop(argument, ()), strict=False))
    for name, value in spec.defaults().items():
        # torch's SGD has momentum 0; our momentum optimizers exist to show a non-zero one.
        if name != "momentum":
            assert value == torch_defaults[name], name


def test_lbfgs_points_that_stall_stay_as_torchs_do():
    """From these Himmelblau starts plain L-BFGS stops within a few steps short of tolerance_grad
    (no descent direction left): its state keeps counting without recomputing, and the runs and
    evaluation counts still agree with torch's."""
    surface = landscapes.get("himmelblau")
    starts = np.array([(-5.0, -5.0), (-4.74358974, -5.0), (-4.48717949, -5.0)])
    ours = optimizers.simulate(surface, "lbfgs", {"lr": 1.0}, starts, 100)
    hp = optimizers.get("lbfgs").resolve({"lr": 1.0})
    with _float64_scalars():
        reference = np.stack([_torch_lbfgs(surface, hp, start, 100)[0] for start in starts], axis=1)
    np.testing.assert_array_equal(ours.points, reference)
    stalled = (ours.points[-10:] == ours.points[-1]).all()
    assert stalled and (np.abs(surface.grad(ours.points[-1])).max(axis=1) > 1e-7).all()
