"""A recording played with file: is named by what it is, where its name is said: 'record'
prints "recording file x.csv to …" and the trainer's status line reads "file x.csv" or
"session anna"; both said "recording x" ("recording recording x to …")."""

from __future__ import annotations

import numpy as np

from firmware_bridge.session import SessionMeta, SessionWriter
from firmware_bridge.sources import FileSource
from ui.cli import main


def test_record_names_the_file_it_plays(tmp_path, capsys):
    assert main(["simulate", "--grade", "III", "--freq", "1.5", "--cycles", "2", "--rate", "500",
                 "-o", str(tmp_path / "s02_0.csv")]) == 0
    capsys.readouterr()
    assert main(["record", "--device", f"file:{tmp_path / 's02_0.csv'}", "--out", str(tmp_path / "s"),
                 "--duration", "0.3"]) == 0
    said = capsys.readouterr().err
    assert f"recording file s02_0.csv to {tmp_path / 's'}; Ctrl-C to stop" in said.splitlines()


def test_a_session_folder_is_named_as_a_session(tmp_path):
    w = SessionWriter(tmp_path / "anna-2026-11-22", SessionMeta(trainee="anna"))
    t = np.arange(0.0, 1.0, 0.002)
    w.append_force(t, 60 + 0 * t)
    w.close()
    assert FileSource(str(tmp_path / "anna-2026-11-22")).info["name"] == "session anna-2026-11-22"
    assert FileSource(f"{tmp_path / 'anna-2026-11-22'}/").info["name"] == "session anna-2026-11-22"
