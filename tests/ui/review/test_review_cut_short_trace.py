"""A finished session whose force.csv was cut short after the recording (at a line end: a copy
broken off, a disk error) keeps in its stored events the cycles recorded after where the file now
ends. The Session tab listed them (at 6.95 s and 7.62 s) while its plots and playhead stopped at
the file's end, 6.73 s: clicking one moved the playhead to 6.73 s, showed nothing of it and said
nothing, and the plots did not show where the file ends. Now the plots run to the recorded end,
the stretch the file no longer holds shaded and its start marked "force.csv ends here"; such an
event's row is greyed, its tooltip says why, and selecting it moves the plots to it and says in
the status bar and its details that force.csv no longer holds it (its figures are the stored
summary's)."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt

from .conftest import cut_at_line_end, make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _row(view, t: str) -> int:
    t_col = [view.events_table.item(i, 0).text() for i in range(view.events_table.rowCount())]
    return t_col.index(t)


def _click_row(qtbot, view, row: int) -> None:
    t = view.events_table
    t.scrollToItem(t.item(row, 0))
    qtbot.mouseClick(t.viewport(), Qt.MouseButton.LeftButton, pos=t.visualItemRect(t.item(row, 1)).center())


def _end_marks(plot):
    """The plot's stretches shaded as not in a file (their region), and its lines' labels."""
    items = plot.getPlotItem().items
    regions = [tuple(round(x, 2) for x in i.getRegion()) for i in items
               if isinstance(i, pg.LinearRegionItem) and i.isVisible() and "no longer" in (i.toolTip() or "")]
    labels = [(round(i.value(), 2), i.label.toPlainText()) for i in items
              if isinstance(i, pg.InfiniteLine) and getattr(i, "label", None) is not None and i.isVisible()]
    return regions, labels


def test_events_beyond_the_end_of_a_cut_force_file_are_shown_as_not_in_it(qtbot, tmp_path):
    root = tmp_path / "class"
    ben = make_session(root / "ben", trainee="ben", cycles=8, seed=2)
    end, recorded = cut_at_line_end(ben)
    assert (end, recorded) == (6.73, 11.24)
    win = shown_review(qtbot, root)
    win.open_session(ben)
    view = win.session_view

    # the plots run to the recorded end, the stretch the file no longer holds shaded and marked
    assert view.playhead.duration_s == pytest.approx(recorded)
    assert view.overview.viewRange()[0][1] >= recorded
    for plot in (view.overview, view.detail):
        regions, labels = _end_marks(plot)
        assert regions == [(end, recorded)]
    assert (end, "force.csv ends here") in _end_marks(view.detail)[1]

    # the stored cycles the file no longer holds: listed, greyed, and the tooltip says why
    beyond = _row(view, "6.95")
    tip = view.events_table.item(beyond, 0).toolTip()
    assert tip == "not in force.csv any more: it ends at 6.73 s (cut short); this cycle is the stored summary's"
    within = _row(view, "6.25")
    assert view.events_table.item(within, 0).toolTip() == ""
    grey = view.events_table.item(beyond, 1).foreground().color()
    assert grey != view.events_table.item(within, 1).foreground().color()

    # selected: the plots go there (not to the file's end) and the status bar says why nothing is drawn
    _click_row(qtbot, view, _row(view, "7.62"))
    assert view.playhead.pos_s == pytest.approx(7.621712, abs=1e-3)
    a, b = view.detail.viewRange()[0]
    assert a <= 7.62 <= b
    said = ("cycle at 7.62 s: force.csv no longer holds it (the file ends at 6.73 s of the 11.24 s recorded); "
            "its figures are the stored summary's")
    assert win.statusBar().currentMessage() == said
    d = view.details_dict()
    assert d["time"].startswith("7.") and d["in force.csv"] == "no longer: it ends at 6.73 s; figures as stored"
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_cut_short_trace.png"))

    # a cycle the file holds: nothing said of it
    _click_row(qtbot, view, _row(view, "5.59"))
    assert view.playhead.pos_s == pytest.approx(5.593712, abs=1e-3)
    assert win.statusBar().currentMessage() == ""
    assert "in force.csv" not in view.details_dict()

    # re-analysed from what the file holds: no event beyond its end, the stretch still marked
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.reanalyse_btn.isEnabled(), timeout=30000)
    times = [float(view.events_table.item(i, 0).text()) for i in range(view.events_table.rowCount())]
    assert len(times) == 6 and max(times) < end
    assert _end_marks(view.detail)[0] == [(end, recorded)]


def test_a_whole_session_has_no_such_marks(qtbot, tmp_path):
    root = tmp_path / "class"
    ana = make_session(root / "ana", trainee="ana", cycles=8, seed=1)
    win = shown_review(qtbot, root)
    rs = win.open_session(ana)
    view = win.session_view
    assert view.playhead.duration_s == pytest.approx(rs.inp.duration_s)
    for plot in (view.overview, view.detail):
        assert _end_marks(plot)[0] == []
    assert not any("ends here" in text for _, text in _end_marks(view.detail)[1])
