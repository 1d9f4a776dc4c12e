"""Offscreen Qt, a private config/log folder, and helpers to drive the trainer synchronously."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from analysis.scheme import GradingScheme, ThrustScheme  # noqa: E402
from firmware_bridge.replay import iter_chunks, load_input  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "fixtures" / "demo_mixed.csv"
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    """Profiles and the log file go to the test's own folder, never the user's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path


class Feeder:
    """Feeds a recording into an engine chunk by chunk, drawing a frame after every
    ``frame_every``-th chunk (half a second of data at the default chunk; 1: after each chunk, as
    often as the frame timer would) and one where it stops, as the frame timer would see it (but
    without waiting): what a frame shows is worked out afresh from the engine each time, and the
    frames between cost most of a long test's time. ``streams``: the recording's
    streams fed; ``after_feed``: called after each chunk is fed, before its frame is drawn (a
    stepped worker serving its microphone)."""

    def __init__(self, engine, window, path=DEMO, chunk_s: float = 0.05,
                 streams: tuple[str, ...] = ("force", "imu", "audio"), after_feed=None,
                 frame_every: int = 10) -> None:
        self.engine, self.window, self.after_feed = engine, window, after_feed
        self.frame_every = frame_every
        self.chunks = iter_chunks(load_input(path), chunk_s, streams)
        self.pending = None

    def until(self, t_s: float) -> None:
        n = 0
        while True:
            ch = self.pending or next(self.chunks, None)
            self.pending = None
            if ch is None:
                break
            if ch.t_s[0] > t_s:
                self.pending = ch
                break
            self.engine.feed(ch)
            if self.after_feed is not None:
                self.after_feed()
            n += 1
            if n % self.frame_every == 0:
                self.window.refresh()
        self.window.refresh()


def schemes(r1=40.0, r2=120.0, target=None):
    s = GradingScheme(r1, r2)
    return (s.with_target(target) if target else s), ThrustScheme()


