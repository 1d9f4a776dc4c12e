"""What replay and report write, and what they do with odd recordings: a recording is never
overwritten, an output that cannot be written is one line, and odd but readable inputs are
analysed with a warning saying what is odd.

Most commands here run in this process (``gc_here``, ``ui.cli.main`` as the program runs it):
they are about what a command writes and says; one refusal to write over a recording runs as a
program of its own."""

from __future__ import annotations

import csv
import json
import shutil
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


def one_line_error(r, *words):
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert all(w in lines[0] for w in words), lines[0]


def session(tmp_path, name="s"):
    """A session folder: the thrust_pops fixture's force and audio, audio from 0.5 s."""
    from firmware_bridge.session import SessionMeta, SessionWriter, read_force_csv
    d = read_force_csv(FIX / "thrust_pops.csv")
    w = SessionWriter(tmp_path / name, SessionMeta(r1_n=40.0, r2_n=120.0))
    w.append_force(d.t_s, d.values)
    shutil.copy(FIX / "thrust_pops.flac", tmp_path / name / "audio.flac")
    w.meta.streams["audio"] = {"file": "audio.flac", "rate_hz": sf.info(str(FIX / "thrust_pops.flac")).samplerate,
                               "t0_s": 0.0}
    w.close(1000.0)
    return tmp_path / name


@pytest.mark.parametrize("how", ["replay -o the csv", "replay -o into the session", "report --csv the csv",
                                 "report -o into the session"])
def test_an_output_onto_a_recording_is_refused_and_the_recording_kept(tmp_path, how, gc_here):
    src = tmp_path / "force.csv"
    shutil.copy(FIX / "thrust_pops.csv", src)
    folder = session(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    run = gc if how == "replay -o the csv" else gc_here     # (one as a program of its own)
    r = {"replay -o the csv": lambda: run("replay", src, "-o", src),
         "replay -o into the session": lambda: run("replay", folder, "-o", folder / "force.csv"),
         "report --csv the csv": lambda: run("report", src, "-o", tmp_path / "r.html", "--csv", src),
         "report -o into the session": lambda: run("report", folder, "-o", folder / "r.html")}[how]()
    one_line_error(r, "the recording is kept as it is")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_an_output_that_is_a_folder_is_one_line_and_missing_folders_are_made(tmp_path, gc_here):
    (tmp_path / "dir.html").mkdir()
    one_line_error(gc_here("report", FIX / "thrust_pops.csv", "-o", tmp_path / "dir.html"), "a folder is there")
    one_line_error(gc_here("replay", FIX / "thrust_pops.csv", "-o", tmp_path), "a folder is there")
    r = gc_here("report", FIX / "thrust_pops.csv", "-o", tmp_path / "a" / "r.html", "--csv", tmp_path / "b" / "e.csv")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "a" / "r.html").stat().st_size > 0 and (tmp_path / "b" / "e.csv").stat().st_size > 0


def test_report_takes_the_pop_window_as_replay_does(tmp_path, gc_here):
    args = [FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac", "--r1", 40, "--r2", 120]
    for window, tied in ((None, True), (1, False)):
        extra = ["--pop-window", window] if window else []
        r = gc_here("report", *args, *extra, "-o", tmp_path / "r.html", "--csv", tmp_path / "e.csv")
        assert r.returncode == 0, r.stderr
        with (tmp_path / "e.csv").open() as fh:
            pops = [row for row in csv.DictReader(fh) if row["type"] == "cavitation"]
        assert pops and all((row["thrust"] != "") == tied for row in pops)
    one_line_error(gc_here("report", *args, "--pop-window", -5, "-o", tmp_path / "r.html"), "--pop-window -5")


def test_a_class_report_leaves_out_a_broken_session_and_reports_the_rest(tmp_path, gc_here):
    session(tmp_path / "class", "ana")
    session(tmp_path / "class", "ben")
    (tmp_path / "class" / "broken").mkdir()
    (tmp_path / "class" / "broken" / "session.json").write_text("{bad")
    r = gc_here("report", "--class", tmp_path / "class", "-o", tmp_path / "r.html")
    assert r.returncode == 0, r.stderr
    assert "wrote" in r.stdout and "(2 recordings)" in r.stdout
    left = [x for x in r.stderr.splitlines() if "left out" in x]
    assert len(left) == 1 and "broken" in left[0] and "session.json" in left[0]
    # named on the command line, a broken session is the answer, not a warning
    one_line_error(gc_here("report", tmp_path / "class" / "broken", "-o", tmp_path / "r2.html"), "session.json")


@pytest.mark.parametrize("t0", ["NaN", "1e300", '"soon"'])
def test_a_broken_audio_start_in_session_json_is_a_warning_and_the_pops_are_still_found(tmp_path, t0, gc_here):
    folder = session(tmp_path)
    text = (folder / "session.json").read_text()
    (folder / "session.json").write_text(text.replace('"t0_s": 0.0', f'"t0_s": {t0}'))
    r = gc_here("replay", folder, "--format", "jsonl")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    summary = json.loads(r.stdout.splitlines()[-1])
    assert summary["n_cavitations"] == 13 == sum(t["pops"] for t in summary["thrusts"])
    assert any("audio placed at t = 0" in w for w in summary["warnings"])


def test_a_wav_cut_short_says_where_it_ends_and_its_pops_are_found(tmp_path, gc_here):
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="int16")
    sf.write(str(tmp_path / "full.wav"), x, sr, subtype="PCM_16")
    data = (tmp_path / "full.wav").read_bytes()
    (tmp_path / "cut.wav").write_bytes(data[:int(len(data) * 0.9)])    # the header still gives it all
    def replay(wav):
        r = gc_here("replay", FIX / "thrust_pops.csv", "--audio", wav, "--r1", 40, "--r2", 120, "--format", "jsonl")
        assert r.returncode == 0, r.stderr
        ev = [json.loads(x) for x in r.stdout.splitlines()]
        return [e["t"] for e in ev if e["type"] == "cavitation"], ev[-1]["warnings"]

    pops, warnings = replay(tmp_path / "cut.wav")
    cut = [w for w in warnings if "short of the" in w]
    assert len(cut) == 1 and "cut.wav" in cut[0] and f"{len(x) / sr:.2f} s its header gives" in cut[0]
    end_s = float(cut[0].split("ends at ")[1].split(" s")[0])
    all_pops, warnings = replay(tmp_path / "full.wav")
    assert not any("short of the" in w for w in warnings)
    assert pops == [t for t in all_pops if t < end_s - 0.05] and len(pops) >= 10


