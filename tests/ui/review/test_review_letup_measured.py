"""The review's details of a thrust give its let-up as measured: one below the flag read "none"
(the stored event said 2.7 N), and now reads its figure and where flagging starts ("2.7 N (under
7.4 N: none)"); a flagged one has "flagged" after its figure."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from ui.review.data import describe
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_clicked_thrust_shows_its_unflagged_let_up(qtbot, tmp_path):
    folder = make_session(tmp_path / "ana", kinds=("V",), target="V", seed=3)
    stored = [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines()]
    t = next(e for e in stored if e["type"] == "thrust")
    assert not t["letup"] and t["letup_n"] >= 0.5                 # measured, under the flag
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.open_session(folder)
    view = win.session_view
    table = view.events_table
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == "thrust")
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(row, 1)).center())
    assert "let-up" not in table.item(row, 2).text()              # no flag in the list
    assert view.details_dict()["let-up"].startswith(f"{t['letup_n']:.1f} N (under ")
    assert view.details_dict()["let-up"].endswith(" N: none)")


def test_a_flagged_let_up_has_the_word_after_its_figure():
    e = {"type": "thrust", "index": 0, "t_onset": 3.7, "t_peak": 3.86, "preload_n": 147.1, "peak_n": 602.3,
         "time_to_peak_ms": 148.0, "duration_ms": 209.0, "rate_n_per_s": 3255.0, "max_rate_n_per_s": 5443.0}
    assert dict(describe({**e, "letup_n": 30.126, "letup": True}))["let-up"] == "30.1 N flagged"
    assert dict(describe({**e, "letup_n": 2.197, "letup": False}))["let-up"] == "2.2 N (under 7.4 N: none)"
    assert dict(describe({**e, "letup_n": None, "letup": False}))["let-up"] == "–"      # an IMU's
