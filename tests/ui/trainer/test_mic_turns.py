"""With a microphone on, its sound is analysed as it comes, whatever the sensor's pace: the
acquisition worker never waits on a slow source longer than ``MIC_TURN_S`` between two turns of
the microphone (a pop's event would wait as long, and live latency is promised under 50 ms);
with none, it waits as long as its read timeout (no busy loop).
"""

from __future__ import annotations

import threading
import time

import numpy as np

from analysis.chunk import Chunk
from firmware_bridge.sources import Source
from ui.trainer.acquisition import MIC_TURN_S, AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.microphone import MIC_BLOCK_S


class SlowSource(Source):
    """A sensor that sends a packet of force every ``every_s`` (a slow serial device's lines):
    each read waits for the next packet up to the time it may wait, as a queue-fed source does."""

    spec = "slow:test"

    def __init__(self, every_s: float = 0.1) -> None:
        super().__init__()
        self.every_s = every_s
        self.info.update(name="slow sensor", rate_hz=10.0)
        self.asked: list[float] = []
        self.t0 = 0.0
        self.sent = 0

    def open(self) -> None:
        self.t0 = time.monotonic()

    def read(self, timeout_s: float = 0.1) -> list[Chunk]:
        self.asked.append(timeout_s)
        due = self.t0 + (self.sent + 1) * self.every_s
        wait = due - time.monotonic()
        if wait > timeout_s:
            time.sleep(timeout_s)
            return []
        time.sleep(max(wait, 0.0))
        self.sent += 1
        t = np.array([self.sent * self.every_s])
        return [Chunk(t, np.array([5.0]), self.sent - 1, "force", 10.0)]

    def close(self) -> None:
        pass


class Mic:
    """A microphone whose 10 ms blocks of quiet are due in real time from its start."""

    name = "test microphone"
    rate_hz = 16000.0

    def __init__(self) -> None:
        self.t0 = None
        self.n = 0
        self.reads = 0
        self.lock = threading.Lock()

    def start(self):
        self.t0 = time.monotonic()
        return self

    def read(self, timeout_s: float = 0.0) -> list[Chunk]:
        with self.lock:
            self.reads += 1
        block = 160
        due = int((time.monotonic() - self.t0) * self.rate_hz) // block * block
        out = []
        while self.n + block <= due:
            t = 1000.0 + (self.n + np.arange(block)) / self.rate_hz
            out.append(Chunk(t, np.zeros(block, np.float32), self.n, "audio", self.rate_hz))
            self.n += block
        return out

    def read_pending(self):
        return self.read()

    def close(self) -> None:
        pass


def run(mic, seconds: float = 0.5) -> tuple[SlowSource, AcquisitionWorker]:
    src = SlowSource()
    worker = AcquisitionWorker(src, Engine(), mic=mic)
    worker.start()
    time.sleep(seconds)
    worker.stop()
    return src, worker


def test_with_a_microphone_on_a_slow_source_is_never_waited_on_longer_than_a_turn():
    src, _ = run(Mic())
    assert src.asked, "the source was never read"
    assert max(src.asked) <= MIC_TURN_S
    assert MIC_TURN_S <= MIC_BLOCK_S          # (a block's sound waits no longer than a block for its turn)


def test_without_a_microphone_the_worker_waits_its_whole_read_timeout():
    src, worker = run(None)
    assert src.asked and set(src.asked) == {worker.read_timeout_s}
    assert len(src.asked) < 0.5 / MIC_TURN_S / 2       # not read as often as with a microphone

