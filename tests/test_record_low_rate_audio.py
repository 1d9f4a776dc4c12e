"""``gradecoach record --device file:SESSION`` of a session whose sound is at 8 kHz: it said the
sound's pops are not analysed, then stopped with a ValueError traceback from the pop detector
("audio at 8000 Hz: pops are detected in audio at 16000 Hz or more"). The force is recorded and
analysed, and the sound recorded as it came, without its pops, as replay does; a 48 kHz
session's sound is still recorded and analysed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile as sf

from firmware_bridge.session import SessionMeta, SessionWriter
from tests.conftest import gc


def played(folder: Path, rate: int) -> Path:
    """A session of 2 s: 16 N oscillations at 2 Hz (500 samples a second) and faint noise at ``rate``."""
    w = SessionWriter(folder, SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0))
    t = np.arange(0.0, 2.0, 0.002)
    w.append_force(t, 60 + 8 * np.sin(2 * np.pi * 2.0 * t))
    ta = np.arange(2 * rate) / rate
    w.append_audio(ta, (0.01 * np.random.default_rng(0).standard_normal((len(ta), 1))).astype("float32"), rate)
    w.close(500.0)
    return folder


def summary(folder: Path) -> dict:
    return json.loads((folder / "events.jsonl").read_text().splitlines()[-1])


def test_a_session_with_8_khz_sound_is_recorded_without_its_pops(tmp_path):
    src = played(tmp_path / "anna", 8000)
    out = tmp_path / "again"
    r = gc("record", "--device", f"file:{src}", "--out", out, "--duration", 1.5, "--quiet")
    assert "Traceback" not in r.stderr
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [f"{src / 'audio.flac'}: audio at 8000 Hz; pops are detected in "
                                     f"audio at 16000 Hz or more; its pops are not analysed"]
    s = summary(out)
    assert s["type"] == "summary" and s["n_cycles"] >= 2          # the force analysed
    assert s["audio"] is False and s["n_cavitations"] == 0         # its pops unknown, not none heard
    info = sf.info(str(out / "audio.flac"))                        # the sound kept as it came
    assert info.samplerate == 8000 and info.frames >= 8000


def test_a_session_with_48_khz_sound_is_still_recorded_with_its_pops_analysed(tmp_path):
    src = played(tmp_path / "anna", 48000)
    out = tmp_path / "again"
    r = gc("record", "--device", f"file:{src}", "--out", out, "--duration", 1.5, "--quiet")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    s = summary(out)
    assert s["n_cycles"] >= 2 and s["audio"] is True
    assert sf.info(str(out / "audio.flac")).samplerate == 48000
