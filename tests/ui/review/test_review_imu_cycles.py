"""The oscillations a hand-worn IMU alone found (``imu_cycle`` events) are listed in the review's
event list, marked over the hand's movement and described in the details panel, as a force
session's cycles are; they were neither listed nor marked, so a mobilisation practised with an
IMU alone showed an empty list. With force and the IMU together, the force's graded cycles are
listed (each with the hand's movement in it) and the IMU's view of the same cycles is not listed
again. A row of the event list clicked moves the plots to its event."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from .conftest import mobilisation_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _rows(view) -> list[list[str]]:
    t = view.events_table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def _click_row(qtbot, view, row: int) -> None:
    t = view.events_table
    t.scrollToItem(t.item(row, 0))
    qtbot.mouseClick(t.viewport(), Qt.MouseButton.LeftButton, pos=t.visualItemRect(t.item(row, 1)).center())


@pytest.fixture
def sessions(tmp_path, capsys):
    root, imu, both = mobilisation_sessions(tmp_path)
    capsys.readouterr()
    return root, imu, both


def test_an_imu_only_sessions_cycles_are_listed_marked_and_described(qtbot, sessions):
    root, imu, _ = sessions
    win = shown_review(qtbot, root)
    view = win.session_view
    rs = win.open_session(imu)
    qtbot.waitUntil(lambda: view.rs.movement is not None, timeout=10000)
    cyc = rs.of_type("imu_cycle")
    assert len(cyc) >= 12 and not rs.of_type("cycle")          # (the two sets of eight, seen by the IMU)

    # one row per cycle, in time order, its grade "–" and how far the hand moved in it
    heads = [view.events_table.horizontalHeaderItem(c).text() for c in range(4)]
    assert heads == ["time (s)", "event", "grade", "hand moved (mm)"]
    rows = [r for r in _rows(view) if r[1] == "cycle"]
    assert rows == [[f"{e['t_crest']:.2f}", "cycle", "–", f"{e['displacement_mm']:.1f}"] for e in cyc]
    assert "not graded" in view.grades.text()

    # a dot per cycle at its crest's moment, in the ungraded colour, over the hand's movement drawn
    t, y = view.curve.getData()
    top = np.nanmax(y)
    pts = view.cycle_marks.points()
    assert [p.pos().x() for p in pts] == pytest.approx([e["t_crest"] for e in cyc])
    assert all(p.pos().y() > top for p in pts)
    assert {p.brush().color().getRgb()[:3] for p in pts} == {(140, 140, 140)}
    over = [p.pos().x() for p in view.over_marks.points()]
    assert over == pytest.approx([e["t_crest"] for e in cyc])

    # zoomed in on the first seconds, a cycle of the second set clicked in the list: the plots move
    # to it and the details give its numbers
    view.detail.setXRange(0.0, 5.0, padding=0)
    late = next(i for i, e in enumerate(view._listed) if e["type"] == "imu_cycle" and e["t_crest"] > 12.0)
    e = view._listed[late]
    x0, x1 = view.detail.viewRange()[0]
    assert not x0 <= e["t_crest"] <= x1
    _click_row(qtbot, view, late)
    assert view.playhead.pos_s == pytest.approx(e["t_crest"])
    x0, x1 = view.detail.viewRange()[0]
    assert x0 < e["t_crest"] < x1
    d = view.details_dict()
    assert d["event"] == "cycle (IMU)" and d["grade"].startswith("–") and "grades need force" in d["grade"]
    assert d["hand moved"] == f"{e['displacement_mm']:.1f} mm" == f"{_rows(view)[late][3]} mm"
    assert d["frequency"] == f"{e['freq_hz']:.2f} Hz"
    assert d["time"] == f"{e['t_start']:.2f}–{e['t_end']:.2f} s" and d["crest at"] == f"{e['t_crest']:.2f} s"
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_imu_only_cycles.png"))

    # a dot clicked on the plot: that cycle's numbers
    view.select_event(view._listed[0])                                             # (another first)
    other = view._listed[late + 1]                     # (the next cycle, in view)
    vb = view.detail.getPlotItem().getViewBox()
    at = view.detail.mapFromScene(vb.mapViewToScene(next(p.pos() for p in view.cycle_marks.points()
                                                         if p.data() is other)))
    qtbot.mouseClick(view.detail.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: view.details_dict().get("crest at") == f"{other['t_crest']:.2f} s", timeout=2000)


def test_with_force_and_an_imu_the_force_cycles_are_listed_with_the_hands_movement(qtbot, sessions):
    root, _, both = sessions
    win = shown_review(qtbot, root)
    view = win.session_view
    rs = win.open_session(both)
    cyc = rs.of_type("cycle")
    assert cyc and rs.of_type("imu_cycle")                     # the IMU saw them too
    # the force's cycles, graded, each once: not the IMU's beside them
    rows = [r for r in _rows(view) if r[1] == "cycle"]
    assert rows == [[f"{e['t_crest']:.2f}", "cycle", e["grade"] + (e["modifier"] or ""), f"{e['crest_n']:.1f}"]
                    for e in cyc]
    assert [p.pos().x() for p in view.cycle_marks.points()] == pytest.approx([e["t_crest"] for e in cyc])
    # a force cycle's details give how far the hand moved in it
    late = next(i for i, e in enumerate(view._listed) if e["t_crest"] > 12.0)
    e = view._listed[late]
    assert e.get("displacement_mm") is not None
    view.detail.setXRange(0.0, 5.0, padding=0)
    _click_row(qtbot, view, late)
    assert view.playhead.pos_s == pytest.approx(e["t_crest"])
    x0, x1 = view.detail.viewRange()[0]
    assert x0 < e["t_crest"] < x1 and x1 - x0 == pytest.approx(5.0)
    d = view.details_dict()
    assert d["grade"] == e["grade"] and d["hand moved"] == f"{e['displacement_mm']:.1f} mm"
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_force_and_imu_cycles.png"))
