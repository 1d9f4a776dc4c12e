"""The review's details of a thrust call its amplitude over its time to peak "mean rate" and give
it as the trainer's panels do ("3.3 kN/s"); it said "rate" in N/s ("3255 N/s"), which read as
another figure than the trainer's "mean rate"."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from analysis.events import event_from_dict
from ui.review.data import describe
from ui.trainer.panels import ThrustPanel

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_thrusts_mean_rate_reads_as_in_the_trainer(qtbot, tmp_path):
    folder = make_session(tmp_path / "ana", kinds=("V",), target="V", seed=3)
    stored = [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines()]
    t = next(e for e in stored if e["type"] == "thrust")
    win = shown_review(qtbot, tmp_path)
    win.open_session(folder)
    view = win.session_view
    table = view.events_table
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == "thrust")
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(row, 1)).center())
    d = view.details_dict()
    assert d["event"] == "thrust" and "rate" not in d

    panel = ThrustPanel()                    # the trainer's HVLA panel, shown the same thrust
    qtbot.addWidget(panel)
    panel.show_thrust(event_from_dict(t))
    assert panel.names["rate"].text() == "mean rate"
    assert d["mean rate"] == panel.values["rate"].text() == f"{t['rate_n_per_s'] / 1000:.1f} kN/s"
    # the steepest rate beside it, in the same unit
    assert d["max rate"] == f"{t['max_rate_n_per_s'] / 1000:.1f} kN/s"


def test_a_thrust_with_no_force_has_no_mean_rate():
    e = {"type": "thrust", "index": 0, "t_onset": 3.7, "t_peak": 3.8, "preload_n": None, "peak_n": None,
         "time_to_peak_ms": 104.0, "duration_ms": None, "rate_n_per_s": None, "max_rate_n_per_s": None,
         "letup_n": None, "letup": False, "displacement_mm": 3.9}
    d = dict(describe(e))
    assert d["mean rate"] == d["max rate"] == "–"           # no unit after the dash
    assert dict(describe({**e, "rate_n_per_s": float("nan")}))["mean rate"] == "–"