def thrust_tab_window(qtbot, *args):
    """A trainer window on an engine with a frozen clock (the Feeder draws its frames), its
    "HVLA thrusts" tab in front."""
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow
    eng = Engine(*args, clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentWidget(win.thrust_panel)
    return win, eng


def letup_thrust_window(qtbot, tmp_path, size: tuple[int, int]):
    """A trainer window of ``size`` with its HVLA tab in front, fed 7 s of a simulated thrust with
    a flagged let-up and an IMU beside the force sensor (a grade panel caption of two facts)."""
    from ui.cli import main
    rec = tmp_path / "v.csv"
    assert main(["simulate", "--grade", "V", "--rate", "1000", "--imu", "200", "--letup", "25", "--seed", "3",
                 "-o", str(rec)]) == 0
    win, eng = thrust_tab_window(qtbot, *schemes())
    win.resize(*size)
    qtbot.waitUntil(lambda: win.width() == size[0])
    Feeder(eng, win, rec).until(7.0)
    return win, eng


def wrapped_lines(label) -> list[str]:
    """A label's text as the lines it wraps to at its width."""
    from PySide6.QtGui import QTextLayout
    out = []
    for para in label.text().split("\n"):
        lay = QTextLayout(para, label.font())
        lay.beginLayout()
        while (line := lay.createLine()).isValid():
            line.setLineWidth(label.contentsRect().width())
            out.append(para[line.textStart():line.textStart() + line.textLength()].strip())
        lay.endLayout()
    return out


def target_window(qtbot, target: str, size: tuple[int, int] | None = None):
    """A trainer window aiming at ``target`` (a grade as typed, e.g. "III+") on the demo
    manikin's calibration, R1 40 N and R2 120 N, its engine on a frozen clock (the Feeder draws
    its frames); resized to ``size`` if given, and shown. Returns (window, engine)."""
    from ui.trainer.engine import Engine
    from ui.trainer.profiles import Calibration
    from ui.trainer.target import Target
    from ui.trainer.window import TrainerWindow
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    win = TrainerWindow(eng, calibration=Calibration("demo manikin", 40.0, 120.0), target=Target.parse(target),
                        start_timer=False)
    qtbot.addWidget(win)
    if size:
        win.resize(*size)
    win.show()
    return win, eng


THRUST_POPS = REPO / "fixtures" / "thrust_pops.csv"     # thrusts with 4, 1, 2, 0, 2 and 4 pops


def thrust_pops_on_hvla_tab(qtbot, chunk_s: float, frame_every: int = 10):
    """The thrusts and pops replay finds in :data:`THRUST_POPS` with its sound, a trainer window
    aiming at V (1366 × 768, its HVLA tab in front) and a Feeder of the recording and its sound in
    ``chunk_s`` pieces. Returns ``(thrusts, pops, window, engine, feeder)``."""
    from analysis.events import CavitationEvent, ThrustEvent
    from firmware_bridge.replay import analyze_input
    s, th = schemes()
    with_sound = dict(audio=THRUST_POPS.with_suffix(".flac"))
    ref = analyze_input(load_input(THRUST_POPS, **with_sound), s, th)
    win, eng = target_window(qtbot, "V", size=(1366, 768))
    qtbot.waitUntil(lambda: win.width() == 1366)
    win.tabs.setCurrentWidget(win.thrust_panel)
    feed = Feeder(eng, win, path=THRUST_POPS, chunk_s=chunk_s, frame_every=frame_every)
    feed.chunks = iter_chunks(load_input(THRUST_POPS, **with_sound), chunk_s)
    return ([e for e in ref if isinstance(e, ThrustEvent)], [e for e in ref if isinstance(e, CavitationEvent)],
            win, eng, feed)


def recording_window(qtbot, monkeypatch, root: Path, target: str | None = None):
    """A trainer window on the blue manikin's calibration, R1 40 N and R2 120 N, aiming at
    ``target`` (a grade as typed, e.g. "III") if given, recording under ``root``, its engine on a
    frozen clock (the Feeder returned draws its frames), shown. What it says to the user is
    collected in the list returned instead of a message box. Returns (window, engine, feeder, said)."""
    from ui.trainer.engine import Engine
    from ui.trainer.profiles import Calibration
    from ui.trainer.target import Target
    from ui.trainer.window import TrainerWindow
    s, th = schemes(target=target)
    eng = Engine(s, th, clock=lambda: 0.0)
    win = TrainerWindow(eng, calibration=Calibration("blue manikin", 40.0, 120.0),
                        target=Target.parse(target) if target else None, record_root=root, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    said: list[str] = []
    monkeypatch.setattr(TrainerWindow, "show_problem", lambda self, m: said.append(m))
    return win, eng, Feeder(eng, win), said


def built_trainer(qtbot, tmp_path, *args):
    """The trainer as ``gradecoach trainer ARGS --sessions TMP/rec`` builds it, shown, its source
    not started; and its engine."""
    from ui import cmd_trainer
    from ui.cli import build_parser

    argv = ["trainer", *map(str, args), "--sessions", str(tmp_path / "rec")]
    win = cmd_trainer.build(build_parser("trainer").parse_args(argv), start=False)
    qtbot.addWidget(win)
    win.show()
    return win, win.engine

def live_window(qtbot, tmp_path, source, engine=None):
    """The trainer window reading ``source`` on its own acquisition thread (not started), as
    the trainer runs live; recordings go under ``tmp_path / "rec"``. Returns (window, engine, worker)."""
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow
    eng = engine or Engine()
    worker = AcquisitionWorker(source, eng)
    win = TrainerWindow(eng, worker, record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    win.show()
    return win, eng, worker


def unplug_for(qtbot, em, eng, samples: int) -> None:
    """Unplug the pty emulator ``em`` until the trainer's engine ``eng`` has seen it go and the
    device has taken ``samples`` more samples meanwhile (1 kHz: a millisecond each), then plug
    it back in."""
    em.unplug()
    qtbot.waitUntil(lambda: eng.disconnected is not None, timeout=30_000)
    away_from = em.sent
    qtbot.waitUntil(lambda: em.sent >= away_from + samples, timeout=30_000)
    em.open_pty()


def when_a_dialog_opens(act, tries: int = 250) -> None:
    """Call ``act(dialog)`` on the next modal dialog, polling every 20 ms up to ``tries`` times
    (the key that opens it is pressed after this is set up)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def poll(left=tries):
        dlg = QApplication.activeModalWidget()
        if dlg is not None:
            act(dlg)
        elif left > 0:
            QTimer.singleShot(20, lambda: poll(left - 1))
    QTimer.singleShot(20, poll)


def play_to_end(eng, source, timeout_s: float = 30.0) -> None:
    """``source`` (a played file) read into the engine ``eng`` by an acquisition worker until it
    has played to its end (a bound for a broken machine, not a wait)."""
    import time

    from ui.trainer.acquisition import AcquisitionWorker
    worker = AcquisitionWorker(source, eng)
    worker.start()
    try:
        deadline = time.monotonic() + timeout_s
        while not eng.finished:
            assert time.monotonic() < deadline, "the file did not play to its end"
            time.sleep(0.02)
    finally:
        worker.stop()
