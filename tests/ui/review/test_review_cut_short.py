"""A finished session whose force.csv was cut short after the recording, at a line end (a copy
broken off, a disk error), is marked in the review as ``library list`` marks it (*): its library
row's note says "cut short" (the tooltip: where the file ends, against the end the session
recorded, and that the score and figures listed are the whole recording's, as stored), and its
Session tab's details say so in a "cut short" row beside its length, as they say a recording
"stopped early", and whose figures they give in a "figures" row. Before, the review listed it
with no note and showed the stored 8 cycles over a force trace that stopped at 6.73 s, with
nothing in its details of why or of whose figures they were. Once re-analysed (from what the
file holds: 6 cycles), the "figures" row says they are of what the file holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ui.review.window import FOLDER_ROLE, NOTE_COLUMN

from .conftest import cut_at_line_end, make_session, row_notes, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _reanalyse(view, qtbot):
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.reanalyse_btn.isEnabled(), timeout=30000)


def test_the_review_marks_a_session_whose_force_file_was_cut_short_after(qtbot, tmp_path):
    root = tmp_path / "class"
    make_session(root / "ana", trainee="ana", created="2025-03-01T09:00:00", cycles=8, seed=1)
    ben = make_session(root / "ben", trainee="ben", created="2025-03-02T09:00:00", cycles=8, seed=2)
    end, recorded = (f"{x:g}" for x in cut_at_line_end(ben))
    assert (end, recorded) == ("6.73", "11.24")
    line = (f"{ben / 'force.csv'}: ends at {end} s while the session recorded {recorded} s (its stored summary): "
            f"the file was cut short after the recording (a copy, a disk error?)")

    win = shown_review(qtbot, root)
    # the list: a note, as an unfinished or stopped session has, the line replay gives in its tooltip
    assert not win.table.isColumnHidden(NOTE_COLUMN)
    notes = row_notes(win)
    assert notes["ana"] == ("", "")
    assert notes["ben"] == ("cut short", f"{line}; its score and figures are the whole recording's, as stored")
    win.filter.setText("cut short")                              # (the filter finds it)
    assert [Path(win.proxy.index(r, 0).data(FOLDER_ROLE)).name for r in range(win.proxy.rowCount())] == ["ben"]
    win.filter.setText("")

    # the Session tab: the stored 8 cycles of 11.24 s, over a trace that stops at 6.73 s, said so
    rs = win.open_session(ben)
    view = win.session_view
    assert rs.source == "stored" and f"{rs.inp.force.t_s[-1]:g}" == end
    d = view.details_dict()
    rows = {"cut short": f"force.csv ends at {end} s of {recorded} s", "figures": "the whole recording's, as stored"}
    assert {k: d.get(k) for k in rows} == rows
    assert d["cycles"] == "8" and d["length"] == "11.2 s"
    keys = list(d)
    assert keys[keys.index("length") + 1:][:2] == ["cut short", "figures"]    # beside how long it is
    t = view.details
    for k, v in rows.items():                                           # in view, whole
        (i,) = [i for i in range(t.rowCount()) if t.item(i, 0).text() == k]
        assert t.viewport().rect().contains(t.visualItemRect(t.item(i, 1)))
        assert t.fontMetrics().horizontalAdvance(v) < t.columnWidth(1)
    assert view.warning.isVisible() and f"warning: {line}" in view.warning.text().splitlines()
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_cut_short.png"))

    # re-analysed: what the file holds, said so
    _reanalyse(view, qtbot)
    d = view.details_dict()
    assert d["cycles"] == "6"
    assert d["cut short"] == f"force.csv ends at {end} s of {recorded} s"
    assert d["figures"] == "of what the file holds"

    # a session whose files end where it recorded them has no such row
    win.open_session(root / "ana")
    assert "cut short" not in view.details_dict() and "figures" not in view.details_dict()


def test_the_mark_goes_once_the_force_file_is_whole_again(qtbot, tmp_path):
    root = tmp_path / "class"
    ben = make_session(root / "ben", trainee="ben", cycles=8, seed=2)
    whole = (ben / "force.csv").read_bytes()
    cut_at_line_end(ben)
    win = shown_review(qtbot, root)
    assert row_notes(win)["ben"][0] == "cut short"
    (ben / "force.csv").write_bytes(whole)                       # (copied again, whole)
    qtbot.mouseClick(win.refresh_btn, Qt.MouseButton.LeftButton)
    assert row_notes(win) == {"ben": ("", "")} and win.table.isColumnHidden(NOTE_COLUMN)
    win.open_session(ben)
    assert "cut short" not in win.session_view.details_dict()
