"""A session with one pop after its thrust, replayed, and the thrust each pop is tied to."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from firmware_bridge.audio_sim import pop_wave
from firmware_bridge.replay import load_input
from firmware_bridge.session import SessionMeta, SessionWriter
from ui.cli import main

POP_AFTER_PEAK_S = 0.2
AUDIO_RATE = 48000


def pop_session(folder: Path, work: Path) -> Path:
    """A session folder (no session settings kept) of one simulated thrust, 3 s of force around
    it, R1 40 N and R2 120 N, and 48 kHz sound of quiet noise holding one pop 200 ms after the
    thrust's peak force."""
    assert main(["simulate", "--thrust", "--seed", "4", "-o", str(work / "t.csv")]) == 0
    f = load_input(work / "t.csv").force
    keep = (f.t_s >= 2.2) & (f.t_s < 5.2)
    t, y = f.t_s[keep] - 2.2, f.values[keep]
    peak_s = float(t[int(np.argmax(y))])
    n = int(round(float(t[-1]) * AUDIO_RATE))
    sound = (1e-3 * np.random.default_rng(5).standard_normal(n)).astype(np.float32)
    w = pop_wave(np.random.default_rng(6), AUDIO_RATE)
    k = int(round((peak_s + POP_AFTER_PEAK_S) * AUDIO_RATE))
    sound[k:k + len(w)] += (0.1 * w / np.abs(w).max()).astype(np.float32)
    sw = SessionWriter(folder, SessionMeta(trainee="anna", technique="HVLA T6", target="V", r1_n=40.0, r2_n=120.0))
    sw.append_force(t, y)
    sw.append_audio(np.arange(n) / AUDIO_RATE, sound, AUDIO_RATE)
    sw.close(f.rate_hz)
    return folder


def replay(capsys, folder: Path, *flags) -> tuple[list[dict], str]:
    """``gradecoach replay FOLDER --format jsonl FLAGS``, as the command line runs it."""
    capsys.readouterr()
    assert main(["replay", str(folder), "--format", "jsonl", *map(str, flags)]) == 0
    out, err = capsys.readouterr()
    return [json.loads(x) for x in out.splitlines()], err


def tied(events: list[dict]) -> tuple[list, list]:
    """The thrust each pop was tied to, and the pops counted at each thrust (the summary's)."""
    summary = events[-1]
    return ([e.get("thrust") for e in events if e["type"] == "cavitation"],
            [t["pops"] for t in summary["thrusts"]])


def edit_extra(folder: Path, **extra) -> Path:
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    meta.setdefault("extra", {}).update(extra)
    mp.write_text(json.dumps(meta))
    return folder
