"""A V session in which no thrust was done reads "no thrust" where its score is shown (``library
list``, the review's table, Compare, Progress) and "no thrust performed" in the review's details:
it read "–", as a session of an IMU worn alone whose thrusts cannot be judged reads (still "–")."""

from __future__ import annotations

import json
import shutil

import pytest

from ui.cli import main
from ui.review.window import LIBRARY_COLUMNS

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def root(tmp_path, capsys):
    """Two V sessions of "ivy": "imu", thrusts by an IMU worn alone (no force: not judged), and
    "none", mobilisation cycles with the force sensor and no thrust at all."""
    sim = tmp_path / "sim" / "x.csv"
    assert main(["simulate", "--grade", "V", "--rate", "200", "--imu", "100", "--seed", "4",
                 "-o", str(sim)]) == 0
    capsys.readouterr()
    root = tmp_path / "root"
    folder = root / "imu"
    folder.mkdir(parents=True)
    shutil.copy(sim.with_name("x.imu.csv"), folder / "imu.csv")
    (folder / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2025-03-10T10:00:00", "trainee": "ivy", "technique": "HVLA", "target": "V",
        "complete": True, "streams": {"imu": {"file": "imu.csv", "rate_hz": 100.0}}}))
    make_session(root / "none", trainee="ivy", created="2025-03-01T10:00:00", kinds=("III",), target="V")
    return root


def test_the_library_lists_no_thrust(root, capsys):
    assert main(["library", "list", str(root)]) == 0
    head, *rows = capsys.readouterr().out.splitlines()
    score = head.index("score") + len("score")             # (right-aligned under its heading)
    by = {row.split()[-1]: row[:score].rsplit("  ", 1)[-1].strip() for row in rows}
    assert by == {"none": "no thrust", "imu": "–"}


def test_the_review_says_no_thrust(root, qtbot):
    win = shown_review(qtbot, root)
    col = [k for _, k in LIBRARY_COLUMNS].index("score_pct")
    assert sorted(win.model.item(r, col).text() for r in range(2)) == ["no thrust", "–"]

    win.open_session(root / "none")
    assert win.session_view.details_dict()["thrusts on target"] == "no thrust performed"
    win.open_session(root / "imu")
    assert "thrusts on target" not in win.session_view.details_dict()     # (cannot be judged)

    win.compare(root / "none", root / "imu")
    t = win.compare_view.table
    assert [t.item(0, c).text() for c in range(2)] == ["no thrust", "–"]

    win.show_progress("ivy")
    pv = win.progress_view
    heads = [pv.table.horizontalHeaderItem(c).text() for c in range(pv.table.columnCount())]
    col = heads.index("score (% of thrusts on target)")
    assert [pv.table.item(r, col).text() for r in range(2)] == ["no thrust", "–"]     # (oldest first)
