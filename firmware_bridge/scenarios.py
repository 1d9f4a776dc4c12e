"""Named practice scenarios for the emulated sensor (``emulator:SCENARIO``, ``gradecoach emulate``):
see :data:`SCENARIOS`."""

from __future__ import annotations

import numpy as np

from analysis.errors import InputError
from analysis.scheme import GradingScheme
from firmware_bridge.simulator import Noise, Sim, mixed, technique

R1_N, R2_N = 40.0, 120.0   # the emulated manikin's calibration

MODIFIERS = ("--", "-", "+", "++")   # III and IV's, as a target or simulate's --grade spells them

SCENARIOS = {
    "grade1": dict(kind="I", freq_hz=1.5),
    "grade2": dict(kind="II", freq_hz=1.2),
    "grade3": dict(kind="III", freq_hz=1.5),
    **{f"grade3{m}": dict(kind=f"III{m}", freq_hz=1.5) for m in MODIFIERS},
    "grade4": dict(kind="IV", freq_hz=2.0),
    **{f"grade4{m}": dict(kind=f"IV{m}", freq_hz=2.0) for m in MODIFIERS},
    "hvla": dict(kind="V"),
    "mixed": dict(kind="mixed"),
}
"""What each scenario does: ``gradeN`` one grade's sets (III and IV with the crests at the middle
of R1–R2), ``grade3+``, ``grade4--``… III or IV with the crests at that modifier's place in R1–R2
(for the calibration above: ``--`` just past R1, ``++`` just short of R2; the simulator's
``_Q_AIM``), ``hvla`` thrusts (one with a let-up), ``mixed`` a bit of everything."""


def scenario_signal(name: str, rate_hz: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """One pass of a scenario: ``(t_s, force_n, truth)``; times start at 0."""
    if name not in SCENARIOS:
        raise InputError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
    spec = SCENARIOS[name]
    scheme = GradingScheme(R1_N, R2_N)
    sim = Sim(R1_N, R2_N, seed=seed)
    if spec["kind"] == "mixed":
        mixed(sim, scheme)
    elif spec["kind"] == "V":
        for letup in (0.0, 25.0, 0.0):
            technique("V", sim, scheme, preload_n=sim.rng.uniform(100, 160), peak_n=sim.rng.uniform(400, 650),
                      ttp_ms=sim.rng.uniform(90, 170), letup_n=letup)
    else:
        technique(spec["kind"], sim, scheme, freq_hz=spec["freq_hz"], cycles=15, sets=2)
    t, y = sim.sample(rate_hz, Noise(noise_n=0.3, tremor_n=0.4))
    return t, y, sim.truth()
