"""An audio file replayed with --audio as well: one line saying so, not one of them silently."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from tests.conftest import ROOT, gc

FIX = ROOT / "fixtures"


def test_an_audio_file_and_another_given_with_audio_is_a_one_line_error_naming_both(tmp_path):
    other = tmp_path / "other.wav"
    sf.write(str(other), np.zeros(16000, dtype=np.float32), 16000)
    r = gc("replay", FIX / "thrust_pops.flac", "--audio", other, "--format", "jsonl")
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert "two audio inputs" in lines[0] and "thrust_pops.flac" in lines[0] and str(other) in lines[0]
    # a force CSV takes its audio from --audio as before
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac", "--format", "jsonl")
    assert r.returncode == 0 and '"n_cavitations": 13' in r.stdout.splitlines()[-1]
