"""The batch screen of candidates vetoes each one on its own frames, whatever the order of the
batch: with several microphones, a pop's candidate on its best channel may come a few frames after
the next pop's, and the candidate after it then read frames from the other end of the batch."""

from __future__ import annotations

import numpy as np

from analysis.cavitation import CavitationDetector
from analysis.chunk import Chunk
from firmware_bridge.audio_sim import make_scene

RATE = 48000.0


def _kept(result) -> np.ndarray:
    return result[0] if isinstance(result, tuple) else result


def test_a_candidate_is_screened_alike_in_any_batch():
    # speech and knocks on one microphone, the same 3 ms later and 6 dB weaker on the other
    x = make_scene(6.0, RATE, seed=1301, thrusts_per_min=0, density=8.0, kinds=("speech", "knock")).audio
    d = int(round(3e-3 * RATE))
    stereo = np.column_stack([x, 0.5 * np.r_[np.zeros(d, x.dtype), x[:-d]]]).astype(np.float32)
    det = CavitationDetector()
    det.feed(Chunk(np.arange(len(stereo)) / RATE, stereo, 0, "audio", RATE))
    lo, hi = det.frames.start + 60, det.frames.end - 200
    lag = det.chan_n                                   # a candidate as far after the next one as a pop's can be
    differ = 0
    for k in range(lo, hi, 3):
        batch = [(k + lag, 1), (k, 0), (k + lag + 40, 0)]
        together = _kept(det._screen(batch))
        alone = [bool(_kept(det._screen([kc]))[0]) for kc in batch]
        differ += list(together) != alone
    assert differ == 0
