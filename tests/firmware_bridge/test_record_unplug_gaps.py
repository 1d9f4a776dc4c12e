"""'gradecoach record' of a serial sensor unplugged and plugged back (the emulator on a real
pseudo-terminal): the time it was away is one gap event, reason 'disconnected', as session.json
lists it; the analysis's own 'dropout' over the same hole is not written beside it."""

from __future__ import annotations

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import record
from firmware_bridge.session import open_session
from tests.conftest import pty_recording


def test_an_unplug_and_back_is_one_gap_event_disconnected(tmp_path):
    state = {"away": None, "back": False}
    with pty_recording(tmp_path, "grade3", 1000, GradingScheme(40, 120), speed=2.0) as (em, src, w):

        def stop():
            if state["away"] is None and em.sent >= 2000:
                em.unplug()
                state["away"] = em.sent
            elif state["away"] is not None and not state["back"] and em.sent >= state["away"] + 2000:
                em.open_pty()
                state["back"] = True
            return em.sent >= 7000

        record(src, w, GradingScheme(40, 120), stop=stop)
    s = open_session(tmp_path / "sess")
    long_gaps = [g for g in s.meta.gaps if g["t_end"] - g["t_start"] >= 1.0]   # (not a lost frame)
    (gap,) = long_gaps
    assert gap["reason"] == "disconnected"
    over = [e for e in s.events if e["type"] == "gap" and e["t_start"] <= gap["t_end"] and e["t_end"] >= gap["t_start"]]
    assert [e["reason"] for e in over] == ["disconnected"]
