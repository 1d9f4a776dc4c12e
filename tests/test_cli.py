"""The command line as a user runs it: real files, and a bad or missing file as a program of its
own (its exit status and one line, as a shell has them).

The other commands run in this process (``gc_here``: ``ui.cli.main``, as the program runs it),
each sparing a program's start-up."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests._cli_in_process import gc_in_process
from tests.conftest import gc_program as gc

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"


@pytest.fixture
def gc_here(capfd):
    """``gc`` run in this process: ``gc_here(*args, cwd=None)``."""
    return lambda *args, cwd=None: gc_in_process(capfd, *args, cwd=cwd)


def test_replay_jsonl_follows_the_event_contract(gc_here):
    r = gc_here("replay", FIX / "lumbar_grade3.csv", "--r1", 40, "--r2", 120, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    ev = [json.loads(x) for x in r.stdout.splitlines()]
    assert ev[-1]["type"] == "summary"
    cyc = [e for e in ev if e["type"] == "cycle"]
    assert len(cyc) == 20
    keys = {"t_start", "t_end", "t_crest", "grade", "modifier", "trough_n", "crest_n", "amplitude_n", "freq_hz", "beyond_r2"}
    assert all(keys <= set(c) for c in cyc)
    assert {c["grade"] for c in cyc} == {"III"}


def test_replay_table_summarises_sets_and_thrusts(gc_here):
    r = gc_here("replay", FIX / "mixed_offset.csv", "--r1", 40, "--r2", 120, "--target", "III+", "--format", "table")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for words in ("set 1", "grades", "frequency", "CV", "on target", "beyond R2", "thrust", "let-up"):
        assert words in out
    assert "III+:" in out and "target III+" in out


def test_thrust_fixture_lines(gc_here):
    r = gc_here("replay", FIX / "thrust_letup.csv", "--r1", 40, "--r2", 120, "--format", "jsonl")
    th = [e for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "thrust"]
    assert len(th) == 3 and all(t["letup"] for t in th)
    keys = {"t_onset", "t_peak", "preload_n", "peak_n", "time_to_peak_ms", "duration_ms", "rate_n_per_s",
            "max_rate_n_per_s", "letup_n"}
    assert all(keys <= set(t) for t in th)


def test_bad_input_is_one_line_and_exit_2(tmp_path, gc_here):
    bad = tmp_path / "bad.csv"
    bad.write_text("t_s,force_n\n0,1\n0.001,x\n0.002,y\n")
    for i, args in enumerate((["replay", bad], ["replay", tmp_path / "nope.csv"],
                              ["replay", FIX / "lumbar_grade3.csv", "--r1", 120, "--r2", 40],
                              ["replay", FIX / "lumbar_grade3.csv", "--r1", 40],
                              ["replay", FIX / "lumbar_grade3.csv", "--target", "VII"],
                              ["replay", FIX / "lumbar_grade3.csv", "--audio", tmp_path / "none.wav"])):
        # a bad file and a missing one as programs; the options' refusals, the same path to exit 2
        # (an error raised, said in one line by main), in this process
        r = gc(*args) if i < 2 else gc_here(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_file_with_a_few_bad_rows_is_analysed_and_counted(tmp_path, gc_here):
    lines = (FIX / "lumbar_grade3.csv").read_text().splitlines()
    lines[500] = "0.9999,not-a-number"
    lines[900] = ""
    lines[1200] = "1,2,3"
    p = tmp_path / "dirty.csv"
    p.write_text("\n".join(lines) + "\n")
    r = gc_here("replay", p, "--r1", 40, "--r2", 120, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout.splitlines()[-1])
    assert s["skipped_rows"] == 2 and s["n_cycles"] == 20
    assert any("dirty.csv:501" in w for w in s["warnings"])


def test_session_folder_calibration_and_flags_override(tmp_path, gc_here):
    d = tmp_path / "sess"
    d.mkdir()
    (d / "force.csv").write_text((FIX / "lumbar_grade3.csv").read_text())
    (d / "session.json").write_text(json.dumps({"schema_version": 1, "r1_n": 40, "r2_n": 120, "target": "III",
                                                "complete": True}))
    s = json.loads(gc_here("replay", d, "--format", "jsonl").stdout.splitlines()[-1])
    assert s["grade_histogram"] == {"III": 20} and s["target"] == "III"
    s2 = json.loads(gc_here("replay", d, "--r1", 90, "--r2", 200, "--format", "jsonl").stdout.splitlines()[-1])
    assert s2["r1_n"] == 90 and "III" not in s2["grade_histogram"]


def test_csv_with_audio_and_audio_alone(tmp_path, gc_here):
    wav = tmp_path / "clip.wav"
    sf.write(wav, np.random.default_rng(0).normal(0, 1e-3, 48000).astype(np.float32), 48000)   # a quiet room
    r = gc_here("replay", FIX / "lumbar_grade1.csv", "--audio", wav, "--r1", 40, "--r2", 120, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    r = gc_here("replay", wav, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.splitlines()[-1])
    assert summary["duration_s"] > 0.9
    assert summary["warnings"] == []                       # no cycles to grade, so no word of calibration
    r = gc_here("replay", FIX / "lumbar_grade1.csv", "--format", "jsonl")
    assert "not graded" in " ".join(json.loads(r.stdout.splitlines()[-1])["warnings"])
    first = json.loads(r.stdout.splitlines()[0])                   # streamed before the data, too
    assert first["type"] == "warning" and "not graded" in first["message"]


def test_audio_too_coarse_for_pops_beside_force_is_one_warning_and_the_thrusts_are_measured(tmp_path, gc_here):
    wav = tmp_path / "phone.wav"
    sf.write(wav, np.zeros(8000, dtype=np.float32), 8000)
    r = gc_here("replay", FIX / "thrust_pops.csv", "--audio", wav, "--r1", 40, "--r2", 120, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().splitlines() == [f"gradecoach: warning: {wav}: audio at 8000 Hz; pops are detected "
                                             f"in audio at 16000 Hz or more; its pops are not analysed"]
    summary = json.loads(r.stdout.splitlines()[-1])
    assert summary["n_thrusts"] == 6 and summary["audio"] is False
    r = gc_here("replay", wav)
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "16000 Hz or more" in r.stderr


def test_simulate_writes_a_fixture_that_replays_to_its_truth(tmp_path, gc_here):
    out = tmp_path / "x.csv"
    r = gc_here("simulate", "--grade", "IV+", "--r1", 40, "--r2", 120, "--freq", 2, "--cycles", 10, "--rate", 200,
           "--seed", 3, "-o", out)
    assert r.returncode == 0, r.stderr
    lines = out.with_suffix(".expected.jsonl").read_text().splitlines()
    assert json.loads(lines[0])["type"] == "fixture"
    truth = [json.loads(x) for x in lines[1:]]
    assert len(truth) == 10 and {(t["grade"], t["modifier"]) for t in truth} == {("IV", "+")}
    r = gc_here("replay", out, "--r1", 40, "--r2", 120, "--format", "jsonl")
    ev = [json.loads(x) for x in r.stdout.splitlines()]
    assert sum(e["type"] == "cycle" and e["grade"] == "IV" and e["modifier"] == "+" for e in ev) >= 9


def test_demo_replay_runs_headless_and_counts_each_thrusts_pops_from_its_sound(gc_here):
    """The newcomer's first look without a display: the demo's cycles, its thrusts, and the pops
    its room microphone heard at each (not "–", pops unknown, as a recording without sound has)."""
    r = gc_here("replay", "--demo")
    assert r.returncode == 0 and "set 1" in r.stdout, r.stderr
    truth = [json.loads(x) for x in (FIX / "demo_mixed.expected.jsonl").read_text().splitlines()[1:]]
    pops = [e for e in truth if e["type"] == "cavitation"]
    assert f"2 thrusts, {len(pops)} pops" in r.stdout.splitlines()[0]
    rows = [x for x in r.stdout.splitlines() if re.match(r"\s+\d+\s+\d+\.\d\d\s", x) and "pop" in x]
    assert len(rows) == 2
    for i, row in enumerate(rows):
        n = sum(e["thrust"] == i for e in pops)
        assert n >= 2 and f"{n} pops, first" in row, row


def test_replay_counts_pops_per_thrust_and_when_they_came(gc_here):
    """The instructor's question after a set of thrusts: did it pop, how many times, and when."""
    r = gc_here("replay", FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac", "--r1", 40, "--r2", 120,
           "--format", "table")
    assert r.returncode == 0, r.stderr
    truth = [json.loads(x) for x in (FIX / "thrust_pops.expected.jsonl").read_text().splitlines()[1:]]
    rows = [x for x in r.stdout.splitlines() if x.strip()[:1].isdigit()]
    assert len(rows) == 6 and "6 thrusts, 13 pops" in r.stdout
    for i, row in enumerate(rows):
        n = sum(1 for t in truth if t["type"] == "cavitation" and t["thrust"] == i)
        peak = next(t["t_peak"] for t in truth if t["type"] == "thrust" and abs(t["t_peak"] - float(row.split()[1])) < 0.05)
        first = min((t["t"] for t in truth if t["type"] == "cavitation" and t["thrust"] == i), default=None)
        if n == 0:
            assert row.endswith("no pop")
        else:
            ms = round(1000 * (first - peak))
            assert f"{n} pop" in row and ("before" if ms < 0 else "after") in row, row
            said = re.search(r"(\d+) ms (before|after) peak force", row)
            assert said and abs(int(said.group(1)) - abs(ms)) <= 8, row     # peak force is found to a few ms


