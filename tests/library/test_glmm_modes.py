"""The conditional modes of the GLMM's quadrature (`glmm.conditional_modes`, shared by
`glmm_proportions` and `glmm_batch`) stop on every cell: Newton's iterates for a study with
all (or no) events can cycle at the level of rounding, just above the 1e-14 step, and a cycling
cell must not keep the whole (B, k) search going to its 200-iteration limit."""

import numpy as np
from scipy import special

from analysis.metaanalysis import glmm
from tests.tolerances import GLMM_MODE_IS_A_ROOT


def test_all_event_studies_stop_within_a_few_iterations(monkeypatch) -> None:
    calls = []
    expit = special.expit

    def counted(values):
        calls.append(1)
        return expit(values)

    monkeypatch.setattr(glmm.special, "expit", counted)
    n = np.arange(10.0, 41.0)[None, :].repeat(2, axis=0)
    x = n.copy()
    x[1] = 0  # no events: the mirror image
    for mu in np.linspace(-1.0, 6.0, 15):
        for tau in np.linspace(0.5, 6.0, 12):
            calls.clear()
            modes = glmm.conditional_modes(x, n, mu, tau)
            assert len(calls) <= 60, (mu, tau, len(calls))
            p = expit(mu + tau * modes)
            slope = tau * (x - n * p) - modes  # h'(mode), zero up to rounding
            GLMM_MODE_IS_A_ROOT.assert_allclose(slope / (1 + tau * n), 0.0, f"{mu}, {tau}")
