"""A trainer started with ``--pop-window`` records it with the session (``extra.pop_window_ms``):
``replay``, ``report`` and the review of the folder tie its pops as the window did, not with the
default 150 ms, unless ``--pop-window`` is given to them. Here a played session with one pop 200 ms
after its thrust's peak, recorded by the trainer with a 250 ms window: live it was the thrust's
pop, replayed it was a pop of no thrust. Without ``--pop-window`` nothing is written, as before."""

from __future__ import annotations

import json

import pytest

from tests._pop_window import pop_session, replay, tied
from tests.ui.review._report_page import Page
from ui.cli import main

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _trainer_recording(qtbot, tmp_path, *args):
    """The folder the trainer records of the whole played session, started with ``args``, and
    the pops the window tied to a thrust."""
    from ui import cmd_trainer
    from ui.cli import build_parser

    session = pop_session(tmp_path / "anna", tmp_path)
    argv = ["trainer", "--device", f"file:{session}", *map(str, args), "--sessions", str(tmp_path / "rec")]
    win = cmd_trainer.build(build_parser("trainer").parse_args(argv), start=False)
    qtbot.addWidget(win)
    win.show()
    eng = win.engine
    try:
        folder = win.start_recording()
        win.worker.start()
        qtbot.waitUntil(lambda: eng.finished, timeout=30_000)
        assert win.stop_recording() == folder
    finally:
        win.close()
    return folder, [p.thrust for p in eng.pops]


def _report_pops(page) -> list[str]:
    return [r["pops"] for r in Page(page.read_text(encoding="utf-8")).table("thrusts")]


def test_the_trainer_keeps_its_pop_window_for_replay_report_and_review(qtbot, tmp_path, capsys):
    from ui.review.data import analyse_events, describe, open_review

    folder, live = _trainer_recording(qtbot, tmp_path, "--pop-window", 250)
    assert live == [0]                                  # the window's: the thrust's pop
    assert json.loads((folder / "session.json").read_text())["extra"]["pop_window_ms"] == 250
    assert tied(replay(capsys, folder)[0]) == ([0], [1])
    assert tied(replay(capsys, folder, "--pop-window", 150)[0]) == ([None], [0])

    page = tmp_path / "r.html"
    assert main(["report", str(folder), "--r1", "40", "--r2", "120", "-o", str(page)]) == 0     # analysed again
    assert _report_pops(page) == ["1"]
    assert main(["report", str(folder), "--pop-window", "150", "-o", str(page)]) == 0
    assert _report_pops(page) == ["0"]

    again = analyse_events(open_review(folder), 30.0, 130.0, 0.5)        # the review's re-analysis
    (pop,) = [e for e in again if e["type"] == "cavitation"]
    assert ("thrust", "1") in describe(pop)


def test_the_default_pop_window_is_not_written(qtbot, tmp_path, capsys):
    folder, live = _trainer_recording(qtbot, tmp_path)
    assert live == [None]                               # 200 ms from the peak: beyond 150 ms
    assert "pop_window_ms" not in json.loads((folder / "session.json").read_text())["extra"]
    assert tied(replay(capsys, folder)[0]) == ([None], [0])
