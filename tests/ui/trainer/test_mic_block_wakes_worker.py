"""A block the microphone captures is fed at once: the acquisition thread waits for the
microphone's next block, not for its turn to come round while the sensor sends nothing (a pop's
event waited up to a turn more)."""

from __future__ import annotations

import threading
import time
import types
from contextlib import contextmanager

import numpy as np

import firmware_bridge.audio as audio_mod
import ui.trainer.acquisition as acquisition_mod
import ui.trainer.microphone as microphone_mod
from analysis.scheme import GradingScheme
from firmware_bridge.sources import Source
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.microphone import open_microphone

RATE = 16000.0
BLOCK = 80                   # 5 ms


class QuietSensor(Source):
    """A sensor that is open and sends nothing for now: a read waits its whole timeout."""

    spec = "test:quiet"

    def open(self) -> None:
        self.info.update(name="quiet sensor", rate_hz=1000.0)

    def read(self, timeout_s: float = 0.1):
        time.sleep(timeout_s)
        return []

    def close(self) -> None:
        pass


class HeldStream:
    """A sounddevice input stream whose blocks the test hands to the callback, as PortAudio's
    audio thread does when the sound card has one."""

    def __init__(self, callback, finished_callback=None, **_) -> None:
        self.callback, self.active = callback, False

    def start(self) -> None:
        self.active = True

    def deliver(self) -> None:
        self.callback(np.zeros((BLOCK, 1), np.int16), BLOCK, None, None)

    def stop(self) -> None:
        self.active = False

    close = abort = stop


def _sounddevice(streams: list):
    sd = types.SimpleNamespace(PortAudioError=type("PortAudioError", (Exception,), {}))
    sd.query_devices = lambda device=None, kind=None: {"name": "held input", "default_samplerate": RATE,
                                                      "max_input_channels": 1}
    sd.check_input_settings = lambda *a, **k: None
    sd.InputStream = lambda **kw: streams.append(HeldStream(**kw)) or streams[-1]
    return sd


@contextmanager
def held_mic_worker(monkeypatch, sensor: Source):
    """An acquisition thread reading ``sensor`` with a microphone on whose blocks the test hands
    over (turns of 0.5 s: long enough to see); yields ``deliver``, which hands one block over
    and returns how long it took to be fed (s)."""
    streams: list[HeldStream] = []
    monkeypatch.setattr(audio_mod, "_sd", lambda: _sounddevice(streams))
    monkeypatch.setattr(acquisition_mod, "MIC_TURN_S", 0.5)
    monkeypatch.setattr(microphone_mod, "MIC_BLOCK_S", BLOCK / RATE)
    mic = open_microphone("default", RATE)
    eng = Engine(GradingScheme(40.0, 120.0))
    fed: list[float] = []
    feed = eng.feed

    def timed(chunk, gen=None):
        if chunk.stream == "audio":
            fed.append(time.monotonic())
        return feed(chunk, gen)

    def deliver() -> float:
        n, handed = len(fed), time.monotonic()
        streams[0].deliver()
        while len(fed) == n and time.monotonic() - handed < 2.0:
            time.sleep(0.001)
        assert len(fed) > n, "the block was never fed"
        return fed[n] - handed

    eng.feed = timed
    worker = AcquisitionWorker(sensor, eng, read_timeout_s=1.0, mic=mic)
    worker.start()
    try:
        for _ in range(200):
            if streams and streams[0].active:
                break
            time.sleep(0.01)
        assert streams and streams[0].active
        yield deliver
    finally:
        worker.stop()


def test_a_captured_block_is_fed_without_waiting_for_the_turn(monkeypatch):
    rng = np.random.default_rng(0)
    delays = []
    with held_mic_worker(monkeypatch, QuietSensor()) as deliver:
        for _ in range(5):
            time.sleep(float(rng.uniform(0.05, 0.45)))     # anywhere in the turn
            delays.append(deliver())
    # each within a tenth of the turn (waiting for the turn: anywhere up to 0.5 s)
    assert max(delays) < 0.05, delays


class SlowSensor(QuietSensor):
    """A sensor whose every read takes its time (a backlog to parse, a busy machine) and brings
    nothing; ``returned`` is set each time a read is over."""

    spec = "test:slow"

    def __init__(self, read_s: float) -> None:
        super().__init__()
        self.read_s, self.returned = read_s, threading.Event()

    def read(self, timeout_s: float = 0.1):
        time.sleep(self.read_s)
        self.returned.set()
        return []


def test_a_captured_block_is_fed_before_the_sensor_is_read(monkeypatch):
    # the block came in while the thread waited for it; the sensor's read that followed took
    # 0.2 s, and the block was fed only after it (a pop's event waited for the force's read)
    sensor = SlowSensor(0.2)
    delays = []
    with held_mic_worker(monkeypatch, sensor) as deliver:
        for _ in range(3):
            sensor.returned.clear()
            assert sensor.returned.wait(2.0)
            time.sleep(0.05)                        # the thread now waits for the next block
            delays.append(deliver())
    assert max(delays) < 0.1, delays
