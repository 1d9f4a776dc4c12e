"""No command writes over a recording: an output naming an existing recording (a force or IMU
CSV, audio, expected events, a session's events.jsonl or session.json) is one line naming the
option and the path, exit status 2, and the recording is kept byte for byte; an earlier output
of the same command is replaced as before. ``simulate`` replaces a recording only with
--overwrite, and the fixtures' script gives it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"
FORCE = FIX / "lumbar_grade3.csv"


def recordings(folder: Path) -> dict[str, Path]:
    """One of each kind of recording a command must not replace, each in a folder of its own
    under ``folder`` (a session.json makes its folder a session's)."""
    made = {"force CSV": "lumbar_grade1.csv", "audio": "clip.wav", "expected events": "lumbar_grade1.expected.jsonl",
            "logger's CSV": "logger.csv", "IMU CSV": "hand.imu.csv", "events.jsonl": "events.jsonl",
            "session.json": "session.json"}
    made = {k: folder / k.replace(" ", "_").replace("'", "") / name for k, name in made.items()}
    for p in made.values():
        p.parent.mkdir(parents=True)
    shutil.copy(FIX / "lumbar_grade1.csv", made["force CSV"])
    shutil.copy(FIX / "thrust_pops.flac", made["audio"])             # (bytes of any audio: by its name)
    shutil.copy(FIX / "lumbar_grade1.expected.jsonl", made["expected events"])
    made["logger's CSV"].write_text("Time (s);Load [kg]\n0,000;1,5\n0,010;1,6\n", encoding="utf-8")
    made["IMU CSV"].write_text("t_s,ax_mps2,ay_mps2,az_mps2\n0.0,0.1,0.0,9.8\n0.01,0.1,0.0,9.8\n", encoding="utf-8")
    made["events.jsonl"].write_text('{"type": "summary"}\n', encoding="utf-8")
    (made["events.jsonl"].parent / "session.json").write_text('{"schema_version": 1}\n', encoding="utf-8")
    made["session.json"].write_text('{"schema_version": 1}\n', encoding="utf-8")
    return made


SAID = {"force CSV": "that is a recording of force (t_s,force_n)", "audio": "that is an audio recording",
        "expected events": "that is a recording's expected events",
        "logger's CSV": "that is a recording of force (Time (s);Load [kg])",
        "IMU CSV": "that is a recording of an IMU (t_s,ax_mps2,", "events.jsonl": "inside the recorded session",
        "session.json": "inside the recorded session"}


def contents(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def refused(capsys, argv: list[str], option: str, path: Path, *words: str) -> str:
    assert main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"gradecoach: error: {option} {path}: "), lines[0]
    assert all(w in lines[0] for w in words), lines[0]
    return lines[0]


@pytest.mark.parametrize("kind", SAID)
def test_replay_never_writes_its_events_over_a_recording(kind, tmp_path, capsys):
    target = recordings(tmp_path / "rec")[kind]
    before = contents(tmp_path)
    refused(capsys, ["replay", FORCE, "--r1", 40, "--r2", 120, "-o", target], "-o", target, SAID[kind],
            "the recording is kept as it is")
    assert contents(tmp_path) == before


def test_replay_writes_over_its_own_earlier_events(tmp_path, capsys):
    out = tmp_path / "out" / "grade3.jsonl"
    written = []
    for _ in range(2):
        assert main(["replay", str(FORCE), "--r1", "40", "--r2", "120", "-o", str(out)]) == 0
        written.append(out.read_bytes())
    assert written[0] == written[1] and written[1].count(b"\n") > 20 and b'"type": "summary"' in written[1]
    capsys.readouterr()


@pytest.mark.parametrize("kind", ["force CSV", "audio", "logger's CSV"])
def test_report_never_writes_its_csv_over_a_recording(kind, tmp_path, capsys):
    target = recordings(tmp_path / "rec")[kind]
    before = contents(tmp_path)
    refused(capsys, ["report", FORCE, "-o", tmp_path / "r.html", "--csv", target], "--csv", target, SAID[kind],
            "the recording is kept as it is")
    assert contents(tmp_path) == before and not (tmp_path / "r.html").exists()


def test_report_writes_over_its_own_earlier_page_and_events_csv(tmp_path, capsys):
    """An events CSV has t_s-like columns but no force or IMU samples: it is not a recording."""
    page, events = tmp_path / "r.html", tmp_path / "events.csv"
    for _ in range(2):
        assert main(["report", str(FIX / "thrust_pops.csv"), "-o", str(page), "--csv", str(events)]) == 0
    assert events.read_text(encoding="utf-8-sig").startswith("recording,type,") and page.stat().st_size > 0
    capsys.readouterr()


def test_simulate_replaces_a_recording_only_with_overwrite(tmp_path, capsys):
    out = tmp_path / "sim.csv"
    argv = ["simulate", "--grade", "III", "--cycles", "3", "-o", str(out)]
    assert main(argv) == 0
    made = contents(tmp_path)
    out.write_text("t_s,force_n\n0.0,1.0\n", encoding="utf-8")        # a recording there now
    before = contents(tmp_path)
    refused(capsys, argv + ["--seed", "5"], "-o", out, "--overwrite")
    assert contents(tmp_path) == before
    assert main(argv + ["--overwrite"]) == 0
    assert contents(tmp_path) == made, "the same simulation as into a new file"


@pytest.mark.parametrize("beside, extra", [("sim.expected.jsonl", []), ("sim.flac", ["--thrust", "--audio", "16000"]),
                                           ("sim.imu.csv", ["--imu", "200"]),
                                           ("sim.imu-expected.jsonl", ["--imu", "200"])])
def test_simulate_keeps_a_recording_it_would_write_beside_its_csv(beside, extra, tmp_path, capsys):
    """A recording's expected events, IMU or audio: nothing is written, the CSV neither."""
    rec = recordings(tmp_path / "rec")
    kind = {".flac": "audio", ".csv": "IMU CSV"}.get(Path(beside).suffix, "expected events")
    shutil.copy(rec[kind], tmp_path / beside)
    before = contents(tmp_path)
    cycles = [] if "--thrust" in extra else ["--cycles", "3"]      # (a thrust has no cycles to give)
    line = refused(capsys, ["simulate", *cycles, *extra, "-o", tmp_path / "sim.csv"], "-o",
                   tmp_path / "sim.csv", f"{beside} beside it", "--overwrite")
    assert contents(tmp_path) == before, line


def test_screenshot_makes_a_missing_folder_and_writes_over_its_own_image(tmp_path, capsys):
    """As report -o does; it refused with 'no such folder for the screenshot'."""
    out = tmp_path / "missing" / "dir" / "e.png"
    for _ in range(2):
        assert main(["screenshot", "--replay", str(FORCE), "--at", "5", "-o", str(out)]) == 0
        assert out.read_bytes().startswith(b"\x89PNG")
    rec = recordings(tmp_path / "rec")
    before = contents(tmp_path)
    refused(capsys, ["screenshot", "--replay", FORCE, "--at", 5, "-o", rec["audio"]], "-o", rec["audio"])
    assert contents(tmp_path) == before


def test_emulate_never_writes_its_truth_over_a_recordings_expected_events(tmp_path):
    """A simulated IMU's thrusts read as a truth file of emulate's, and were replaced on exit."""
    assert main(["simulate", "--thrust", "--imu", "200", "-o", str(tmp_path / "th.csv")]) == 0
    truth = tmp_path / "th.imu-expected.jsonl"
    before = contents(tmp_path)
    r = subprocess.run([sys.executable, "-m", "ui.cli", "emulate", "--link", str(tmp_path / "e.pty"),
                        "--truth", str(truth)], cwd=ROOT, capture_output=True, text=True, timeout=30,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith(f"gradecoach: error: --truth {truth}: that is a recording's expected events")
    assert contents(tmp_path) == before and not (tmp_path / "e.pty").exists()


def test_a_library_index_named_as_a_recording_is_refused(tmp_path, capsys):
    """rebuild took the CSV for a damaged index and moved it aside to .broken."""
    db = recordings(tmp_path / "rec")["force CSV"]
    (tmp_path / "root").mkdir()
    before = contents(tmp_path)
    refused(capsys, ["library", "rebuild", tmp_path / "root", "--db", db], "--db", db, SAID["force CSV"])
    assert contents(tmp_path) == before


def test_replay_writes_over_its_own_earlier_events_named_events_jsonl(tmp_path, capsys):
    """``-o out/events.jsonl`` is what many name replay's output: outside a session's folder it is
    replaced on the next run (refused, it could not be written twice)."""
    out = tmp_path / "out" / "events.jsonl"
    for _ in range(2):
        assert main(["replay", str(FORCE), "--r1", "40", "--r2", "120", "-o", str(out)]) == 0
    assert out.read_bytes().count(b"\n") > 20
    capsys.readouterr()


def test_simulate_over_a_recording_with_an_imu_leaves_no_old_imu_beside_it(tmp_path, capsys):
    """A recording made again without its IMU: the old x.imu.csv was left beside the new force,
    and replay paired them. Without --overwrite it is refused like the force; with it, removed."""
    from firmware_bridge.replay import load_input
    out = tmp_path / "x.csv"
    assert main(["simulate", "--grade", "III", "--imu", "200", "--cycles", "4", "-o", str(out)]) == 0
    imu = tmp_path / "x.imu.csv"
    assert imu.exists() and load_input(out).imu is not None
    kept = imu.read_bytes()
    capsys.readouterr()
    assert main(["simulate", "--grade", "II", "--cycles", "4", "-o", str(out)]) == 2
    assert imu.read_bytes() == kept and "--overwrite" in capsys.readouterr().err
    assert main(["simulate", "--grade", "II", "--cycles", "4", "-o", str(out), "--overwrite"]) == 0
    assert "removed the earlier x.imu.csv, x.imu-expected.jsonl" in capsys.readouterr().out
    assert not imu.exists() and not (tmp_path / "x.imu-expected.jsonl").exists()
    assert load_input(out).imu is None
