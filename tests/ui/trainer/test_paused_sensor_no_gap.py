"""A serial sensor that stops sending for a while and then hands over everything it took meanwhile
(the emulator paused and resumed, a device that hung and caught up): nothing was lost, so the
trainer marks no gap, on the screen or in its recording, as ``record`` marks none. A silence after
which samples are missing is still one gap, "disconnected"."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.events import GapEvent
from analysis.chunk import Chunk
from firmware_bridge.session import open_session
from firmware_bridge.sources import Notice
from ui.trainer.engine import Engine
from ui.trainer.recording import Recorder

from .conftest import schemes

RATE_HZ = 1000.0
SPEC = "serial:s.pty"


def _force(t0_s: float, n: int, seq0: int) -> Chunk:
    t = t0_s + np.arange(n) / RATE_HZ
    return Chunk(t, 5.0 + 20.0 * np.sin(2 * np.pi * 1.5 * t), seq0, "force", RATE_HZ)


def _silent(eng: Engine, t_last_s: float) -> None:
    """The notice the serial source gives when nothing came for a while (its ``_went_silent``)."""
    eng.notice(Notice("disconnected", f"no data from {SPEC} for 2 s (the port is open: the device stopped "
                                      f"sending or hangs); what it does not send is marked as a gap", t_last_s))


def _recorded(tmp_path, back) -> tuple[Engine, Recorder, list]:
    """7 s of force recorded, a silence told of, then ``back(eng, t_next_s, seq_next)`` and 3 s more."""
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    rec = Recorder(tmp_path / "r", s, th)
    eng.start_recording(rec)
    n = 100
    for i in range(70):
        eng.feed(_force(i * n / RATE_HZ, n, i * n))
    t_last = float(eng.force.last_t)
    _silent(eng, t_last)
    t_next, seq_next = back(eng, t_last + 1 / RATE_HZ, 70 * n)
    for i in range(30):
        eng.feed(_force(t_next + i * n / RATE_HZ, n, seq_next + i * n))
    events, _ = eng.drain()
    eng.stop_recording()
    return eng, rec, events


def test_a_silence_after_which_all_of_it_came_is_no_gap(tmp_path):
    def all_came_late(eng, t_next, seq_next):
        # (the serial source's _emit: its first samples again follow the last at the rate)
        eng.notice(Notice("reconnected", f"{SPEC}: data again after 4.0 s, all of it: what the device "
                                         f"took meanwhile came late; no gap"))
        return t_next, seq_next

    eng, rec, events = _recorded(tmp_path, all_came_late)
    assert eng.disconnected is None
    assert eng.gaps == [] and not any(isinstance(e, GapEvent) for e in events)     # none shaded
    assert eng.dropped == 0
    ses = open_session(rec.path)
    assert ses.meta.gaps == []
    assert [e for e in ses.events if e["type"] == "gap"] == []
    assert np.all(np.diff(ses.force.t_s) < 1.5 / RATE_HZ)            # every sample kept


def test_a_silence_after_which_samples_are_missing_is_one_gap_disconnected(tmp_path):
    away_s = 4.0

    def samples_missing(eng, t_next, seq_next):
        t_from = t_next - 1 / RATE_HZ
        eng.notice(Notice("reconnected", f"{SPEC}: data again after {away_s:.1f} s; {away_s:.1f} s without "
                                         f"samples marked as a gap", t_from, t_from + away_s))
        return t_from + away_s, seq_next + int(away_s * RATE_HZ)

    eng, rec, events = _recorded(tmp_path, samples_missing)
    (g,) = eng.gaps
    assert g.reason == "disconnected" and g.t_end - g.t_start == pytest.approx(away_s)
    ses = open_session(rec.path)
    (gap,) = ses.meta.gaps
    assert gap["reason"] == "disconnected" and gap["t_end"] - gap["t_start"] > away_s - 0.01


def test_a_silence_said_over_with_no_time_but_samples_missing_is_one_gap(tmp_path):
    def back_later(eng, t_next, seq_next):
        eng.notice(Notice("reconnected", f"{SPEC}: data again after 4.0 s, all of it: what the device "
                                         f"took meanwhile came late; no gap"))
        return t_next + 4.0, seq_next + 4000

    eng, rec, events = _recorded(tmp_path, back_later)
    (g,) = eng.gaps
    assert g.reason == "disconnected" and g.t_end - g.t_start == pytest.approx(4.0 + 1 / RATE_HZ)
    (gap,) = open_session(rec.path).meta.gaps
    assert gap["reason"] == "disconnected"
