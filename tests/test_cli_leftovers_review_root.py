"""``review --root SESSION`` (the root itself a recorded session's folder) is one line naming it
and the folder holding it, with a display or without, as ``library rebuild|list SESSION`` says
it: it opened the window and wrote gradecoach-library.sqlite inside the session, where no
output goes. With ``--db`` elsewhere it opens as before. The session is left as it was."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.ui.review.conftest import make_session


def _review(*args, cwd=None, display=True) -> subprocess.CompletedProcess:
    """``gradecoach review ARGS`` as a program, offscreen or with no display at all (a window
    that opens would wait for its user: the timeout fails the test)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    if display:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([sys.executable, "-m", "ui.cli", "review", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd or ROOT, env={**env, "PYTHONPATH": str(ROOT)}, timeout=30)


@pytest.mark.parametrize("display", [True, False], ids=["display", "no-display"])
def test_root_given_a_session_folder(tmp_path, display):
    s = make_session(tmp_path / "sessions" / "anna", cycles=3)
    before = sorted(p.name for p in s.iterdir())
    r = _review("--root", s, display=display)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: {s}: a recorded session's folder, not a folder of "
                                     f"sessions (no index is written inside a session); give the folder holding "
                                     f"it ({tmp_path / 'sessions'}), or open the session itself: "
                                     f"'gradecoach review {s}'"]
    assert sorted(p.name for p in s.iterdir()) == before


def test_the_session_folder_as_the_current_folder(tmp_path):
    s = make_session(tmp_path / "anna", cycles=3)
    r = _review(cwd=s)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: .: a recorded session's folder, not a folder of "
                                     f"sessions (no index is written inside a session); give the folder holding "
                                     f"it ({tmp_path.resolve()}), or open the session itself: 'gradecoach review .'"]
    assert not (s / "gradecoach-library.sqlite").exists()


def test_a_session_opened_with_a_session_as_root_too(tmp_path):
    """SESSION given as well: the same line, without the hint to open it."""
    s = make_session(tmp_path / "anna", cycles=3)
    r = _review(s, "--root", s)
    assert r.returncode == 2
    assert r.stderr.splitlines()[-1].endswith(f"give the folder holding it ({tmp_path})")
    assert not (s / "gradecoach-library.sqlite").exists()


def test_with_db_elsewhere_it_opens(tmp_path, monkeypatch, capsys, qtbot):
    from PySide6.QtWidgets import QApplication

    from ui.cli import main
    from ui.review.window import ReviewWindow

    s = make_session(tmp_path / "anna", cycles=3)
    before = sorted(p.name for p in s.iterdir())
    shown = []
    monkeypatch.setattr(ReviewWindow, "show", lambda self: shown.append(self))
    monkeypatch.setattr(QApplication, "exec", lambda self=None: 0)         # (a review that opened)
    assert main(["review", "--root", str(s), "--db", str(tmp_path / "lib.sqlite")]) == 0
    qtbot.addWidget(shown[0])
    assert capsys.readouterr().err == ""
    assert len(shown[0].rows) == 1 and (tmp_path / "lib.sqlite").is_file()
    assert sorted(p.name for p in s.iterdir()) == before