def test_pops_outside_any_thrust_are_reported_apart(tmp_path, gc_here):
    """A pop during mobilisation (or a partner's knuckles) is not credited to a thrust; one after
    the force ended (the sound ran on) is counted apart, as heard where no force was recorded."""
    from firmware_bridge.audio_sim import pop_wave

    sr = 16000
    x = np.random.default_rng(1).normal(0, 1e-3, 20 * sr).astype(np.float32)
    for t, seed in ((6.0, 2), (19.0, 3)):
        w = pop_wave(np.random.default_rng(seed), sr)
        x[int(t * sr):int(t * sr) + len(w)] += (0.2 * w / np.abs(w).max()).astype(np.float32)
    wav = tmp_path / "room.wav"
    sf.write(wav, x, sr)
    r = gc_here("replay", FIX / "lumbar_grade3.csv", "--audio", wav, "--r1", 40, "--r2", 120, "--format", "table")
    assert r.returncode == 0, r.stderr
    assert "0 thrusts, 2 pops" in r.stdout
    assert "pops outside any thrust: 1 — at 6.00 s (set 1)\n" in r.stdout
    assert "pops heard where no force was recorded: 1 — at 19.00 s (after it)" in r.stdout
    s = json.loads(gc_here("replay", FIX / "lumbar_grade3.csv", "--audio", wav, "--r1", 40, "--r2", 120,
                      "--format", "jsonl").stdout.splitlines()[-1])
    assert [p["set_index"] for p in s["pops_outside_thrusts"]] == [0]
    assert [p["when"] for p in s["pops_without_force"]] == ["after"]


