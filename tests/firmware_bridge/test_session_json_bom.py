"""A session.json saved with a UTF-8 byte-order mark (Windows Notepad) is read as any other: replay
said 'session.json:1: not valid JSON (Unexpected UTF-8 BOM …)' and stopped."""

from __future__ import annotations

import json

from ui.cli import main


def test_a_session_json_with_a_bom_replays(tmp_path, capsys):
    s = tmp_path / "s"
    assert main(["simulate", "--grade", "III", "--cycles", "4", "-o", str(tmp_path / "x.csv")]) == 0
    s.mkdir()
    (s / "force.csv").write_bytes((tmp_path / "x.csv").read_bytes())
    meta = {"schema_version": 1, "trainee": "Ana", "r1_n": 40.0, "r2_n": 120.0}
    (s / "session.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(meta).encode())
    capsys.readouterr()
    assert main(["replay", str(s)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "III" in out
