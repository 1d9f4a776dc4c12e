"""``gradecoach replay x.csv`` with ``x.flac`` beside it (as ``simulate --audio 48000 -o x.csv``
writes them) said nothing of the sound, analysed without it: one line on stderr now says how to
analyse them together, as ``record --device file:x.csv`` says it; the sound is not loaded unasked.
``simulate --help`` names ``--audio OUTPUT.flac`` where it says how to replay what it writes."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from tests._cli_in_process import gc_in_process


def csv_with_sound(folder, *suffixes):
    """``x.csv``, 2 s of 2 Hz oscillations, and silence named as it is for each of ``suffixes``."""
    t = np.arange(0.0, 2.0, 0.002)
    np.savetxt(folder / "x.csv", np.column_stack([t, 60 + 8 * np.sin(2 * np.pi * 2.0 * t)]), fmt=("%.6f", "%.4f"),
               delimiter=",", header="t_s,force_n", comments="")
    for suffix in suffixes:
        sf.write(str(folder / f"x{suffix}"), np.zeros(32000, dtype="float32"), 16000)


def test_sound_beside_a_csv_is_named_with_the_command_that_pairs_them(tmp_path, capsys):
    csv_with_sound(tmp_path, ".flac")
    r = gc_in_process(capsys, "replay", "x.csv", "--r1", 40, "--r2", 120, "--format", "jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ("gradecoach: warning: x.csv: x.flac beside it is not analysed (a CSV does not say where "
                        "its sound starts); to analyse them together: gradecoach replay x.csv --audio x.flac\n")
    assert json.loads(r.stdout.splitlines()[-1])["audio"] is False          # (not loaded unasked)


def test_the_command_it_gives_pairs_them_and_says_nothing_more(tmp_path, capsys):
    csv_with_sound(tmp_path, ".wav")
    told = gc_in_process(capsys, "replay", tmp_path / "x.csv", "--r1", 40, "--r2", 120, "--format", "table").stderr
    assert told.endswith(f"to analyse them together: gradecoach replay {tmp_path / 'x.csv'} --audio "
                         f"{tmp_path / 'x.wav'}\n") and told.count("\n") == 1, told
    r = gc_in_process(capsys, "replay", "x.csv", "--audio", "x.wav", "--r1", 40, "--r2", 120, "--format", "jsonl",
                      cwd=tmp_path)
    assert r.returncode == 0 and "beside it" not in r.stderr, r.stderr
    assert json.loads(r.stdout.splitlines()[-1])["audio"] is True


def test_a_phones_recording_beside_a_csv_is_named_too(tmp_path, capsys):
    """Named as the CSV is, a phone's .m4a, which replay decodes, gets the same line."""
    from tests._phone import phone_recording
    csv_with_sound(tmp_path)
    phone_recording(tmp_path / "x.m4a", seconds=2.0)
    r = gc_in_process(capsys, "replay", "x.csv", "--r1", 40, "--r2", 120, "--format", "jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ("gradecoach: warning: x.csv: x.m4a beside it is not analysed (a CSV does not say where "
                        "its sound starts); to analyse them together: gradecoach replay x.csv --audio x.m4a\n")
    r = gc_in_process(capsys, "replay", "x.csv", "--audio", "x.m4a", "--r1", 40, "--r2", 120, "--format", "jsonl",
                      cwd=tmp_path)
    assert r.returncode == 0 and "beside it" not in r.stderr, r.stderr
    assert json.loads(r.stdout.splitlines()[-1])["audio"] is True


def test_a_csv_alone_gets_no_such_line(tmp_path, capsys):
    csv_with_sound(tmp_path)
    r = gc_in_process(capsys, "replay", "x.csv", "--r1", 40, "--r2", 120, "--format", "table", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_simulate_help_says_how_to_replay_its_sound(capsys):
    r = gc_in_process(capsys, "simulate", "--help")
    assert r.returncode == 0
    assert "--audio OUTPUT.flac" in " ".join(r.stdout.split()), r.stdout


def test_data_on_a_later_clock_get_the_start_that_places_the_sound_with_them(tmp_path, capsys):
    """``simulate --t0 5 --audio``: the sound starts with the force, at 5 s. The command replay
    gave left --audio-start out: followed, it put the sound 5 s early, and its thrusts had no pop."""
    out = tmp_path / "t0.csv"
    assert gc_in_process(capsys, "simulate", "--thrust", "--sets", "1", "--audio", "16000", "--t0", "5", "--seed", "3",
                         "-o", out).returncode == 0
    told = gc_in_process(capsys, "replay", out, "--r1", 40, "--r2", 120, "--format", "table").stderr
    assert told.endswith(f"--audio {tmp_path / 't0.flac'} --audio-start 5 (if it began with the data, at 5 s)\n"), told
    r = gc_in_process(capsys, "replay", out, "--audio", tmp_path / "t0.flac", "--audio-start", "5", "--r1", 40,
                      "--r2", 120, "--format", "jsonl")
    s = json.loads(r.stdout.splitlines()[-1])
    assert s["n_thrusts"] >= 1 and all(t["pops"] for t in s["thrusts"]) and not s["pops_outside_thrusts"]