def test_pop_window_sets_how_far_from_the_peak_a_pop_still_counts(gc_here):
    args = ["replay", FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac", "--r1", 40, "--r2", 120,
            "--format", "jsonl"]
    wide = json.loads(gc_here(*args).stdout.splitlines()[-1])
    narrow = json.loads(gc_here(*args, "--pop-window", 5).stdout.splitlines()[-1])
    assert wide["pops_outside_thrusts"] == [] and wide["n_cavitations"] == narrow["n_cavitations"] == 13
    tied = sum(t["pops"] for t in narrow["thrusts"])
    assert 0 < tied < 13 and tied + len(narrow["pops_outside_thrusts"]) == 13
    for bad in (0, 0.5, 2001):                          # (the range said, 1–2000 ms, is the one taken)
        r = gc_here(*args, "--pop-window", bad)
        assert r.returncode == 2 and r.stderr.strip().splitlines() == [
            f"gradecoach: error: --pop-window {bad:g}: give 1–2000 ms"], r.stderr


def test_audio_alone_in_ogg_flac_wav_or_mp3_gives_the_same_pops(tmp_path, gc_here):
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    truth = [json.loads(x)["t"] for x in (FIX / "thrust_pops.expected.jsonl").read_text().splitlines()[1:]
             if json.loads(x)["type"] == "cavitation"]
    for fmt, sub in (("OGG", "VORBIS"), ("WAV", "PCM_16"), ("FLAC", "PCM_24"), ("MP3", "MPEG_LAYER_III")):
        p = tmp_path / f"clip.{fmt.lower()}"
        sf.write(str(p), x, sr, format=fmt, subtype=sub)
        r = gc_here("replay", p, "--format", "jsonl")
        assert r.returncode == 0, r.stderr
        got = [json.loads(x)["t"] for x in r.stdout.splitlines() if json.loads(x)["type"] == "cavitation"]
        assert len(got) == len(truth) and max(abs(a - b) for a, b in zip(got, truth)) < 2e-3, fmt



def test_a_float_file_with_garbage_samples_keeps_its_pops_and_says_how_many_were_bad(tmp_path, gc_here):
    """A corrupt float WAV (a 1e30 sample every 0.1 s): the pops are still found, the summary and
    one warning line count the bad samples, and no numpy warning reaches the terminal. Before, the file gave no
    pop at all, no warning in the summary, and three RuntimeWarnings on stderr."""
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    truth = [json.loads(x)["t"] for x in (FIX / "thrust_pops.expected.jsonl").read_text().splitlines()[1:]
             if json.loads(x)["type"] == "cavitation"]
    x = x.copy()
    bad = np.arange(sr // 20, len(x), sr // 10)
    bad = bad[np.min(np.abs(bad[:, None] / sr - np.array(truth)[None, :]), axis=1) > 0.02]  # not on a pop
    x[bad] = 1e30
    p = tmp_path / "corrupt.wav"
    sf.write(str(p), x, sr, subtype="FLOAT")
    r = gc_here("replay", p, "--format", "jsonl")
    said = (f"{p}: {len(bad)} audio samples were not numbers (NaN or infinite) or were beyond any full scale "
            f"(over 1e12) and were read as silence")
    assert r.returncode == 0 and r.stderr.splitlines() == [f"gradecoach: warning: {said}"]
    out = [json.loads(x) for x in r.stdout.splitlines()]
    got = [e["t"] for e in out if e["type"] == "cavitation"]
    assert len(got) == len(truth) and max(abs(a - b) for a, b in zip(got, truth)) < 2e-3
    assert out[-1]["warnings"] == [said]

def test_each_commands_help_says_where_its_calibration_comes_from(gc_here):
    """record and the trainer take their calibration from the device (or a profile), not from a
    session.json they are about to write."""
    for command, says in (("record", "the calibration the device reports"),
                          ("trainer", "the calibration the device reports"),
                          ("replay", "from the session's session.json")):
        r = gc_here(command, "--help")
        assert r.returncode == 0, r.stderr
        assert f"calibration and target (default: {says}" in " ".join(r.stdout.split())
