"""Aiming at an HVLA thrust (target V), the words on a thrust that let up give the let-up in
tenths of a newton, as the HVLA numbers, replay and the review do, with another decimal where a
tenth would read under the bar of flagging: the trainer's caption, record's status line and the
library's V score said "target V: off target — let-up 27 N" beside the HVLA tab's "26.6 N"."""

from __future__ import annotations

import pytest

from analysis.events import ThrustEvent
from analysis.scheme import GradingScheme
from ui.cmd_record import live_verdict
from ui.library.stats import describe_thrust_verdict
from ui.trainer.panels import ThrustPanel
from ui.trainer.target import Target, thrust_verdict


def _thrust(preload_n: float, letup_n: float) -> ThrustEvent:
    return ThrustEvent(t_onset=13.4, t_peak=13.535, preload_n=preload_n, peak_n=600.0, time_to_peak_ms=120.0,
                       duration_ms=190.0, rate_n_per_s=3750.0, max_rate_n_per_s=6000.0, letup_n=letup_n,
                       letup=True, index=2)


@pytest.mark.parametrize("preload_n, letup_n, said", [
    (133.0, 26.64, "26.6"),
    # flagged from 6.61 N: a tenth ("6.6") would read under the HVLA tab's bar "<6.7 N"
    (132.2, 6.62, "6.62"),
])
def test_the_verdict_on_a_let_up_gives_the_hvla_numbers_figure(qtbot, preload_n, letup_n, said):
    t = _thrust(preload_n, letup_n)
    aim = Target.parse("V")
    numbers = ThrustPanel()
    qtbot.addWidget(numbers)
    numbers.show_thrust(t)
    assert numbers.values["let-up"].text().startswith(f"{said} N"), numbers.values["let-up"].text()
    words = f"let-up {said} N"
    assert thrust_verdict(t, aim) == (f"target V: off target — {words}", False)           # the trainer's caption
    assert live_verdict(GradingScheme(40.0, 120.0), "V")(t) == f"target V: off target — {words}"   # record's
    stored = {"type": "thrust", "preload_n": preload_n, "peak_n": 600.0, "letup_n": letup_n, "letup": True}
    assert describe_thrust_verdict(stored, aim) == f"no — {words}"                        # the library's
    # replay's thrusts table, the report's and the review's let-up column
    from ui.table import describe_letup
    assert describe_letup(letup_n, True, 1, " N", preload_n=preload_n) == f"{said} N flagged"
