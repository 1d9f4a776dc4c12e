"""``library rebuild|list ROOT`` given a recorded session's folder as ROOT is one line naming it
and the folder holding it: it wrote gradecoach-library.sqlite inside the session, where no
output goes (``--db`` there was already refused). The session is left as it was."""

from __future__ import annotations

import pytest

from tests.conftest import gc
from tests.ui.review.conftest import make_session


@pytest.mark.parametrize("action", ["rebuild", "list"])
def test_root_given_a_session_folder(tmp_path, action):
    s = make_session(tmp_path / "sessions" / "anna", cycles=3)
    before = sorted(p.name for p in s.iterdir())
    r = gc("library", action, s)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: {s}: a recorded session's folder, not a folder of "
                                     f"sessions (no index is written inside a session); give the folder holding "
                                     f"it ({tmp_path / 'sessions'})"]
    assert sorted(p.name for p in s.iterdir()) == before


def test_the_session_folder_as_the_current_folder(tmp_path):
    s = make_session(tmp_path / "anna", cycles=3)
    r = gc("library", "rebuild", cwd=s)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: .: a recorded session's folder, not a folder of "
                                     f"sessions (no index is written inside a session); give the folder holding "
                                     f"it ({tmp_path.resolve()})"]
    assert not (s / "gradecoach-library.sqlite").exists()


def test_the_folder_holding_it_is_indexed(tmp_path):
    s = make_session(tmp_path / "sessions" / "anna", cycles=3)
    r = gc("library", "rebuild", s.parent)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("indexed 1 session under ")
    assert (s.parent / "gradecoach-library.sqlite").is_file() and not (s / "gradecoach-library.sqlite").exists()
