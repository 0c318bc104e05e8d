"""The built-in surfaces. Minima were refined with sympy.nsolve to 30 digits and rounded."""

from __future__ import annotations

import itertools

import sympy as sp

from landscapes.surface import Surface, x, y
from texts import translatable

# Local minima of t**2 - 10*cos(2*pi*t) near t = 0, ±1, ±2: Rastrigin's minima are their products.
_RASTRIGIN_1D_MINIMA = (
    0.0,
    0.9949586376523348,
    -0.9949586376523348,
    1.9899122337085495,
    -1.9899122337085495,
)

_DEFINITIONS: dict[str, dict] = {
    "bowl": dict(
        title=translatable("Round bowl"),
        expr=x**2 + y**2,
        domain=((-2.0, 2.0), (-2.0, 2.0)),
        minima=((0.0, 0.0),),
        start=(-1.6, 1.2),
        lesson=translatable(
            "The easiest possible surface: the same curvature in every direction, so the gradient "
            "points straight at the minimum. Gradient descent converges for any learning rate below "
            "2/L = 1 and overshoots to the other side above 0.5. Try lr = 0.5 (one step), 0.9 "
            "(oscillates but converges) and 1.01 (diverges)."
        ),
    ),
    "ill_conditioned": dict(
        title=translatable("Ill-conditioned bowl"),
        expr=x**2 / 2 + 15 * y**2,
        domain=((-3.0, 3.0), (-1.5, 1.5)),
        minima=((0.0, 0.0),),
        start=(-2.5, 1.0),
        lesson=translatable(
            "Curvature 30 across the valley and 1 along it (condition number 30). The gradient "
            "points mostly across the valley, so plain gradient descent zig-zags from wall to wall "
            "while creeping along the floor; the stable learning rate is capped by the steep "
            "direction (2/30 ≈ 0.067). Raise GD's lr towards 0.06 and watch the zig-zag, then switch "
            "on momentum or Adam and see the oscillations cancel."
        ),
    ),
    "rosenbrock": dict(
        title=translatable("Rosenbrock valley"),
        expr=(1 - x) ** 2 + 100 * (y - x**2) ** 2,
        domain=((-2.0, 2.0), (-1.0, 3.0)),
        minima=((1.0, 1.0),),
        start=(-1.2, 1.0),
        lesson=translatable(
            "A curved, narrow, nearly flat valley: finding the valley is easy, following it to the "
            "minimum at (1, 1) is slow. GD needs a tiny lr to stay stable across the steep walls and "
            "then crawls along the floor; momentum and Adam travel the valley much faster; Newton "
            "uses the curvature and gets there in a handful of steps."
        ),
    ),
    "saddle": dict(
        title=translatable("Saddle"),
        expr=x**2 - y**2,
        domain=((-2.0, 2.0), (-2.0, 2.0)),
        minima=(),
        start=(-1.8, 0.01),
        lesson=translatable(
            "A minimum along x and a maximum along y meet at (0, 0), where the gradient vanishes. "
            "Started almost on the x-axis, GD slides towards the saddle and lingers there, because "
            "the tiny y-component of the gradient grows only slowly. Noise or momentum leave sooner. "
            "Newton's method is attracted to the saddle itself: it solves for a zero gradient, not a "
            "minimum. The surface has no minimum at all, so every escaping run eventually leaves the "
            "map and is reported as diverged."
        ),
    ),
    "monkey_saddle": dict(
        title=translatable("Monkey saddle"),
        expr=x**3 - 3 * x * y**2,
        domain=((-1.5, 1.5), (-1.5, 1.5)),
        minima=(),
        start=(0.6, 0.3),
        lesson=translatable(
            "Three valleys (room for a monkey's tail) meet at a flat point where the gradient and "
            "the whole Hessian vanish. Near the centre every first- and second-order method moves "
            "very slowly; there is no minimum, so all runs eventually slide down a valley and leave."
        ),
    ),
    "himmelblau": dict(
        title=translatable("Himmelblau (four minima)"),
        expr=(x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
        domain=((-5.0, 5.0), (-5.0, 5.0)),
        minima=(
            (3.0, 2.0),
            (-2.805118086952745, 3.131312518250573),
            (-3.779310253377747, -3.2831859912861696),
            (3.5844283403304917, -1.8481265269644036),
        ),
        start=(-0.5, -0.5),
        lesson=translatable(
            "Four equally deep minima. Which one you reach depends on where you start and on the "
            "optimizer: move the start point a little, or switch GD for momentum, and watch the run "
            "end in a different basin."
        ),
    ),
    "six_hump_camel": dict(
        title=translatable("Six-hump camel"),
        expr=(4 - sp.Rational(21, 10) * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2,
        domain=((-2.0, 2.0), (-1.2, 1.2)),
        minima=(
            (0.08984201310031806, -0.7126564030207396),
            (-0.08984201310031806, 0.7126564030207396),
            (1.703606714969981, -0.7960835686726251),
            (-1.703606714969981, 0.7960835686726251),
            (1.6071047529201972, 0.5686514548841314),
            (-1.6071047529201972, -0.5686514548841314),
        ),
        start=(-1.5, -1.0),
        lesson=translatable(
            "Two global minima (f ≈ −1.0316) and four worse local ones. Plain GD stops in whichever "
            "basin it starts in; momentum can roll over a low ridge into a deeper basin, or out of a "
            "good one. Local minima are where the gradient is zero but the loss is not the lowest."
        ),
    ),
    "rastrigin": dict(
        title=translatable("Rastrigin (many minima)"),
        expr=20 + x**2 - 10 * sp.cos(2 * sp.pi * x) + y**2 - 10 * sp.cos(2 * sp.pi * y),
        domain=((-2.5, 2.5), (-2.5, 2.5)),
        minima=tuple(itertools.product(_RASTRIGIN_1D_MINIMA, repeat=2)),
        start=(-2.2, 2.3),
        lesson=translatable(
            "A bowl covered in ripples: a local minimum near every integer point. Gradient descent "
            "falls into the nearest dimple and stays. Batch noise shakes the point out of shallow "
            "dimples; too much noise and it never settles anywhere."
        ),
    ),
    "beale": dict(
        title=translatable("Beale"),
        expr=(sp.Rational(3, 2) - x + x * y) ** 2
        + (sp.Rational(9, 4) - x + x * y**2) ** 2
        + (sp.Rational(21, 8) - x + x * y**3) ** 2,
        domain=((-4.5, 4.5), (-4.5, 4.5)),
        minima=((3.0, 0.5),),
        start=(1.0, 1.5),
        lesson=translatable(
            "Flat plateaus next to cliffs where the loss grows like y⁶: gradients differ by many "
            "orders of magnitude across the map. A learning rate that moves at all on the plateau "
            "blows up near the cliffs; Adam and RMSprop, which normalise the step size, cope best."
        ),
    ),
    "double_well": dict(
        title=translatable("Double well"),
        expr=(x**2 - 1) ** 2 + y**2 / 2,
        domain=((-2.0, 2.0), (-1.5, 1.5)),
        minima=((-1.0, 0.0), (1.0, 0.0)),
        start=(-0.2, 1.2),
        lesson=translatable(
            "Two equal minima at x = ±1 separated by a ridge along x = 0, and the map is a mirror "
            "image of itself. Which well a run ends in is decided by the side it starts on, unless "
            "momentum or a large step carries it over the ridge."
        ),
    ),
}


def build(name: str) -> Surface:
    return Surface(name=name, **_DEFINITIONS[name])


def catalogue_names() -> list[str]:
    return list(_DEFINITIONS)
