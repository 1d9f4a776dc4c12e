"""The thrust fixture's force from well before its third thrust, where the recording of it
stops, and a session folder of it played in the trainer and recorded again."""

from __future__ import annotations

from pathlib import Path

from ._mic_sweep import MicSession, force_between
from .conftest import ARTIFACTS

# where a recording stops: a second after the fourth thrust is detected (17.97 s) and its sound
# has come, well before the fifth begins (22.94 s); the stored summaries must list the third
# (2 pops, heard) and the fourth
END_S = 19.0
# the fixture's force from here on (well before the third thrust's onset) is what is played: the
# first two thrusts are not what this file is of
FROM_S = 10.0


def from_third_thrust(root) -> Path:
    """The fixture's force from :data:`FROM_S` to half a second after :data:`END_S`, in ``root``."""
    return force_between(root, FROM_S, END_S + 0.5)


def play_and_record(qtbot, monkeypatch, root, folder: Path) -> tuple[MicSession, Path]:
    """The session ``folder`` played in the trainer (its sound the microphone's, as a played
    session's is) and recorded again from its start: the session, and the new folder."""
    from firmware_bridge.replay import iter_chunks, load_input
    from firmware_bridge.sources import FileSource
    s = MicSession(qtbot, monkeypatch, root, path=folder)
    s.worker.source = src = FileSource(str(folder))
    s.eng.source_opened(src)                                  # (as the worker does as it opens it)
    s.feeder.chunks = iter_chunks(load_input(str(folder)), 0.05)
    return s, s.win.start_recording()


def record_with(qtbot, monkeypatch, root, mic, shot: str | None = None):
    """The fixture from :func:`from_third_thrust` recorded from half a second after :data:`FROM_S`
    to :data:`END_S` with the microphone ``mic(force_now)`` on: what the HVLA panel said of the
    newest thrust's pops at 18.5 s (its count and its words), the folder, and replay's summary of
    it; ``shot``: the window at 18.5 s saved under that name in test-artifacts."""
    from analysis.events import SummaryEvent
    from firmware_bridge.replay import analyze_input, load_input
    s = MicSession(qtbot, monkeypatch, root, path=from_third_thrust(root.parent / "played"))
    s.next_mics(mic(s.force_now))
    s.key("toggle_microphone")
    s.until(FROM_S + 0.5)
    folder = s.win.start_recording()
    s.until(18.5)
    panel = s.win.thrust_panel
    shown = (panel.values["pops"].text(), panel.pops_line.text())
    if shot:
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QApplication
        # (the status bar laid out again for the recording's label, as the event loop does live)
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        ARTIFACTS.mkdir(exist_ok=True)
        s.win.grab().save(str(ARTIFACTS / shot))
    s.until(END_S)
    s.win.stop_recording()
    [replayed] = [e for e in analyze_input(load_input(str(folder))) if isinstance(e, SummaryEvent)]
    return shown, folder, replayed
