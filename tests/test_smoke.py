import numpy as np

import landscapes
import optimizers


def test_every_optimizer_runs_on_every_surface():
    for name in landscapes.names():
        surface = landscapes.get(name)
        for key in optimizers.names():
            run = optimizers.simulate(surface, key, None, [surface.start], steps=5)
            assert run.points.shape == (6, 1, 2)
            assert np.isfinite(run.losses[0]).all()
