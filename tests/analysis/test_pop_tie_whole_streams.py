"""Pops are tied to their thrusts however large the chunks: a recording of 72 thrusts fed as two
whole streams, sound first or force first, gives the pops the same thrusts and times as when it is
fed in 1 s chunks, interleaved. Fed whole, pops were tied only to the last thrusts decided
(the force kept its last 64 decisions): most of them came out tied to no thrust."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from analysis.chunk import Chunk
from analysis.events import CavitationEvent, ThrustEvent
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme

FIX = Path(__file__).resolve().parents[2] / "fixtures"
REPEATS = 12                       # fixtures/thrust_pops (6 thrusts, 13 pops) 12 times over


def _streams():
    tf = np.loadtxt(FIX / "thrust_pops.csv", delimiter=",", skiprows=1)
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    span = np.ceil(max(tf[-1, 0], len(x) / sr)) + 1.0
    x = np.concatenate([x, np.zeros(int(span * sr) - len(x), np.float32)])
    t_f = np.concatenate([tf[:, 0] + i * span for i in range(REPEATS)])
    audio = np.tile(x, REPEATS)
    return Chunk(t_f, np.tile(tf[:, 1], REPEATS), 0, "force", 1000.0), \
        Chunk(np.arange(len(audio)) / sr, audio, 0, "audio", float(sr))


FORCE, SOUND = _streams()


def _pops(chunks) -> list[tuple]:
    a = Analyzer(GradingScheme(r1_n=40.0, r2_n=120.0), streams=("force", "audio"))
    ev = []
    for c in chunks:
        ev += a.feed(c)
    ev += a.finish()
    assert sum(isinstance(e, ThrustEvent) for e in ev) == 6 * REPEATS
    return sorted((round(e.t, 6), e.thrust, e.t_detect_s) for e in ev if isinstance(e, CavitationEvent))


def _in_seconds(c: Chunk, rate: float) -> list[Chunk]:
    n = int(rate)
    return c.split([n] * (len(c.t_s) // n) + [len(c.t_s) % n])


@pytest.fixture(scope="module")
def chunked():
    chunks = _in_seconds(FORCE, 1000.0) + _in_seconds(SOUND, SOUND.rate_hz)
    pops = _pops(sorted((c for c in chunks if len(c.t_s)), key=lambda c: (float(c.t_s[-1]), c.stream)))
    assert len(pops) == 13 * REPEATS and all(k is not None for _, k, _ in pops)
    return pops


@pytest.mark.parametrize("order", ["sound first", "force first"])
def test_whole_streams_tie_every_pop_as_chunks_do(chunked, order):
    assert _pops([SOUND, FORCE] if order == "sound first" else [FORCE, SOUND]) == chunked
