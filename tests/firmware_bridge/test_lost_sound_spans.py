"""Where a microphone's sound was lost on the way: the silence standing in for it is marked on
its chunks (``analysis.chunk.LOST``), ``record`` leaves the pops of a thrust near it unknown (its
status line and its stored summary), and session.json's ``lost_at_s`` is read back by replay, an
entry not a pair of times left out with a one-line warning."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.chunk import LOST, Chunk, add_span, lost_span
from analysis.events import ThrustEvent
from firmware_bridge.recorder import RecordResult, _pops_said, _SoundHeard
from tests._cli_in_process import gc_here

FIX = Path(__file__).resolve().parents[2] / "fixtures"
RATE = 48000


def _sound(t0: float, seconds: float, lost: bool = False) -> Chunk:
    n = int(round(seconds * RATE))
    x = np.zeros(n, np.float32) if lost else np.random.default_rng(1).normal(0, 0.05, n).astype(np.float32)
    return Chunk(t0 + np.arange(n) / RATE, x, -1, "audio", RATE, meta={LOST: True} if lost else {})


def _thrust(t_peak: float) -> ThrustEvent:
    return ThrustEvent(t_onset=t_peak - 0.12, t_peak=t_peak, preload_n=133.0, peak_n=600.0, time_to_peak_ms=120.0,
                       duration_ms=190.0, rate_n_per_s=3750.0, max_rate_n_per_s=6000.0, letup_n=0.3, letup=False,
                       index=0)


def test_record_takes_a_thrust_near_sound_lost_on_the_way_as_not_heard(tmp_path):
    heard = _SoundHeard()
    for i in range(300):                           # 3 s in 10 ms chunks, 1.00-1.06 s lost
        heard.feed(_sound(i / 100, 0.01, lost=100 <= i < 106))
    assert not heard.around(1.1, 0.15, 3.0)        # its tie window reaches into the silence
    assert heard.around(1.5, 0.15, 3.0)
    spans, notes, _ = heard.found(tmp_path / "audio.flac")
    assert [(round(a, 6), round(b, 6)) for a, b in spans] == [(1.0, 1.06)] and notes == []
    # the status line's words for the last thrust's pops (it said "no pop" of the first)
    said = [_pops_said(RecordResult(last_event=_thrust(t), hearing=True), heard, 0.15, 3.0) for t in (1.1, 1.5)]
    assert said == ["sound lost around its peak: pops unknown", "no pop"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 5)), max_size=20))
def test_spans_added_in_time_order_stay_apart_and_cover_every_one(pieces):
    spans, t = [], 0.0
    for gap, length in pieces:
        t += gap
        add_span(spans, t, t + length)
        t += length
    covered = [(a, b) for a, b in spans]
    assert all(b1 < a2 for (_, b1), (a2, _) in zip(covered, covered[1:]))
    t = 0.0
    for gap, length in pieces:                     # each piece lies inside one span
        t += gap
        assert any(a <= t and t + length <= b for a, b in covered)
        t += length


def test_a_chunk_not_marked_lost_has_no_span():
    assert lost_span(_sound(0.0, 0.01)) is None
    assert lost_span(_sound(2.0, 0.01, lost=True)) == (2.0, 2.0 + 479 / RATE + 1 / RATE)


def test_replay_leaves_out_a_lost_at_s_entry_that_is_not_a_pair_of_times(tmp_path):
    folder = tmp_path / "session"
    folder.mkdir()
    shutil.copy(FIX / "thrust_pops.csv", folder / "force.csv")
    shutil.copy(FIX / "thrust_pops.flac", folder / "audio.flac")
    (folder / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2026-11-30T10:00:00+0000", "trainee": "", "technique": "",
        "target": None, "r1_n": 40.0, "r2_n": 120.0, "alpha": 0.5, "complete": True, "gaps": [],
        "streams": {"force": {"file": "force.csv", "rate_hz": 1000.0},
                    "audio": {"file": "audio.flac", "rate_hz": 16000, "t0_s": 0.0,
                              "lost_at_s": [[17.85, 17.86], "soon", [3.16, 3.17]]}}}))
    r = gc_here("replay", folder, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert ("session.json: audio lost_at_s holds 1 entry not a [start, end] pair of seconds; left out (the pops "
            "of thrusts made then may read as none)") in r.stderr
    assert "Traceback" not in r.stderr
    [summary] = [e for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "summary"]
    # the fourth thrust (no pop) unknown; the first (4 pops) at least 4, part of its window unheard
    assert [t["pops"] for t in summary["thrusts"]] == [4, 1, 2, None, 2, 4]
    assert [t["pops_partly_heard"] for t in summary["thrusts"]] == [True] + [False] * 5


def test_replay_says_where_a_recording_lost_its_audio():
    from firmware_bridge.audio import audio_loss_note
    once = audio_loss_note({"dropped_blocks": 6, "overflows": 0, "lost_s": 0.06, "lost_at_s": [[17.851, 17.911]]})
    assert once == ("audio lost while recording: 6 blocks dropped (the program fell behind), 60 ms in all, at "
                    "17.85 s; silence stands in its place, so the later audio stays in time, but no pop could be "
                    "heard there")
    three = audio_loss_note({"dropped_blocks": 0, "overflows": 3, "lost_s": 0.03,
                             "lost_at_s": [[20.0, 20.01], [12.3, 12.31], "soon", [15.0, 15.01]]})
    assert "30 ms in all, in 3 places, the first at 12.30 s;" in three
    # (while recording, and in an older recording, it is not said where)
    assert "in all; silence" in audio_loss_note({"dropped_blocks": 6, "overflows": 0, "lost_s": 0.06})


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
                    | st.sampled_from([10 ** 400, 2 ** 64, -(10 ** 400)]),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_any_lost_at_s_is_read_without_a_traceback(given_value):
    """session.json's ``lost_at_s`` as any JSON: the pairs of finite times kept (start before end),
    the rest left out with one warning, and replay's loss warning said all the same."""
    from firmware_bridge.audio import audio_loss_note
    from firmware_bridge.replay.inputs import ReplayInput, _audio_off

    inp = ReplayInput(name="s")
    spans = _audio_off(inp, given_value, "lost_at_s")
    assert all(np.isfinite(a) and np.isfinite(b) and a <= b for a, b in spans)
    assert len(inp.warnings) <= 1
    assert all(w.startswith("session.json: audio lost_at_s holds ") for w in inp.warnings)
    note = audio_loss_note({"dropped_blocks": 2, "lost_s": 0.02, "lost_at_s": given_value})
    assert note.startswith("audio lost while recording: 2 blocks dropped")
