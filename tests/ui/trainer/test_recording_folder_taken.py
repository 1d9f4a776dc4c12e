"""Space when the new session folder is taken by another recording the moment it is made
(``gradecoach record --out`` on that name, a second station): the trainer records into the next
free name, and the other recording is left as it was. It said "Cannot record into sessions:
File exists" and recorded nothing. When no folder can be had at all, one line says which folder,
why, and what to do."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk
from firmware_bridge.session import open_session
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from ._folder_taken import taken_as_made
from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def window(qtbot, monkeypatch, root):
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    win = TrainerWindow(eng, record_root=root, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    problems: list[str] = []
    monkeypatch.setattr(TrainerWindow, "show_problem", lambda self, m: problems.append(m))
    return win, eng, problems


def feed(eng) -> None:
    t = np.arange(2000) / 1000.0
    eng.feed(Chunk(t, 30 + 10 * np.sin(2 * np.pi * t), 0, "force", 1000.0))


def test_a_folder_taken_as_it_is_made_records_into_the_next_name(qtbot, monkeypatch, tmp_path):
    win, eng, problems = window(qtbot, monkeypatch, tmp_path / "rec")
    others = taken_as_made(monkeypatch)
    folder = win.start_recording()
    (other,) = others
    theirs = (other.path / "session.json").read_text()
    assert problems == []
    assert folder is not None and folder != other.path
    assert folder.name == f"{other.path.name}-2"
    assert folder.name in win.rec_label.text()
    feed(eng)
    assert win.stop_recording() == folder
    assert len(open_session(folder).force.t_s) == 2000
    # the other recording goes on in its folder, untouched
    assert (other.path / "session.json").read_text() == theirs
    assert sorted(p.name for p in other.path.iterdir()) == ["events.jsonl", "force.csv", "session.json"]
    other.close(100.0)
    s = open_session(other.path)
    assert s.meta.trainee == "other station" and len(s.force.t_s) == 100


def test_folders_taken_again_and_again_are_said_in_one_line(qtbot, monkeypatch, tmp_path):
    win, eng, problems = window(qtbot, monkeypatch, tmp_path / "rec")
    others = taken_as_made(monkeypatch, times=1000)
    assert win.start_recording() is None and eng.recorder is None
    (msg,) = problems
    assert "\n" not in msg and "File exists" not in msg
    assert str(tmp_path / "rec") in msg and "try again" in msg      # where, and what to do
    for w in others:                                # every one of them left to its recording
        assert open_session(w.path).meta.trainee == "other station"
        w.close(100.0)


def test_sessions_being_a_file_is_said_with_what_to_do(qtbot, monkeypatch, tmp_path):
    root = tmp_path / "rec"
    root.write_text("not a folder")
    win, eng, problems = window(qtbot, monkeypatch, root)
    assert win.start_recording() is None and eng.recorder is None
    (msg,) = problems
    assert "\n" not in msg and "File exists" not in msg
    assert str(root) in msg and "not a folder" in msg and "--sessions" in msg
    assert root.read_text() == "not a folder"


def test_a_recording_going_on_is_kept_when_no_new_folder_can_be_had(qtbot, monkeypatch, tmp_path):
    """A new target while recording goes on into a new folder; when none can be had, the
    recording goes on in its own folder and says so."""
    from ui.trainer.target import Target
    win, eng, problems = window(qtbot, monkeypatch, tmp_path / "rec")
    first = win.start_recording()
    feed(eng)
    others = taken_as_made(monkeypatch, times=1000)
    win.set_target(Target.parse("III+"))
    (msg,) = problems
    assert "\n" not in msg and f"Recording goes on in {first}" in msg and "wait a moment" in msg
    for w in others:
        w.close(100.0)
    assert eng.recorder is not None and eng.recorder.path == first
    assert win.stop_recording() == first
    assert len(open_session(first).force.t_s) == 2000
