"""The network model: data sets, and loss and backpropagation against torch autograd (float64) and
finite differences, for every option."""

import itertools

import numpy as np
import pytest
import torch

import optimizers
from landscapes import network
from landscapes.data import MiniBatches

OPTIONS = list(
    itertools.product(
        network.DATASETS, network.ACTIVATIONS, network.LOSSES, (False, True), (0.0, 0.01)
    )
)
HIDDEN = ((5,), (6, 4), (4, 7, 5))


def _problem(
    dataset="moons", hidden=(6, 4), activation="tanh", loss="cross_entropy", bn=False, l2=0.0
):
    return network.network_problem(dataset, hidden, activation, loss, bn, l2, 3, samples=200)


def _random_params(problem, count=3, seed=0):
    """The initial weights and random perturbations of them (γ moves away from 1 too)."""
    rng = np.random.default_rng(seed)
    start = problem.initial_params(seed)
    return start + 0.5 * rng.standard_normal((count, problem.dim))


def _torch_loss(problem: network.NetworkProblem, params: np.ndarray, indices=None):
    """Loss and gradient of each row, by torch.nn functions with the same weights and autograd."""
    losses, grads = [], []
    for row in params:
        theta = torch.tensor(row, requires_grad=True)
        loss = _torch_graph_loss(problem, theta, indices)
        loss.backward()
        losses.append(loss.item())
        grads.append(theta.grad.numpy().copy())
    return np.array(losses), np.array(grads)


@pytest.mark.parametrize(("dataset", "activation", "loss", "bn", "l2"), OPTIONS)
def test_loss_and_gradient_match_torch_autograd(dataset, activation, loss, bn, l2):
    for hidden in HIDDEN:
        problem = _problem(dataset, hidden, activation, loss, bn, l2)
        params = _random_params(problem)
        expected_loss, expected_grad = _torch_loss(problem, params)
        value, grad = problem.value_and_grad(params)
        np.testing.assert_allclose(value, expected_loss, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(grad, expected_grad, rtol=1e-10, atol=1e-12)
        np.testing.assert_array_equal(problem.loss(params), value)
        np.testing.assert_array_equal(problem.grad(params), grad)


@pytest.mark.parametrize("bn", [False, True])
def test_mini_batch_gradients_match_torch_on_that_batch(bn):
    problem = _problem(bn=bn, activation="relu", l2=0.003)
    params = _random_params(problem, 2)
    batches = MiniBatches(problem.data.samples, 16, seed=4)
    source = problem.minibatch_source(batches)
    for step in (1, 2, 13, 14):  # 13 batches an epoch: step 13 is the short last one (8 points)
        indices = batches.indices(step)
        _, expected = _torch_loss(problem, params, indices)
        np.testing.assert_allclose(
            source(params, step, np.random.default_rng()), expected, rtol=1e-10, atol=1e-12
        )


@pytest.mark.parametrize(
    ("activation", "loss", "bn"),
    itertools.product(network.ACTIVATIONS, network.LOSSES, (False, True)),
)
def test_gradient_matches_central_differences(activation, loss, bn):
    problem = _problem("spiral", (5, 4), activation, loss, bn, 0.02)
    (params,) = _random_params(problem, 1, seed=2)
    h = 1e-6
    shifted = params + h * np.eye(problem.dim)
    back = params - h * np.eye(problem.dim)
    numeric = (problem.loss(shifted) - problem.loss(back)) / (2 * h)
    # ReLU's kinks: a difference straddling one is off; none does at these random weights.
    np.testing.assert_allclose(problem.grad(params[None])[0], numeric, rtol=1e-5, atol=1e-8)


def test_a_thousand_rows_give_what_each_row_gives_alone():
    problem = _problem(bn=True, hidden=(8, 8))
    params = _random_params(problem, 1000)
    value, grad = problem.value_and_grad(params)
    for row in (0, 517, 999):
        one_value, one_grad = problem.value_and_grad(params[row : row + 1])
        np.testing.assert_allclose(value[row], one_value[0], rtol=1e-13)
        np.testing.assert_allclose(grad[row], one_grad[0], rtol=1e-12, atol=1e-15)


def test_initial_weights_follow_torch_linear_and_batch_norm():
    problem = _problem(bn=True, hidden=(16, 8))
    params = problem.initial_params(7)
    np.testing.assert_array_equal(params, problem.initial_params(7))
    assert not np.array_equal(params, problem.initial_params(8))
    first, second, output = problem.layers
    assert np.abs(params[first.weight]).max() <= 1 / np.sqrt(2)
    assert np.abs(params[second.weight]).max() <= 1 / np.sqrt(16)
    assert first.bias is None  # batch norm's shift β takes the bias's place
    assert output.bias is not None and output.scale is None  # no batch norm on the logit
    np.testing.assert_array_equal(params[first.scale], 1.0)
    np.testing.assert_array_equal(params[first.shift], 0.0)
    assert problem.dim == 2 * 16 + 2 * 16 + 16 * 8 + 2 * 8 + 8 + 1


def test_hessian_vector_products_match_torch():
    problem = _problem(bn=True, loss="mse", l2=0.01)
    (params,) = _random_params(problem, 1)
    vector = np.random.default_rng(5).standard_normal(problem.dim)

    def loss_of(theta):
        # The torch loss as a function for torch.autograd.functional.hessian.
        return _torch_graph_loss(problem, theta)

    hessian = torch.autograd.functional.hessian(loss_of, torch.tensor(params)).numpy()
    product = problem.hessian_vector_product(params[None], vector[None])[0]
    np.testing.assert_allclose(
        product, hessian @ vector, rtol=1e-5, atol=1e-6 * np.abs(hessian @ vector).max()
    )


def _torch_graph_loss(problem, theta, indices=None):
    """The loss at the weights theta, as a torch graph of torch.nn functions on the same data."""
    inputs, labels = problem.data.inputs, problem.data.labels
    if indices is not None:
        inputs, labels = inputs[indices], labels[indices]
    h, weights = torch.tensor(inputs), []
    for layer in problem.layers:
        # Our weight is (fan_in, width), row-major; torch's Linear weight is (width, fan_in).
        weight = theta[layer.weight].reshape(layer.fan_in, layer.width).T
        weights.append(weight)
        h = torch.nn.functional.linear(h, weight, None if layer.bias is None else theta[layer.bias])
        if layer is problem.layers[-1]:
            break
        if problem.batch_norm:
            h = torch.nn.functional.batch_norm(
                h,
                None,
                None,
                theta[layer.scale],
                theta[layer.shift],
                training=True,
                eps=network.BATCH_NORM_EPS,
            )
        h = torch.tanh(h) if problem.activation == "tanh" else torch.relu(h)
    logits, labels = h[:, 0], torch.tensor(labels)
    if problem.loss_kind == "cross_entropy":
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels)
    else:
        loss = torch.nn.functional.mse_loss(torch.sigmoid(logits), labels)
    return loss + 0.5 * problem.l2 * sum((w**2).sum() for w in weights)


