"""Symbolic links to session folders: a folder of them is a folder of sessions for 'library
list' and 'report --class', a link inside a root is followed, and links that loop or name a
folder already found are passed over."""

from __future__ import annotations

import os

import pytest

from tests.conftest import gc
from ui.library import Library

from .conftest import make_session


@pytest.fixture
def linked(tmp_path):
    root = tmp_path / "class"
    for i, who in enumerate(("anna", "ben")):
        make_session(root / f"{who}-1", trainee=who.title(), created=f"2026-10-0{i + 1}T10:00:00", seed=i, cycles=3)
    favs = tmp_path / "favs"
    favs.mkdir()
    os.symlink(root / "anna-1", favs / "anna-1")
    os.symlink(root / "ben-1", favs / "ben-1")
    os.symlink(favs, favs / "again")                  # a loop
    os.symlink(favs / "nothing", favs / "gone")       # a link to nothing
    return root, favs


def test_a_folder_of_links_to_sessions_is_listed(linked):
    """'library list favs' said "no session folders (with session.json) under …/favs", exit 0."""
    root, favs = linked
    p = gc("library", "list", favs)
    assert p.returncode == 0, p.stderr
    rows = p.stdout.splitlines()[1:]
    assert [line.split()[-1] for line in rows] == ["anna-1", "ben-1"]
    assert "same recording" not in p.stderr


def test_report_on_a_class_of_links(linked, tmp_path):
    """'report --class favs' failed, exit 2."""
    root, favs = linked
    out = tmp_path / "r.html"
    p = gc("report", "--class", favs, "-o", out)
    assert p.returncode == 0, p.stderr
    assert out.is_file()


def test_a_link_inside_a_root_is_followed_once(linked, tmp_path):
    """A linked folder inside a root was passed over without a word; one that names a folder
    under the root is not listed twice."""
    root, favs = linked
    other = make_session(tmp_path / "elsewhere" / "chloe-1", trainee="Chloe", created="2026-10-05T10:00:00",
                         seed=5, cycles=3)
    os.symlink(other, root / "chloe-1")
    os.symlink(root / "anna-1", root / "anna-again")
    with Library(root) as lib:
        lib.refresh()
        assert [r["path"] for r in lib.rows()] == ["anna-1", "ben-1", "chloe-1"]
        assert lib.copies() == []


def test_review_opens_a_folder_of_links_as_its_library(linked, monkeypatch, qtbot):
    """'gradecoach review favs' took the folder of links for one session and opened the folder
    above it as the library."""
    import argparse

    from PySide6.QtWidgets import QApplication

    import ui.cmd_review as cmd_review
    from ui.review.window import ReviewWindow

    root, favs = linked
    shown = []
    monkeypatch.setattr(ReviewWindow, "show", lambda self: shown.append(self))
    monkeypatch.setattr(QApplication, "exec", lambda self=None: 0)
    assert cmd_review.run(argparse.Namespace(session=str(favs), root=None, db=None)) == 0
    win = shown[0]
    qtbot.addWidget(win)
    assert win.library.root == favs.resolve()
    assert sorted(r["path"] for r in win.rows) == ["anna-1", "ben-1"]
