"""A session whose microphone delivered far off its own rate (a sound file played as the default
input, faster than real time: session.json's audio ``rate_delivered_hz``, as ``record`` judged it)
has its thrusts' pops unknown in ``replay`` and ``report``; ``screenshot --replay`` of it, and of
it played (``--device file:``), said "0" and "no pop" under a thrust where a pop was heard nowhere
near it. Now the thrust panel says "–" and "pops not counted: its sound is not placed in time with
the force", as the trainer says of such a microphone live.

Real parts: the screenshot command's rendering (in process), the session folder as the writer
writes it, with the first two thrusts of fixtures/thrust_pops.csv and a quiet room's sound with no
pop near them; its audio entry is that of such an input."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from firmware_bridge.session import SessionMeta, SessionWriter
from tests._pops_audio import CSV, PEAKS_S, RATE_HZ, pops_flac

UNTIL_S = 9.0                   # the fixture's first two thrusts
AT_S = 8.9
NOT_PLACED = ("–", "pops not counted: its sound is not placed in time with the force")


def _session(tmp_path, delivered_hz: float):
    """A recorded folder of the first two thrusts, its sound (pops 1.5 s after each peak) from an
    input that delivered ``delivered_hz`` samples a second for its ``RATE_HZ``."""
    t, f = np.loadtxt(CSV, delimiter=",", skiprows=1, unpack=True)
    keep = t < UNTIL_S
    out = tmp_path / "rec"
    w = SessionWriter(out, SessionMeta(trainee="rosa", target="V", r1_n=40.0, r2_n=120.0))
    w.append_force(t[keep], f[keep])
    w.close(1000.0)
    pops_flac(out / "audio.flac", [p + 1.5 for p in PEAKS_S[:2]], UNTIL_S + 1.0)
    meta = json.loads((out / "session.json").read_text())
    meta["streams"]["audio"] = {"file": "audio.flac", "rate_hz": float(RATE_HZ), "channels": 1, "t0_s": 0.0,
                                "rate_measured_hz": None, "device": "default", "overflows": 0,
                                "dropped_blocks": 0, "lost_s": 0.0, "rate_delivered_hz": delivered_hz}
    (out / "session.json").write_text(json.dumps(meta))
    return out


def _args(replay) -> argparse.Namespace:
    from ui.cli import build_parser

    return build_parser().parse_args(["screenshot", "--replay", str(replay), "--at", str(AT_S), "-o", "x.png",
                                      "--size", "1000x700"])


def _shown(win) -> tuple[str, str]:
    p = win.thrust_panel
    return p.values["pops"].text(), p.pops_line.text()


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_replayed_session_sound_not_placed_in_time_has_its_pops_not_counted(qtbot, tmp_path):
    from ui.cmd_screenshot import render

    win = render(_args(_session(tmp_path, 240.0 * RATE_HZ)), [])
    qtbot.addWidget(win)
    assert win.engine.thrusts, "no thrust found"
    assert _shown(win) == NOT_PLACED                        # it said ("0", "no pop")
    assert "audio analysis off: its sound is not placed in time with the force" in win.status.full_text


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_a_session_whose_sound_kept_its_rate_says_no_pop(qtbot, tmp_path):
    from ui.cmd_screenshot import render

    win = render(_args(_session(tmp_path, float(RATE_HZ))), [])
    qtbot.addWidget(win)
    assert _shown(win) == ("0", "no pop")


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_played_session_sound_not_placed_in_time_has_its_pops_not_counted(qtbot, tmp_path, monkeypatch):
    from firmware_bridge.sources import SOURCES, FileSource
    from ui.cli import build_parser
    from ui.cmd_screenshot import render

    rec = _session(tmp_path, 240.0 * RATE_HZ)
    # (played 30 times faster than real time, for a test that does not wait the session's length)
    monkeypatch.setitem(SOURCES, "file", lambda rest: FileSource(rest, speed=30.0))
    args = build_parser().parse_args(["screenshot", "--device", f"file:{rec}", "--at", str(AT_S), "-o", "x.png",
                                      "--size", "1000x700"])
    win = render(args, [])
    qtbot.addWidget(win)
    assert win.engine.thrusts, "no thrust found"
    assert _shown(win) == NOT_PLACED                        # it said ("0", "no pop")
