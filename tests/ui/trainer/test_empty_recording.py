"""Space pressed twice before the source gave any sample: no folder is left behind that says
'saved' but cannot be opened ('force.csv:2: no data rows'); the window says nothing was
recorded. A recording that got samples is kept as before."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk
from firmware_bridge.session import open_session
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_recording_without_samples_leaves_no_folder(qtbot, tmp_path):
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    win = TrainerWindow(eng, record_root=tmp_path / "rec", start_timer=False)
    qtbot.addWidget(win)
    folder = win.start_recording()
    assert folder is not None
    assert win.stop_recording() is None
    assert not folder.exists() and "nothing recorded" in win.rec_label.text()

    folder = win.start_recording()
    t = np.arange(2000) / 1000.0
    eng.feed(Chunk(t, 30 + 10 * np.sin(2 * np.pi * t), 0, "force", 1000.0))
    assert win.stop_recording() == folder
    assert len(open_session(folder).force.t_s) == 2000


def test_an_empty_recording_folder_holding_anything_else_is_left_whole(qtbot, tmp_path):
    """Something put in the new folder (a note) keeps it, with its session.json, as it was: the
    files were deleted before the folder was found not empty, leaving a folder that was no
    longer a session."""
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    win = TrainerWindow(eng, record_root=tmp_path / "rec", start_timer=False)
    qtbot.addWidget(win)
    folder = win.start_recording()
    (folder / "notes.txt").write_text("left knee", encoding="utf-8")
    win.stop_recording()
    assert sorted(p.name for p in folder.iterdir()) == ["events.jsonl", "force.csv", "notes.txt", "session.json"]
