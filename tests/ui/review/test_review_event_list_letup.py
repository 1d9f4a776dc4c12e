"""The review's event list gives a flagged let-up as the details, the report and replay's table
do: its figure with "flagged" after it, beside the grade ("V, let-up 29.0 N flagged");
it read "V let-up", like the name of a grade."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionMeta, SessionWriter
from firmware_bridge.simulator import Noise, Sim, technique
from ui.review.window import ReviewWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def thrust_session(folder: Path) -> Path:
    """A V session recorded as the trainer records one: a thrust made cleanly, then one that
    eases 30 N off the preload before it (flagged)."""
    scheme = GradingScheme(40.0, 120.0).with_target("V")
    sim = Sim(40.0, 120.0, seed=4)
    technique("III", sim, scheme, cycles=20)        # (more rows than the list shows)
    technique("V", sim, scheme, preload_n=150.0, peak_n=600.0, ttp_ms=120.0)
    technique("V", sim, scheme, preload_n=150.0, peak_n=600.0, ttp_ms=120.0, letup_n=30.0)
    technique("III", sim, scheme, cycles=20)
    t, y = sim.sample(200.0, Noise(noise_n=0.3, tremor_n=0.4))
    meta = SessionMeta(created="2025-03-01T10:00:00", trainee="ana", technique="PA L4", target="V",
                       r1_n=40.0, r2_n=120.0)
    w = SessionWriter(folder, meta, flush_s=1e9)
    w.append_force(t, y)
    w.flush()
    w.append_events(analyze_input(load_input(folder), scheme))
    w.close(200.0)
    return folder


def test_a_flagged_let_up_is_listed_with_its_figure_and_flag(qtbot, tmp_path):
    folder = thrust_session(tmp_path / "ana-v")
    stored = [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines()]
    thrusts = [e for e in stored if e.get("type") == "thrust"]
    assert [bool(t["letup"]) for t in thrusts] == [False, True]
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    win.open_session(folder)
    view = win.session_view
    table = view.events_table
    rows = [r for r in range(table.rowCount()) if table.item(r, 1).text() == "thrust"]
    grades = [table.item(r, 2).text() for r in rows]
    # against the session's V target each says its verdict, the let-up among what missed
    assert grades[0] == "V, on target"
    assert grades[1].startswith("V, off: ") and f"let-up {thrusts[1]['letup_n']:.1f} N" in grades[1], grades
    # worded as the thrust's details word it
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(rows[1], 2)).center())
    assert grades[1].removeprefix("V, off: ") in view.details_dict()["on target"]
    # read whole in the list beside its scroll bar, not cut short ("V, let-up 2…"), and no
    # sideways scrolling
    qtbot.waitUntil(table.verticalScrollBar().isVisible)        # (more rows than it shows)
    table.scrollToItem(table.item(rows[1], 2))
    assert table.sizeHintForColumn(2) <= table.columnWidth(2)
    assert sum(table.columnWidth(c) for c in range(table.columnCount())) <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    path = tmp_path / "review_letup.png"
    assert win.grab().save(str(path))
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / "review_event_list_letup.png")      # to look at
