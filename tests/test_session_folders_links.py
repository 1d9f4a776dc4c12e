"""A folder of symbolic links to session folders (a teacher's "favourites") is a folder of
sessions for replay, report and record as it is for the library: replay and report say so and
name one to give, record refuses it as --out; each folder found once, loops and links to
nothing passed over."""

from __future__ import annotations

import os

import pytest

from firmware_bridge.session_folders import discover, sessions_inside
from tests.conftest import gc
from tests.ui.review.conftest import make_session
from ui.library.folders import discover as library_discover

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")


@pytest.fixture
def favs(tmp_path):
    """favs/ holding links to two sessions of a class, a link to nothing and a link back to itself."""
    make_session(tmp_path / "class" / "ana", trainee="ana", cycles=4, seed=1)
    make_session(tmp_path / "class" / "ben", trainee="ben", cycles=4, seed=2)
    favs = tmp_path / "favs"
    favs.mkdir()
    os.symlink("../class/ana", favs / "ana")
    os.symlink("../class/ben", favs / "ben")
    os.symlink("../class/ben", favs / "ben again")
    os.symlink("nowhere", favs / "gone")
    os.symlink("..", favs / "up")                     # (a loop: favs is under it)
    return favs


def test_a_folder_of_links_to_sessions_is_a_folder_of_sessions(favs):
    found = discover(favs)
    assert [p.name for p in found] == ["ana", "ben"]
    assert found == library_discover(favs)           # (the library finds the same, through the same code)
    assert sessions_inside(favs) == found


def test_replay_and_report_name_a_folder_of_links_as_a_folder_of_sessions(favs):
    r = gc("replay", favs)
    assert r.returncode == 2
    assert f"{favs}: a folder of 2 session folders, not a session" in r.stderr, r.stderr
    rep = gc("report", favs, "-o", favs.parent / "r.html")
    assert rep.returncode == 2
    assert f"{favs}: a folder of 2 session folders, not a session" in rep.stderr, rep.stderr
    assert "--class" in rep.stderr


def test_record_refuses_a_folder_of_links_to_sessions_as_out(favs):
    r = gc("record", "--device", "emulator:grade3", "--out", favs, "--duration", "0.2", "--quiet")
    assert r.returncode == 2, r.stdout + r.stderr
    assert f"--out {favs}: it holds 2 recorded sessions" in r.stderr, r.stderr
    assert not (favs / "session.json").exists()
