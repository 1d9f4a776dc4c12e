"""A recording analyses what it records after the live analysis has given its events
(``Engine.record_later``, the acquisition thread's way): a pop is shown without waiting for the
recording's own analysis of the same sound, and the folder holds the same as when each chunk is
recorded at once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from analysis.chunk import Chunk
from analysis.events import CavitationEvent
from firmware_bridge.sources import FileSource, Pacer
from ui.trainer.engine import RECORD_BEHIND_MAX, Engine
from ui.trainer.recording import Recorder

from .conftest import schemes

FIX = Path(__file__).resolve().parents[3] / "fixtures"


def _chunks(piece_s: float = 0.01) -> list:
    """The fixture's force and sound as a source gives them, cut into pieces of ``piece_s``."""
    src = FileSource(str(FIX / "thrust_pops.csv"), audio=str(FIX / "thrust_pops.flac"), pacer=Pacer(1e6))
    src.open()
    out = []
    while not src.exhausted:
        for c in src.read(0.0):
            n = max(1, int(round(piece_s * c.rate_hz)))
            out += [Chunk(c.t_s[i:i + n], c.values[i:i + n], c.seq0 + i, c.stream, c.rate_hz)
                    for i in range(0, len(c), n)]
    src.close()
    return out


def _record(folder: Path, chunks: list, later: bool, every: int = 1, live_waits=None) -> tuple[Engine, Recorder]:
    eng = Engine(*schemes())
    eng.record_later = later
    rec = Recorder(folder, *schemes())
    eng.start_recording(rec)
    for i, ch in enumerate(chunks):
        eng.feed(ch)
        if later and i % every == every - 1:
            eng.record_pending(live_waits)
    eng.stop_recording()
    return eng, rec


def test_a_pop_is_given_before_the_recording_analyses_its_sound(tmp_path):
    eng = Engine(*schemes())
    eng.record_later = True
    rec = Recorder(tmp_path / "r", *schemes())
    eng.start_recording(rec)
    given = 0
    for ch in _chunks():
        stored = rec.n_events
        pops = [e for e in eng.feed(ch) if isinstance(e, CavitationEvent)]
        assert rec.n_events == stored           # nothing of this chunk analysed by the recording yet
        eng.record_pending()
        if pops:
            given += len(pops)
            assert rec.n_events >= stored + len(pops)     # ... and then it was, its pops too
    eng.stop_recording()
    assert given >= 10


def test_recording_after_the_live_analysis_keeps_the_same_folder(tmp_path):
    chunks = _chunks()
    _, at_once = _record(tmp_path / "at_once", chunks, later=False)
    for every in (1, 3, 17):
        eng, rec = _record(tmp_path / f"later{every}", chunks, later=True, every=every)
        assert (rec.path / "events.jsonl").read_text() == (at_once.path / "events.jsonl").read_text()
        a, rate_a = sf.read(str(rec.path / "audio.flac"), dtype="int16")
        b, rate_b = sf.read(str(at_once.path / "audio.flac"), dtype="int16")
        assert rate_a == rate_b and np.array_equal(a, b)
        pops = [round(p.t - rec.t0_s, 3) for p in eng.pops]
        stored = (rec.path / "events.jsonl").read_text().count('"type": "cavitation"')
        assert len(pops) >= 10 and stored == len(pops)


def test_the_recording_lets_waiting_sound_go_first_but_falls_behind_no_further_than_its_bound(tmp_path):
    chunks = _chunks()
    eng = Engine(*schemes())
    eng.record_later = True
    rec = Recorder(tmp_path / "r", *schemes())
    eng.start_recording(rec)
    for ch in chunks[:RECORD_BEHIND_MAX]:
        eng.feed(ch)
    eng.record_pending(lambda: True)             # sound waits: the recording waits too
    assert rec.duration_s == 0.0
    eng.feed(chunks[RECORD_BEHIND_MAX])
    eng.record_pending(lambda: True)             # one chunk over its bound: it catches up to it
    assert rec.duration_s > 0.0
    eng.stop_recording()
    _, at_once = _record(tmp_path / "at_once", chunks[:RECORD_BEHIND_MAX + 1], later=False)
    assert (rec.path / "events.jsonl").read_text() == (at_once.path / "events.jsonl").read_text()

    # sound waiting at every other turn: the same folder as recording each chunk at once
    turns = iter(range(10 ** 9))
    _, every_other = _record(tmp_path / "every_other", chunks, later=True, live_waits=lambda: next(turns) % 2 == 0)
    _, whole = _record(tmp_path / "whole", chunks, later=False)
    assert (every_other.path / "events.jsonl").read_text() == (whole.path / "events.jsonl").read_text()
