"""The trainer playing a session (``--device file:SESSION``, or the session chosen with S) grades it
live with the session's minimum amplitude (``--min-amplitude`` when it was recorded) and alpha,
as ``replay`` grades the folder, and a recording made meanwhile keeps them; ``--min-amplitude`` and
``--alpha`` win, and another source chosen after it is graded with the default rule and alpha
again. The trainer graded such a session with the default minimum and alpha 0.5: oscillations of
16 N, no cycle under 20 N, were graded as cycles, and small cycles (IV at alpha 0.8) as large (III)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.session import SessionMeta, SessionWriter
from firmware_bridge.session_scheme import keep_scheme

from .conftest import built_trainer

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _session(tmp_path, mean_n=60.0, swing_n=8.0, min_amplitude_n=20.0, alpha=0.8):
    """2 s of ``mean_n`` ± ``swing_n`` at 2 Hz, R1 40 N and R2 120 N, recorded with
    ``min_amplitude_n`` and ``alpha``. By default 16 N peak to peak: cycles over the default
    minimum (4 N: 10 % of R1), none over 20 N."""
    folder = tmp_path / "anna"
    scheme = GradingScheme(40.0, 120.0, alpha=alpha).with_min_amplitude(min_amplitude_n)
    meta = SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0, alpha=alpha)
    w = SessionWriter(folder, keep_scheme(meta, scheme))
    t = np.arange(0.0, 2.0, 0.002)
    w.append_force(t, mean_n + swing_n * np.sin(2 * np.pi * 2.0 * t))
    w.close(500.0)
    return folder


def _play(qtbot, win, eng):
    """Record the whole played session from its start; the recording's folder."""
    try:
        folder = win.start_recording()
        win.worker.start()
        qtbot.waitUntil(lambda: eng.finished, timeout=30_000)
        assert win.stop_recording() == folder
    finally:
        win.close()
    return folder


def _min_amplitude(folder):
    return json.loads((folder / "session.json").read_text())["extra"].get("min_amplitude_n")


def _alpha(folder):
    return json.loads((folder / "session.json").read_text())["alpha"]


@pytest.mark.parametrize("given", [None, 3.0])
def test_a_played_session_is_graded_live_with_its_minimum_amplitude_unless_one_is_given(qtbot, tmp_path, given):
    session = _session(tmp_path)
    win, eng = built_trainer(qtbot, tmp_path, "--device", f"file:{session}",
                        *(["--min-amplitude", given] if given is not None else []))
    folder = _play(qtbot, win, eng)
    if given is None:
        assert len(eng.cycles) == 0                 # under 20 N: no cycle, as replay grades the session
        assert _min_amplitude(folder) == 20.0
    else:
        assert len(eng.cycles) >= 2                 # the command line's wins
        assert _min_amplitude(folder) == given


def test_a_session_chosen_as_source_brings_its_minimum_amplitude_and_takes_it_away(qtbot, tmp_path):
    session = _session(tmp_path)
    win, eng = built_trainer(qtbot, tmp_path, "--device", "emulator:grade3", "--r1", 40, "--r2", 120)
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
    assert (_min_amplitude(played), _alpha(played)) == (20.0, 0.8)
    assert (_min_amplitude(emulated), _alpha(emulated)) == (None, 0.5)     # as before the session


@pytest.mark.parametrize("given", [None, 0.5])
def test_a_played_session_is_graded_live_with_its_alpha_unless_one_is_given(qtbot, tmp_path, given):
    session = _session(tmp_path, mean_n=40.0, swing_n=20.0, min_amplitude_n=None)   # 40 N amplitude, 60 N crest
    win, eng = built_trainer(qtbot, tmp_path, "--device", f"file:{session}", *(["--alpha", given] if given else []))
    folder = _play(qtbot, win, eng)
    grades = {c.grade for c in eng.cycles}
    if given is None:
        assert grades == {"IV"}                     # 40 N under 0.8 of 60 N: small, as replay grades it
        assert _alpha(folder) == 0.8
    else:
        assert grades == {"III"}                    # the command line's wins
        assert _alpha(folder) == 0.5
