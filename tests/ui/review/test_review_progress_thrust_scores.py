"""The Progress view's "% on target" plot shows a V (thrust) session's score too."""

from __future__ import annotations

import pytest

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_every_session_with_a_score_is_a_point_thrust_sessions_a_series_of_their_own(qtbot, tmp_path):
    """Six sessions, two of them V: the plot showed 4 points, the V sessions (listed in the table
    with their scores) never appeared."""
    kinds = ["III", "V", "III", "III", "V", "III"]
    for i, k in enumerate(kinds):
        make_session(tmp_path / f"w{i}", trainee="ana", created=f"2025-03-0{i + 1}T10:00:00", seed=i,
                     kinds=(k,), target=k, cycles=4)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_progress("ana")
    pv = win.progress_view
    plot = pv.glw.getItem(0, 0)
    drawn = {item.name(): sorted(float(x) for x in item.getData()[0]) for item in plot.listDataItems()}
    assert drawn == {"on target": [1.0, 3.0, 4.0, 6.0], "V: % of thrusts on target": [2.0, 5.0]}
    scores = [pv.table.item(i, 3).text() for i in range(6)]            # the table's score column
    assert [f"{v:.0f}" for v in pv.series["thrust_score_pct"] if v is not None] == [scores[1], scores[4]]
    symbols = {item.name(): item.opts["symbol"] for item in plot.listDataItems()}
    assert symbols["V: % of thrusts on target"] != symbols["on target"]
    assert {label.text for _, label in plot.legend.items} == {"on target", "V: % of thrusts on target"}
