"""'gradecoach record --audio' puts the microphone on the force's timeline for every source: the
emulator's and a played file's too, not only a serial or BLE device's. For those two the audio's
t0_s was written as 0.0, though the microphone starts after the force (about 30-50 ms), so a
pop's time from its thrust's peak was off by that much. The microphone is ALSA's file plugin."""

from __future__ import annotations

import json
import time

import pytest

from firmware_bridge.sources import EmulatorSource, FileSource
from tests.ui.conftest import run_record


@pytest.mark.parametrize("spec", ["emulator:hvla", "file:fixtures/demo_mixed.csv"])
def test_the_microphone_starts_on_the_sources_timeline(tmp_path, mic_home, spec):
    run_record("--device", spec, "--out", tmp_path / "s", "--duration", "1", "--audio", "default", "--quiet",
               home=mic_home)
    audio = json.loads((tmp_path / "s" / "session.json").read_text())["streams"]["audio"]
    # the microphone is opened once the first force came, which the source plays 10 ms after its
    # zero at the earliest (it was written at 0.0)
    assert 0.01 <= audio["t0_s"] < 5.0


@pytest.mark.parametrize("make", [lambda: EmulatorSource("hvla"), lambda: FileSource("fixtures/demo_mixed.csv")])
def test_a_played_source_says_when_its_timeline_reads_zero(make):
    src = make()
    assert src.t0_host_s is None                    # (not open)
    before = time.monotonic()
    src.open()
    after = time.monotonic()
    try:
        assert before <= src.t0_host_s <= after     # both begin at 0 s
        while True:
            chunks = src.read(0.1)
            now = time.monotonic()
            if chunks:
                break
        late = now - src.t0_host_s - max(float(c.t_s[-1]) for c in chunks)
        assert 0 <= late < 0.1                      # its data comes when it is due on the host's clock
    finally:
        src.close()


def test_a_source_timed_by_another_clock_cannot_say():
    from firmware_bridge.sources import Pacer
    src = EmulatorSource("hvla", pacer=Pacer(clock=lambda: 100.0, sleep=lambda s: None))
    src.open()
    assert src.t0_host_s is None
