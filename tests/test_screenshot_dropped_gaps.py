"""``gradecoach screenshot --replay`` of a recording that marks samples lost shows them in the
status line, as the trainer shows a live source's losses and as ``replay`` warns of them: a BLE
capture missing three notifications, and a session whose session.json stores three gaps of 10
lost samples. It read 'dropped 0': the screenshot fed the data and never looked at the gaps."""

from __future__ import annotations

import re

import pytest

from firmware_bridge.ble_record import FIXTURES, read_stream, write_stream
from tests.conftest import ROOT
from tests.firmware_bridge._gapped_session import recorded_session
from ui import cmd_screenshot
from ui.cli import build_parser

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
FIX = ROOT / "fixtures" / "ble"


def _dropped(tmp_path, replay, at: float) -> int:
    """The count the status line of the screenshot at ``at`` shows as dropped."""
    args = build_parser("screenshot").parse_args(["screenshot", "--replay", str(replay), "--at", str(at),
                                                  "--r1", "40", "--r2", "120", "-o", str(tmp_path / "x.png")])
    win = cmd_screenshot.render(args)
    try:
        return int(re.search(r"\bdropped (\d+)\b", win._status_text()).group(1))
    finally:
        win.close()


@pytest.mark.parametrize("name", ["progressor_grade4", "gradecoach_grade3"])
def test_a_capture_missing_notifications_shows_the_samples_lost(tmp_path, name):
    meta, records = read_stream(FIX / f"{name}.jsonl")
    path = tmp_path / f"{name}-lossy.jsonl"
    write_stream(path, meta, [r for i, r in enumerate(records) if i not in range(40, 43)])
    k = FIXTURES[name]["per_notification"]
    assert _dropped(tmp_path, path, 3.0) == 3 * k
    assert _dropped(tmp_path, FIX / f"{name}.jsonl", 3.0) == 0      # (nothing missing: nothing lost)


def test_a_session_with_stored_gaps_shows_the_samples_lost_up_to_the_time_shown(tmp_path):
    folder = recorded_session(tmp_path / "s")          # 3 gaps of 10 samples lost, and an unplug
    assert _dropped(tmp_path, folder, 6.5) == 30
    assert _dropped(tmp_path, folder, 4.8) == 10
    assert _dropped(tmp_path, folder, 1.0) == 0          # (before the first gap)          # (before the first gap)


def test_a_device_sending_force_and_imu_counts_a_lost_notification_once(tmp_path):
    """The project's firmware sends force and IMU samples in one notification: three lost
    notifications are 3 × its force samples lost, as replay says, not that count in each stream
    added up (the status line said twice the count)."""
    name = "gradecoach_grade3"
    meta, records = read_stream(FIX / f"{name}.jsonl")
    path = tmp_path / f"{name}-lossy.jsonl"
    write_stream(path, meta, [r for i, r in enumerate(records) if i not in range(40, 43)])
    k = FIXTURES[name]["per_notification"]
    args = build_parser("screenshot").parse_args(["screenshot", "--device", f"file:{path}", "--at", "2.9",
                                                  "--r1", "40", "--r2", "120", "-o", str(tmp_path / "x.png")])
    win = cmd_screenshot.render(args)
    try:
        assert "imu" in win.engine.samples and "force" in win.engine.samples
        assert int(re.search(r"\bdropped (\d+)\b", win._status_text()).group(1)) == 3 * k
    finally:
        win.close()