@pytest.mark.parametrize("name", list(network.DATASETS))
def test_data_sets_are_seeded_balanced_and_in_the_box(name):
    data = network.make_dataset(name, 300, seed=1)
    again = network.make_dataset(name, 300, seed=1)
    np.testing.assert_array_equal(data.inputs, again.inputs)
    assert not np.array_equal(data.inputs, network.make_dataset(name, 300, seed=2).inputs)
    assert data.inputs.shape == (300, 2) and data.labels.sum() == 150
    assert np.abs(data.inputs).max() <= network.INPUT_BOX[0][1]


def test_label_noise_flips_that_share_of_labels():
    clean = network.make_dataset("moons", 400, 0.0, seed=3)
    noisy = network.make_dataset("moons", 400, 0.1, seed=3)
    np.testing.assert_array_equal(clean.inputs, noisy.inputs)
    assert (clean.labels != noisy.labels).sum() == 40


@pytest.mark.parametrize(
    ("hidden", "words"),
    [
        ((), "1 to 3 hidden layers"),
        ((8, 0), "no units"),
        ((64,), "4 to 32 units"),
        ((4, 4, 4, 4), "1 to 3 hidden layers"),
        (("a",), "whole numbers"),
    ],
)
def test_settings_that_make_no_network_are_explained(hidden, words):
    with pytest.raises(network.NetworkError, match=words):
        network.network_problem("moons", hidden, "tanh", "mse", False, 0.0, 0)


def test_the_registry_trains_the_network_and_accuracy_rises():
    problem = network.network_problem("moons", (16, 16), "tanh", "cross_entropy", False, 0.0, 0)
    batches = MiniBatches(problem.data.samples, 32, seed=0)
    run = optimizers.simulate(
        problem,
        "adam",
        {"lr": 0.02},
        [problem.initial_params(0)],
        300,
        gradient_source=problem.minibatch_source(batches),
    )
    assert run.points.shape == (301, 1, problem.dim)
    np.testing.assert_allclose(run.losses[:, 0], problem.loss(run.points[:, 0]))
    accuracy = problem.accuracy(run.points[[0, -1], 0])
    assert run.losses[-1, 0] < 0.5 * run.losses[0, 0]
    assert accuracy[1] > 0.95 > accuracy[0]


def test_probabilities_on_the_training_points_give_the_accuracy():
    problem = _problem(bn=True)
    params = _random_params(problem, 4)
    p = problem.probabilities(params, problem.data.inputs)
    np.testing.assert_allclose(
        ((p > 0.5) == (problem.data.labels > 0.5)).mean(axis=1), problem.accuracy(params)
    )
