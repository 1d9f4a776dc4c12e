"""A force sensor with a worn IMU whose IMU starts before its force (a recording's IMU file
ahead of its force file): the trainer never shows the view of an IMU alone ("waiting for the
IMU", the movement axis) before the first force sample. The view went by which stream had sent
first, not by what the source says it has."""

from __future__ import annotations

import pytest

from ui.cmd_screenshot import render
from ._imu_startup import LEAD_S, _imu_first, _live

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_imu_alone_view_never_shows_before_a_force_sensors_first_force(qtbot, tmp_path):
    win, eng, worker, seen = _live(qtbot, tmp_path, _imu_first(tmp_path))
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.samples.get("imu", 0) > 0, timeout=30_000)
        qtbot.waitUntil(lambda: (eng.force.last_t or 0.0) > LEAD_S + 1.0, timeout=30_000)
    finally:
        win.close()
    # the IMU sent alone for 1 s of the clock: it was 'waiting for the IMU: ...' on the mm axis
    assert seen and all(label == "force" and not note for label, note in seen), sorted(set(seen))[:3]
    assert "IMU alone" not in win.status.text()


def test_an_imu_alone_played_from_its_file_shows_its_view_from_the_first_frame(qtbot, tmp_path):
    _imu_first(tmp_path)
    alone = tmp_path / "worn"
    alone.mkdir()
    (alone / "x.imu.csv").write_bytes((tmp_path / "x.imu.csv").read_bytes())
    win, eng, worker, seen = _live(qtbot, tmp_path, alone / "x.imu.csv")
    worker.start()
    try:
        qtbot.waitUntil(lambda: len(seen) >= 5, timeout=30_000)
    finally:
        win.close()
    assert all(label == "hand movement" for label, _ in seen)
    assert seen[0][1].startswith("waiting for the IMU")
    assert "IMU alone" in win.status.text()


def test_a_screenshot_before_the_force_comes_shows_the_force_view(qtbot, tmp_path):
    """``screenshot --replay`` of the same recording at 1 s, while only its IMU has sent: the
    force view (empty so far), as live; it drew 'waiting for the IMU' on the movement axis."""
    from ui.cli import build_parser
    path = _imu_first(tmp_path)
    args = build_parser().parse_args(["screenshot", "--replay", str(path), "--at", "1.0",
                                      "-o", str(tmp_path / "shot.png")])
    win = render(args)
    qtbot.addWidget(win)
    assert win.force_plot.getPlotItem().getAxis("left").labelText == "force"
    assert not win.force_plot.drawn.get("note")
