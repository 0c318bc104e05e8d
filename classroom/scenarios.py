"""Named classroom scenarios: each sets a surface, optimizers, their settings and a start point.

Every scenario makes one claim in its title; tests/test_scenarios.py runs each scenario and checks
that the claim is what actually happens, so a change to the core cannot silently break a lesson.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import landscapes
import optimizers
from analysis.starting_rates import starting_lr
from figures.style import run_colors
from figures.track import Track
from optimizers import Schedule, Trajectories
from texts import tr, translatable


@dataclass(frozen=True)
class Entry:
    """One optimizer in a scenario, with the settings that differ from the registry defaults."""

    optimizer: str
    hyperparams: tuple[tuple[str, float | str], ...]
    noise: float = 0.0
    label: str = ""  # shown in legends (a text of the catalogue); the optimizer's title if empty

    @property
    def title(self) -> str:
        return self.label or optimizers.get(self.optimizer).title

    def settings(self) -> dict[str, float]:
        return dict(self.hyperparams)


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str  # a text of the catalogue: tr(scenario.title) where it is shown
    watch: str  # what to look at while it plays, in a sentence or two; shown as tr(watch)
    surface: str
    entries: tuple[Entry, ...]
    steps: int
    start: tuple[float, float] | None = None  # the surface's own start if None
    seed: int = 0
    schedule: Schedule | None = None

    def start_point(self) -> tuple[float, float]:
        return self.start or landscapes.get(self.surface).start

    def run(self, overrides: dict[str, float] | None = None) -> list[tuple[Entry, Trajectories]]:
        """Simulate every entry. `overrides` replace settings of the first (featured) entry only,
        so the other entries stay as fixed references while a teacher moves the sliders."""
        surface = landscapes.get(self.surface)
        results = []
        for index, entry in enumerate(self.entries):
            settings = entry.settings()
            if index == 0 and overrides:
                settings |= overrides
            run = optimizers.simulate(
                surface,
                entry.optimizer,
                settings,
                [self.start_point()],
                self.steps,
                noise=entry.noise,
                seed=self.seed,
                schedule=self.schedule,
            )
            results.append((entry, run))
        return results

    def tracks(
        self,
        overrides: dict[str, float] | None = None,
        runs: list[tuple[Entry, Trajectories]] | None = None,
    ) -> list[Track]:
        """The runs as drawn (`runs` if run() already made them): a second run of the same
        optimizer gets a reference colour."""
        surface = landscapes.get(self.surface)
        colors = run_colors([entry.optimizer for entry in self.entries])
        runs = self.run(overrides) if runs is None else runs
        return [
            Track.of(run, entry.title, color, surface)
            for color, (entry, run) in zip(colors, runs, strict=True)
        ]


def _gd(lr: float, label: str = "", noise: float = 0.0) -> Entry:
    return Entry("sgd", (("lr", lr),), noise=noise, label=label)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        key="gd_zigzag",
        title=translatable("GD zig-zags on an ill-conditioned bowl"),
        watch=translatable(
            "The valley is 30 times steeper across than along. The gradient points mostly across "
            "it, so each step jumps from one wall to the other while creeping along the floor."
        ),
        surface="ill_conditioned",
        entries=(_gd(0.06),),
        steps=120,
    ),
    Scenario(
        key="momentum_damps_zigzag",
        title=translatable("Momentum cuts through the zig-zag"),
        watch=translatable(
            "Same valley. Momentum averages the gradients: the across-the-valley parts flip sign "
            "and cancel, the along-the-valley parts add up. It reaches the minimum in a fraction "
            "of GD's steps."
        ),
        surface="ill_conditioned",
        entries=(Entry("momentum", (("lr", 0.05), ("momentum", 0.7))), _gd(0.06)),
        steps=120,
    ),
    Scenario(
        key="momentum_overshoots",
        title=translatable("Momentum overshoots"),
        watch=translatable(
            "All three use the same learning rate on a round bowl. GD slows down as it arrives; "
            "momentum still carries its speed and flies past the minimum before swinging back. "
            "Nesterov looks ahead and brakes earlier."
        ),
        surface="bowl",
        entries=(
            Entry("momentum", (("lr", 0.05), ("momentum", 0.9))),
            Entry("nesterov", (("lr", 0.05), ("momentum", 0.9))),
            _gd(0.05),
        ),
        steps=100,
    ),
    Scenario(
        key="adam_escapes_saddle",
        title=translatable("Adam escapes the saddle"),
        watch=translatable(
            "The run starts almost on the ridge line of a saddle. GD's sideways gradient is tiny, "
            "so it slides into the flat middle and lingers there. Adam scales every coordinate's "
            "step to about η, so the tiny sideways slope moves it as fast as the steep one."
        ),
        surface="saddle",
        entries=(Entry("adam", (("lr", 0.05),)), _gd(0.05)),
        steps=60,
    ),
    Scenario(
        key="noise_helps",
        title=translatable("SGD noise helps leave a local minimum"),
        watch=translatable(
            "Noiseless GD rolls into the nearest dip and stays. Noisy gradients (as from small "
            "mini-batches) shake the point out of shallow dips; a learning rate that decays "
            "(cosine) then lets it settle in a deeper one."
        ),
        surface="six_hump_camel",
        entries=(
            _gd(0.02, label=translatable("SGD (noisy gradients)"), noise=5.0),
            _gd(0.02, label=translatable("GD")),
        ),
        steps=400,
        seed=1,
        schedule=Schedule("cosine", t_max=400),
    ),
    Scenario(
        key="newton_one_step",
        title=translatable("Newton jumps to the minimum"),
        watch=translatable(
            "On a quadratic bowl the local quadratic model is the surface itself, so one Newton "
            "step lands exactly on the minimum. GD needs many steps."
        ),
        surface="bowl",
        entries=(Entry("newton", (("lr", 1.0),)), _gd(0.1)),
        steps=30,
    ),
    Scenario(
        key="newton_saddle",
        title=translatable("Newton is drawn to the saddle"),
        watch=translatable(
            "Newton's method looks for a point where the gradient is zero, and a saddle is one. "
            "It jumps onto the saddle in one step and stays; GD rolls off it."
        ),
        surface="saddle",
        entries=(Entry("newton", (("lr", 1.0),)), _gd(0.05)),
        steps=60,
    ),
    Scenario(
        key="newton_line_search_saddle",
        title=translatable("Newton with a line search rolls off the saddle"),
        watch=translatable(
            "The same start and the same Newton step, now with a backtracking line search. On a "
            "saddle the surface curves down in one direction, so the Newton step leads up onto "
            "the saddle instead of down: the line search notices, follows −∇f, and only takes "
            "steps that lower f. It rolls off down the open side (this surface has no minimum, "
            "so it keeps going), while plain Newton sits on the saddle."
        ),
        surface="saddle",
        entries=(
            Entry(
                "newton",
                (("lr", 1.0), ("line_search", "backtracking")),
                label=translatable("Newton + line search"),
            ),
            Entry("newton", (("lr", 1.0),)),
        ),
        steps=60,
    ),
    Scenario(
        key="lr_too_large",
        title=translatable("lr too large diverges"),
        watch=translatable(
            "On x² + y² the curvature is 2, so GD is stable only for η < 2/2 = 1. At η = 1.2 "
            "every step lands 1.4 times farther out on the other side: the point flies off the "
            "map and the run is stopped as diverged."
        ),
        surface="bowl",
        entries=(_gd(1.2),),
        steps=60,
    ),
    Scenario(
        key="lr_three_ways",
        title=translatable("lr too small, good, too large"),
        watch=translatable(
            "The same optimizer with three learning rates: 0.01 crawls, 0.3 walks straight in, "
            "0.9 overshoots to the other side every step and only slowly settles."
        ),
        surface="bowl",
        entries=(
            _gd(0.3, label=translatable("GD, good η")),
            _gd(0.01, label=translatable("GD, small η")),
            _gd(0.9, label=translatable("GD, large η")),
        ),
        steps=100,
    ),
    Scenario(
        key="adagrad_stalls",
        title=translatable("AdaGrad stalls, RMSprop keeps going"),
        watch=translatable(
            "Same learning rate. AdaGrad divides by the root of all squared gradients so far, a "
            "sum that only grows, so its steps keep shrinking and it stops short. RMSprop "
            "forgets old gradients and keeps a useful step size."
        ),
        surface="ill_conditioned",
        entries=(Entry("adagrad", (("lr", 0.03),)), Entry("rmsprop", (("lr", 0.03),))),
        steps=300,
    ),
    Scenario(
        key="amsgrad_calmer",
        title=translatable("AMSGrad settles where Adam circles"),
        watch=translatable(
            "Same learning rate. Near the minimum Adam's scale estimate shrinks with the "
            "gradients, so its steps stay large and it circles; AMSGrad divides by the largest "
            "scale seen so far, takes smaller steps there and settles sooner."
        ),
        surface="six_hump_camel",
        entries=(Entry("amsgrad", (("lr", 0.1),)), Entry("adam", (("lr", 0.1),))),
        steps=150,
    ),
    Scenario(
        key="adamw_decay",
        title=translatable("AdamW's weight decay pulls towards the origin"),
        watch=translatable(
            "Adam finds the minimum. AdamW also shrinks the parameters by η·λ each step, so it "
            "settles where that pull balances the slope: nearer the origin, off the minimum. "
            "In a network this keeps weights small."
        ),
        surface="himmelblau",
        entries=(
            Entry("adamw", (("lr", 0.05), ("weight_decay", 0.3))),
            Entry("adam", (("lr", 0.05),)),
        ),
        steps=300,
    ),
    Scenario(
        key="rprop_ignores_slope",
        title=translatable("Rprop ignores the size of the slope"),
        watch=translatable(
            "Beale's surface is steep near its edges and nearly flat along its valley. GD's "
            "steps are η times the slope, so on the flat floor it crawls. Rprop uses only the "
            "slope's sign: each coordinate's step grows by 1.2 while the sign holds and halves "
            "when it flips, so it speeds along the floor. On 1000 times this surface it would "
            "take exactly the same path."
        ),
        surface="beale",
        entries=(Entry("rprop", (("lr", 0.01),)), _gd(0.002)),
        steps=200,
    ),
    Scenario(
        key="lion_equal_steps",
        title=translatable("Lion moves every coordinate by the same amount"),
        watch=translatable(
            "The valley is 30 times steeper across than along. GD's step follows the slope, so "
            "its first steps go mostly across the valley. Lion steps by exactly η along every "
            "coordinate, up or down by the sign of its momentum, so its path runs at 45°. Its "
            "slow momentum (β₂ = 0.99) carries it past the floor and past the minimum before "
            "it turns; it ends jittering by ±η around the minimum, never slowing down."
        ),
        surface="ill_conditioned",
        entries=(Entry("lion", (("lr", 0.03),)), _gd(0.06)),
        steps=300,
    ),
    Scenario(
        key="radam_warm_up",
        title=translatable("RAdam takes five plain steps, then starts slowly"),
        watch=translatable(
            "Same learning rate. For its first five steps RAdam does not trust its estimate of "
            "the gradients' scale yet: it steps by η times the averaged gradient, as momentum "
            "would, several times Adam's step here. Then it divides by that scale like Adam, "
            "times a rectification that starts at 3 % and grows, so it nearly stops and speeds "
            "up again slowly. Adam moves about η per step from the start."
        ),
        surface="bowl",
        entries=(Entry("radam", (("lr", 0.05),)), Entry("adam", (("lr", 0.05),))),
        steps=300,
    ),
    Scenario(
        key="lbfgs_rosenbrock",
        title=translatable("L-BFGS crosses Rosenbrock in a few dozen steps"),
        watch=translatable(
            "Rosenbrock's valley is narrow and curved: gradient methods crawl along its floor. "
            "L-BFGS remembers how the gradient changed over its last steps, which tells it how "
            "the valley bends, and its strong-Wolfe line search picks each step's length. It "
            "reaches the minimum at (1, 1) in about thirty steps, several evaluations of f and "
            "∇f per step (plot the loss against evaluations to count them); Adam is still "
            "on its way after 150."
        ),
        surface="rosenbrock",
        entries=(
            Entry("lbfgs", (("lr", 1.0), ("line_search_fn", "strong_wolfe"))),
            Entry("adam", (("lr", 0.05),)),
        ),
        steps=150,
    ),
    Scenario(
        key="muon_fixed_length",
        title=translatable("Muon's steps all have one length"),
        watch=translatable(
            "Muon orthogonalises its momentum; a point here is a 1×2 matrix with one singular "
            "value, so that only sets the step's length: about 0.70·η every step, steep or "
            "flat, pointing along the momentum. Momentum's steps shrink as the valley flattens; "
            "Muon's do not, so it ends circling the minimum at the distance of one step."
        ),
        surface="ill_conditioned",
        entries=(
            Entry("muon", (("lr", 0.05), ("weight_decay", 0.0))),
            Entry("momentum", (("lr", 0.01),)),
        ),
        steps=200,
    ),
    Scenario(
        key="adadelta_no_lr",
        title=translatable("Adadelta needs no learning rate"),
        watch=translatable(
            "lr = 1 leaves Adadelta's step as it is: its length is the root of its own past "
            "squared steps over the root of the past squared gradients. It starts at about "
            "0.003 per coordinate and lengthens while the slope keeps its sign, and it reaches "
            "a minimum with no rate chosen. On 1000 times this surface it takes practically "
            "the same path."
        ),
        surface="himmelblau",
        entries=(Entry("adadelta", (("lr", 1.0),)),),
        steps=400,
    ),
)

# Where an optimizer that no scenario above shows (one registered later) is demonstrated: the
# valley whose zig-zag tells optimizers apart, next to plain gradient descent.
_DEMO_SURFACE = "ill_conditioned"
_DEMO_STEPS = 200


def demo(key: str) -> Scenario:
    """The scenario that shows optimizer `key` best: one it leads, else one it takes part in,
    else one made for it (see default_demo)."""
    featured = [s for s in SCENARIOS if s.entries[0].optimizer == key]
    taking_part = [s for s in SCENARIOS if any(e.optimizer == key for e in s.entries)]
    return (featured or taking_part or [default_demo(key)])[0]


def default_demo(key: str) -> Scenario:
    """Optimizer `key` on the ill-conditioned bowl at its starting rate, next to GD at its own.

    Its title and text name the optimizer, so they are made in the page's language here (tr of
    them where they are shown leaves them as they are); all_scenarios() makes them afresh on
    every call, so nothing keeps one language's texts for another."""
    surface = landscapes.get(_DEMO_SURFACE)
    title = tr(optimizers.get(key).title)
    return Scenario(
        key=f"{key}_demo",
        title=tr("{optimizer} in a narrow valley", optimizer=title),
        watch=tr(
            "A valley 30 times steeper across than along: plain gradient descent zig-zags from "
            "wall to wall. Watch what {optimizer} does with the same valley, each at its own "
            "starting learning rate.",
            optimizer=title,
        ),
        surface=_DEMO_SURFACE,
        entries=tuple(
            Entry(optimizer, (("lr", starting_lr(surface, optimizer)),))
            for optimizer in dict.fromkeys((key, "sgd"))
        ),
        steps=_DEMO_STEPS,
    )


def all_scenarios() -> list[Scenario]:
    """The scenarios above, then a demo for every optimizer none of them shows."""
    shown = {entry.optimizer for scenario in SCENARIOS for entry in scenario.entries}
    made = [default_demo(key) for key in optimizers.names() if key not in shown]
    return [*SCENARIOS, *made]


def in_language(tracks: list[Track]) -> list[Track]:
    """The tracks with their legend texts in the page's language. Tracks keep the English texts
    (an entry's label, an optimizer's title), so cached tracks serve every language."""
    return [replace(track, label=tr(track.label)) for track in tracks]


def get(key: str) -> Scenario:
    for scenario in all_scenarios():
        if scenario.key == key:
            return scenario
    known = ", ".join(scenario.key for scenario in all_scenarios())
    raise KeyError(f"unknown scenario {key!r}; known: {known}")
