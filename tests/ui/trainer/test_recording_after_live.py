"""A recording analyses what it records after the live analysis has given its events
(``Engine.record_later``, the acquisition thread's way), in pieces of about 0.1 s: a pop is shown
without waiting for the recording's own analysis of the same sound, and the folder holds the same
as when each chunk is recorded at once."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile as sf

from analysis.chunk import Chunk
from analysis.events import CavitationEvent
from firmware_bridge.sources import FileSource, Pacer
from ui.trainer.engine import RECORD_BEHIND_S, Engine
from ui.trainer.recording import Recorder

from .conftest import schemes

FIX = Path(__file__).resolve().parents[3] / "fixtures"


def _chunks(piece_s: float = 0.01, until_s: float | None = None) -> list:
    """The fixture's force and sound as a source gives them, cut into pieces of ``piece_s``;
    with ``until_s``, only the pieces that begin before then (the first three thrusts and their
    seven pops end by 14 s)."""
    src = FileSource(str(FIX / "thrust_pops.csv"), audio=str(FIX / "thrust_pops.flac"), pacer=Pacer(1e6))
    src.open()
    out = []
    while not src.exhausted:
        for c in src.read(0.0):
            n = max(1, int(round(piece_s * c.rate_hz)))
            out += [Chunk(c.t_s[i:i + n], c.values[i:i + n], c.seq0 + i, c.stream, c.rate_hz)
                    for i in range(0, len(c), n)]
    src.close()
    return out if until_s is None else [c for c in out if float(c.t_s[0]) < until_s]


def _record(folder: Path, chunks: list, later: bool, every: int = 1, live_waits=None,
            batch_s: float = 0.0) -> tuple[Engine, Recorder]:
    eng = Engine(*schemes())
    eng.record_later = later
    rec = Recorder(folder, *schemes())
    eng.start_recording(rec)
    for i, ch in enumerate(chunks):
        eng.feed(ch)
        if later and i % every == every - 1:
            eng.record_pending(live_waits, batch_s)
    eng.stop_recording()
    return eng, rec


def test_a_pop_is_given_before_the_recording_analyses_its_sound(tmp_path):
    """(The first three thrusts: their seven pops, four of them within 60 ms.)"""
    eng = Engine(*schemes())
    eng.record_later = True
    rec = Recorder(tmp_path / "r", *schemes())
    eng.start_recording(rec)
    given = 0
    for ch in _chunks(until_s=14.0):
        stored = rec.n_events
        pops = [e for e in eng.feed(ch) if isinstance(e, CavitationEvent)]
        assert rec.n_events == stored           # nothing of this chunk analysed by the recording yet
        eng.record_pending()
        if pops:
            given += len(pops)
            assert rec.n_events >= stored + len(pops)     # ... and then it was, its pops too
    eng.stop_recording()
    assert given >= 7


def test_recording_after_the_live_analysis_keeps_the_same_folder(tmp_path):
    chunks = _chunks(until_s=14.0)
    _, at_once = _record(tmp_path / "at_once", chunks, later=False)
    for every, batch_s in ((1, 0.0), (17, 0.0), (1, 0.1), (3, 0.25)):
        eng, rec = _record(tmp_path / f"later{every}_{batch_s}", chunks, later=True, every=every, batch_s=batch_s)
        assert (rec.path / "events.jsonl").read_text() == (at_once.path / "events.jsonl").read_text()
        a, rate_a = sf.read(str(rec.path / "audio.flac"), dtype="int16")
        b, rate_b = sf.read(str(at_once.path / "audio.flac"), dtype="int16")
        assert rate_a == rate_b and np.array_equal(a, b)
        pops = [round(p.t - rec.t0_s, 3) for p in eng.pops]
        stored = (rec.path / "events.jsonl").read_text().count('"type": "cavitation"')
        assert len(pops) >= 7 and stored == len(pops)


def test_the_recording_lets_waiting_sound_go_first_but_falls_behind_no_further_than_its_bound(tmp_path):
    """Sound always waiting (a microphone delivering faster than real time) holds the recording
    back by RECORD_BEHIND_S at most, in pieces or not: it then records all it was behind."""
    chunks = _chunks(until_s=14.0)
    _, whole = _record(tmp_path / "whole", chunks, later=False)     # (each chunk recorded at once)
    for batch_s in (0.0, 0.1):
        eng = Engine(*schemes())
        eng.record_later = True
        rec = Recorder(tmp_path / f"r{batch_s}", *schemes())
        eng.start_recording(rec)
        fed = []
        for ch in chunks:
            eng.feed(ch)
            fed.append(ch)
            eng.record_pending(lambda: True, batch_s)    # sound waits at every turn
            behind = max(float(c.t_s[-1]) for c in fed) - rec.t0_s - rec.duration_s if rec.t0_s is not None else 0
            assert behind <= RECORD_BEHIND_S + 0.02
        assert rec.duration_s > 13.0
        eng.stop_recording()
        assert (rec.path / "events.jsonl").read_text() == (whole.path / "events.jsonl").read_text()

    # sound waiting at every other turn: the same folder as recording each chunk at once
    turns = iter(range(10 ** 9))
    _, every_other = _record(tmp_path / "every_other", chunks, later=True, live_waits=lambda: next(turns) % 2 == 0)
    assert (every_other.path / "events.jsonl").read_text() == (whole.path / "events.jsonl").read_text()


def test_sound_with_a_hole_and_a_lost_block_is_recorded_the_same_in_pieces(tmp_path):
    """Pieces are joined only where a chunk continues the one before: a hole in the sound (the
    recording fills it with silence) and silence standing in for a lost block stay as they were
    (the hole at 4.0-4.3 s, the lost block at 9.0 s, in the first three thrusts)."""
    from analysis.chunk import LOST

    chunks = _chunks(until_s=14.0)
    audio = [i for i, c in enumerate(chunks) if c.stream == "audio"]
    hole = set(audio[400:430])                       # 0.3 s of sound never came
    c = chunks[audio[900]]
    lost = Chunk(c.t_s, np.zeros_like(c.values), c.seq0, c.stream, c.rate_hz, meta={LOST: True})
    played = [lost if i == audio[900] else c for i, c in enumerate(chunks) if i not in hole]
    _, at_once = _record(tmp_path / "at_once", played, later=False)
    _, pieces = _record(tmp_path / "pieces", played, later=True, batch_s=0.1)
    assert (pieces.path / "events.jsonl").read_text() == (at_once.path / "events.jsonl").read_text()
    assert np.array_equal(sf.read(str(pieces.path / "audio.flac"), dtype="int16")[0],
                          sf.read(str(at_once.path / "audio.flac"), dtype="int16")[0])
    said = [json.loads((r.path / "session.json").read_text())["streams"]["audio"] for r in (pieces, at_once)]
    assert said[0] == said[1] and said[0]["off_s"] and said[0]["lost_at_s"]


def _losses_recorded(folder: Path, chunks: list, later: bool, switch_after_s: float) -> dict:
    """A recording from 1 s on, fed behind the live analysis (``later``, sound waiting at every
    turn) or at once; the microphone loses 7 blocks at each of its reads (counted after its sound
    is fed, as the acquisition thread counts them) and is turned off and another turned on
    ``switch_after_s`` into the recording: what the recording says they lost."""
    eng = Engine(*schemes())
    eng.record_later = later
    rec, number, dropped = None, 1, 0
    for ch in sorted(chunks, key=lambda c: float(c.t_s[0])):      # (as they come live: by time)
        t = float(ch.t_s[0])
        if rec is None and t >= 1.0:
            rec = Recorder(folder, *schemes())
            eng.start_recording(rec)
        if rec is not None and number == 1 and t >= 1.0 + switch_after_s:
            eng.mic_counted(None, None)         # A: off, and on again: another input
            number, dropped = 2, 0
        eng.feed(ch)
        if ch.stream == "audio":
            dropped += 7
            eng.mic_counted(number, {"overflows": dropped, "dropped_blocks": dropped, "lost_s": 0.0})
        if later and rec is not None:
            eng.record_pending(lambda: True)
        if t >= 3.0:
            break
    eng.stop_recording()
    loss = rec.mic_loss()
    assert json.loads((rec.path / "session.json").read_text())["streams"]["audio"]["dropped_blocks"] \
        == loss["dropped_blocks"]
    return loss


def test_a_microphone_s_losses_are_the_recording_s_though_it_is_fed_behind(tmp_path):
    """The recording judges a microphone's losses by the sound they came with. Fed up to
    RECORD_BEHIND_S behind the live analysis, it had none of the first input's sound yet when that
    input was turned off 0.3 s into it, and its losses were dropped (a busy machine recorded 21,032
    of 37,497 blocks the first input dropped while recording)."""
    chunks = _chunks()
    first = 7 * sum(1 for c in chunks if c.stream == "audio" and 1.0 <= float(c.t_s[0]) < 1.3)
    for switch_after_s in (0.3, 1.0):
        at_once = _losses_recorded(tmp_path / f"at_once{switch_after_s}", chunks, False, switch_after_s)
        behind = _losses_recorded(tmp_path / f"behind{switch_after_s}", chunks, True, switch_after_s)
        assert behind == at_once
        assert at_once["dropped_blocks"] >= first     # (the first input's, at least)
    # every read's 7 blocks, from the recording's start to its end, both inputs'
    reads = sum(1 for c in chunks if c.stream == "audio" and 1.0 <= float(c.t_s[0]) < 3.0)
    assert abs(at_once["dropped_blocks"] - 7 * reads) <= 14, (at_once, reads)