def test_other_audio_given_for_a_session_with_its_own_says_it_replaces_it(tmp_path, gc_here):
    folder = session(tmp_path)
    sf.write(str(tmp_path / "quiet.wav"), np.zeros(48000 * 5, np.float32), 48000)
    r = gc_here("replay", folder, "--audio", tmp_path / "quiet.wav", "--format", "jsonl")
    summary = json.loads(r.stdout.splitlines()[-1])
    assert summary["n_cavitations"] == 0
    assert any("instead of the session's own audio.flac" in w for w in summary["warnings"])


def test_a_clock_that_jumps_by_decades_is_replayed_in_little_memory():
    """Chunks follow the samples, not a grid over the whole span: a jump from 5 s to 2023
    made 170 million empty chunk edges (several GB)."""
    from firmware_bridge.replay.chunks import stream_chunks
    from firmware_bridge.session import StreamData
    t = np.r_[np.arange(0, 5, 0.001), 1.7e9 + np.arange(0, 5, 0.001)]
    chunks = list(stream_chunks(StreamData(t, np.ones(len(t))), "force", 1.0))
    assert len(chunks) == 10 and sum(len(c) for c in chunks) == len(t)
    assert all(np.ptp(c.t_s) < 1.0 for c in chunks)


def test_a_session_with_torn_rows_says_so_once(tmp_path):
    from firmware_bridge.replay import load_input
    folder = session(tmp_path)
    with (folder / "force.csv").open("a") as fh:
        fh.write("12.3")
    inp = load_input(folder)
    assert len([w for w in inp.warnings if "last line cut off" in w]) == 1
    assert not any("rows skipped" in w for w in inp.warnings)       # (the torn line said once, as such)


def test_a_thrust_with_force_and_imu_is_one_thrust_and_imu_alone_is_shown_without_forces(tmp_path, gc_here):
    """The IMU sees the thrust the force sensor weighs: with both, it is counted once (the
    force's); with the IMU alone, its thrust has no forces and every command shows it so."""
    r = gc_here("simulate", "--thrust", "--imu", 500, "--rate", 1000, "-o", tmp_path / "th.csv")
    assert r.returncode == 0, r.stderr
    r = gc_here("replay", tmp_path / "th.csv", "--format", "jsonl")
    summary = json.loads(r.stdout.splitlines()[-1])
    assert r.returncode == 0 and summary["n_thrusts"] == 1 and summary["thrusts"][0]["source"] == "force"
    ran = {}
    for args in (["replay", tmp_path / "th.csv", "--format", "table"],
                 ["replay", tmp_path / "th.imu.csv", "--format", "table"],
                 ["report", tmp_path / "th.imu.csv", "-o", tmp_path / "imu.html"],
                 ["report", tmp_path / "th.csv", "-o", tmp_path / "both.html"]):
        r = ran[tuple(map(str, args))] = gc_here(*args)
        assert r.returncode == 0 and "Traceback" not in r.stderr, (args, r.stderr)
    r = ran[("replay", str(tmp_path / "th.imu.csv"), "--format", "table")]
    row = [x for x in r.stdout.splitlines() if x.strip().startswith("1 ")]
    assert row and "–" in row[0]
