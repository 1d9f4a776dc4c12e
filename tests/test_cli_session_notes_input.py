"""A session's ``session.json`` or ``events.jsonl`` given as the input of ``replay``,
``report`` or ``screenshot`` is one line naming the session's folder to give instead: it was
"unknown input type; give a session folder, a .csv …", which did not say that the folder
beside it was the recording."""

from __future__ import annotations

import pytest

from tests.conftest import gc
from tests.ui.review.conftest import make_session


@pytest.mark.parametrize("name", ["session.json", "events.jsonl"])
def test_a_sessions_own_file_names_its_folder(tmp_path, name):
    s = make_session(tmp_path / "anna", cycles=3)
    said = f"{s / name}: {name} of the recorded session {s}; give the folder {s}"
    r = gc("replay", s / name, "--format", "jsonl")
    assert (r.returncode, r.stdout, r.stderr.splitlines()) == (2, "", [f"gradecoach: error: {said}"])
    r = gc("report", s / name, "-o", tmp_path / "r.html")
    assert (r.returncode, r.stderr.splitlines()) == (2, [f"gradecoach: error: {said}"])
    r = gc("screenshot", "--replay", s / name, "--at", 1, "-o", tmp_path / "s.png")
    assert (r.returncode, r.stderr.splitlines()) == (2, [f"gradecoach: error: --replay {said}"])
