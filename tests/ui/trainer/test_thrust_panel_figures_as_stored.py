"""The trainer's HVLA readout gives a thrust's first pop and its let-up's bar as replay, the
review and the report give them: the first pop read "27 ms before peak force" where they said
26 (the stored -26.5 ms rounds to 26, the trainer's unrounded -26.50000x to 27), and the let-up's
heading "<7 N" where they said "under 6.7 N"."""

from __future__ import annotations

from analysis.events import CavitationEvent, ThrustEvent
from analysis.scheme import GradingScheme
from analysis.summary import Summarizer, describe_pops
from ui.table import describe_letup
from ui.trainer.panels import ThrustPanel


def thrust(**kw) -> ThrustEvent:
    d = dict(t_onset=13.4, t_peak=13.535, preload_n=133.0, peak_n=600.0, time_to_peak_ms=120.0, duration_ms=190.0,
             rate_n_per_s=3750.0, max_rate_n_per_s=6000.0, letup_n=0.3, letup=False, index=2)
    return ThrustEvent(**{**d, **kw})


def test_the_first_pop_reads_as_the_stored_summary_says_it(qtbot):
    t = thrust()
    # the first pop a hair more than 26.5 ms before the peak, as the analysis's float times give it
    pops = [CavitationEvent(t=13.5085 - 1e-10 + k * 0.02, level_db=-20.0, thrust=2) for k in range(4)]
    s = Summarizer(GradingScheme(40.0, 120.0))
    s.add([t, *pops])
    stored = s.summary(20.0, heard=(0.0, 20.0), window_s=0.15).to_dict()["thrusts"][0]
    panel = ThrustPanel()
    qtbot.addWidget(panel)
    panel.show_thrust(t, pops)
    assert panel.pops_line.text() == describe_pops(stored["pops"], stored["first_pop_ms_from_peak"])
    assert panel.pops_line.text() == "4 pops, first 26 ms before peak force"


def test_the_let_ups_bar_is_replays_figure(qtbot):
    panel = ThrustPanel()
    qtbot.addWidget(panel)
    for preload_n, letup_n in ((133.0, 0.3), (141.0, 2.0)):        # flagged from 6.65 N and 7.05 N
        t = thrust(preload_n=preload_n, letup_n=letup_n)
        panel.show_thrust(t)
        said = describe_letup(t.letup_n, t.letup, 1, " N", t.preload_n)       # replay's: "0.3 N (under 6.7 N: none)"
        bar = said.split("(under ")[1].split(":")[0]
        assert panel.names["let-up"].text() == f"let-up (<{bar}: none)", said
        assert panel.values["let-up"].text() == f"{said.split(' (')[0]}: none"
