"""A symbolic link under a library's root to the root or to a folder above it (``ln -s .. up``,
``ln -s / disk``) is passed over, said once: followed, 'library list L' listed the sessions
beside L as its own (up/outside-1), and a link to / read the whole disk (14 s, thousands of
"sessions")."""

from __future__ import annotations

import os

import pytest

from firmware_bridge.session_folders import discover
from tests.conftest import gc
from tests.ui.review.conftest import make_session

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")


@pytest.fixture
def lib(tmp_path):
    """L holding one session and a link up to its parent, which holds a session of its own."""
    make_session(tmp_path / "outside-1", trainee="Olga", created="2026-10-01T10:00:00", seed=1, cycles=3)
    root = tmp_path / "L"
    make_session(root / "anna-1", trainee="Anna", created="2026-10-02T10:00:00", seed=2, cycles=3)
    os.symlink("..", root / "up")
    return root


def test_a_link_above_the_root_is_passed_over_and_said_once(lib):
    said: list[str] = []
    assert discover(lib, said) == [lib / "anna-1"]
    assert said == [f"{lib / 'up'}: a link to {lib.parent}, a folder holding {lib}: passed over; only the "
                    f"sessions under {lib} are read"]


def test_library_list_leaves_out_the_sessions_beside_its_root(lib):
    p = gc("library", "list", lib)
    assert p.returncode == 0, p.stderr
    assert [line.split()[-1] for line in p.stdout.splitlines()[1:]] == ["anna-1"]
    assert "Olga" not in p.stdout
    assert p.stderr.count(f"{lib / 'up'}: a link to {lib.parent}") == 1, p.stderr


def test_a_link_to_the_disk_root_is_not_read(lib):
    os.symlink(os.path.abspath(os.sep), lib / "disk")
    said: list[str] = []
    assert discover(lib, said) == [lib / "anna-1"]
    assert f"{lib / 'disk'}: a link to {os.sep}, a folder holding {lib}: passed over" in said[0]


def test_a_link_back_to_the_root_itself_and_a_loop_in_a_linked_folder(tmp_path):
    make_session(tmp_path / "class" / "ben-1", trainee="Ben", seed=3, cycles=3)
    os.symlink("..", tmp_path / "class" / "ben-1" / "back")      # (inside a folder linked to: a loop)
    root = tmp_path / "favs"
    root.mkdir()
    os.symlink("../class/ben-1", root / "ben-1")
    os.symlink(".", root / "self")
    said: list[str] = []
    assert discover(root, said) == [root / "ben-1"]
    assert said == [f"{root / 'self'}: a link back to {root} itself: passed over",
                    f"{root / 'ben-1' / 'back'}: a link to {tmp_path / 'class'}, a folder holding the link "
                    f"itself (a loop): passed over"]


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_review_window_lists_the_roots_sessions_and_names_the_link(lib, qtbot):
    from ui.review.window import FOLDER_ROLE, ReviewWindow

    win = ReviewWindow(lib)
    qtbot.addWidget(win)
    assert [win.proxy.index(i, 0).data(FOLDER_ROLE) for i in range(win.proxy.rowCount())] == [str(lib / "anna-1")]
    assert f"{lib / 'up'}: a link to {lib.parent}, a folder holding {lib}: passed over" in win.lib_status.text()
    win.refresh_library()                              # (said once, not again at each refresh)
    assert win.lib_status.text().count(f"{lib / 'up'}: a link") == 1
