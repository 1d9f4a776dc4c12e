"""The review's details of a thrust seen by a hand-worn IMU alone say how far the hand moved from
onset to peak, as the trainer does ("hand moved"); its forces are "–" (no unit) and the movement was not
shown at all. A thrust measured by force has no such row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from .conftest import imu_and_force_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _click_thrust(view, qtbot) -> dict:
    th = view.rs.of_type("thrust")[0]
    row = next(i for i, e in enumerate(view._listed) if e is th)
    view.events_table.scrollToItem(view.events_table.item(row, 0))
    rect = view.events_table.visualItemRect(view.events_table.item(row, 0))
    qtbot.mouseClick(view.events_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return th


def test_an_imu_only_thrusts_details_say_how_far_the_hand_moved(qtbot, tmp_path, capsys):
    root, imu, force, sim = imu_and_force_sessions(tmp_path)     # the same thrust, by force alone too
    capsys.readouterr()
    win = shown_review(qtbot, root)
    view = win.session_view

    win.open_session(imu)
    th = _click_thrust(view, qtbot)
    d = view.details_dict()
    # no force: its forces and rates are unknown, shown without a unit after the dash
    assert d["event"] == "thrust" and d["peak"] == d["preload"] == d["mean rate"] == "–"
    assert th["displacement_mm"] is not None and d["hand moved"] == f"{th['displacement_mm']:.1f} mm"
    # the simulated hand went this far from onset to peak (x.imu-expected.jsonl)
    truth = [json.loads(line) for line in sim.with_name("x.imu-expected.jsonl").read_text().splitlines()]
    true_mm = next(e["displacement_mm"] for e in truth if e["type"] == "thrust")
    assert abs(float(d["hand moved"].split()[0]) - true_mm) < 0.15 * true_mm
    # every row of the panel in view, the movement's among them
    details = view.details
    qtbot.waitUntil(lambda: details.viewport().height() >= details.verticalHeader().length(), timeout=2000)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_imu_thrust_moved.png"))

    win.open_session(force)
    _click_thrust(view, qtbot)
    d = view.details_dict()
    assert d["event"] == "thrust" and d["peak"].endswith(" N") and "hand moved" not in d
