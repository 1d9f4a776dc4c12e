"""The grade panel's caption for a thrust that let up gives the let-up in tenths of a newton, as
the HVLA numbers beside it, replay and the review do: it said "thrust: let-up 27 N before the
thrust" beside their "26.6 N"."""

from __future__ import annotations

from analysis.events import ThrustEvent
from ui.table import describe_letup
from ui.trainer.panels import GradePanel, ThrustPanel


def test_a_let_ups_caption_gives_the_figure_the_hvla_numbers_and_replay_give(qtbot):
    t = ThrustEvent(t_onset=13.4, t_peak=13.535, preload_n=133.0, peak_n=600.0, time_to_peak_ms=120.0,
                    duration_ms=190.0, rate_n_per_s=3750.0, max_rate_n_per_s=6000.0, letup_n=26.64, letup=True,
                    index=2)
    grade, numbers = GradePanel(), ThrustPanel()
    qtbot.addWidget(grade)
    qtbot.addWidget(numbers)
    grade.show_thrust(t)
    numbers.show_thrust(t)
    figure = describe_letup(t.letup_n, t.letup, 1, " N", t.preload_n).split(" flagged")[0]     # replay's: "26.6 N"
    assert numbers.values["let-up"].text().startswith(f"{figure} "), numbers.values["let-up"].text()
    assert grade.caption.text().replace("\n", " ") == f"thrust: let-up {figure} before the thrust"
