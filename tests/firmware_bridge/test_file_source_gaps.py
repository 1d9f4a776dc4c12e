"""A session played with file: tells of the gaps its recording stored, with their reasons, as a
device told of them live: 'record --device file:SESSION' stores them again as they were, and
its notices come as playback reaches them. The source told of none: the new recording held the
analysis's 'dropout' where the first said 'disconnected', and no short 'dropped samples' gap."""

from __future__ import annotations

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import first_chunks, new_meta, record
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionWriter, open_session
from firmware_bridge.sources import FileSource
from tests.firmware_bridge._gapped_session import DROPPED, STORED, UNPLUG, gaps_of, recorded_session


def test_the_source_tells_of_each_stored_gap_as_playback_reaches_it(tmp_path):
    folder = recorded_session(tmp_path / "s")
    src = FileSource(str(folder), speed=8.0)
    src.open()
    told = []
    while not src.exhausted:
        chunks = src.read(0.1)
        for n in src.notices():
            # what was handed out before the notice: a loss is told once the samples before it are
            # out, its end and a gap of lost samples before the samples after them
            told.append((n.kind, n.t_s, n.t_end_s, n.samples, src._t_next))
        assert all(c.t_s[-1] <= src._t_next for c in chunks)
    src.close()
    assert [(k, a, b, n) for k, a, b, n, _ in told] == [
        ("disconnected", *UNPLUG[:1], None, None), ("reconnected", *UNPLUG, None)] + [
        ("gap", a, b, 10) for a, b in DROPPED]
    assert told[0][4] < UNPLUG[1] and all(upto >= b for _, _, b, _, upto in told[1:])
    assert src.stats.dropped == 30


def test_a_recording_of_a_played_session_stores_its_gaps_as_replay_gives_them(tmp_path):
    folder = recorded_session(tmp_path / "s")
    replayed = gaps_of([e.to_dict() for e in analyze_input(load_input(folder))])
    assert replayed == STORED

    src = FileSource(str(folder), speed=8.0)
    src.open()
    w = SessionWriter(tmp_path / "again", new_meta(src, GradingScheme(40, 120)))
    said = []
    try:
        res = record(src, w, GradingScheme(40, 120), pending=first_chunks(src), notice=said.append)
    finally:
        src.close()
        w.close()
    again = open_session(tmp_path / "again")
    assert [(g["t_start"], g["t_end"], g["reason"]) for g in again.meta.gaps] == STORED
    assert gaps_of(again.events) == STORED
    assert res.reconnects == 1 and res.dropped == 30
    assert said[0].endswith(" at 2.0 s: the recorded sensor was lost for 1.5 s")
