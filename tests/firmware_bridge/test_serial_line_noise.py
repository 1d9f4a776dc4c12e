"""A line-protocol sketch (``t_ms,force`` lines) recorded through a real pseudo-terminal: its rate
is known however few lines each read brings, and random bytes mixed into its lines (a noisy
link) cost those lines only, never the rest of the recording."""

from __future__ import annotations

import json
import random
import time

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import finish_meta, new_meta, record
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import SessionWriter, open_session
from tests.conftest import pty_device

SCHEME = GradingScheme(40, 120)
PERIOD_S = 0.01                # the device writes every 10 ms


def sketch(rate_hz: int, garbage_share: float = 0.0, seed: int = 0):
    """``make(k)`` for ``pty_device``: the lines of the k-th 10 ms, each with a random byte put
    into it at a random place with probability ``garbage_share``."""
    rng = random.Random(seed)
    per = max(1, int(rate_hz * PERIOD_S))

    def make(k: int) -> bytes:
        out = b""
        for n in range(k * per, (k + 1) * per):
            line = f"{n * 1000 // rate_hz},{30 + 10 * np.sin(n / 50):.2f}\r\n".encode()
            if rng.random() < garbage_share:
                j = rng.randrange(len(line) + 1)
                line = line[:j] + bytes([rng.getrandbits(8)]) + line[j:]
            out += line
        return out
    return make


def record_for(path: str, folder, duration_s: float):
    src = SerialSource(path)
    src.open()
    w = SessionWriter(folder, new_meta(src, SCHEME))
    said: list[str] = []
    t0 = time.monotonic()
    try:
        res = record(src, w, SCHEME, duration_s=duration_s, notice=said.append,
                     stop=lambda: time.monotonic() - t0 > duration_s + 20)     # (only so that a hang fails)
        finish_meta(w, src, res)
    finally:
        src.close()
        w.close(rate_hz=src.info.get("rate_hz") or None)
    return src, said


def test_a_sketch_sending_one_line_a_read_has_its_rate_in_the_session(tmp_path):
    """100 lines a second, one a write: the period was taken only from a read of 8 lines or
    more, so it was never known and session.json said rate_hz 0.0."""
    with pty_device(sketch(100), PERIOD_S) as path:
        src, _ = record_for(path, tmp_path / "sess", 2.0)
    meta = json.loads((tmp_path / "sess" / "session.json").read_text())
    assert meta["streams"]["force"]["rate_hz"] == pytest.approx(100.0)
    assert src.info["rate_hz"] == pytest.approx(100.0)


@pytest.mark.parametrize("seed", [0, 1, 4])
def test_random_bytes_in_a_sketchs_lines_lose_those_lines_and_no_more(tmp_path, seed):
    """A byte that lands in the time column as a digit makes a time seconds to ages ahead
    ('1234' read as '12934', or '12e34'): the timeline followed it and every later line fell
    before it, so from about 1.2 s on nothing more was recorded though the sketch kept sending
    (172 of 3000 samples at seed 0), with device clock 'restarts' said of it."""
    duration_s = 2.0
    with pty_device(sketch(1000, garbage_share=0.2, seed=seed), PERIOD_S) as path:
        src, said = record_for(path, tmp_path / "sess", duration_s)
    t = open_session(tmp_path / "sess").force.t_s
    assert t[-1] - t[0] >= duration_s - 0.05 and (np.diff(t) > 0).all()
    # the last second holds its samples, less the lines the bytes spoiled (a fifth, at most)
    assert (t >= t[-1] - 1.0).sum() >= 0.75 * 1000, (t >= t[-1] - 1.0).sum()
    assert src.restarts == 0 and not [x for x in said if "restarted" in x]
    assert src.info["rate_hz"] == pytest.approx(1000.0)
