"""The count of audio samples that were not numbers (NaN or infinite, read as silence) names
where the sound came from wherever the analysis runs: ``gradecoach record --device file:SESSION``
of a session whose audio file holds NaN samples stored and printed "170 audio samples were not
numbers …" naming no file, where ``replay`` of the same session names it (and, before that,
ended in a traceback: the NaN samples could not be written to the new recording's FLAC)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

from analysis.chunk import Chunk
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme
from tests._warning_session import RATE, played_session, said

ROOT = Path(__file__).resolve().parents[1]


def test_record_from_a_session_names_its_audio_file_in_the_count_of_samples_read_as_silence(tmp_path):
    audio = played_session(tmp_path / "anna", 170)
    out = tmp_path / "again"
    r = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", f"file:{tmp_path / 'anna'}",
                        "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    events = [json.loads(x) for x in (out / "events.jsonl").read_text().splitlines()]
    summary = [e for e in events if e["type"] == "summary"][-1]
    assert said(audio, 170) in summary["warnings"]
    assert not any(w.startswith("170 audio samples") for w in summary["warnings"])
    # the sound is recorded with those samples as the silence they were read as: libsndfile
    # refused a NaN in FLAC and the recording ended in a traceback
    y, sr = sf.read(str(out / "audio.flac"), dtype="float32")
    assert sr == RATE and len(y) == 2 * RATE and np.isfinite(y).all()
    assert not y[1000:1170].any()


def test_the_analyzer_names_the_audio_it_is_given_and_nothing_when_given_none():
    x = np.zeros(RATE, dtype="float32")
    x[:3] = np.nan
    c = Chunk(np.arange(RATE) / RATE, x, stream="audio", rate_hz=RATE)
    for name, first in (("mic 'USB Audio'", "mic 'USB Audio': 3 audio samples"), (None, "3 audio samples")):
        a = Analyzer(GradingScheme(40.0, 120.0), streams=("audio",), audio_name=name)
        a.feed(c)
        warns = [w for w in a.finish()[-1].warnings if "were not numbers" in w]
        assert len(warns) == 1 and warns[0].startswith(first), warns
