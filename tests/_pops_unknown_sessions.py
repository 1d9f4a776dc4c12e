"""One simulated thrust recorded with its sound, quiet noise, silence, too coarse a sound and no
microphone, and each one's section of a report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from firmware_bridge.replay import load_input
from firmware_bridge.session import SessionMeta, SessionWriter
from ui.cli import main


def sessions(tmp_path) -> dict[str, Path]:
    """One simulated thrust (``simulate --thrust --audio 48000``, three pops with it) recorded as
    session folders under ``tmp_path/root``: with its sound (``heard``), with quiet noise and no
    pop (``quiet``), with silence (``mute``: a muted microphone), with its sound at 8 kHz
    (``lofi``) and without sound (``nomic``)."""
    assert main(["simulate", "--thrust", "--preload", "150", "--peak", "600", "--time-to-peak", "120",
                 "--audio", "48000", "-o", str(tmp_path / "t.csv")]) == 0
    inp = load_input(tmp_path / "t.csv", tmp_path / "t.flac")
    a, sr = sf.read(str(tmp_path / "t.flac"), dtype="float32")
    noise = (0.002 * np.random.default_rng(3).standard_normal(a.shape)).astype(np.float32)
    out = {}
    for name, sound, rate in (("heard", a, sr), ("quiet", noise, sr), ("mute", np.zeros_like(a), sr),
                              ("lofi", a[::6], sr // 6), ("nomic", None, None)):
        folder = tmp_path / "root" / name
        w = SessionWriter(folder, SessionMeta(trainee=name, target="V", r1_n=40.0, r2_n=120.0))
        w.append_force(inp.force.t_s, inp.force.values)
        if sound is not None:
            w.append_audio(np.arange(len(sound)) / rate, sound, rate)
        w.close(inp.force.rate_hz)
        out[name] = folder
    return out


NAMES = ("heard", "quiet", "mute", "lofi", "nomic")


def recording_sections(page: Path) -> dict[str, str]:
    """The page's section of each recording of :data:`NAMES`, reported in that order."""
    return dict(zip(NAMES, page.read_text(encoding="utf-8").split('<section class="recording"')[1:]))
