"""The microphone turned on (key A) seconds after the source started puts its audio on the force's
timeline: its first stamps at the force's time then, and each pop at the force time its sound came
at. It put its first sample at 0 s while the force was at 6 s, so no pop was tied to a thrust, and a
recording going on dropped the first seconds of the sound.

Real parts: the trainer window on the emulator in real time, PortAudio capturing through ALSA's
``file`` plugin (in a subprocess with its own HOME, as PortAudio reads the ALSA configuration when
it starts), a pseudo-terminal serial sensor, a played recording.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from firmware_bridge.audio_sim import make_scene
from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import open_session
from firmware_bridge.sources import EmulatorSource, FileSource
from ui.trainer.acquisition import source_t0_host_s

from .conftest import DEMO, REPO
from ._asoundrc import ASOUNDRC

RATE = 44100                  # the file plugin's own rate, which the trainer's microphone takes
# a stamp off by more than this is not on the force's timeline (docs/audio.md: an hour of clock
# drift is kept under 5 ms; the detector times a pop's onset to a fraction of a millisecond)
TOLERANCE_S = 0.005

SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from firmware_bridge.sources import open_source
    from ui.trainer.app import ensure_app
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow

    on_after_s, n_audio = float(sys.argv[1]), int(sys.argv[2])
    # (the file plugin delivers faster than real time, which the trainer takes, after 5 s of it,
    # for no live microphone and stops counting its pops: this test is of the timeline, that
    # judgement's are test_mic_not_placed_in_time and test_mic_faster_than_real_time)
    import firmware_bridge.audio
    firmware_bridge.audio.UNPLACED_SHARE = float("inf")
    ensure_app()
    eng = Engine()
    src = open_source("emulator:hvla")                # in real time, on the host's clock
    worker = AcquisitionWorker(src, eng, read_timeout_s=0.005)
    win = TrainerWindow(eng, worker, start_timer=False, record_root=sys.argv[3])
    first = {}
    feed = eng.feed
    def seen(c, *a):                                  # the force's time when the first audio came
        if c.stream == "audio" and "audio_t0" not in first:
            first.update(audio_t0=float(c.t_s[0]), force_now=src.pacer.now_data())
        return feed(c, *a)
    eng.feed = seen
    worker.start()
    deadline = time.monotonic() + 60                  # a bound for a broken machine, not a wait
    while (eng.force.last_t or 0.0) < 1.0 and time.monotonic() < deadline:
        time.sleep(0.01)
    folder = win.start_recording()                    # recording from about 1 s of force
    while (eng.force.last_t or 0.0) < on_after_s and time.monotonic() < deadline:
        time.sleep(0.01)
    before = src.pacer.now_data()                     # the force's time as A is pressed
    win.actions_by_name["toggle_microphone"].trigger()
    while eng.samples.get("audio", 0) < n_audio and time.monotonic() < deadline:
        time.sleep(0.01)
    # the plugin runs faster than real time: a pop is tied to a thrust once the force has reached it
    while (eng.force.last_t or 0.0) < first.get("audio_t0", 0.0) + n_audio / 44100 + 0.5 \
            and time.monotonic() < deadline:
        time.sleep(0.01)
    win.stop_recording()
    worker.stop()
    print(json.dumps({"before": before, **first, "pops": [p.t for p in eng.pops], "folder": str(folder),
                      "off": eng.disabled, "error": eng.error, "status": win.statusBar().currentMessage()}))
""")


def test_pops_heard_after_key_a_land_at_the_force_time_of_their_sound(tmp_path):
    sc = make_scene(3.0, RATE, seed=21, thrusts_per_min=40, distractors=False)
    x16 = np.round(sc.audio * 32767).astype("<i2")
    raw = tmp_path / "in.raw"
    # the plugin reads faster than real time, and what follows the file is undefined: a minute
    np.concatenate([x16, np.zeros(60 * RATE, "<i2")]).tofile(raw)
    (tmp_path / ".asoundrc").write_text(ASOUNDRC.format(raw=raw))
    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    p = subprocess.run([sys.executable, "-c", SCRIPT, "3.0", str(len(x16)), str(tmp_path / "rec")], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    r = json.loads(p.stdout.strip().splitlines()[-1])
    assert r["error"] is None and not r["off"] and r["status"] == "listening for pops: default"
    # the first sample is stamped at the force's time between the key press and its arrival (it
    # was 0.0 with the force at 3 s)
    assert r["before"] >= 3.0
    assert r["before"] - TOLERANCE_S <= r["audio_t0"] <= r["force_now"] + TOLERANCE_S
    # each pop at the force time its sound came at: the stream's start plus its place in the sound
    pops = np.array(r["pops"])
    assert len(pops) >= 0.6 * len(sc.pops_s)
    off = [np.min(np.abs(sc.pops_s + r["audio_t0"] - t)) for t in pops]
    assert max(off) <= TOLERANCE_S
    assert pops.min() > r["before"]
    # a recording going on keeps the sound from the moment the microphone came on, where it came
    # (it dropped the sound's first seconds, stamped before the recording began, and kept the rest
    # that much too early)
    ses = open_session(r["folder"])
    t0 = ses.meta.extra["source_t0_s"]
    audio = ses.meta.streams["audio"]
    assert audio["t0_s"] == pytest.approx(r["audio_t0"] - t0, abs=1e-5)
    kept, _ = sf.read(str(Path(r["folder"]) / "audio.flac"), dtype="int16")
    assert np.array_equal(kept[:len(x16)], x16)


def _newest_against_host(src, seconds: float = 1.5) -> tuple[float, float]:
    """Read ``src`` for ``seconds``; the host time its newest sample stands for (its t=0's host
    time plus its stamp) and the host time it arrived."""
    t0 = source_t0_host_s(src)
    assert t0 is not None
    end = time.monotonic() + seconds
    newest = arrived = None
    while time.monotonic() < end:
        for c in src.read(0.05):
            if c.stream == "force":
                newest, arrived = t0 + float(c.t_s[-1]), time.monotonic()
    assert newest is not None
    return newest, arrived


@pytest.mark.parametrize("kind", ["emulator", "file"])
def test_a_played_source_says_where_its_zero_is_on_the_host_clock(kind):
    src = EmulatorSource("hvla") if kind == "emulator" else FileSource(str(DEMO))
    src.open()
    try:
        time.sleep(0.5)                                 # (its zero lies before this moment)
        newest, arrived = _newest_against_host(src)
    finally:
        src.close()
    assert arrived - 0.06 <= newest <= arrived + 0.001    # (a 10 ms chunk, read at most 50 ms late)


def test_a_serial_sensor_says_where_its_zero_is_on_the_host_clock(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000)
    em.start()
    src = SerialSource(str(em.link))
    src.open()
    try:
        newest, arrived = _newest_against_host(src, 3.0)   # (past the first second it holds back)
    finally:
        src.close()
        em.stop()
    assert arrived - 0.25 <= newest <= arrived + 0.001


def test_a_ble_sensor_says_where_its_zero_is_on_the_host_clock():
    from firmware_bridge.ble import BleSource
    from tests.firmware_bridge._fake_radio import FakeClient, FakeScanner, Radio

    radio = Radio("progressor_grade4")                # its recorded notifications, replayed
    src = BleSource(radio.device.name, scanner=FakeScanner(radio),
                    client_factory=lambda d, cb, timeout: FakeClient(radio, d, cb, timeout))
    before = time.monotonic()
    src.open()                                        # (its timeline counts from here, on the host's clock)
    after = time.monotonic()
    try:
        assert before <= source_t0_host_s(src) <= after
    finally:
        src.close()
