"""A disk that fills up (a real small tmpfs, as root) while the trainer records: the recording
stops at the write that failed, what was written before is kept and replays, and one line says
which folder, why, how much is kept and what to do; practice goes on (new samples, new grades),
and Space records again once there is room. Acquisition stopped instead, with "acquisition
stopped by an internal error", and the recording label went on saying REC."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer

from firmware_bridge.session import SessionMeta, SessionWriter, open_session
from firmware_bridge.sources import EmulatorSource, FileSource
from tests.conftest import fill_disk
from ui.cli import main
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.profiles import Calibration
from ui.trainer.window import TrainerWindow

from .conftest import REPO, recording_window, schemes, when_a_dialog_opens

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

SOUND = REPO / "fixtures" / "thrust_pops.flac"    # 16 kHz sound alone, pops at 3.2 s and 7.5 s
SPEED = 4.0             # the sources play this many times faster than real time: a test of seconds
KEPT = re.compile(r"the recording up to (\d+\.\d) s is kept")


def _record_on_a_full_disk(qtbot, win, eng, said: list[str], disk: Path, leave: int, caplog
                           ) -> tuple[Path, Path]:
    """All of ``disk`` but ``leave`` bytes taken, then a recording started and waited on until the
    window says something (in ``said``) or the engine fails; the trainer's warnings meanwhile are
    kept in ``caplog``. Returns (the file taking the disk, the recording's folder)."""
    filler = fill_disk(disk, leave)
    with caplog.at_level(logging.WARNING, "gradecoach"):
        first = win.start_recording()
        qtbot.waitUntil(lambda: bool(said) or eng.error is not None, timeout=20_000)
    return filler, first


def _window(qtbot, monkeypatch, source, root: Path, from_s: float = 0.2, box: bool = False
            ) -> tuple[TrainerWindow, Engine, AcquisitionWorker, list[str]]:
    """The trainer reading ``source`` on its acquisition thread (started) up to ``from_s`` of
    its data, recording under ``root``; the lines it says to the user are collected in the list
    returned. ``box``: the first is said in its message box, answered (OK) once the window has
    drawn frames of new data behind it."""
    s, th = schemes()
    eng = Engine(s, th)
    worker = AcquisitionWorker(source, eng)
    win = TrainerWindow(eng, worker, calibration=Calibration("blue manikin", 40.0, 120.0), record_root=root)
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
        win.activateWindow()
    said: list[str] = []
    if box:
        when_a_dialog_opens(lambda dlg: _ok_once_drawn(win, eng, dlg, said), tries=1000)
    else:
        monkeypatch.setattr(TrainerWindow, "show_problem", lambda self, m: said.append(m))
    worker.start()
    qtbot.waitUntil(lambda: max(eng.force.last_t or 0.0, eng.audio_env.last_t or 0.0) >= from_s, timeout=20_000)
    return win, eng, worker, said


def _ok_once_drawn(win, eng, dlg, said: list[str], frames: int = 10, left: int = 500) -> None:
    """OK on the message box ``dlg`` once the window behind it has drawn ``frames`` frames and
    a second of new data (or after ``left`` tries 20 ms apart); its text goes to ``said``."""
    f0, t0 = win.frames, eng.force.last_t

    def check(k: int = left) -> None:
        if (win.frames >= f0 + frames and eng.force.last_t > t0 + 1.0) or k == 0:
            said.append(dlg.text())
            dlg.accept()
        else:
            QTimer.singleShot(20, lambda: check(k - 1))
    check()


def _goes_on(qtbot, win, eng, worker) -> None:
    """Practice goes on: samples still come, new cycles are still graded and shown."""
    assert eng.error is None and worker.is_alive()
    t_stop = eng.force.last_t
    qtbot.waitUntil(lambda: any(c.t_start > t_stop and c.grade for c in list(eng.cycles)), timeout=20_000)
    qtbot.waitUntil(lambda: eng.force.last_t > t_stop + 2.0, timeout=20_000)
    assert eng.error is None and worker.is_alive()
    assert win.banner.isHidden()
    assert win.grade_panel.grade.text() == eng.cycles[-1].grade + (eng.cycles[-1].modifier or "")


def _stopped_line(said: list[str], folder: Path) -> float:
    """The one line the stop was told with; returns the seconds it says were kept."""
    (line,) = said
    assert "\n" not in line and "internal error" not in line
    assert line.startswith(f"Recording stopped: {folder}: the disk is full; the recording up to ")
    assert line.endswith("Practice goes on; to record again, free some space (or start the trainer with "
                         "--sessions DIR on another disk) and press Space")
    return float(KEPT.search(line).group(1))


def _replays(folder: Path, kept_s: float, tmp_path: Path, graded: bool = True) -> None:
    """The folder opens (as interrupted) with what was written before the failure, and
    ``gradecoach replay`` of it reads it (``graded``: and grades its cycles)."""
    ses = open_session(folder)
    assert not ses.meta.complete
    t = ses.force.t_s
    assert t[-1] - t[0] == pytest.approx(kept_s, abs=0.05) and kept_s > 0.3
    assert np.all(np.diff(t) > 0)
    assert not [f for f in folder.iterdir() if f.name.endswith(".tmp")]
    out = tmp_path / "replayed.jsonl"
    assert main(["replay", str(folder), "--format", "jsonl", "-o", str(out)]) == 0
    events = [json.loads(line) for line in out.read_text().splitlines()]
    assert events[-1]["type"] == "summary"
    cycles = [e for e in events if e["type"] == "cycle"]
    assert (bool(cycles) or not graded) and all(c["t_end"] <= t[-1] + 1e-6 for c in cycles)


def _records_again(qtbot, win, eng, filler: Path, root: Path, first: Path, for_s: float = 1.0) -> None:
    """Room again: Space records into a new folder, and Space saves it whole after ``for_s``."""
    filler.unlink()
    win.activateWindow()                        # (a message box may have had the keys)
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert eng.recorder is not None and eng.recorder.path != first
    assert win.rec_label.text() == f"● REC  {eng.recorder.path.name}"
    second = eng.recorder.path
    qtbot.waitUntil(lambda: eng.recorder.duration_s > for_s, timeout=20_000)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert eng.recorder is None and win.rec_label.text() == f"saved {second.name}"
    ses = open_session(second)
    assert ses.meta.complete and not ses.warnings and ses.force.t_s[-1] > for_s
    assert sorted(p.name for p in root.iterdir()) == sorted([first.name, second.name])


def test_a_disk_full_while_recording_stops_the_recording_and_practice_goes_on(qtbot, monkeypatch, small_disk,
                                                                              tmp_path, caplog):
    root = small_disk / "sessions"
    # (the emulator's first set of oscillations runs from 3 s to 14 s of its data)
    win, eng, worker, said = _window(qtbot, monkeypatch, EmulatorSource("grade3", speed=SPEED), root, from_s=3.5,
                                     box=True)
    try:
        # the line in its box, and the plot still drawn behind it while it waits for OK
        filler, first = _record_on_a_full_disk(qtbot, win, eng, said, small_disk, 96 * 1024, caplog)
        assert eng.error is None, eng.error
        assert eng.recorder is None
        assert not win.rec_label.text().startswith("● REC")
        assert win.rec_label.text().startswith(f"stopped {first.name}: disk full")
        kept = _stopped_line(said, first)
        assert "internal error" not in caplog.text and "Traceback" not in caplog.text
        _goes_on(qtbot, win, eng, worker)
        _replays(first, kept, tmp_path)
        _records_again(qtbot, win, eng, filler, root, first)
        assert len(said) == 1
    finally:
        win.close()


def _played_with_sound(folder: Path, seconds: float) -> Path:
    """A session of oscillations between 50 and 110 N at 2.5 Hz with 48 kHz noise as its sound
    (FLAC does not compress noise: the sound fills the disk first)."""
    w = SessionWriter(folder, SessionMeta(trainee="Anna", r1_n=40.0, r2_n=120.0))
    t = np.arange(0, seconds, 0.001)
    w.append_force(t, 80 + 30 * np.sin(2 * np.pi * 2.5 * t))
    sr = 48000
    noise = np.random.default_rng(1).normal(0, 0.05, int(seconds * sr)).astype(np.float32)
    w.append_audio(np.arange(len(noise)) / sr, noise, sr)
    w.close(1000.0)
    return folder


def test_a_disk_filled_by_the_sound_stops_the_recording_the_same_way(qtbot, monkeypatch, small_disk, tmp_path,
                                                                     caplog):
    """The sound a played session gives, written to audio.flac through libsndfile, fills the disk."""
    played = _played_with_sound(tmp_path / "played", 16.0)
    root = small_disk / "sessions"
    win, eng, worker, said = _window(qtbot, monkeypatch, FileSource(str(played), speed=SPEED), root)
    try:
        _, first = _record_on_a_full_disk(qtbot, win, eng, said, small_disk, 120 * 1024, caplog)
        assert eng.error is None, eng.error
        assert "internal error" not in caplog.text and "Traceback" not in caplog.text
        assert eng.recorder is None and not win.rec_label.text().startswith("● REC")
        kept = _stopped_line(said, first)
        _goes_on(qtbot, win, eng, worker)
        assert eng.audio_env.last_t > eng.force.last_t - 1.0      # the sound still plays too
        _replays(first, kept, tmp_path, graded=False)       # (less than a second)
        assert (first / "audio.flac").stat().st_size > 0
        assert len(said) == 1
    finally:
        win.close()


def test_a_disk_filled_by_a_recording_of_sound_alone_says_how_much_sound_is_kept(qtbot, monkeypatch, small_disk,
                                                                                 tmp_path, caplog):
    """Sound alone (a played recording of pops): audio.flac, written through libsndfile, is what
    fills the disk; the line gives the sound it holds (the sensor's files it has none of said 0.0 s),
    and the pops after the stop are still counted."""
    root = small_disk / "sessions"
    win, eng, worker, said = _window(qtbot, monkeypatch, FileSource(str(SOUND), speed=SPEED), root)
    try:
        filler, first = _record_on_a_full_disk(qtbot, win, eng, said, small_disk, 64 * 1024, caplog)
        assert eng.error is None, eng.error
        assert f"writing {first / 'audio.flac'}: No space left on device" in caplog.text
        assert "internal error" not in caplog.text and "Traceback" not in caplog.text
        assert eng.recorder is None and not win.rec_label.text().startswith("● REC")
        kept = _stopped_line(said, first)
        t_stop = eng.audio_env.last_t
        assert 0.5 < kept < t_stop
        qtbot.waitUntil(lambda: any(p.t > t_stop for p in list(eng.pops)), timeout=20_000)   # the pop at 7.5 s
        assert eng.error is None and worker.is_alive()
        ses = open_session(first)
        assert not ses.meta.complete and ses.audio_path is not None
        out = tmp_path / "replayed.jsonl"
        assert main(["replay", str(first), "--format", "jsonl", "-o", str(out)]) == 0
        summary = json.loads(out.read_text().splitlines()[-1])
        assert summary["type"] == "summary"
        filler.unlink()
    finally:
        win.close()


def test_a_disk_full_by_the_time_space_saves_says_so_the_same_way(qtbot, monkeypatch, small_disk):
    """The disk filled after the last flush: a new feedback schedule and trainee (session.json
    rewritten) and Space (the folder's end) raised 'No space left on device' out of the key's
    command, and the folder was called saved."""
    root = small_disk / "sessions"
    win, eng, feed, said = recording_window(qtbot, monkeypatch, root)
    feed.until(20.0)
    first = win.start_recording()
    feed.until(22.0)
    eng.recorder.writer.flush()
    eng.recorder.writer.flush_s = 3600.0        # (no flush by the clock meanwhile, on a machine under load)
    fill_disk(small_disk, leave=0)
    win.next_feedback()                         # F: session.json cannot take the change
    win.set_trainee("Anna")                     # N: nor the trainee
    feed.until(22.1)                            # (held in memory until the next flush)
    assert eng.recorder is not None and not said
    assert win.stop_recording() is None         # Space
    kept = _stopped_line(said, first)
    assert win.rec_label.text() == f"stopped {first.name}: disk full, {kept:.1f} s kept"
    ses = open_session(first)
    assert not ses.meta.complete and ses.force.t_s[-1] == pytest.approx(kept, abs=0.05)
    assert kept == pytest.approx(2.0, abs=0.1)
