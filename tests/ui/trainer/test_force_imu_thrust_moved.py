"""A force thrust recorded with a hand-worn IMU beside the force sensor: the HVLA readouts give
how far the hand moved from onset to peak (the thrust's displacement_mm) after the force's
numbers, which all stay (peak, preload, time to peak, rate, let-up); the grade panel gives it
in its caption under the peak. It was shown for a thrust seen by an IMU alone only."""

from __future__ import annotations

import json

import pytest

from analysis.events import ThrustEvent
from firmware_bridge.replay import analyze_input, load_input
from ui.cli import main

from .conftest import ARTIFACTS, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_force_thrust_with_an_imu_beside_it_shows_how_far_the_hand_moved(qtbot, tmp_path):
    assert main(["simulate", "--thrust", "--imu", "500", "-o", str(tmp_path / "x.csv")]) == 0
    path = tmp_path / "x.csv"                   # the force, its x.imu.csv beside it
    (ev,) = [e for e in analyze_input(load_input(path), *schemes()) if isinstance(e, ThrustEvent)]
    assert ev.source == "force" and ev.displacement_mm is not None
    win, eng = thrust_tab_window(qtbot, *schemes())
    win.resize(1366, 768)
    feed = Feeder(eng, win, path)
    feed.until(ev.t_onset + 1.0)
    assert eng.samples.get("imu", 0) > 0 and not eng.imu_only      # force drawn, the IMU beside it
    panel = win.thrust_panel
    v, names = panel.values, panel.names
    moved = f"{ev.displacement_mm:.1f} mm"
    assert names["hand moved"].isVisible() and v["hand moved"].isVisible()
    assert v["hand moved"].text() == moved
    # the simulated hand went 4.1 mm from onset to peak (x.imu-expected.jsonl)
    truth = [json.loads(line) for line in (tmp_path / "x.imu-expected.jsonl").read_text().splitlines()]
    true_mm = next(e["displacement_mm"] for e in truth if e["type"] == "thrust")
    assert abs(float(v["hand moved"].text().split()[0]) - true_mm) < 0.15 * true_mm
    # the force's numbers all stay, under their own names
    assert names["peak"].text() == "peak" and v["peak"].text() == f"{ev.peak_n:.0f} N"
    assert v["preload"].text() == f"{ev.preload_n:.0f} N"
    assert v["time to peak"].text() == f"{ev.time_to_peak_ms:.0f} ms"
    assert v["rate"].text() == f"{ev.rate_n_per_s / 1000:.1f} kN/s"
    assert v["let-up"].text().split()[1] in ("N", "N:")            # ("1 N: none" under the flag)
    for k in panel.FIELDS:                      # each one drawn whole, none on top of another
        assert names[k].isVisible() and v[k].isVisible()
        assert v[k].width() >= v[k].fontMetrics().horizontalAdvance(v[k].text())
    rects = [v[k].geometry() for k in panel.FIELDS] + [names[k].geometry() for k in panel.FIELDS]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])
    # the grade panel: V, its peak force, and the movement beside the force
    g = win.grade_panel
    assert g.grade.text() == "V" and g.values["crest"].text() == f"{ev.peak_n:.0f} N"
    assert g.caption.text() == f"thrust · hand moved {moved}"
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_force_imu_thrust.png"))


def test_a_force_thrust_without_an_imu_has_no_movement_field(qtbot, tmp_path):
    assert main(["simulate", "--thrust", "-o", str(tmp_path / "x.csv")]) == 0
    win, eng = thrust_tab_window(qtbot, *schemes())
    Feeder(eng, win, tmp_path / "x.csv").until(6.0)
    assert eng.thrusts and win.thrust_panel.values["peak"].text().endswith(" N")
    assert not win.thrust_panel.values["hand moved"].isVisible()
    assert not win.thrust_panel.names["hand moved"].isVisible()
    assert win.grade_panel.caption.text() == "thrust"
