"""The review's event list of a session recorded with a hand-worn IMU alone gives, in its last
column, how far the hand moved in each thrust ("hand moved (mm)", the thrust's
``displacement_mm``, as its details give it); the column was headed "force (N)" and blank for
such thrusts. A session with force keeps its "force (N)" column."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import imu_and_force_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _list(view) -> tuple[list[str], list[list[str]]]:
    t = view.events_table
    heads = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    return heads, [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_an_imu_only_sessions_event_list_gives_how_far_the_hand_moved(qtbot, tmp_path, capsys):
    root, imu, force, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    view = win.session_view

    rs = win.open_session(imu)
    th = rs.of_type("thrust")[0]
    assert th["displacement_mm"] > 1.0
    heads, rows = _list(view)
    assert heads[3] == "hand moved (mm)"
    row, = [r for r in rows if r[1] == "thrust"]
    assert row[3] == f"{th['displacement_mm']:.1f}"
    # the same figure as the thrust's details give
    view.select_event(th)
    assert view.details_dict()["hand moved"] == f"{row[3]} mm"
    # the heading and the figures read whole, with no sideways scrolling
    t = view.events_table
    assert t.horizontalHeader().sectionSizeHint(3) <= t.columnWidth(3)
    assert sum(t.columnWidth(c) for c in range(t.columnCount())) <= t.viewport().width()
    assert not t.horizontalScrollBar().isVisible()
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_imu_only_event_list.png"))

    rs = win.open_session(force)
    heads, rows = _list(view)
    assert heads[3] == "force (N)"
    row, = [r for r in rows if r[1] == "thrust"]
    assert row[3] == f"{rs.of_type('thrust')[0]['peak_n']:.1f}"
