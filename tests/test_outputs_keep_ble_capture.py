"""A BLE capture (JSON lines, ``{"meta": {...}}`` first: ``ble_record --live`` from a device) is
a recording: no command writes over it (one line naming the option and the path, exit 2, the
capture kept byte for byte), while replay's earlier events JSONL is still replaced."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ui.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"
FORCE = FIX / "lumbar_grade3.csv"
CAPTURE = FIX / "ble" / "progressor_grade4.jsonl"


def refused(capsys, argv, option: str, path: Path) -> str:
    assert main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"gradecoach: error: {option} {path}: that is a BLE capture (progressor); "
                               f"choose another file, the recording is kept as it is"), lines[0]
    return lines[0]


@pytest.mark.parametrize("name", ["cap.jsonl", "cap.txt"])
def test_replay_never_writes_its_events_over_a_ble_capture(name, tmp_path, capsys):
    cap = tmp_path / name
    shutil.copy(CAPTURE, cap)
    refused(capsys, ["replay", FORCE, "--r1", 40, "--r2", 120, "-o", cap], "-o", cap)
    assert cap.read_bytes() == CAPTURE.read_bytes()


def test_report_never_writes_its_csv_over_a_ble_capture(tmp_path, capsys):
    cap = tmp_path / "cap.jsonl"
    shutil.copy(CAPTURE, cap)
    refused(capsys, ["report", FORCE, "-o", tmp_path / "z.html", "--csv", cap], "--csv", cap)
    assert cap.read_bytes() == CAPTURE.read_bytes() and not (tmp_path / "z.html").exists()


def test_a_capture_with_a_bom_and_a_long_meta_line_is_kept_too(tmp_path, capsys):
    """A meta line longer than the bytes read to know a file is still known by its start."""
    cap = tmp_path / "long.jsonl"
    cap.write_bytes(b'\xef\xbb\xbf{"meta": {"profile": "progressor", "note": "' + b"x" * 10000 + b'"}}\n')
    before = cap.read_bytes()
    assert main(["replay", str(FORCE), "--r1", "40", "--r2", "120", "-o", str(cap)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "that is a BLE capture" in err, err
    assert cap.read_bytes() == before


def test_replays_own_events_jsonl_is_still_replaced(tmp_path, capsys):
    out = tmp_path / "cap.jsonl"
    for _ in range(2):
        assert main(["replay", str(FORCE), "--r1", "40", "--r2", "120", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith('{"type": ') and text.count("\n") > 20
    capsys.readouterr()
