"""``gradecoach record``'s status line gives the last thrust's first pop as replay, the review, the
report and the trainer give it: it said "first 27 ms before peak force" where they said 26 (the
stored -26.5 ms rounds to 26, the status line's unrounded -26.50000001 to 27)."""

from __future__ import annotations

from analysis.events import CavitationEvent, ThrustEvent
from analysis.scheme import GradingScheme
from analysis.summary import Summarizer, describe_pops
from firmware_bridge.recorder import RecordResult, _pops_said


def test_the_status_lines_first_pop_reads_as_the_stored_summary_says_it():
    t = ThrustEvent(t_onset=13.4, t_peak=13.535, preload_n=133.0, peak_n=600.0, time_to_peak_ms=120.0,
                    duration_ms=190.0, rate_n_per_s=3750.0, max_rate_n_per_s=6000.0, letup_n=0.3, letup=False,
                    index=2)
    # the first pop a hair more than 26.5 ms before the peak, as the analysis's float times give it
    pops = [CavitationEvent(t=13.5085 - 1e-10 + k * 0.02, level_db=-20.0, thrust=2) for k in range(3)]
    s = Summarizer(GradingScheme(40.0, 120.0))
    s.add([t, *pops])
    stored = s.summary(20.0, heard=(0.0, 20.0), window_s=0.15).to_dict()["thrusts"][0]
    res = RecordResult(last_grade="V", last_event=t, hearing=True, pops_by_thrust={2: [p.t for p in pops]})
    assert _pops_said(res) == describe_pops(stored["pops"], stored["first_pop_ms_from_peak"])
    assert _pops_said(res) == "3 pops, first 26 ms before peak force"
