"""``duration_s`` means one thing wherever a session's figures are written: the force's length,
as its report page, the review and replay give it ("9.0 s (audio 10.0 s)"), with the sound's in
``audio_s`` where there is sound. ``library list --format jsonl`` gave the length to the end of
the sound (10.0) where ``report --sessions-csv`` gave the force's (9.0)."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import soundfile as sf

from firmware_bridge.session import SessionMeta, SessionWriter
from tests._cli_in_process import gc_in_process
from tests.analysis._small_oscillations import RATE, a_set

SOUND_RATE_HZ = 16000


def _session(folder, sound_s: float | None):
    """Four cycles (9 s of force) and, with ``sound_s``, that many seconds of quiet sound."""
    t, y = a_set(20.0, 80.0, cycles=4)
    meta = SessionMeta(created="2025-03-01T10:00:00", trainee=folder.name, target="III", r1_n=20.0, r2_n=120.0)
    w = SessionWriter(folder, meta, flush_s=1e9)
    w.append_force(t, y)
    if sound_s is not None:
        noise = 0.01 * np.random.default_rng(0).standard_normal(int(sound_s * SOUND_RATE_HZ))
        sf.write(str(folder / "audio.wav"), noise.astype(np.float32), SOUND_RATE_HZ, subtype="PCM_16")
        meta.streams["audio"] = {"file": "audio.wav", "rate_hz": SOUND_RATE_HZ}
    w.close(RATE)
    return folder, float(t[-1] - t[0])


def test_library_list_and_the_sessions_csv_give_the_same_lengths(tmp_path, capfd):
    root = tmp_path / "class"
    _, force_s = _session(root / "ana", 10.0)
    _session(root / "ben", None)
    jsonl = gc_in_process(capfd, "library", "list", root, "--format", "jsonl")
    assert jsonl.returncode == 0, jsonl.stderr
    listed = {d["path"]: (d["duration_s"], d["audio_s"]) for d in map(json.loads, jsonl.stdout.splitlines())}
    assert listed["ana"][0] == round(force_s, 3) and listed["ana"][1] == 10.0
    assert listed["ben"] == (round(force_s, 3), None)
    r = gc_in_process(capfd, "report", "--class", root, "-o", tmp_path / "r.html", "--sessions-csv", tmp_path / "s.csv")
    assert r.returncode == 0, r.stderr
    rows = csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8-sig")))
    assert {row["name"]: (float(row["duration_s"]), float(row["audio_s"]) if row["audio_s"] else None)
            for row in rows} == listed
