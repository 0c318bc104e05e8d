"""The built-in optimizers, each exactly as torch.optim documents and implements it (single-tensor
path), registered like any other optimizer.

Every rule is a pair of pure functions over arrays of shape (n, d): n points of d parameters move
at once.
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from optimizers.line_search import backtracking
from optimizers.registry import register
from optimizers.spec import Choice, Family, Flag, Hyper, OptimizerSpec, StepInput
from texts import translatable


def lr_hyper(default: float, low: float = 1e-4, high: float = 10.0) -> Hyper:
    return Hyper(
        "lr",
        default,
        low,
        high,
        r"\eta",
        translatable("learning rate η"),
        translatable("Step size. Too small crawls, too large overshoots and diverges."),
        log=True,
    )


MOMENTUM = Hyper(
    "momentum",
    0.9,
    0.0,
    0.99,
    r"\mu",
    translatable("momentum μ"),
    translatable("How much of the previous direction is kept each step (torch's SGD momentum)."),
    digits=4,
)
BETA1 = Hyper(
    "beta1",
    0.9,
    0.0,
    0.999,
    r"\beta_1",
    translatable("β₁ (first moment)"),
    translatable("Decay of the running mean of gradients: the momentum part."),
    digits=4,
)
BETA2 = Hyper(
    "beta2",
    0.999,
    0.9,
    0.9999,
    r"\beta_2",
    translatable("β₂ (second moment)"),
    translatable("Decay of the running mean of squared gradients: the per-coordinate scale."),
    digits=5,
)
ALPHA = Hyper(
    "alpha",
    0.99,
    0.5,
    0.9999,
    r"\alpha",
    translatable("α (smoothing)"),
    translatable("Decay of RMSprop's running mean of squared gradients (torch's alpha)."),
    digits=5,
)


def _eps(default: float) -> Hyper:
    return Hyper(
        "eps",
        default,
        1e-12,
        1e-1,
        r"\epsilon",
        "ε",
        translatable(
            "Added to the denominator so a zero gradient history does not divide by zero."
        ),
        log=True,
    )


RHO = Hyper(
    "rho",
    0.9,
    0.5,
    0.9999,
    r"\rho",
    translatable("ρ (decay)"),
    translatable(
        "Decay of Adadelta's two running means, of squared gradients and of squared steps."
    ),
    digits=5,
)
ADADELTA_EPS = Hyper(
    "eps",
    1e-6,
    1e-12,
    1e-1,
    r"\epsilon",
    "ε",
    translatable(
        "Added inside both roots. With no steps taken yet √ε is the numerator, so ε also sets how "
        "large the first steps are: about η·√(ε/(1−ρ)) per coordinate."
    ),
    log=True,
)
RPROP_LR = Hyper(
    "lr",
    1e-2,
    1e-4,
    10.0,
    r"\Delta_0",
    translatable("initial step size Δ₀ (lr)"),
    translatable(
        "How far every coordinate moves at the first step. torch's Rprop reads lr only then: later "
        "step sizes grow and shrink by themselves, so a schedule changes nothing after step 1."
    ),
    log=True,
)
ETA_MINUS = Hyper(
    "eta_minus",
    0.5,
    0.1,
    0.9,
    r"\eta_-",
    translatable("η₋ (shrink)"),
    translatable(
        "A coordinate's step size is multiplied by this when its slope changes sign (it overshot)."
    ),
)
ETA_PLUS = Hyper(
    "eta_plus",
    1.2,
    1.01,
    2.0,
    r"\eta_+",
    translatable("η₊ (grow)"),
    translatable("A coordinate's step size is multiplied by this while its slope keeps its sign."),
)
STEP_SIZE_MIN = Hyper(
    "step_size_min",
    1e-6,
    1e-9,
    1e-1,
    r"\Delta_{\min}",
    translatable("smallest step Δ_min"),
    translatable("Step sizes never shrink below this."),
    log=True,
)
STEP_SIZE_MAX = Hyper(
    "step_size_max",
    50.0,
    1e-2,
    1e3,
    r"\Delta_{\max}",
    translatable("largest step Δ_max"),
    translatable("Step sizes never grow beyond this."),
    log=True,
)
LION_BETA1 = Hyper(
    "beta1",
    0.9,
    0.0,
    0.999,
    r"\beta_1",
    translatable("β₁ (update mix)"),
    translatable(
        "How much of the momentum, against the current gradient, decides the sign of Lion's step."
    ),
    digits=4,
)
LION_BETA2 = Hyper(
    "beta2",
    0.99,
    0.9,
    0.9999,
    r"\beta_2",
    translatable("β₂ (momentum decay)"),
    translatable("Decay of Lion's momentum, the running mean of gradients it keeps between steps."),
    digits=5,
)
LION_WEIGHT_DECAY = Hyper(
    "weight_decay",
    0.0,
    0.0,
    1.0,
    r"\lambda",
    translatable("weight decay λ"),
    translatable(
        "Lion also moves each parameter towards 0 by lr·λ·θ per step, apart from its sign step."
    ),
)
WEIGHT_DECAY = Hyper(
    "weight_decay",
    1e-2,
    0.0,
    0.5,
    r"\lambda",
    translatable("weight decay λ"),
    translatable(
        "AdamW shrinks the parameters towards 0 by lr·λ·θ each step, apart from the gradient."
    ),
)
LINE_SEARCH = Choice(
    "line_search",
    "none",
    ("none", "backtracking"),
    r"\text{line search}",
    translatable("line search"),
    translatable(
        "Backtracking (Armijo): halve the step until f falls enough. Where the surface does not "
        "curve up in every direction (near a saddle or a maximum) the Newton direction leads there, "
        "so the step follows −∇f instead."
    ),
    titles=(translatable("none"), translatable("backtracking")),
)
DAMPING = Hyper(
    "damping",
    0.0,
    0.0,
    10.0,
    r"\delta",
    translatable("damping δ"),
    translatable(
        "Added to the Hessian's diagonal: 0 is pure Newton, large values approach GD with step lr/δ."
    ),
)
MOMENTUM_DECAY = Hyper(
    "momentum_decay",
    4e-3,
    1e-4,
    1.0,
    r"\psi",
    translatable("momentum decay ψ"),
    translatable(
        "How fast NAdam's momentum warms up from β₁/2 towards β₁: at torch's 0.004 it is still about "
        "0.47 after 300 steps; at 1 it reaches β₁ within about a hundred."
    ),
    log=True,
)


class Stateless(NamedTuple):
    pass


class MomentumState(NamedTuple):
    buffer: np.ndarray  # torch's momentum_buffer


class SquareSumState(NamedTuple):
    square_sum: np.ndarray  # Adagrad's state_sum / RMSprop's square_avg


class AdamState(NamedTuple):
    exp_avg: np.ndarray
    exp_avg_sq: np.ndarray


class AMSGradState(NamedTuple):
    exp_avg: np.ndarray
    exp_avg_sq: np.ndarray
    max_exp_avg_sq: np.ndarray


class NAdamState(NamedTuple):
    exp_avg: np.ndarray
    exp_avg_sq: np.ndarray
    # μ₁·μ₂·…·μ_t: one number for every point and coordinate, since μ_t depends on the step alone
    # (torch keeps one per parameter tensor).
    mu_product: float


class AdamaxState(NamedTuple):
    exp_avg: np.ndarray
    exp_inf: np.ndarray  # the decaying maximum of |g|


class AdadeltaState(NamedTuple):
    square_avg: np.ndarray  # running mean of g²
    acc_delta: np.ndarray  # running mean of the squared steps


class RpropState(NamedTuple):
    prev: np.ndarray  # the last gradient, 0 where it had just changed sign
    step_size: np.ndarray  # one per coordinate


class NewtonState(NamedTuple):
    singular: np.ndarray  # (n,) whose system H + δI was singular at the step just taken


def _zeros_like(params: np.ndarray) -> np.ndarray:
    return np.zeros_like(params)


def _sgd_update(inputs: StepInput, state: Stateless, hp: SimpleNamespace):
    return inputs.params - inputs.lr * inputs.grad, state


def _momentum_update(nesterov: bool):
    # With dampening 0, torch's first buffer (a clone of the gradient) equals μ·0 + g, so a zero
    # initial buffer gives the same numbers without a special first step. lr stays outside the
    # buffer, as in torch, so a learning-rate schedule affects it the same way.
    def update(inputs: StepInput, state: MomentumState, hp: SimpleNamespace):
        buffer = hp.momentum * state.buffer + inputs.grad
        direction = inputs.grad + hp.momentum * buffer if nesterov else buffer
        return inputs.params - inputs.lr * direction, MomentumState(buffer)

    return update


def _adagrad_update(inputs: StepInput, state: SquareSumState, hp: SimpleNamespace):
    square_sum = state.square_sum + inputs.grad * inputs.grad
    denominator = np.sqrt(square_sum) + hp.eps
    return _addcdiv(inputs.params, -inputs.lr, inputs.grad, denominator), SquareSumState(square_sum)


def _rmsprop_update(inputs: StepInput, state: SquareSumState, hp: SimpleNamespace):
    square_avg = hp.alpha * state.square_sum + (1 - hp.alpha) * inputs.grad * inputs.grad
    denominator = np.sqrt(square_avg) + hp.eps
    return _addcdiv(inputs.params, -inputs.lr, inputs.grad, denominator), SquareSumState(square_avg)


def _addcdiv(
    start: np.ndarray, value: float, numerator: np.ndarray, denominator: np.ndarray
) -> np.ndarray:
    # torch's addcdiv_ scales the numerator before dividing; the same order keeps the last bits
    # equal, which matters on surfaces where a one-ulp difference grows along the trajectory.
    return start + (value * numerator) / denominator


def _lerp(start: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    # torch's lerp_ switches formula at weight 0.5 for accuracy; copying it keeps the last bits equal.
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


def _adam_update(amsgrad: bool, decoupled_weight_decay: bool):
    def update(inputs: StepInput, state: AdamState | AMSGradState, hp: SimpleNamespace):
        params = inputs.params
        if decoupled_weight_decay:
            params = params * (1 - inputs.lr * hp.weight_decay)
        exp_avg = _lerp(state.exp_avg, inputs.grad, 1 - hp.beta1)
        exp_avg_sq = hp.beta2 * state.exp_avg_sq + (1 - hp.beta2) * inputs.grad * inputs.grad
        if amsgrad:
            new_state = AMSGradState(
                exp_avg, exp_avg_sq, np.maximum(state.max_exp_avg_sq, exp_avg_sq)
            )
        else:
            new_state = AdamState(exp_avg, exp_avg_sq)
        bias_correction1 = 1 - hp.beta1**inputs.step
        bias_correction2_sqrt = math.sqrt(1 - hp.beta2**inputs.step)
        denominator = np.sqrt(new_state[-1]) / bias_correction2_sqrt + hp.eps
        step_size = inputs.lr / bias_correction1
        return _addcdiv(params, -step_size, exp_avg, denominator), new_state

    return update


def _adam_init(params: np.ndarray, hp: SimpleNamespace) -> AdamState:
    return AdamState(_zeros_like(params), _zeros_like(params))


def _amsgrad_init(params: np.ndarray, hp: SimpleNamespace) -> AMSGradState:
    return AMSGradState(_zeros_like(params), _zeros_like(params), _zeros_like(params))


def _nadam_init(params: np.ndarray, hp: SimpleNamespace) -> NAdamState:
    return NAdamState(_zeros_like(params), _zeros_like(params), 1.0)


def _nadam_update(inputs: StepInput, state: NAdamState, hp: SimpleNamespace):
    # torch's _single_tensor_nadam, operation for operation.
    step, lr = inputs.step, inputs.lr
    bias_correction2 = 1 - hp.beta2**step
    mu = hp.beta1 * (1.0 - 0.5 * (0.96 ** (step * hp.momentum_decay)))
    mu_next = hp.beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * hp.momentum_decay)))
    mu_product = state.mu_product * mu
    exp_avg = _lerp(state.exp_avg, inputs.grad, 1 - hp.beta1)
    exp_avg_sq = hp.beta2 * state.exp_avg_sq + (1 - hp.beta2) * inputs.grad * inputs.grad
    denominator = np.sqrt(exp_avg_sq / bias_correction2) + hp.eps
    mu_product_next = mu_product * mu_next
    params = _addcdiv(
        inputs.params, -lr * (1.0 - mu) / (1.0 - mu_product), inputs.grad, denominator
    )
    params = _addcdiv(params, (-lr * mu_next) / (1.0 - mu_product_next), exp_avg, denominator)
    return params, NAdamState(exp_avg, exp_avg_sq, mu_product)


def _radam_update(inputs: StepInput, state: AdamState, hp: SimpleNamespace):
    # torch's _single_tensor_radam, operation for operation.
    step, lr = inputs.step, inputs.lr
    exp_avg = _lerp(state.exp_avg, inputs.grad, 1 - hp.beta1)
    exp_avg_sq = hp.beta2 * state.exp_avg_sq + (1 - hp.beta2) * inputs.grad * inputs.grad
    bias_correction1 = 1 - hp.beta1**step
    bias_correction2 = 1 - hp.beta2**step
    bias_corrected_exp_avg = exp_avg / bias_correction1
    # The length of the simple moving average that v_t approximates, at t and as t → ∞.
    rho_inf = 2 / (1 - hp.beta2) - 1
    rho_t = rho_inf - 2 * step * (hp.beta2**step) / bias_correction2
    if rho_t > 5.0:
        rect = (
            (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
        ) ** 0.5
        # torch divides a number by a tensor as tensor.reciprocal() * number: two roundings.
        adaptive_lr = (1 / (np.sqrt(exp_avg_sq) + hp.eps)) * bias_correction2**0.5
        change = bias_corrected_exp_avg * lr * adaptive_lr * rect
    else:
        # Too few squared gradients to trust their average: a momentum step, not divided by √v.
        change = bias_corrected_exp_avg * lr
    return inputs.params - change, AdamState(exp_avg, exp_avg_sq)


def _adamax_update(inputs: StepInput, state: AdamaxState, hp: SimpleNamespace):
    # torch's _single_tensor_adamax, operation for operation.
    exp_avg = _lerp(state.exp_avg, inputs.grad, 1 - hp.beta1)
    exp_inf = np.maximum(hp.beta2 * state.exp_inf, np.abs(inputs.grad) + hp.eps)
    clr = inputs.lr / (1 - hp.beta1**inputs.step)
    return _addcdiv(inputs.params, -clr, exp_avg, exp_inf), AdamaxState(exp_avg, exp_inf)


def _adadelta_update(inputs: StepInput, state: AdadeltaState, hp: SimpleNamespace):
    # torch's _single_tensor_adadelta, operation for operation.
    grad = inputs.grad
    square_avg = hp.rho * state.square_avg + (1 - hp.rho) * grad * grad
    std = np.sqrt(square_avg + hp.eps)
    delta = np.sqrt(state.acc_delta + hp.eps) / std * grad
    acc_delta = hp.rho * state.acc_delta + (1 - hp.rho) * delta * delta
    return inputs.params - inputs.lr * delta, AdadeltaState(square_avg, acc_delta)


def _rprop_update(inputs: StepInput, state: RpropState, hp: SimpleNamespace):
    # torch's _single_tensor_rprop, operation for operation. torch fills the step sizes with the
    # group's lr at the first step, so a schedule's later rates change nothing.
    grad = inputs.grad
    step_size = np.full_like(grad, inputs.lr) if inputs.step == 1 else state.step_size
    sign = np.sign(grad * state.prev)
    factor = sign.copy()
    factor[sign > 0] = hp.eta_plus
    factor[sign < 0] = hp.eta_minus
    factor[sign == 0] = 1.0
    step_size = np.minimum(np.maximum(step_size * factor, hp.step_size_min), hp.step_size_max)
    # Where the slope changed sign the point does not move, and the next step counts as a first.
    grad = np.where(factor == hp.eta_minus, 0.0, grad)
    return inputs.params - np.sign(grad) * step_size, RpropState(grad, step_size)


def _lion_update(inputs: StepInput, state: MomentumState, hp: SimpleNamespace):
    # Chen et al. 2023, Algorithm 2, as written there (no torch.optim to copy).
    grad, buffer = inputs.grad, state.buffer
    direction = np.sign(hp.beta1 * buffer + (1 - hp.beta1) * grad)
    params = inputs.params - inputs.lr * (direction + hp.weight_decay * inputs.params)
    return params, MomentumState(hp.beta2 * buffer + (1 - hp.beta2) * grad)


SINGULAR_TOLERANCE = 1e-12


def newton_steps(hessians: np.ndarray, grads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """H⁻¹g for every point, and which systems are singular (their step is 0).

    A system counts as singular when |det H| ≤ 1e-12 · s^(d/2), with s the largest squared
    diagonal entry plus the squared entries above the diagonal: a scale of the same degree d as
    the determinant, so the test does not depend on the units of f.
    """
    d = grads.shape[1]
    upper = np.triu_indices(d, 1)
    scale = (np.abs(np.diagonal(hessians, axis1=1, axis2=2)).max(axis=1) ** 2) + (
        hessians[:, upper[0], upper[1]] ** 2
    ).sum(axis=1)
    if d == 2:
        # Cramer's rule: on 40,000 points it is several times faster than np.linalg.solve's
        # batched LU, and a basin map of Newton runs takes 500 of these.
        a, b, c = hessians[:, 0, 0], hessians[:, 0, 1], hessians[:, 1, 1]
        determinant = a * c - b * b
    else:
        determinant = np.linalg.det(hessians)
    singular = ~(np.abs(determinant) > SINGULAR_TOLERANCE * scale ** (d / 2))
    if d == 2:
        safe_determinant = np.where(singular, 1.0, determinant)
        gx, gy = grads[:, 0], grads[:, 1]
        steps = np.column_stack([(c * gx - b * gy), (a * gy - b * gx)]) / safe_determinant[:, None]
    else:
        solvable = np.where(singular[:, None, None], np.eye(d), hessians)
        steps = np.linalg.solve(solvable, grads[..., None])[..., 0]
    steps[singular] = 0.0
    return steps, singular


def _newton_update(inputs: StepInput, state: NewtonState, hp: SimpleNamespace):
    d = inputs.params.shape[1]
    step, singular = newton_steps(inputs.hessian + hp.damping * np.eye(d), inputs.grad)
    if hp.line_search == "none":
        # A singular system has no Newton step: the point stays where it is and is flagged.
        return inputs.params - inputs.lr * step, NewtonState(singular)
    # Only where the quadratic model has a minimum (H + δI positive definite) does the Newton
    # direction lead downhill to it; near a saddle or a maximum it leads to them, and the step
    # takes the steepest descent −∇f instead. Then it backtracks from lr.
    system = inputs.hessian + hp.damping * np.eye(d)
    direction = -step
    slope = (inputs.grad * direction).sum(axis=1)
    downhill = ~singular & (np.linalg.eigvalsh(system)[:, 0] > 0) & (slope < 0)
    direction = np.where(downhill[:, None], direction, -inputs.grad)
    slope = np.where(downhill, slope, -(inputs.grad**2).sum(axis=1))
    moved = backtracking(inputs.objective, inputs.params, inputs.loss, direction, slope, inputs.lr)
    return moved, NewtonState(np.zeros_like(singular))


def _stateless_init(params: np.ndarray, hp: SimpleNamespace) -> Stateless:
    return Stateless()


SINGULAR = Flag(
    "singular",
    translatable(
        "**The Hessian became singular at step {step}**: the quadratic model has no unique minimum "
        "there, so Newton's step is undefined and the point stopped. Add some damping δ to make the "
        "system solvable."
    ),
    translatable("singular Hessian at step {step}"),
)

# The colours are Okabe–Ito's colour-blind-safe set without its yellow (invisible on a washed-out
# projector), completed with the darkest colours of Paul Tol's schemes; the Compare page's default
# four (SGD, Momentum, RMSprop, Adam) get the four most distinct hues.

_ADAM_LATEX = (
    r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t \\ "
    r"v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2 \\ "
    r"\hat m_t = \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v_t}{1-\beta_2^t} \\ "
)

register(
    OptimizerSpec(
        key="sgd",
        title=translatable("Gradient descent (SGD)"),
        hyperparams=(lr_hyper(1e-3),),
        init=_stateless_init,
        update=_sgd_update,
        latex=r"\theta_t = \theta_{t-1} - \eta\, g_t",
        summary=translatable(
            "Remembers nothing: every step goes straight downhill from where it stands, by the "
            "learning rate times the gradient. With batch noise switched on this is SGD."
        ),
        torch_equivalent="torch.optim.SGD(params, lr=lr)",
        family=Family.GRADIENT,
        color="#D55E00",  # vermillion
    )
)

register(
    OptimizerSpec(
        key="momentum",
        title=translatable("Momentum"),
        hyperparams=(lr_hyper(1e-3), MOMENTUM),
        init=lambda params, hp: MomentumState(_zeros_like(params)),
        update=_momentum_update(nesterov=False),
        latex=r"b_t = \mu\, b_{t-1} + g_t \\ \theta_t = \theta_{t-1} - \eta\, b_t",
        summary=translatable(
            "Remembers a running sum of past gradients (one number per parameter). Directions "
            "that agree step after step build up speed; directions that flip sign cancel out, "
            "which damps the zig-zag in narrow valleys."
        ),
        torch_equivalent="torch.optim.SGD(params, lr=lr, momentum=momentum)",
        family=Family.GRADIENT,
        color="#0072B2",  # blue
    )
)

register(
    OptimizerSpec(
        key="nesterov",
        title=translatable("Nesterov momentum"),
        hyperparams=(lr_hyper(1e-3), MOMENTUM),
        init=lambda params, hp: MomentumState(_zeros_like(params)),
        update=_momentum_update(nesterov=True),
        latex=(
            r"b_t = \mu\, b_{t-1} + g_t \\ "
            r"\theta_t = \theta_{t-1} - \eta\,(g_t + \mu\, b_t)"
        ),
        summary=translatable(
            "Momentum that looks ahead: the step adds the current gradient once more on top of "
            "the momentum buffer, as if measuring the slope where the momentum is about to carry "
            "the point. It brakes earlier and overshoots less than plain momentum."
        ),
        torch_equivalent="torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=True)",
        family=Family.GRADIENT,
        color="#882255",  # wine
    )
)

register(
    OptimizerSpec(
        key="adagrad",
        title="AdaGrad",
        hyperparams=(lr_hyper(1e-2), _eps(1e-10)),
        init=lambda params, hp: SquareSumState(_zeros_like(params)),
        update=_adagrad_update,
        latex=(
            r"s_t = s_{t-1} + g_t^2 \\ "
            r"\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{s_t} + \epsilon}"
        ),
        summary=translatable(
            "Remembers the sum of all squared gradients, per parameter, and divides the step by "
            "its root: steep coordinates get small steps, flat ones large steps. The sum never "
            "forgets, so the steps keep shrinking and learning eventually stalls."
        ),
        torch_equivalent="torch.optim.Adagrad(params, lr=lr, eps=eps)",
        family=Family.ADAPTIVE,
        color="#E69F00",  # orange
        map_fraction=0.1,
    )
)

register(
    OptimizerSpec(
        key="rmsprop",
        title="RMSprop",
        hyperparams=(lr_hyper(1e-2), ALPHA, _eps(1e-8)),
        init=lambda params, hp: SquareSumState(_zeros_like(params)),
        update=_rmsprop_update,
        latex=(
            r"v_t = \alpha\, v_{t-1} + (1-\alpha)\, g_t^2 \\ "
            r"\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{v_t} + \epsilon}"
        ),
        summary=translatable(
            "AdaGrad with a fading memory: a moving average of squared gradients replaces the "
            "ever-growing sum, so the step size adapts to the recent slope instead of collapsing."
        ),
        torch_equivalent="torch.optim.RMSprop(params, lr=lr, alpha=alpha, eps=eps)",
        family=Family.ADAPTIVE,
        color="#009E73",  # bluish green
        map_fraction=0.005,
    )
)

register(
    OptimizerSpec(
        key="adam",
        title="Adam",
        hyperparams=(lr_hyper(1e-3), BETA1, BETA2, _eps(1e-8)),
        init=_adam_init,
        update=_adam_update(amsgrad=False, decoupled_weight_decay=False),
        latex=_ADAM_LATEX
        + r"\theta_t = \theta_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}",
        summary=translatable(
            "Momentum and RMSprop together: a running mean of gradients (direction) divided by "
            "the root of a running mean of squared gradients (scale), both corrected for starting "
            "at zero. Each step moves about η per coordinate whatever the slope's size; it keeps "
            "two numbers per parameter."
        ),
        torch_equivalent="torch.optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps)",
        family=Family.ADAPTIVE,
        color="#AA3377",  # purple
    )
)

register(
    OptimizerSpec(
        key="adamw",
        title="AdamW",
        hyperparams=(lr_hyper(1e-3), BETA1, BETA2, _eps(1e-8), WEIGHT_DECAY),
        init=_adam_init,
        update=_adam_update(amsgrad=False, decoupled_weight_decay=True),
        latex=r"\theta_{t-1} \leftarrow \theta_{t-1}(1 - \eta\lambda) \\ "
        + _ADAM_LATEX
        + r"\theta_t = \theta_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}",
        summary=translatable(
            "Adam plus weight decay applied directly to the parameters rather than through the "
            "gradient, so the decay is not rescaled by Adam's per-coordinate step sizes. It pulls "
            "the point towards the origin a little every step."
        ),
        torch_equivalent=(
            "torch.optim.AdamW(params, lr=lr, betas=(beta1, beta2), eps=eps, "
            "weight_decay=weight_decay)"
        ),
        family=Family.ADAPTIVE,
        color="#332288",  # indigo
    )
)

register(
    OptimizerSpec(
        key="amsgrad",
        title="AMSGrad",
        hyperparams=(lr_hyper(1e-3), BETA1, BETA2, _eps(1e-8)),
        init=_amsgrad_init,
        update=_adam_update(amsgrad=True, decoupled_weight_decay=False),
        latex=_ADAM_LATEX
        + r"v^{\max}_t = \max(v^{\max}_{t-1}, v_t) \\ "
        + r"\theta_t = \theta_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{v^{\max}_t/(1-\beta_2^t)} + \epsilon}",
        summary=translatable(
            "Adam that never lets its scale estimate shrink: it divides by the largest second "
            "moment seen so far, so a burst of steep gradients keeps later steps cautious."
        ),
        torch_equivalent=(
            "torch.optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps, amsgrad=True)"
        ),
        family=Family.ADAPTIVE,
        color="#56B4E9",  # sky blue
    )
)

register(
    OptimizerSpec(
        key="nadam",
        title="NAdam",
        hyperparams=(lr_hyper(2e-3), BETA1, BETA2, _eps(1e-8), MOMENTUM_DECAY),
        init=_nadam_init,
        update=_nadam_update,
        latex=(
            r"\mu_t = \beta_1\left(1 - \tfrac12\, 0.96^{t\psi}\right) \\ "
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t \\ "
            r"v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2 \\ "
            r"\theta_t = \theta_{t-1} - \eta\, \frac{"
            r"\frac{1-\mu_t}{1-\prod_{i=1}^{t}\mu_i}\, g_t"
            r" + \frac{\mu_{t+1}}{1-\prod_{i=1}^{t+1}\mu_i}\, m_t"
            r"}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon}"
        ),
        summary=translatable(
            "Adam with Nesterov's look-ahead: it keeps Adam's two running means, but each step "
            "mixes the current gradient with the momentum about to be applied, so it reacts to a "
            "change of slope sooner. The weight μ_t on the momentum warms up from β₁/2 towards β₁ "
            "(ψ sets the pace: at torch's default it stays near β₁/2 for thousands of steps). "
            "Like Adam it moves about η per coordinate whatever the slope's size."
        ),
        torch_equivalent=(
            "torch.optim.NAdam(params, lr=lr, betas=(beta1, beta2), eps=eps, "
            "momentum_decay=momentum_decay)"
        ),
        # Adam's scale-free step with different weights on g and m: about η per coordinate.
        family=Family.ADAPTIVE,
        color="#785EF0",  # violet
        # Steps as long as Adam's, so Adam's 1 % of the map: in 300 steps it reaches the minimum
        # of the bowl, the valley and Himmelblau (in 60-100 steps) and gets a third of the way
        # along Rosenbrock's curved valley.
        map_fraction=0.01,
    )
)

register(
    OptimizerSpec(
        key="radam",
        title="RAdam",
        hyperparams=(lr_hyper(1e-3), BETA1, BETA2, _eps(1e-8)),
        init=_adam_init,
        update=_radam_update,
        latex=(
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t,\quad "
            r"\hat m_t = \frac{m_t}{1-\beta_1^t} \\ "
            r"v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2 \\ "
            r"\rho_\infty = \frac{2}{1-\beta_2} - 1,\quad "
            r"\rho_t = \rho_\infty - \frac{2t\,\beta_2^t}{1-\beta_2^t} \\ "
            r"r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\,\rho_\infty}"
            r"{(\rho_\infty-4)(\rho_\infty-2)\,\rho_t}} \\ "
            r"\theta_t = \theta_{t-1} - \begin{cases}"
            r"\eta\, r_t\, \hat m_t\, \dfrac{\sqrt{1-\beta_2^t}}{\sqrt{v_t} + \epsilon}"
            r" & \rho_t > 5 \\ "
            r"\eta\, \hat m_t & \text{otherwise}"
            r"\end{cases}"
        ),
        summary=translatable(
            "Adam that does not trust its scale estimate until it has seen enough gradients. It "
            "remembers the same two running means, but for its first five steps it takes plain "
            "momentum steps (η times the averaged gradient, so their length follows the slope), "
            "and after that Adam's step times a rectification r_t < 1 that grows towards 1 (with "
            "torch's β₂ = 0.999: 0.03 at step 6, 0.37 at step 300). It is meant to replace the "
            "learning-rate warm-up Adam often needs."
        ),
        torch_equivalent="torch.optim.RAdam(params, lr=lr, betas=(beta1, beta2), eps=eps)",
        # From step 6 on each coordinate moves about η·r_t whatever the slope's size, so adaptive;
        # but steps 1-5 are η times the averaged gradient, as in GD.
        family=Family.ADAPTIVE,
        color="#004488",  # navy
        # Limited by those five gradient steps: at 0.2 % of the map (lr 0.008) they throw the
        # point off Rosenbrock's map and it diverges; at 0.1 % they stay on every built-in map
        # (they cross Rosenbrock's valley). The rectified steps that follow are then short: in
        # 300 steps it covers a quarter of the way to the minimum on the bowl, the valley and
        # Rosenbrock, 5 % on Beale, and reaches only Rastrigin's, so RAdam is slow at its
        # starting rate. A rate that served both phases would need GD's curvature bound for the
        # first five steps, and no Family says that.
        map_fraction=0.001,
    )
)

register(
    OptimizerSpec(
        key="adamax",
        title="Adamax",
        hyperparams=(lr_hyper(2e-3), BETA1, BETA2, _eps(1e-8)),
        init=lambda params, hp: AdamaxState(_zeros_like(params), _zeros_like(params)),
        update=_adamax_update,
        latex=(
            r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t \\ "
            r"u_t = \max\left(\beta_2\, u_{t-1},\ |g_t| + \epsilon\right) \\ "
            r"\theta_t = \theta_{t-1} - \frac{\eta}{1-\beta_1^t}\, \frac{m_t}{u_t}"
        ),
        summary=translatable(
            "Adam with the largest recent slope in place of the root mean square: it remembers "
            "a running mean of gradients and, per parameter, a maximum of |g| that decays by β₂ "
            "each step. One steep gradient sets the scale at once and is forgotten only slowly, "
            "so the steps stay at most about η per coordinate whatever the slope's size, and "
            "there is no second-moment bias to correct."
        ),
        torch_equivalent="torch.optim.Adamax(params, lr=lr, betas=(beta1, beta2), eps=eps)",
        # |m_t| ≤ (1 − β₁ᵗ)·max|g| and u_t ≥ |g|, so no coordinate moves more than about η.
        family=Family.ADAPTIVE,
        color="#663333",  # dark red
        # Its steps are at most η and usually less (u is the largest recent |g|, not a typical
        # one): at 2 % of the map it reaches the minimum of the bowl, the valley and Himmelblau
        # in 75-105 steps, as Adam does at 1 %. On Rosenbrock the start's steep slope sets u for
        # hundreds of steps, so it creeps along the flat floor (15 % of the way in 300 steps).
        map_fraction=0.02,
    )
)

register(
    OptimizerSpec(
        key="adadelta",
        title="Adadelta",
        hyperparams=(lr_hyper(1.0, high=100.0), RHO, ADADELTA_EPS),
        init=lambda params, hp: AdadeltaState(_zeros_like(params), _zeros_like(params)),
        update=_adadelta_update,
        latex=(
            r"v_t = \rho\, v_{t-1} + (1-\rho)\, g_t^2 \\ "
            r"\Delta_t = \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t \\ "
            r"u_t = \rho\, u_{t-1} + (1-\rho)\, \Delta_t^2 \\ "
            r"\theta_t = \theta_{t-1} - \eta\, \Delta_t"
        ),
        summary=translatable(
            "RMSprop with its own step size: besides a running mean of squared gradients it "
            "remembers a running mean of its own squared steps, and moves by the root of that "
            "over the root of the first, times the gradient. The ratio has the units of the "
            "parameters, so the step does not depend on the slope's scale and needs no learning "
            "rate (torch's lr = 1 leaves it as it is). It starts small, about √(ε/(1−ρ)) per "
            "coordinate (0.003 at torch's defaults), and lengthens slowly while the slope keeps "
            "its sign: twice as long after 300 steps."
        ),
        torch_equivalent="torch.optim.Adadelta(params, lr=lr, rho=rho, eps=eps)",
        # Not "about lr per coordinate": the step is lr times a length Adadelta sets itself,
        # which starts near √(ε/(1−ρ)) ≈ 0.003 and grows while steps agree. But it is the same
        # on f and on 1000·f (ε aside), so lr is not linear in the gradient as GD's is, and it
        # is no Hessian method: of the three families, adaptive is the honest one.
        family=Family.ADAPTIVE,
        color="#225555",  # dark teal
        # Its own step starts near 0.003 whatever the map, so lr scales it to the map: half the
        # width (lr 2 on a 4-wide map) reaches Himmelblau's and the double well's minimum in
        # 90-270 steps and ends 0.03 from the bowl's and 0.07 from the valley's after 300. At
        # torch's lr = 1 it covers half to three quarters of the way to those two.
        map_fraction=0.5,
    )
)

register(
    OptimizerSpec(
        key="rprop",
        title="Rprop",
        hyperparams=(RPROP_LR, ETA_MINUS, ETA_PLUS, STEP_SIZE_MIN, STEP_SIZE_MAX),
        init=lambda params, hp: RpropState(_zeros_like(params), np.full_like(params, hp.lr)),
        update=_rprop_update,
        latex=(
            r"\text{start: } \Delta_0 \text{ (lr) for every coordinate},\ g_0 = 0 \\ "
            r"s_t = \operatorname{sign}(g_t\, g_{t-1}) \\ "
            r"\Delta_t = \operatorname{clip}\!\left(\Delta_{t-1} \cdot "
            r"\begin{cases} \eta_+ & s_t > 0 \\ \eta_- & s_t < 0 \\ 1 & s_t = 0 "
            r"\end{cases},\ \Delta_{\min},\ \Delta_{\max}\right) \\ "
            r"g_t \leftarrow 0 \text{ where } s_t < 0 \\ "
            r"\theta_t = \theta_{t-1} - \Delta_t \operatorname{sign}(g_t)"
        ),
        summary=translatable(
            "Only the sign of the slope matters: each coordinate moves by its own step size in "
            "the downhill direction, however steep or flat the surface is there. It remembers "
            "the last gradient's sign and one step size per parameter: the step grows by η₊ "
            "while the sign stays the same and shrinks by η₋ when it flips (the point went past "
            "a minimum along that coordinate, and that step is skipped). Multiplying the loss by "
            "1000 gives exactly the same path."
        ),
        torch_equivalent=(
            "torch.optim.Rprop(params, lr=lr, etas=(eta_minus, eta_plus), "
            "step_sizes=(step_size_min, step_size_max))"
        ),
        # The first step moves every coordinate by exactly lr, later ones by a step size that
        # started at lr, whatever the slope's size.
        family=Family.ADAPTIVE,
        color="#CC3311",  # red
        # Step sizes grow by η₊ = 1.2 per step while the sign holds (×38 in 20 steps), so it
        # starts small, at 0.1 % of the map: the acceleration is visible and it still reaches the
        # minimum of every built-in surface but Rosenbrock in 25-60 steps.
        map_fraction=0.001,
    )
)

register(
    OptimizerSpec(
        key="lion",
        title="Lion",
        hyperparams=(lr_hyper(1e-4), LION_BETA1, LION_BETA2, LION_WEIGHT_DECAY),
        init=lambda params, hp: MomentumState(_zeros_like(params)),
        update=_lion_update,
        latex=(
            r"c_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t \\ "
            r"\theta_t = \theta_{t-1} - \eta\,\left(\operatorname{sign}(c_t) "
            r"+ \lambda\, \theta_{t-1}\right) \\ "
            r"m_t = \beta_2 m_{t-1} + (1-\beta_2)\, g_t"
        ),
        summary=translatable(
            "A sign step on a momentum: it remembers one running mean of gradients, mixes it "
            "with the current gradient, and moves every coordinate by exactly η, up or down by "
            "the sign of that mix. Steepness never changes the step's length, only its "
            "direction; the momentum (slow, β₂) keeps it going through noise and flips of sign, "
            "and the mix (β₁) lets a new gradient turn it sooner. It needs half Adam's memory. "
            "Found by a program search (Chen et al. 2023); torch.optim has no Lion."
        ),
        # Every coordinate moves exactly η per step (weight decay aside), whatever the slope.
        family=Family.ADAPTIVE,
        color="#EE99AA",  # pink
        # It never slows down: every step is η per coordinate, so the fraction is the step
        # itself. At 0.5 % of the map it reaches the bowl's, Rosenbrock's, Beale's and the double
        # well's minimum within 300 steps and ends within 1.5 η of the others', jittering around
        # them by ±η per coordinate.
        map_fraction=0.005,
    )
)

register(
    OptimizerSpec(
        key="newton",
        title=translatable("Newton's method"),
        hyperparams=(lr_hyper(1.0, low=1e-3), DAMPING, LINE_SEARCH),
        init=lambda params, hp: NewtonState(np.zeros(params.shape[0], dtype=bool)),
        update=_newton_update,
        latex=(
            r"d_t = -\left(H(\theta_{t-1}) + \delta I\right)^{-1} g_t \\ "
            r"\text{line search}:\ d_t \leftarrow -g_t \text{ unless } H + \delta I \succ 0,\;"
            r"\text{largest } s \in \{\eta, \tfrac{\eta}{2}, \dots\} \text{ with } "
            r"f(\theta_{t-1} + s\, d_t) \le f(\theta_{t-1}) + 10^{-4} s\, g_t^\top d_t \\ "
            r"\theta_t = \theta_{t-1} + s\, d_t \quad (s = \eta \text{ without line search})"
        ),
        summary=translatable(
            "Uses the curvature (the Hessian) to jump to the minimum of the local quadratic "
            "model: on a quadratic bowl it lands on the minimum in one step. It solves for a zero "
            "gradient, so it is drawn to saddles and maxima as readily as to minima, and it needs "
            "n² numbers and a linear solve per step for n parameters."
        ),
        family=Family.SECOND_ORDER,
        color="#000000",  # black
        needs_hessian=True,
        flags=(SINGULAR,),
    )
)
