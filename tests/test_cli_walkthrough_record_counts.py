"""``gradecoach record``'s last line says what the recording's analysis found, counted as replay's
table counts it (cycles, thrusts, and pops when there was sound), not the lines of its
events.jsonl: a second's recording said "1 event" for its summary alone, one with 2 cycles "3
events"."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from firmware_bridge.audio_sim import pop_wave
from firmware_bridge.session import SessionMeta, SessionWriter
from tests._cli_in_process import gc_in_process

SOUND_HZ = 16000


def played_session(folder, pop_at_s: float | None):
    """1.6 s of 16 N peak to peak oscillations at 2 Hz around 60 N (cycles for R1 40 N, R2 120 N),
    with a room's sound and, at ``pop_at_s``, one pop in it."""
    t = np.arange(0.0, 1.6, 0.002)
    w = SessionWriter(folder, SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0))
    w.append_force(t, 60 + 8 * np.sin(2 * np.pi * 2.0 * t))
    rng = np.random.default_rng(0)
    x = 0.01 * rng.standard_normal(int(1.6 * SOUND_HZ))
    if pop_at_s is not None:
        wave = pop_wave(rng, SOUND_HZ)
        k = int(pop_at_s * SOUND_HZ)
        x[k:k + len(wave)] += 0.2 * wave[:len(x) - k]
    sf.write(str(folder / "audio.wav"), x.astype(np.float32), SOUND_HZ, subtype="PCM_16")
    w.meta.streams["audio"] = {"file": "audio.wav", "rate_hz": SOUND_HZ}
    w.close(500.0)
    return folder


def stored_summary(out) -> dict:
    return json.loads((out / "events.jsonl").read_text().splitlines()[-1])


def test_the_recorded_line_counts_cycles_thrusts_and_pops_not_event_lines(tmp_path, capsys):
    played = played_session(tmp_path / "played", pop_at_s=1.0)
    out = tmp_path / "again"
    r = gc_in_process(capsys, "record", "--device", f"file:{played}", "--out", out, "--quiet")
    assert r.returncode == 0, r.stderr
    s = stored_summary(out)
    assert s["type"] == "summary" and s["audio"] and s["n_cycles"] >= 2 and s["n_cavitations"] == 1, s
    rows = len((out / "force.csv").read_text().splitlines()) - 1
    assert r.stdout == f"recorded {rows} samples ({s['n_cycles']} cycles, 0 thrusts, 1 pop) to {out}\n"


def test_a_recording_without_sound_says_no_pops_and_its_summary_is_no_event(tmp_path, capsys):
    out = tmp_path / "anna"
    r = gc_in_process(capsys, "record", "--device", "emulator:grade3", "--out", out, "--duration", "1", "--quiet")
    assert r.returncode == 0, r.stderr
    assert [json.loads(line)["type"] for line in (out / "events.jsonl").read_text().splitlines()] == ["summary"]
    assert r.stdout == f"recorded 1001 samples (0 cycles, 0 thrusts) to {out}\n"
