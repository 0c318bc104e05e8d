"""Planes through a network's parameter space, slices of its loss, sharpness, and the sampled
surface that draws a slice."""

import numpy as np
import pytest
import torch
from test_network import _torch_graph_loss

from analysis import slices
from landscapes import network
from landscapes.sampled import SampledSurface


def _problem(bn=False, loss="cross_entropy", hidden=(6, 5)):
    return network.network_problem("circles", hidden, "tanh", loss, bn, 0.01, 1, samples=200)


def test_filter_normalised_directions_match_each_neurons_norm():
    problem = _problem(bn=True)
    around = problem.initial_params(0) * 3.0
    direction = slices.filter_normalised_direction(problem, around, np.random.default_rng(2))
    for layer in problem.layers:
        shape = (layer.fan_in, layer.width)
        np.testing.assert_allclose(
            np.linalg.norm(direction[layer.weight].reshape(shape), axis=0),
            np.linalg.norm(around[layer.weight].reshape(shape), axis=0),
        )
        for zero in (layer.bias, layer.scale, layer.shift):
            if zero is not None:
                np.testing.assert_array_equal(direction[zero], 0.0)


def test_random_plane_projects_its_own_points_back():
    problem = _problem()
    plane = slices.random_plane(problem, problem.initial_params(0), seed=3)
    coordinates = np.array([[0.3, -0.7], [1.5, 2.0]])
    np.testing.assert_allclose(plane.coordinates(plane.at(coordinates)), coordinates, atol=1e-12)
    np.testing.assert_allclose(plane.distance(plane.at(coordinates)), 0.0, atol=1e-12)


def test_pca_plane_of_paths_in_a_plane_explains_everything():
    rng = np.random.default_rng(0)
    basis = np.linalg.qr(rng.standard_normal((50, 2)))[0].T  # two orthonormal directions
    centre = rng.standard_normal(50)
    paths = [centre + rng.standard_normal((30, 2)) * [3.0, 1.0] @ basis for _ in range(3)]
    plane = slices.pca_plane(paths)
    assert plane.explained[0] > plane.explained[1] > 0
    np.testing.assert_allclose(sum(plane.explained), 1.0)
    for path in paths:
        np.testing.assert_allclose(plane.distance(path), 0.0, atol=1e-10)
    # A point moved off the plane by a known amount is that far away.
    normal = np.linalg.qr(np.column_stack([basis.T, rng.standard_normal(50)]))[0][:, 2]
    np.testing.assert_allclose(plane.distance(paths[0][:1] + 0.25 * normal), 0.25)
    # The first path starts at negative coordinates on both axes (a fixed sign convention).
    assert (plane.coordinates(paths[0][:1]) <= 0).all()


def test_pca_explained_variance_counts_what_the_plane_misses():
    rng = np.random.default_rng(1)
    path = rng.standard_normal((200, 3)) * [4.0, 2.0, 1.0]
    plane = slices.pca_plane([path])
    centred = path - path.mean(axis=0)
    np.testing.assert_allclose(
        1 - sum(plane.explained), (plane.distance(path) ** 2).sum() / (centred**2).sum()
    )


def test_loss_slice_is_the_network_loss_on_the_plane():
    problem = _problem(bn=True)
    plane = slices.random_plane(problem, problem.initial_params(1), seed=0)
    cut = slices.loss_slice(problem, plane, ((-1, 1), (-0.5, 0.5)), 11)
    assert cut.loss.shape == cut.grad_norm.shape == (11, 11)
    loss, grad = problem.value_and_grad(plane.at([[cut.xs[3], cut.ys[7]]]))
    np.testing.assert_allclose(cut.loss[7, 3], loss[0], rtol=1e-12)
    np.testing.assert_allclose(cut.grad_norm[7, 3], np.linalg.norm(grad), rtol=1e-12)
    np.testing.assert_allclose(cut.loss[5, 5], problem.loss(plane.origin[None])[0], rtol=1e-12)
    assert cut.roughness == pytest.approx(cut.grad_norm.mean())


def test_in_plane_gradient_is_the_slices_own_slope():
    problem = _problem()
    plane = slices.random_plane(problem, problem.initial_params(2), seed=1)
    at = np.array([[0.2, -0.1]])
    h = 1e-6
    numeric = [
        (problem.loss(plane.at(at + h * e)) - problem.loss(plane.at(at - h * e)))[0] / (2 * h)
        for e in np.eye(2)
    ]
    np.testing.assert_allclose(plane.in_plane(problem.grad(plane.at(at)))[0], numeric, rtol=1e-6)


@pytest.mark.parametrize(("bn", "loss"), [(False, "cross_entropy"), (True, "mse")])
def test_sharpness_is_the_largest_hessian_eigenvalue_torch_finds(bn, loss):
    problem = _problem(bn=bn, loss=loss, hidden=(5, 4))
    rng = np.random.default_rng(4)
    params = problem.initial_params(0) + 0.3 * rng.standard_normal((2, problem.dim))
    expected = []
    for row in params:
        hessian = torch.autograd.functional.hessian(
            lambda theta: _torch_graph_loss(problem, theta), torch.tensor(row)
        ).numpy()
        eigenvalues = np.linalg.eigvalsh(hessian)
        expected.append(eigenvalues[np.argmax(np.abs(eigenvalues))])
    np.testing.assert_allclose(slices.sharpness(problem, params), expected, rtol=1e-5)


def test_slice_box_holds_every_path_and_the_random_extent():
    problem = _problem()
    plane = slices.random_plane(problem, problem.initial_params(0), seed=0)
    box = slices.slice_box(plane, [np.array([[0.0, 3.0], [0.5, 2.0]])])
    (xmin, xmax), (ymin, ymax) = box
    assert xmin < -1 and xmax > 1 and ymin < -1 and ymax > 3


def test_sampled_surface_interpolates_a_plane_exactly():
    xs, ys = np.linspace(-1, 2, 7), np.linspace(0, 1, 7)
    gx, gy = np.meshgrid(xs, ys)
    surface = SampledSurface("plane", "plane", xs, ys, 2 * gx - 3 * gy + 1)
    points = np.array([[0.13, 0.77], [-1.0, 0.0], [2.0, 1.0]])
    value, grad = surface.value_and_grad(points)
    np.testing.assert_allclose(value, 2 * points[:, 0] - 3 * points[:, 1] + 1)
    np.testing.assert_allclose(grad, [[2, -3]] * 3)
    assert np.isnan(surface.f(np.array([[2.5, 0.5], [0.0, -0.1]]))).all()
    assert surface.domain == ((-1.0, 2.0), (0.0, 1.0))
    assert surface.best_known_value is None
    np.testing.assert_allclose(surface.grid(7)[2], surface.values)
