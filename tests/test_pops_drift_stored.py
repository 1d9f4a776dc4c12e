"""Replay of a recorded session analyses it again and says its pops drift against its thrusts; its
report showed the analysis stored at the end of the recording, which the recorder writes without
that note, and said nothing of it. The report adds the note from the same rule to what it shows."""

from __future__ import annotations

import html
import json

import numpy as np
import soundfile as sf

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionMeta, SessionWriter
from tests._cli_in_process import gc_in_process
from tests._pops_audio import CSV

DRIFT = "the pops drift against the thrusts"


def _recorded(folder):
    """A session of the six thrusts of fixtures/thrust_pops.csv whose sound is read 0.5 % fast (its
    rate 16080 Hz, not 16000), and the events the recorder stores: the note left out."""
    t, y = np.loadtxt(CSV, delimiter=",", skiprows=1, unpack=True)
    meta = SessionMeta(created="2025-03-01T10:00:00", trainee="ana", r1_n=40.0, r2_n=120.0)
    w = SessionWriter(folder, meta, flush_s=1e9)
    w.append_force(t, y)
    x, _ = sf.read(str(CSV.with_suffix(".flac")), dtype="float32")
    sf.write(str(folder / "audio.flac"), x, 16080)
    meta.streams["audio"] = {"file": "audio.flac", "rate_hz": 16080}
    w.close(1000.0)
    evs = [e.to_dict() for e in analyze_input(load_input(folder), GradingScheme(40.0, 120.0))]
    assert any(DRIFT in m for m in evs[-1]["warnings"])
    evs[-1]["warnings"] = [m for m in evs[-1]["warnings"] if DRIFT not in m]
    (folder / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in evs))
    return folder


def test_the_report_of_a_recorded_session_says_its_pops_drift_as_replay_does(tmp_path, capsys):
    folder = _recorded(tmp_path / "s")
    out = tmp_path / "r.html"
    r = gc_in_process(capsys, "report", folder, "-o", out)
    assert r.returncode == 0, r.stderr
    page = html.unescape(out.read_text())
    assert "the stored analysis" in page                    # (not analysed again)
    said = [ln for ln in page.split("<li>") if DRIFT in ln]
    assert len(said) == 1 and "--audio-rate 16005.0" in said[0], said
