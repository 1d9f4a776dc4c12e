"""An output never replaces someone's data: an existing CSV gradecoach did not write (a logger's
export whose header replay does not read, numbers without a header, a notes file named .csv)
given to simulate -o, replay -o or report --csv is one line naming what is there, exit status 2,
and the file is kept byte for byte; simulate replaces it with --overwrite. What gradecoach wrote
(report --csv's events, replay -o's events or table, a report) is replaced by a second run."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.cli import main

ROOT = Path(__file__).resolve().parent.parent
FORCE = ROOT / "fixtures" / "lumbar_grade3.csv"

# name: (bytes, what the message says is there)
DATA = {
    "plain.csv": (b"Time,Force\n0.001,12.5\n0.002,12.6\n", "a file of data (Time,Force) gradecoach did not write"),
    "de2.csv": ("Zeit [s];Kraft [N]\n0,001;12,5\n".encode(), "a file of data (Zeit [s];Kraft [N]) gradecoach did not write"),
    "bare.csv": (b"0.001,12.5\n0.002,12.6\n", "a file of data (0.001,12.5) gradecoach did not write"),
    "fr.csv": (b"temps (s);force (N)\n0,001;12,5\n0,002;12,6\n", "a file of data (temps (s);force (N)) gradecoach did not write"),
    "excel.csv": ("\ufeffsep=;\r\nZeit;Kraft\r\n0,001;12,5\r\n0,002;12,6\r\n".encode(),
                  "a file of data (Zeit;Kraft) gradecoach did not write"),
    "notes.csv": (b"bring towels\nroom 3 at nine\n", "a file gradecoach did not write (bring towels)"),
    "log.txt": (b"t\tF\n0.001\t12.5\n0.002\t12.6\n", "a file of data (t\tF) gradecoach did not write"),
}


def put(folder: Path, name: str) -> Path:
    p = folder / name
    p.write_bytes(DATA[name][0])
    return p


def refused(capsys, argv: list, option: str, path: Path, said: str, how: str) -> None:
    assert main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0] == f"gradecoach: error: {option} {path}: that is {said}; {how}", lines[0]


@pytest.mark.parametrize("name", sorted(DATA))
def test_simulate_replay_and_report_keep_a_data_csv(tmp_path, capsys, name):
    p = put(tmp_path, name)
    said = DATA[name][1]
    if p.suffix == ".csv":                          # (simulate writes only a .csv)
        refused(capsys, ["simulate", "--cycles", 3, "-o", p], "-o", p, said,
                "give --overwrite to replace it, or another file name")
    refused(capsys, ["replay", FORCE, "--r1", 40, "--r2", 120, "-o", p], "-o", p, said,
            "choose another file, the file is kept as it is")
    refused(capsys, ["report", FORCE, "--r1", 40, "--r2", 120, "-o", tmp_path / "r.html", "--csv", p], "--csv", p,
            said, "choose another file, the file is kept as it is")
    assert p.read_bytes() == DATA[name][0]
    assert sorted(f.name for f in tmp_path.iterdir()) == [name]        # (no report, no expected events)


def test_simulate_overwrite_replaces_a_data_csv(tmp_path, capsys):
    p = put(tmp_path, "de2.csv")
    assert main(["simulate", "--cycles", "3", "-o", str(p), "--overwrite"]) == 0
    assert p.read_text().splitlines()[0] == "t_s,force_n"


def test_what_gradecoach_wrote_is_replaced_by_a_second_run(tmp_path, capsys):
    events, jsonl, table = tmp_path / "events.csv", tmp_path / "events.txt", tmp_path / "table.txt"
    report = tmp_path / "r.html"
    for run in range(2):
        assert main(["report", str(FORCE), "--r1", "40", "--r2", "120", "-o", str(report), "--csv", str(events)]) == 0
        assert main(["replay", str(FORCE), "--r1", "40", "--r2", "120", "-o", str(jsonl), "--format", "jsonl"]) == 0
        assert main(["replay", str(FORCE), "--r1", "40", "--r2", "120", "-o", str(table), "--format", "table"]) == 0
    capsys.readouterr()
    assert events.read_text(encoding="utf-8-sig").startswith("recording,type,trainee")
    assert table.read_text().startswith(f"{FORCE}: ")
    assert jsonl.read_text().splitlines()[-1].startswith('{"type": "summary"')
    # an events CSV of an earlier version (no trainee column yet) is replaced too
    events.write_text("recording,type,t_start\nclass/ana,cycle,2.9\n")
    assert main(["report", str(FORCE), "--r1", "40", "--r2", "120", "-o", str(report), "--csv", str(events)]) == 0


def test_an_empty_file_is_replaced_and_other_text_kept(tmp_path, capsys):
    """(Other text, not replay's own table, was replaced: it may be anyone's notes.)"""
    empty, notes = tmp_path / "empty.jsonl", tmp_path / "notes.txt"
    empty.write_bytes(b"")
    notes.write_text("old table\n")
    assert main(["replay", str(FORCE), "--r1", "40", "--r2", "120", "-o", str(empty)]) == 0
    assert main(["replay", str(FORCE), "--r1", "40", "--r2", "120", "-o", str(notes)]) == 2
    assert notes.read_text() == "old table\n"
