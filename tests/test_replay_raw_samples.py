"""A .raw file of bare samples (no header: libsndfile's RAW format, which asks for a rate it is not
given) is one line naming it, alone or beside force, whose analysis goes on; before, a traceback
("samplerate must be specified")."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from tests._cli_in_process import gc_in_process
from tests._phone import POPS_PER_THRUST, ROOT


def raw_samples(path):
    sf.write(path, np.random.default_rng(1).normal(0, 0.1, 16000), 16000, format="RAW", subtype="PCM_16")
    return path


def test_a_raw_file_alone_is_one_line(tmp_path, capfd):
    raw = raw_samples(tmp_path / "take 1.raw")
    r = gc_in_process(capfd, "replay", raw)
    [line] = r.stderr.splitlines()
    assert r.returncode != 0 and line.startswith(f"gradecoach: error: {raw}: ") and "audio file" in line


def test_a_raw_file_beside_force_is_one_warning_and_the_force_is_analysed(tmp_path, capfd):
    raw = raw_samples(tmp_path / "take 1.raw")
    r = gc_in_process(capfd, "replay", ROOT / "fixtures" / "thrust_pops.csv", "--audio", raw, "--r1", "40",
                      "--r2", "120", "--format", "jsonl")
    assert r.returncode == 0 and "Traceback" not in r.stderr
    [line] = r.stderr.splitlines()
    assert line.startswith(f"gradecoach: warning: {raw}: unreadable audio") and "without the audio" in line
    summary = json.loads(r.stdout.splitlines()[-1])
    assert summary["n_thrusts"] == len(POPS_PER_THRUST) and summary["audio"] is False
