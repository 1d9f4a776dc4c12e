"""Dense clusters: a lumbar thrust gives 2-9 pops (mean 5.27, JMPT 2019;42:12), so five to nine
pops within about 100 ms, 8-14 ms apart, happen. Each pop after the second of such a cluster comes
after two evenly spaced sharp sounds, and looked like a voice's next glottal pulse (copy, train,
voicing): of nine, the middle ones were mostly lost. A candidate within ``cluster_ms`` of the last
two pops has the thresholds of the features a cluster distorts moved ``cluster_third_ease``
spreads (one, ``cluster_ease``, after a single pop), unless it is ``cluster_third_db`` or more
under the last pop: in a room, the echoes of a cluster's pops are such weaker copies of them.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.cavitation import CavitationDetector
from analysis.chunk import Chunk
from firmware_bridge.audio_sim import make_scene, pop_clusters, reverberate

FS = 48000.0


def found(x: np.ndarray, truth, sizes=(4800,), **overrides) -> tuple[int, int]:
    """(true pops found within 5 ms, false pops) of ``x`` fed in chunks of ``sizes`` (cycled)."""
    d = CavitationDetector(**overrides)
    ev, i, j = [], 0, 0
    while i < len(x):
        n = sizes[j % len(sizes)]
        xi = x[i:i + n]
        ev += d.feed(Chunk((i + np.arange(len(xi))) / FS, xi, -1, "audio", FS))
        i, j = i + n, j + 1
    ev += d.finish()
    t, truth = np.array([e.t for e in ev]), np.asarray(truth)
    tp = sum(bool(len(t)) and float(np.min(np.abs(t - a))) <= 5e-3 for a in truth)
    fp = sum(float(np.min(np.abs(truth - u))) > 5e-3 for u in t)
    return tp, fp


@pytest.fixture(scope="module")
def nines():
    """Three recordings of ten clusters of nine different pops, 8-14 ms apart, 20-30 dB over
    room noise."""
    return [pop_clusters(300 + s, None, pops=9, same=False, gaps_ms=(8.0, 14.0)) for s in range(3)]


def test_most_pops_of_a_dense_cluster_are_found(nines):
    now = [found(x, at) for x, at in nines]
    before = [found(x, at, cluster_third_ease=1.0) for x, at in nines]
    tp, fp = map(sum, zip(*now))
    tp0, fp0 = map(sum, zip(*before))
    assert fp == fp0 == 0
    assert tp >= 230 and tp0 <= 190, (tp, tp0)          # of 270 (237 and 180 when measured)


def test_what_a_dense_cluster_gives_does_not_depend_on_chunking(nines):
    x, at = nines[0]
    assert found(x, at, sizes=(4801, 17, 96000, 333)) == found(x, at)


def test_a_room_s_weaker_echoes_of_a_cluster_are_not_eased_into_pops():
    """Two minutes of the benchmark's pop scenes in a room (RT60 0.3 s, direct sound 5 dB over
    the reverberation): without the level condition, echoes 8-19 dB under the pops before them
    are taken for pops of their cluster."""
    rooms = []
    for i in range(2):
        sc = make_scene(60.0, FS, seed=1000 + i)
        rooms.append((reverberate(sc, 0.3, 5.0, seed=i).audio, sc.pops_s))
    # (without the stricter confidence after a voice, PopScheme.near_voice_ms, which alone spares
    # two of those echoes: 1 and 2 false pops with it)
    fp = sum(found(x, p, near_voice_ms=None)[1] for x, p in rooms)
    fp_any = sum(found(x, p, cluster_third_db=None, near_voice_ms=None)[1] for x, p in rooms)
    assert fp_any >= fp + 2, (fp, fp_any)                 # 2 and 4 when measured
