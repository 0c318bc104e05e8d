import numpy as np
import pytest
import torch

import optimizers
from landscapes import data

PROBLEMS = [(model, scaled) for model in data.MODELS for scaled in (False, True)]


def _random_params(problem: data.DataProblem, count: int = 7) -> np.ndarray:
    (xmin, xmax), (ymin, ymax) = problem.surface.domain
    rng = np.random.default_rng(1)
    return np.column_stack([rng.uniform(xmin, xmax, count), rng.uniform(ymin, ymax, count)])


def _torch_loss(problem: data.DataProblem, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Loss and gradient per (w, b) row, as torch computes them for the same model and data."""
    losses, grads = [], []
    features = torch.tensor(problem.features)
    targets = torch.tensor(problem.targets)
    for w, b in params:
        theta = torch.tensor([w, b], requires_grad=True)
        z = theta[0] * features + theta[1]
        if problem.model == "linear_regression":
            loss = torch.nn.functional.mse_loss(z, targets)
        elif problem.model == "logistic_regression_mse":
            loss = torch.nn.functional.mse_loss(torch.sigmoid(z), targets)
        else:
            loss = torch.nn.functional.binary_cross_entropy_with_logits(z, targets)
        loss.backward()
        losses.append(loss.item())
        grads.append(theta.grad.numpy())
    return np.array(losses), np.array(grads)


@pytest.mark.parametrize(("model", "scaled"), PROBLEMS)
def test_full_batch_loss_and_gradients_match_torch(model, scaled):
    problem = data.get(model, scaled)
    params = _random_params(problem)
    torch_loss, torch_grad = _torch_loss(problem, params)
    loss, grad = problem.surface.value_and_grad(params)
    np.testing.assert_allclose(loss, torch_loss, rtol=1e-10)
    np.testing.assert_allclose(grad, torch_grad, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(problem.gradient(params), torch_grad, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(("model", "scaled"), PROBLEMS)
def test_the_known_minimum_is_the_best_fit(model, scaled):
    problem = data.get(model, scaled)
    (best,) = problem.surface.minima
    assert np.abs(problem.surface.grad(np.array([best]))).max() < 1e-9
    assert np.all(np.linalg.eigvalsh(problem.surface.hessian(np.array([best]))) > 0)
    if model == "linear_regression":
        np.testing.assert_allclose(best, np.polyfit(problem.features, problem.targets, 1))


@pytest.mark.parametrize("model", ["logistic_regression", "logistic_regression_mse"])
def test_hessian_of_a_classifier_loss_matches_finite_differences(model):
    problem = data.get(model, False)
    params = _random_params(problem, 3)
    step = 1e-6
    for column in range(2):
        shift = np.zeros(2)
        shift[column] = step
        numeric = (problem.surface.grad(params + shift) - problem.surface.grad(params - shift)) / (
            2 * step
        )
        np.testing.assert_allclose(
            problem.surface.hessian(params)[:, column], numeric, rtol=1e-5, atol=1e-8
        )


def _map_grid(surface, count: int = 40) -> np.ndarray:
    (xmin, xmax), (ymin, ymax) = surface.domain
    gx, gy = np.meshgrid(np.linspace(xmin, xmax, count), np.linspace(ymin, ymax, count))
    return np.column_stack([gx.ravel(), gy.ravel()])


@pytest.mark.parametrize("scaled", [False, True])
def test_squared_error_on_a_classifier_makes_plateaus_where_the_log_loss_keeps_a_slope(scaled):
    log_loss = data.get("logistic_regression", scaled).surface
    squared = data.get("logistic_regression_mse", scaled).surface
    # The log loss is convex everywhere on the map; the squared error of σ(z) is not.
    assert np.linalg.eigvalsh(log_loss.hessian(_map_grid(log_loss))).min() > 0
    assert np.linalg.eigvalsh(squared.hessian(_map_grid(squared)))[:, 0].min() < 0

    # From the same start (a confidently wrong line), the squared error barely slopes.
    def slope(surface):
        return np.linalg.norm(surface.grad(np.array([surface.start])))

    assert slope(squared) < slope(log_loss) / 10


def test_standardising_the_feature_makes_the_bowl_round():
    raw = data.get("linear_regression", False).surface
    scaled = data.get("linear_regression", True).surface
    # MSE Hessian is 2·[[mean f², mean f], [mean f, 1]]: the identity times 2 once f is standardised.
    np.testing.assert_allclose(scaled.hessian(np.zeros((1, 2)))[0], 2 * np.eye(2), atol=1e-12)
    raw_eigenvalues = np.linalg.eigvalsh(raw.hessian(np.zeros((1, 2)))[0])
    assert raw_eigenvalues.max() / raw_eigenvalues.min() > 1000


@pytest.mark.parametrize("model", data.MODELS)
def test_raw_and_scaled_versions_start_from_the_same_model(model):
    raw, scaled = data.get(model, False), data.get(model, True)
    np.testing.assert_allclose(
        raw.predict(raw.surface.start, raw.features),
        scaled.predict(scaled.surface.start, scaled.features),
    )
    for problem in (raw, scaled):
        (xmin, xmax), (ymin, ymax) = problem.surface.domain
        for px, py in (problem.surface.start, *problem.surface.minima):
            assert xmin < px < xmax and ymin < py < ymax


def test_batch_size_one_visits_every_sample_once_per_epoch():
    batches = data.MiniBatches(samples=data.SAMPLES, batch_size=1, seed=3)
    assert batches.steps_per_epoch == data.SAMPLES
    orders = []
    for epoch in range(3):
        steps = range(epoch * data.SAMPLES + 1, (epoch + 1) * data.SAMPLES + 1)
        assert {batches.epoch(step) for step in steps} == {epoch}
        seen = np.concatenate([batches.indices(step) for step in steps])
        assert sorted(seen) == list(range(data.SAMPLES))
        orders.append(seen)
    assert not np.array_equal(orders[0], orders[1])  # reshuffled each epoch


def test_the_last_batch_of_an_epoch_holds_the_remainder():
    batches = data.MiniBatches(samples=200, batch_size=64)
    sizes = [len(batches.indices(step)) for step in range(1, 5)]
    assert sizes == [64, 64, 64, 8]
    assert batches.epoch(4) == 0 and batches.epoch(5) == 1
    every = np.concatenate([batches.indices(step) for step in range(1, 5)])
    assert sorted(every) == list(range(200))


def test_batch_size_out_of_range_is_refused():
    with pytest.raises(ValueError, match="between 1 and 200"):
        data.MiniBatches(samples=200, batch_size=0)
    with pytest.raises(ValueError, match="between 1 and 200"):
        data.MiniBatches(samples=200, batch_size=201)


@pytest.mark.parametrize(
    ("model", "scaled"), [("linear_regression", True), ("logistic_regression", False)]
)
def test_batch_size_n_is_full_batch_gradient_descent(model, scaled):
    problem = data.get(model, scaled)
    lr = {"linear_regression": 0.1, "logistic_regression": 1e-3}[model]
    start = [problem.surface.start]
    full = optimizers.simulate(problem.surface, "sgd", {"lr": lr}, start, steps=100)
    batches = data.MiniBatches(problem.samples, problem.samples)
    minibatch = optimizers.simulate(
        problem.surface,
        "sgd",
        {"lr": lr},
        start,
        steps=100,
        gradient_source=problem.minibatch_source(batches),
    )
    np.testing.assert_allclose(minibatch.points, full.points, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(minibatch.losses, full.losses, rtol=1e-12)


def test_small_batches_follow_the_sampled_gradient_and_record_the_full_loss():
    problem = data.get("linear_regression", True)
    batches = data.MiniBatches(problem.samples, 10, seed=5)
    run = optimizers.simulate(
        problem.surface,
        "sgd",
        {"lr": 0.05},
        [problem.surface.start],
        steps=3,
        gradient_source=problem.minibatch_source(batches),
    )
    point = np.array([problem.surface.start])
    for step in range(1, 4):
        point = point - 0.05 * problem.gradient(point, batches.indices(step))
        np.testing.assert_allclose(run.points[step], point, rtol=1e-13)
    np.testing.assert_allclose(run.losses[3], problem.surface.f(point), rtol=1e-13)
    # Sampling noise: a mini-batch step is not the full-batch step.
    full_step = problem.surface.start - 0.05 * problem.surface.grad(
        np.array([problem.surface.start])
    )
    assert np.abs(run.points[1] - full_step).max() > 1e-3


def test_linear_scaling_rule():
    assert data.linear_scaled_lr(0.01, batch_size=64, base_batch_size=16) == pytest.approx(0.04)
    assert data.linear_scaled_lr(0.01, batch_size=16, base_batch_size=16) == 0.01


def test_unknown_model_is_refused():
    with pytest.raises(KeyError, match="known: linear_regression"):
        data.get("svm", True)
