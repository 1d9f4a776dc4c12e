"""A recording of sound alone (no force sensor, no IMU) says in the grade panel what is done with
it: pops are listened for, and there is no force sensor to grade. It said "waiting for the first
cycle", which never came."""

from __future__ import annotations

import pytest

from firmware_bridge.sources import FileSource
from ui.cli import build_parser
from ui.cmd_screenshot import render

from .conftest import ARTIFACTS, REPO, Feeder, live_window, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

SOUND = REPO / "fixtures" / "thrust_pops.flac"    # pops at 3.2 s and 7.5 s (replay gives them)


def _words(label) -> str:
    return " ".join(label.text().split())


def test_a_screenshot_of_sound_alone_says_it_listens_for_pops(qtbot, tmp_path):
    args = build_parser().parse_args(["screenshot", "--replay", str(SOUND), "--at", "9", "--size", "1366x768",
                                      "-o", str(tmp_path / "shot.png")])
    win = render(args)
    qtbot.addWidget(win)
    n = len(win.engine.pops)
    assert n >= 2                                        # (the pops of both thrusts)
    said = _words(win.grade_panel.caption)
    assert said == f"sound only: listening for pops ({n} heard) · no force sensor"
    assert "waiting" not in said
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_sound_alone_hint.png"))


def test_a_recording_of_sound_alone_played_live_says_so_before_its_first_pop(qtbot, tmp_path):
    win, eng, worker = live_window(qtbot, tmp_path, FileSource(str(SOUND), speed=4.0))
    worker.start()
    try:
        qtbot.waitUntil(lambda: (eng.audio_env.last_t or 0.0) > 0.5, timeout=30_000)
        win.refresh()
        if not eng.pops:                                  # (the first pop is at 3.2 s)
            assert _words(win.grade_panel.caption) == "sound only: listening for pops · no force sensor"
        qtbot.waitUntil(lambda: len(eng.pops) >= 1, timeout=30_000)
        win.refresh()
        assert _words(win.grade_panel.caption).startswith("sound only: listening for pops (")
        assert win.grade_panel.grade.text() == "–"
    finally:
        win.close()


def test_sound_from_a_source_that_cannot_say_its_sensor_waits_for_its_force(qtbot):
    """Sound before a sensor's first sample, from a source that cannot say what its sensor gives
    (a serial device holds its first second back): its force may still come."""
    win, eng = thrust_tab_window(qtbot)
    assert eng.sensor_streams is None
    Feeder(eng, win, SOUND).until(1.0)
    assert eng.audio_env.last_t is not None and eng.force.last_t is None
    assert _words(win.grade_panel.caption) == "no force yet: listening for pops"


def test_force_with_sound_still_waits_for_its_first_cycle(qtbot):
    win, eng = thrust_tab_window(qtbot)
    Feeder(eng, win, REPO / "fixtures" / "thrust_pops.csv").until(1.0)
    assert _words(win.grade_panel.caption) == "waiting for the first cycle"
