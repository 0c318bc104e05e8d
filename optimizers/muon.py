"""Muon, as torch.optim.Muon moves a 1×d matrix: each point's parameters are one row.

Muon orthogonalises its (Nesterov) momentum with a few Newton–Schulz iterations run in
bfloat16, as torch runs them. A 1×d matrix has a single singular value, so orthogonalising it
only rescales it: the step is the momentum's direction at a length the iterations fix (≈ 0.70·lr
after 5 of them, ≈ 1.09·lr after 4), whatever the gradient's size.
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import NamedTuple

import numpy as np

from optimizers.registry import register
from optimizers.rules import lr_hyper
from optimizers.spec import Choice, Family, Hyper, OptimizerSpec, StepInput
from optimizers.torch_rounding import bfloat16_of_single, fused_multiply_add, lerp, to_bfloat16
from texts import translatable

# torch's quintic Newton–Schulz coefficients (a, b, c) and the norm's floor.
NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)
EPS = 1e-7


class MuonState(NamedTuple):
    momentum_buffer: np.ndarray  # (n, d)


def newton_schulz(update: np.ndarray, steps: int) -> np.ndarray:
    """torch's _zeropower_via_newtonschulz for every row (a 1×d matrix) at once: in bfloat16,
    each matrix product accumulated in float32 and rounded to bfloat16 once, as torch's CPU
    bfloat16 addmm does (checked bit for bit against torch)."""
    a, b, c = (np.float32(coefficient) for coefficient in NS_COEFFICIENTS)
    x = to_bfloat16(update)
    norm = bfloat16_of_single(np.sqrt((x * x).sum(axis=1)))
    x = bfloat16_of_single(x / np.maximum(norm, to_bfloat16(EPS))[:, None])
    for _ in range(steps):
        gram = bfloat16_of_single((x * x).sum(axis=1))  # X Xᵀ, one number per row
        gram_update = bfloat16_of_single(c * (gram * gram) + b * gram)
        x = bfloat16_of_single(gram_update[:, None] * x + a * x)
    return x.astype(np.float64)


def adjusted_lr(lr: float, rule: str, shape: tuple[int, int]) -> float:
    """torch's _adjust_lr: the rate scaled for the matrix's shape (lr itself for one row with
    "original")."""
    rows, columns = shape
    if rule == "original":
        return lr * math.sqrt(max(1, rows / columns))
    return lr * (0.2 * math.sqrt(max(rows, columns)))


def update(inputs: StepInput, state: MuonState, hp: SimpleNamespace):
    grad = inputs.grad
    buffer = lerp(state.momentum_buffer, grad, 1 - hp.momentum)
    direction = lerp(grad, buffer, hp.momentum) if hp.nesterov == "True" else buffer
    orthogonal = newton_schulz(direction, hp.ns_steps)
    rate = adjusted_lr(inputs.lr, hp.adjust_lr_fn, (1, grad.shape[1]))
    decayed = inputs.params * (1 - inputs.lr * hp.weight_decay)
    return fused_multiply_add(-rate, orthogonal, decayed), MuonState(buffer)


MUON = register(
    OptimizerSpec(
        key="muon",
        title="Muon",
        hyperparams=(
            lr_hyper(1e-3),
            Hyper(
                "momentum",
                0.95,
                0.0,
                0.99,
                r"\mu",
                translatable("momentum μ"),
                translatable(
                    "How much of the previous momentum is kept each step (torch's default 0.95)."
                ),
                digits=4,
            ),
            Choice(
                "nesterov",
                "True",
                ("True", "False"),
                r"\text{nesterov}",
                "Nesterov",
                translatable(
                    "True: orthogonalise the look-ahead g + μ(B − g) rather than the buffer B itself."
                ),
            ),
            Hyper(
                "weight_decay",
                0.1,
                0.0,
                0.5,
                r"\lambda",
                translatable("weight decay λ"),
                translatable(
                    "Shrinks the parameters towards 0 by lr·λ·θ each step, apart from the update."
                ),
            ),
            Hyper(
                "ns_steps",
                5,
                1,
                10,
                "k",
                translatable("Newton–Schulz steps k"),
                translatable(
                    "Iterations of the orthogonalisation. With one row they only set the step's "
                    "length: about 0.70·lr after 5, 1.09·lr after 4."
                ),
                whole=True,
            ),
            Choice(
                "adjust_lr_fn",
                "original",
                ("original", "match_rms_adamw"),
                r"\text{AdjustLR}",
                translatable("learning-rate adjustment"),
                translatable(
                    "original: lr·√max(1, rows/columns), lr itself for one row; match_rms_adamw: "
                    "0.2·lr·√max(rows, columns), so the step's size matches AdamW's."
                ),
            ),
        ),
        init=lambda params, hp: MuonState(np.zeros_like(params)),
        update=update,
        latex=(
            r"B_t = \mu B_{t-1} + (1-\mu)\, g_t \\ "
            r"U_t = g_t + \mu\,(B_t - g_t) \text{ if } \text{nesterov} \text{, else } B_t \\ "
            r"O_t = \mathrm{NS}_k(U_t / \|U_t\|),\quad X \leftarrow aX + (bXX^\top + "
            r"c(XX^\top)^2)X \text{ in bfloat16} \\ "
            r"\theta_t = (1 - \eta\lambda)\,\theta_{t-1} - \text{AdjustLR}(\eta)\, O_t"
        ),
        summary=translatable(
            "Momentum whose update matrix is orthogonalised: a few Newton–Schulz iterations push "
            "every singular value of the momentum towards 1, so no direction of a weight matrix "
            "dominates the step. That is what it is built for: the hidden layers' weight "
            "matrices of a network, where it balances many directions at once. Here each point "
            "is a 1×2 matrix, which has one singular value, so orthogonalising only rescales: "
            "Muon on a map is normalised momentum with a fixed step length (≈ 0.70·lr after 5 "
            "steps, 1.09·lr after 4; bfloat16's rounding spreads it by about 4 %), whatever the "
            "slope's size."
        ),
        torch_equivalent=(
            "torch.optim.Muon(params, lr=lr, momentum=momentum, nesterov=nesterov, "
            "weight_decay=weight_decay, ns_steps=ns_steps, adjust_lr_fn=adjust_lr_fn)"
        ),
        # Every step has about the same length, 0.70·lr, whatever the slope.
        family=Family.ADAPTIVE,
        color="#8C564B",  # brown
        map_fraction=0.01,
    )
)
