"""``library rebuild|list ROOT`` given a file (a session's force.csv) says it is a file, not a
folder of sessions, as ``report --class`` does: it said "no such folder" of a file that is
there."""

from __future__ import annotations

import pytest

from tests.conftest import gc
from tests.ui.review.conftest import make_session


@pytest.mark.parametrize("action", ["rebuild", "list"])
def test_root_given_a_file(tmp_path, action):
    s = make_session(tmp_path / "anna", cycles=3)
    r = gc("library", action, s / "force.csv")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {s / 'force.csv'}: a file, not a folder of sessions; "
                                     f"give the folder holding the session folders"]
    assert sorted(p.name for p in s.iterdir()) == ["events.jsonl", "force.csv", "session.json"]
