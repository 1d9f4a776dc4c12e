"""The trainer playing a session recorded with ``--min-amplitude`` (``--device file:SESSION``, or
the session chosen with S) grades it live with that minimum amplitude, as ``replay`` grades the
folder, and a recording made meanwhile keeps it; ``--min-amplitude`` wins, and another source
chosen after it is graded with the default rule again. The trainer graded such a session with
the default minimum: oscillations of 16 N, no cycle under 20 N, were graded as cycles."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.session import SessionMeta, SessionWriter
from firmware_bridge.session_scheme import keep_scheme

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _session(tmp_path):
    """2 s of 16 N peak to peak around 60 N at 2 Hz (cycles over the default minimum, 4 N: 10 %
    of R1 40 N), recorded with a minimum amplitude of 20 N."""
    folder = tmp_path / "anna"
    scheme = GradingScheme(40.0, 120.0).with_min_amplitude(20.0)
    w = SessionWriter(folder, keep_scheme(SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0), scheme))
    t = np.arange(0.0, 2.0, 0.002)
    w.append_force(t, 60 + 8 * np.sin(2 * np.pi * 2.0 * t))
    w.close(500.0)
    return folder


def _trainer(qtbot, tmp_path, *args):
    from ui import cmd_trainer
    from ui.cli import build_parser

    argv = ["trainer", *map(str, args), "--sessions", str(tmp_path / "rec")]
    win = cmd_trainer.build(build_parser("trainer").parse_args(argv), start=False)
    qtbot.addWidget(win)
    win.show()
    return win, win.engine


def _min_amplitude(folder):
    return json.loads((folder / "session.json").read_text())["extra"].get("min_amplitude_n")


@pytest.mark.parametrize("given", [None, 3.0])
def test_a_played_session_is_graded_live_with_its_minimum_amplitude_unless_one_is_given(qtbot, tmp_path, given):
    session = _session(tmp_path)
    win, eng = _trainer(qtbot, tmp_path, "--device", f"file:{session}",
                        *(["--min-amplitude", given] if given is not None else []))
    try:
        folder = win.start_recording()
        win.worker.start()
        qtbot.waitUntil(lambda: eng.finished, timeout=30_000)
        assert win.stop_recording() == folder
    finally:
        win.close()
    if given is None:
        assert len(eng.cycles) == 0                 # under 20 N: no cycle, as replay grades the session
        assert _min_amplitude(folder) == 20.0
    else:
        assert len(eng.cycles) >= 2                 # the command line's wins
        assert _min_amplitude(folder) == given


def test_a_session_chosen_as_source_brings_its_minimum_amplitude_and_takes_it_away(qtbot, tmp_path):
    session = _session(tmp_path)
    win, eng = _trainer(qtbot, tmp_path, "--device", "emulator:grade3", "--r1", 40, "--r2", 120)
    try:
        assert win.switch_source(f"file:{session}")
        played = win.start_recording()
        qtbot.waitUntil(lambda: eng.finished, timeout=30_000)
        assert win.stop_recording() == played
        assert len(eng.cycles) == 0
        assert win.switch_source("emulator:grade3")
        qtbot.waitUntil(lambda: eng.force.last_t is not None, timeout=30_000)
        emulated = win.start_recording()
        qtbot.waitUntil(lambda: eng.force.last_t > 0.5, timeout=30_000)
        assert win.stop_recording() == emulated
    finally:
        win.close()
    assert _min_amplitude(played) == 20.0
    assert _min_amplitude(emulated) is None        # the default rule again, as before the session
