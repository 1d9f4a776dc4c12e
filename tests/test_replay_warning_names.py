"""Warnings and refusals name their file and say what to do: replay's "no calibration…" and
"force sampled at 80 Hz…" on stderr name the recording as its other warnings do; the sound
found beside a CSV is a "gradecoach: warning:" line; an output under a file given as a folder
says "l3.csv is a file, not a folder" (it said "cannot make its folder (File exists)" or
"folder l3.csv does not exist"); a terminal named as a recording (the link emulate serves)
points to --device serial:."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf

from tests.conftest import gc

WARN = "gradecoach: warning: "


def _csv(path, rate_hz=500.0, seconds=8.0):
    t = np.arange(int(seconds * rate_hz)) / rate_hz
    f = 20 + 30 * (1 - np.cos(2 * np.pi * 1.5 * t)) / 2
    np.savetxt(path, np.column_stack([t, f]), fmt=("%.6f", "%.4f"), delimiter=",", header="t_s,force_n",
               comments="")
    return path


def test_no_calibration_names_the_file(tmp_path):
    p = _csv(tmp_path / "l3.csv")
    r = gc("replay", p, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    said = ("no calibration (R1/R2): cycles are measured but not graded, and a thrust must rise at 800 N/s or "
            "faster to count as one")
    assert f"{WARN}{p}: {said}" in r.stderr.splitlines()
    # the events keep their words
    assert f'"message": "{said}"' in r.stdout


def test_a_low_rate_names_the_file(tmp_path):
    p = _csv(tmp_path / "r30.csv", rate_hz=30.0, seconds=12.0)
    r = gc("replay", "r30.csv", "--r1", 40, "--r2", 120, "-o", "out.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert any(ln.startswith(f"{WARN}r30.csv: force sampled at 30 Hz") for ln in lines), lines
    assert all(ln.startswith(WARN + "r30.csv: ") for ln in lines), lines
    assert p.is_file()


def test_sound_beside_is_a_warning_line(tmp_path):
    _csv(tmp_path / "thrust_pops.csv")
    sf.write(str(tmp_path / "thrust_pops.flac"), np.zeros(16000, dtype="float32"), 16000)
    r = gc("replay", "thrust_pops.csv", "--r1", 40, "--r2", 120, "--format", "jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [
        f"{WARN}thrust_pops.csv: thrust_pops.flac beside it is not analysed (a CSV does not say where its sound "
        f"starts); to analyse them together: gradecoach replay thrust_pops.csv --audio thrust_pops.flac"]


@pytest.mark.parametrize("args, option, out", [
    (["replay", "l3.csv", "-o", "l3.csv/x.jsonl"], "-o", "l3.csv/x.jsonl"),
    (["replay", "l3.csv", "-o", "l3.csv/a/x.jsonl"], "-o", "l3.csv/a/x.jsonl"),
    (["emulate", "--link", "x.pty", "--truth", "l3.csv/t.jsonl"], "--truth", "l3.csv/t.jsonl"),
    (["emulate", "--link", "l3.csv/x.pty"], "--link", "l3.csv/x.pty"),
])
def test_a_file_given_as_a_folder(tmp_path, args, option, out):
    _csv(tmp_path / "l3.csv")
    r = gc(*args, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: error: {option} {out}: l3.csv is a file, not a folder"]
    assert not (tmp_path / "x.pty").exists()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals here")
@pytest.mark.parametrize("args", [["replay", "./sensor.pty"], ["record", "--device", "file:./sensor.pty",
                                                               "--out", "rec"]])
def test_a_terminal_points_to_serial(tmp_path, args):
    main, side = os.openpty()
    try:
        (tmp_path / "sensor.pty").symlink_to(os.ttyname(side))
        r = gc(*args, cwd=tmp_path)
    finally:
        os.close(main)
        os.close(side)
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == ["gradecoach: error: sensor.pty: a terminal, not a recording; read a sensor "
                                     "on it with --device serial:sensor.pty, send one into it (< force.csv) or "
                                     "give its file"]
    assert not (tmp_path / "rec").exists()


def test_a_recording_named_like_a_word_of_the_warning_is_still_named():
    """A session folder named 'force' or 'calibration': the warnings 'force sampled at 80 Hz…' and
    'no calibration (R1/R2)…' were taken as naming it, and left without the recording's name."""
    from ui.cmd_replay import naming
    assert naming("force sampled at 80 Hz: x", "sessions/force") == "sessions/force: force sampled at 80 Hz: x"
    assert naming("no calibration (R1/R2): x", "data/calibration").startswith("data/calibration: no calibration")
    assert naming("anna/audio.flac: no such audio file", "anna") == "anna/audio.flac: no such audio file"
