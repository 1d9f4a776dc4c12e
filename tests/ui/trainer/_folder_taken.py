"""Session folders taken by another recording as soon as the trainer makes them."""

from __future__ import annotations

import numpy as np

import ui.trainer.actions as actions
import ui.trainer.recording as recording
from firmware_bridge.session import SessionMeta, SessionWriter

real_new_session_folder = recording.new_session_folder


def taken_as_made(monkeypatch, times: int = 1) -> list:
    """The next ``times`` folders the trainer makes are taken at once by another recording,
    as ``gradecoach record --out FOLDER`` takes one (its session.json claimed, samples
    written), before the trainer's own session.json is made. Returns the others' writers."""
    others: list[SessionWriter] = []

    def new_session_folder(root, clock=recording.time.time):
        folder = real_new_session_folder(root, clock)
        if len(others) < times:
            w = SessionWriter(folder, SessionMeta(trainee="other station"), flush_s=0.0, new=True)
            w.append_force(np.arange(100) / 100.0, np.full(100, 55.0))
            w.flush()
            others.append(w)
        return folder

    monkeypatch.setattr(recording, "new_session_folder", new_session_folder)
    monkeypatch.setattr(actions, "new_session_folder", new_session_folder, raising=False)
    return others
