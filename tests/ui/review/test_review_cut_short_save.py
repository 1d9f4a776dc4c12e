"""A finished session whose force.csv was cut short after the recording (at a line end), re-analysed
in the review (from what the file holds: 6 cycles, to 6.73 s) and saved: its saved summary ends at
6.73 s, where the file does, so on reopening nothing could tell it from a recording of 6.73 s. Its
details lost their "cut short" and "figures" rows and its plots the stretch the file no longer holds;
after a second re-analysis saved, replay's line about the cut was gone from its warnings too. The
saved summary now keeps the spans the recording had (``recorded_spans_s``, beside its own
``spans_s``) and replay's line, so reopened, saved once or twice, the review still says where the
file ends and that the figures are of what it holds."""

from __future__ import annotations

import json

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt

from .conftest import cut_at_line_end, make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _reanalyse_and_save(qtbot, view, r1=None):
    if r1 is not None:
        view.r1.setValue(r1)
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.reanalyse_btn.isEnabled(), timeout=30000)
    assert view.save_btn.isEnabled()
    qtbot.mouseClick(view.save_btn, Qt.MouseButton.LeftButton)
    assert view.status.text().startswith("saved events.jsonl")


def _summary(folder) -> dict:
    return json.loads((folder / "events.jsonl").read_text().splitlines()[-1])


def _cut_regions(view):
    return [tuple(round(x, 2) for x in i.getRegion()) for i in view.detail.getPlotItem().items
            if isinstance(i, pg.LinearRegionItem) and "no longer" in (i.toolTip() or "")]


def test_a_saved_analysis_of_a_cut_short_session_still_says_it_was_cut_short(qtbot, tmp_path):
    root = tmp_path / "class"
    ben = make_session(root / "ben", trainee="ben", cycles=8, seed=2)
    end, recorded = cut_at_line_end(ben)
    line = (f"{ben / 'force.csv'}: ends at 6.73 s while the session recorded 11.24 s (its stored summary): "
            f"the file was cut short after the recording (a copy, a disk error?)")
    rows = {"cut short": "force.csv ends at 6.73 s of 11.24 s", "figures": "of what the file holds"}
    win = shown_review(qtbot, root)
    view = win.session_view

    win.open_session(ben)
    _reanalyse_and_save(qtbot, view)
    s = _summary(ben)
    assert s["n_cycles"] == 6 and s["spans_s"]["force"] == [0.0, end]          # (what the file holds)
    assert s["recorded_spans_s"] == {"force": [0.0, recorded]} and line in s["warnings"]

    for saves in (1, 2):
        rs = win.open_session(ben)                                          # reopened, as saved
        assert rs.source == "stored"
        d = view.details_dict()
        assert {k: d.get(k) for k in rows} == rows and d["cycles"] == "6"
        assert f"warning: {line}" in view.warning.text().splitlines()
        assert _cut_regions(view) == [(end, recorded)] and view.playhead.duration_s == pytest.approx(recorded)
        if saves == 1:                                  # analysed and saved again, with another R1
            _reanalyse_and_save(qtbot, view, r1=45.0)
            assert {k: view.details_dict().get(k) for k in rows} == rows
            s = _summary(ben)
            assert s["r1_n"] == 45.0 and s["recorded_spans_s"] == {"force": [0.0, recorded]}
            assert s["warnings"].count(line) == 1


def test_a_saved_analysis_of_a_whole_session_keeps_no_recorded_spans(qtbot, tmp_path):
    root = tmp_path / "class"
    ana = make_session(root / "ana", trainee="ana", cycles=8, seed=1)
    win = shown_review(qtbot, root)
    win.open_session(ana)
    _reanalyse_and_save(qtbot, win.session_view, r1=45.0)
    s = _summary(ana)
    assert "recorded_spans_s" not in s and s["warnings"] == []
    win.open_session(ana)
    assert "cut short" not in win.session_view.details_dict()
