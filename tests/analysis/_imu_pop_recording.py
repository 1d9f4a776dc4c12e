"""A recorded session with a worn IMU and its pops, analysed whole or played live."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from analysis.chunk import Chunk
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme

SC = GradingScheme(40.0, 120.0)


def recording(d, seed: int, more: tuple[str, ...] = ()) -> dict:
    """``simulate --grade V --sets 3 --imu 500 --audio 16000 --seed SEED`` (and ``more``) in folder
    ``d``: the IMU's (times, values), the sound's (times, samples, rate) and the simulated pops'
    (t, thrust)."""
    from ui.cli import main
    assert main(["simulate", "--grade", "V", "--sets", "3", "--imu", "500", "--audio", "16000", "--seed", str(seed),
                 *more, "-o", str(d / "v.csv")]) == 0
    imu = np.loadtxt(d / "v.imu.csv", delimiter=",", skiprows=1)
    x, sr = sf.read(str(d / "v.flac"), dtype="float32")
    truth = [json.loads(x) for x in (d / "v.expected.jsonl").read_text().splitlines()]
    return {"imu": (imu[:, 0], imu[:, 1:]), "audio": (np.arange(len(x)) / sr, x, float(sr)),
            "pops": [(d["t"], d["thrust"]) for d in truth if d["type"] == "cavitation"]}


def live(rec, keep=None):
    """The IMU (its samples where ``keep`` is true) and the sound fed 10 ms at a time, each chunk
    of both streams as it ends: [(end of the chunk that gave it, event)], then the end's events."""
    ti, vi = rec["imu"]
    if keep is not None:
        ti, vi = ti[keep], vi[keep]
    ta, x, sr = rec["audio"]
    a = Analyzer(SC, streams=("imu", "audio"))
    out = []
    edges = np.arange(0.0, max(ti[-1], ta[-1]) + 0.02, 0.01)
    for lo, hi in zip(edges[:-1], edges[1:]):
        for name, t, v, r in (("imu", ti, vi, 500.0), ("audio", ta, x, sr)):
            i, j = np.searchsorted(t, [lo, hi])
            if j > i:
                out += [(hi, e) for e in a.feed(Chunk(t[i:j], v[i:j], -1, name, r))]
    return out + [(None, e) for e in a.finish()]
