"""Who practises: 'gradecoach trainer --trainee NAME --technique TEXT', or key N in the window,
is written into each recording's session.json and shown in the status line; every trainer
recording had trainee "" and technique "trainer", so the review grouped them all as no name.
The keys table in docs/trainer.md lists the window's keys."""

from __future__ import annotations

import argparse
import json
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.cli import main
from ui.trainer.actions import SHORTCUTS

from .conftest import REPO, when_a_dialog_opens

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _trainer(qtbot, tmp_path, *extra):
    from ui import cmd_trainer
    p = argparse.ArgumentParser()
    cmd_trainer.register(p.add_subparsers())
    args = p.parse_args(["trainer", "--device", "emulator:grade3", "--sessions", str(tmp_path / "rec"), *extra])
    win = cmd_trainer.build(args)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.engine.force.last_t is not None, timeout=30_000)
    return win


def _key(qtbot, win, key) -> None:
    """A key to the window (offscreen, a closed dialog leaves no window active)."""
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    qtbot.keyClick(win, key)


def _record(qtbot, win) -> dict:
    _key(qtbot, win, Qt.Key.Key_Space)
    folder = win.engine.recorder.path
    qtbot.waitUntil(lambda: win.engine.recorder.duration_s > 0.5, timeout=30_000)
    _key(qtbot, win, Qt.Key.Key_Space)
    return json.loads((folder / "session.json").read_text())


def test_trainee_and_technique_from_the_command_line_go_into_the_recording(qtbot, tmp_path):
    win = _trainer(qtbot, tmp_path, "--trainee", "Anna Novak", "--technique", "PA glide L4")
    try:
        meta = _record(qtbot, win)
        win.refresh()
        assert "Anna Novak (PA glide L4)" in win.status.text()
    finally:
        win.close()
    assert (meta["trainee"], meta["technique"]) == ("Anna Novak", "PA glide L4")


def test_key_n_names_the_trainee_of_the_next_recordings(qtbot, tmp_path):
    win = _trainer(qtbot, tmp_path)
    try:
        win.refresh()
        assert "no trainee (press N)" in win.status.text()

        def fill(dlg):
            dlg.trainee_edit.setText("Ben")
            dlg.technique_edit.setText("rotation C5")
            dlg.accept()
        when_a_dialog_opens(fill)
        _key(qtbot, win, Qt.Key.Key_N)
        win.refresh()
        assert "Ben (rotation C5)" in win.status.text()
        first, second = _record(qtbot, win), _record(qtbot, win)
    finally:
        win.close()
    assert (first["trainee"], first["technique"]) == (second["trainee"], second["technique"]) == ("Ben", "rotation C5")


def test_record_takes_trainee_and_technique(tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["record", "--device", "emulator:grade3", "--out", str(out), "--duration", "1", "--quiet",
                 "--trainee", "Cleo", "--technique", "PA glide L4"]) == 0
    meta = json.loads((out / "session.json").read_text())
    assert (meta["trainee"], meta["technique"]) == ("Cleo", "PA glide L4")


def test_the_docs_key_table_lists_the_windows_keys():
    text = (REPO / "docs" / "trainer.md").read_text(encoding="utf-8")
    table = text.split("## Keys", 1)[1].split("\n## ", 1)[0]
    documented = set()
    for cell in re.findall(r"^\| ([^|]+?) \|", table, flags=re.M):
        documented |= {k.strip() for k in cell.split(" / ")} if cell.strip() not in ("key", "---") else set()
    assert documented == {key for key, _, _ in SHORTCUTS}
