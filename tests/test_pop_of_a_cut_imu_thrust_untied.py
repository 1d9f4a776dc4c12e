"""A pop heard during an IMU's thrust names that thrust at once; when the IMU's data then break off
before the thrust is known, the thrust is not given, and the summary counts the pop as outside any
thrust. The trainer's plot, the review's event list and the report drew it as tied all the same
(filled, "thrust 1"): they now tie it to none, as the summary does.

The recording is ``simulate --grade V --sets 3 --imu 500 --audio 16000 --seed 2`` with the IMU's
data stopping 0.14 s into the first thrust (past its first pop) and coming back at 5 s.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from analysis.chunk import Chunk
from analysis.events import CavitationEvent
from analysis.pipeline import Analyzer
from analysis.scheme import ThrustScheme
from analysis.summary import untie_dangling
from firmware_bridge.replay import analyze_input, load_input
from tests.analysis._imu_pop_recording import SC, live, recording
from ui.library.stored import session_events
from ui.review.data import describe
from ui.trainer.engine import Engine

POP_T = 3.2146                  # the first thrust's first pop, before the data stop
CUT = (3.098 + 0.14, 5.0)       # the IMU's data stop 0.14 s into that thrust, and come back


@pytest.fixture(scope="module")
def rec(tmp_path_factory):
    d = tmp_path_factory.mktemp("cut_imu_thrust")
    r = recording(d, 2)
    r["dir"] = d
    return r


def _keep(rec):
    ti = rec["imu"][0]
    return (ti < CUT[0]) | (ti >= CUT[1])


def _pop(events, t=POP_T):
    got = [e for e in events if (e.get("type") if isinstance(e, dict) else e.TYPE) == "cavitation"
           and abs((e["t"] if isinstance(e, dict) else e.t) - t) < 1e-3]
    assert len(got) == 1
    return got[0]


def test_the_analysis_knows_which_thrust_was_cut(rec):
    ti, vi = rec["imu"]
    a = Analyzer(SC, streams=("imu",))
    a.feed(Chunk(ti, vi, -1, "imu", 500.0))
    a.finish()
    assert a.thrusts_cut() == set()                   # the whole recording: none cut
    keep = _keep(rec)
    a = Analyzer(SC, streams=("imu",))
    a.feed(Chunk(ti[keep], vi[keep], -1, "imu", 500.0))
    a.finish()
    assert a.thrusts_cut() == {0}


def test_the_trainer_shows_the_pop_tied_then_outside_once_the_data_break_off(rec):
    """Live, the pop is the thrust's at once (filled on the plot); once the data are known to
    have broken off in that thrust, it is outside any (outlined), as the summary counts it."""
    keep = _keep(rec)
    (ti, vi), (ta, x, sr) = rec["imu"], rec["audio"]
    ti, vi = ti[keep], vi[keep]
    eng = Engine(SC, ThrustScheme(), clock=lambda: 0.0)
    seen_tied = False
    edges = np.arange(0.0, max(ti[-1], ta[-1]) + 0.02, 0.01)
    for lo, hi in zip(edges[:-1], edges[1:]):
        for name, t, v, r in (("imu", ti, vi, 500.0), ("audio", ta, x, sr)):
            i, j = np.searchsorted(t, [lo, hi])
            if j > i:
                eng.feed(Chunk(t[i:j], v[i:j], -1, name, r))
        pops = [p for p in eng.pops if abs(p.t - POP_T) < 1e-3]
        if pops and hi < CUT[1]:
            seen_tied |= pops[0].thrust == 0           # (the thrust in progress, live)
    assert seen_tied
    eng.played_to_end()
    assert _pop(list(eng.pops)).thrust is None
    # the two thrusts after the dropout keep their own pops, three each
    tied = [p.thrust for p in eng.pops if p.thrust is not None]
    assert sorted(set(tied)) == [1, 2] and len(tied) == 6


@pytest.fixture(scope="module")
def folder(rec, tmp_path_factory):
    """A session folder as the recorder leaves it: the cut IMU data, the sound, and the events
    given live (the pop with the cut thrust's index, the summary counting it outside)."""
    f = tmp_path_factory.mktemp("session") / "s"
    f.mkdir()
    d = rec["dir"]
    lines = (d / "v.imu.csv").read_text().splitlines()
    kept = [lines[0]] + [ln for ln in lines[1:] if not CUT[0] <= float(ln.split(",")[0]) < CUT[1]]
    (f / "imu.csv").write_text("\n".join(kept) + "\n")
    shutil.copy(d / "v.flac", f / "audio.flac")
    (f / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2026-10-01T10:00:00", "trainee": "Noah", "technique": "HVLA",
        "r1_n": 40.0, "r2_n": 120.0, "complete": True,
        "streams": {"imu": {"file": "imu.csv", "rate_hz": 500.0},
                    "audio": {"file": "audio.flac", "rate_hz": 16000.0}}}))
    ev = [e.to_dict() for _, e in live(rec, _keep(rec))]
    assert _pop(ev)["thrust"] == 0                     # as given live
    (f / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in ev))
    return f


def test_a_replay_ties_the_pop_to_no_thrust(folder):
    ev = analyze_input(load_input(folder), SC)
    assert _pop(ev).thrust is None
    assert [p.thrust for p in ev if isinstance(p, CavitationEvent) and p.thrust is not None] == [1] * 3 + [2] * 3
    s = ev[-1]
    assert round(s.pops_outside_thrusts[0]["t"], 3) == 3.215


def test_the_review_and_the_library_list_the_pop_with_no_thrust(folder):
    events, source, _ = session_events(folder)
    assert source == "stored"                          # (the events given live, read back)
    pop = _pop(events)
    assert pop["thrust"] is None
    assert ("thrust", "–") in describe(pop)
    # the others keep their thrusts' numbers
    assert [("thrust", "2") in describe(e) for e in events if e.get("type") == "cavitation"].count(True) == 3


def test_untie_dangling_leaves_pops_of_given_thrusts_alone():
    ev = [{"type": "thrust", "index": 1}, {"type": "cavitation", "t": 1.0, "thrust": 0},
          {"type": "cavitation", "t": 1.1, "thrust": 1}, {"type": "cavitation", "t": 2.0, "thrust": None}]
    assert [e.get("thrust") for e in untie_dangling(ev)] == [None, None, 1, None]
    assert ev[1]["thrust"] == 0                        # (a copy: the events read are not changed)
