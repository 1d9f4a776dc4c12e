"""The first seven features of the candidates the batch screen keeps are computed for the batch at
once; a candidate judged from them gives the very event (and rejection) the one-candidate path
gives, whatever the chunking and however many channels."""

import numpy as np
import pytest

from analysis.cavitation import CavitationDetector
from analysis.chunk import Chunk
from firmware_bridge.audio_sim import make_scene

RATE = 48000.0


def _run(audio: np.ndarray, chunk: int, batch: bool) -> tuple[list[str], dict, int]:
    d = CavitationDetector()
    used = 0
    if not batch:
        d._basics = lambda *a, **k: None                # every candidate by the one-candidate path
    judge = d._judge

    def counted(k, c):
        nonlocal used
        used += (k, c) in d.basic
        return judge(k, c)
    d._judge = counted
    out = []
    for i in range(0, len(audio), chunk):
        seg = audio[i:i + chunk]
        out += d.feed(Chunk((i + np.arange(len(seg))) / RATE, seg, i, "audio", RATE))
    out += d.finish()
    return [repr(e) for e in out], dict(d.rejected), used


@pytest.mark.parametrize("chunk", [48000, 480, 4801])
def test_batch_features_give_the_same_events(chunk):
    sc = make_scene(20.0, RATE, seed=4242)
    ev, rej, used = _run(sc.audio, chunk, batch=True)
    ev1, rej1, used1 = _run(sc.audio, chunk, batch=False)
    assert used > 10 and used1 == 0
    assert len(ev) >= 3
    assert ev == ev1 and rej == rej1


def test_batch_features_two_channels():
    sc = make_scene(15.0, RATE, seed=4243)
    x = sc.audio.astype(np.float64)
    two = np.stack([x, 0.5 * np.r_[np.zeros(144), x[:-144]]], axis=1)     # 3 ms later, 6 dB weaker
    ev, rej, used = _run(two, 48000, batch=True)
    ev1, rej1, _ = _run(two, 48000, batch=False)
    assert used > 5 and len(ev) >= 3
    assert ev == ev1 and rej == rej1
