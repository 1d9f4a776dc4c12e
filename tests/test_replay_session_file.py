"""A session's own force.csv replayed alone: said to leave the session's calibration, target and
sound out, with the folder to replay instead; it said only 'no calibration (R1/R2)'."""

from __future__ import annotations

from pathlib import Path

from firmware_bridge.session import SessionMeta, SessionWriter, read_force_csv
from ui.cli import main

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def test_a_sessions_force_file_alone_points_to_its_folder(tmp_path, capsys):
    d = read_force_csv(FIX / "lumbar_grade3.csv")
    w = SessionWriter(tmp_path / "anna", SessionMeta(r1_n=40.0, r2_n=120.0, target="III"))
    w.append_force(d.t_s, d.values)
    w.close(500.0)
    assert main(["replay", str(tmp_path / "anna" / "force.csv"), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert f"force.csv is one file of the recorded session {tmp_path / 'anna'}" in out
    assert "replay the folder" in out
    assert main(["replay", str(tmp_path / "anna"), "--format", "table"]) == 0
    assert "one file of the recorded session" not in capsys.readouterr().out
    assert main(["replay", str(FIX / "lumbar_grade3.csv"), "--format", "table"]) == 0
    assert "one file of the recorded session" not in capsys.readouterr().out
