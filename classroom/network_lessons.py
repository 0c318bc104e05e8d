"""The Networks page's lessons as presets: each is a link to the page with a contrast (the same
training twice, one setting changed) whose numbers, roughness of the slice and sharpness where
each run ends, the page measures and shows.

    python3 -m classroom.network_lessons   # prints what each lesson's numbers are now
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from analysis import network_runs
from landscapes.network import NetworkSetup
from texts import translatable


@dataclass(frozen=True)
class NetworkLesson:
    key: str
    title: str  # translatable, like text: shown as tr(lesson.title)
    text: str  # Markdown: what to look for, in our own words
    query: dict[str, str]  # the Networks page's settings (its URL parameters)
    # The same lesson on the Mini-batches page's two-parameter model, whose map is the exact
    # surface (no slice): its settings, if it has one.
    minibatch_query: dict[str, str] | None = None

    def link(self) -> str:
        """A relative link ("networks?…"): it resolves against the app's own address."""
        return f"networks?{urlencode(self.query)}"

    def minibatch_link(self) -> str | None:
        return (
            None if self.minibatch_query is None else f"minibatch?{urlencode(self.minibatch_query)}"
        )


LESSONS = (
    NetworkLesson(
        "batch_norm",
        translatable("Batch normalisation on vs off"),
        translatable(
            "The same network from the same seed, without and with batch norm after each hidden "
            "layer (Santurkar et al. 2018 argue it smooths the landscape). Compare the slices' "
            "roughness (mean ‖∇L‖) and how fast the loss falls."
        ),
        {"contrast": "batch_norm", "net_optimizers": "sgd,adam", "dataset": "moons"},
    ),
    NetworkLesson(
        "l2",
        translatable("L2 regularisation off vs on"),
        translatable(
            "Noisy labels tempt a network to bend its boundary around every wrong point. An L2 "
            "penalty keeps the weights small: a smoother boundary, a flatter end point and a bowl "
            "around it instead of a long valley."
        ),
        {"contrast": "l2", "l2": "0.01", "label_noise": "0.2", "net_optimizers": "sgd,adam"},
    ),
    NetworkLesson(
        "loss",
        translatable("Mean squared error vs cross-entropy"),
        translatable(
            "On a classifier, MSE on the sigmoid output flattens out wherever the sigmoid "
            "saturates (a confidently wrong point has almost no gradient): plateaus where "
            "cross-entropy keeps pulling. Watch the loss curves and the boundaries at the same "
            "step. On Mini-batches the same happens to a two-parameter logistic regression, whose "
            "whole surface is on the map: switch its model between the log loss and the squared "
            "error."
        ),
        {"contrast": "loss", "dataset": "xor", "net_optimizers": "sgd,adam"},
        minibatch_query={"model": "logistic_regression_mse", "optimizer": "sgd", "lr_scaled": "1"},
    ),
    NetworkLesson(
        "batch",
        translatable("Small batches vs large batches, and sharpness"),
        translatable(
            "Batches of 8 and of 256 from the same start with the same learning rate. Large "
            "batches are said to settle in sharper minima: the table gives the largest Hessian "
            "eigenvalue where each run ends."
        ),
        {"contrast": "batch", "net_optimizers": "sgd,adam", "net_steps": "500"},
    ),
)


def get(key: str) -> NetworkLesson:
    return next(lesson for lesson in LESSONS if lesson.key == key)


def setup_of(lesson: NetworkLesson) -> NetworkSetup:
    """The network and data the lesson's link opens (the page's defaults for the rest)."""
    query = lesson.query
    return NetworkSetup(
        dataset=query.get("dataset", "moons"),
        l2=float(query.get("l2", 0.0)),
        label_noise=float(query.get("label_noise", 0.0)),
    )


def experiment_of(lesson: NetworkLesson) -> network_runs.Experiment:
    """The experiment the lesson's link opens, with the page's starting learning rates."""
    setup = setup_of(lesson)
    problem = setup.problem()
    keys = lesson.query["net_optimizers"].split(",")
    return network_runs.Experiment(
        setup,
        tuple((key, network_runs.starting_lr(problem, key, 0)) for key in keys),
        batch_size=32,
        steps=int(lesson.query.get("net_steps", 300)),
        seed=0,
        plane="pca",
        resolution=41,
    )


def measure(lesson: NetworkLesson) -> list[str]:
    """Lines of what the lesson's two versions measure: the slice's roughness, and per run the
    final loss, accuracy and sharpness."""
    lines = [f"{lesson.title} ({lesson.link()})"]
    for label, variant in network_runs.contrast(experiment_of(lesson), lesson.query["contrast"]):
        runs = variant.runs()
        scape = variant.landscape(runs)
        lines.append(f"  {label}: slice roughness (mean ‖∇L‖) {scape.cut.roughness:.4g}")
        for (key, lr), run, path in zip(variant.optimizers, runs, scape.paths, strict=True):
            last = network_runs.last_good_step(run)
            lines.append(
                f"    {key} η={lr:g}: loss {path.losses[last]:.4g}, accuracy "
                f"{path.accuracy[last]:.1%}, sharpness {path.sharpness:.4g}"
            )
    return lines


if __name__ == "__main__":
    for lesson in LESSONS:
        print("\n".join(measure(lesson)))
