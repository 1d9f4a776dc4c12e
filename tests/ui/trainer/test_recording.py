"""Recording with one key, and a source that disappears mid-set: banner, reconnect, gap marked."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt

from firmware_bridge.session import open_session
from firmware_bridge.sources import ArraySource, Pacer
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.profiles import Calibration
from ui.trainer.target import Target
from ui.trainer.window import TrainerWindow

from .conftest import Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _shown(qtbot, win):
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
        win.activateWindow()
    return win


def test_space_records_a_session_with_calibration_target_and_events(qtbot, tmp_path):
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    win = _shown(qtbot, TrainerWindow(eng, calibration=Calibration("blue manikin", 40.0, 120.0),
                                      target=Target.parse("III+", rate_hz=1.2), record_root=tmp_path / "rec",
                                      start_timer=False))
    feed = Feeder(eng, win)
    feed.until(20.0)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert eng.recorder is not None and "REC" in win.rec_label.text()
    feed.until(40.0)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert eng.recorder is None
    folders = list((tmp_path / "rec").iterdir())
    assert len(folders) == 1
    ses = open_session(folders[0])
    assert ses.meta.complete and not ses.warnings
    assert (ses.meta.r1_n, ses.meta.r2_n, ses.meta.target) == (40.0, 120.0, "III+")
    assert ses.meta.extra["calibration"]["profile"] == "blue manikin"
    assert ses.meta.extra["target_detail"]["rate_hz"] == 1.2
    assert ses.force.t_s[0] == pytest.approx(0.0, abs=0.01)          # times from the recording's start
    assert ses.force.t_s[-1] == pytest.approx(20.0, abs=0.06)
    cycles = [e for e in ses.events if e["type"] == "cycle"]
    live = [c for c in eng.cycles if 20.5 < c.t_start and c.t_end < 39.5]
    assert {c["grade"] + (c["modifier"] or "") for c in cycles} >= {"III-", "III+"}
    # the recorded cycles are the live ones, shifted to the recording's clock
    t0 = ses.meta.extra["source_t0_s"]
    for c in live:
        assert any(abs(r["t_start"] + t0 - c.t_start) < 0.01 and r["grade"] == c.grade for r in cycles)
    assert ses.events[-1]["type"] == "summary"


class FakeClock:
    """Advances only when someone sleeps: real-time pacing with no real time."""

    def __init__(self) -> None:
        self.t = 0.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        with self.lock:
            self.t += max(s, 0.0)


class Unplugged(ArraySource):
    """Plays force with a hole; at the hole it announces a disconnect and stays silent until the
    test lets it reconnect (so the banner can be checked), then plays on."""

    def __init__(self, t, y, hole, clock: FakeClock) -> None:
        super().__init__({"force": (t, y)}, pacer=Pacer(clock=clock, sleep=clock.sleep))
        self.spec = "test:unplug"
        self.info.update(name="unplugged sensor", rate_hz=1000.0)
        self.hole = hole
        self.resume = threading.Event()
        self.state = "playing"

    def read(self, timeout_s: float = 0.1):
        if self.state == "playing" and self.pacer.now_data() >= self.hole[0]:
            self.state = "away"
            self.notify("disconnected", "USB cable pulled")
        if self.state == "away":
            if not self.resume.wait(timeout_s):
                return []
            self.state = "back"
            self.notify("reconnected", "found again")
            self.pacer.start(self.hole[1])
            self._t_next = self.hole[1]
        return super().read(timeout_s)


def test_disconnect_shows_banner_and_recording_marks_the_gap(qtbot, tmp_path):
    rate = 1000.0
    t = np.arange(0, 12.0, 1 / rate)
    hole = (5.0, 7.0)
    keep = (t < hole[0]) | (t >= hole[1])
    t, y = t[keep], 20 + 15 * np.sin(2 * np.pi * 1.5 * t[keep])
    clock = FakeClock()
    src = Unplugged(t, y, hole, clock)
    s, th = schemes()
    eng = Engine(s, th, clock=clock)
    worker = AcquisitionWorker(src, eng, read_timeout_s=0.01)
    win = _shown(qtbot, TrainerWindow(eng, worker, record_root=tmp_path, start_timer=False))
    qtbot.keyClick(win, Qt.Key.Key_Space)
    worker.start()
    qtbot.waitUntil(lambda: eng.disconnected is not None, timeout=10000)
    win.refresh()
    assert win.banner.isVisible() and "USB cable pulled" in win.banner.text()
    src.resume.set()
    qtbot.waitUntil(lambda: eng.finished, timeout=10000)
    win.refresh()
    assert not win.banner.isVisible()
    folder = win.stop_recording()
    worker.stop()
    ses = open_session(folder)
    assert len(ses.meta.gaps) == 1
    g = ses.meta.gaps[0]
    assert g["t_start"] == pytest.approx(hole[0], abs=0.02) and g["t_end"] == pytest.approx(hole[1], abs=0.02)
    assert g["reason"] == "disconnected"          # (the device's own words go to the log)
    assert any(e["type"] == "gap" and e["t_start"] == pytest.approx(hole[0], abs=0.02) for e in ses.events)
    assert len(ses.force.t_s) == len(t)                           # nothing recorded was lost
    assert eng.dropped == 0


class Flaky(ArraySource):
    """A serial-like source whose read fails once (an unplug); reopening finds it again."""

    def __init__(self, t, y, fail_at_s: float, clock: FakeClock) -> None:
        super().__init__({"force": (t, y)}, pacer=Pacer(clock=clock, sleep=clock.sleep))
        self.spec = "test:flaky"
        self.fail_at_s, self.opens, self.failed = fail_at_s, 0, False

    def open(self) -> None:
        self.opens += 1
        if self.opens == 1:
            super().open()
        else:
            self._opened = True            # the device continues where it was

    def read(self, timeout_s: float = 0.1):
        if not self.failed and self.pacer.now_data() >= self.fail_at_s:
            self.failed = True
            from analysis.errors import DeviceError
            raise DeviceError("test:flaky: device reports readiness to read but returned no data")
        return super().read(timeout_s)


def test_a_read_error_reconnects_and_the_gap_is_marked(qtbot, tmp_path):
    t = np.arange(0, 6.0, 0.001)
    clock = FakeClock()
    src = Flaky(t, 20 + 10 * np.sin(2 * np.pi * t), 2.0, clock)
    eng = Engine(*schemes(), clock=clock)
    worker = AcquisitionWorker(src, eng, read_timeout_s=0.01, retry_s=0.01)
    win = _shown(qtbot, TrainerWindow(eng, worker, record_root=tmp_path, start_timer=False))
    win.start_recording()
    worker.start()
    qtbot.waitUntil(lambda: eng.finished, timeout=10000)
    worker.stop()
    kinds = [n.kind for n in eng.drain()[1]]
    assert kinds == ["disconnected", "reconnected"] and src.opens == 2
    win.refresh()
    assert not win.banner.isVisible()
    ses = open_session(win.stop_recording())
    assert len(ses.meta.gaps) == 1 and ses.meta.gaps[0]["reason"] == "disconnected"
    assert len(ses.force.t_s) == len(t) and eng.dropped == 0         # nothing lost around the error


def test_recorded_microphone_is_flac_on_the_force_timeline(tmp_path):
    """The trainer's recording keeps the microphone as audio.flac with where it starts and how
    fast its clock ran, so replaying the folder finds the pop at the moment it was heard."""
    from analysis.chunk import Chunk
    from analysis.events import CavitationEvent
    from firmware_bridge.audio_sim import pop_wave
    from firmware_bridge.replay import analyze_input, load_input
    from ui.trainer.recording import Recorder

    s, th = schemes()
    rec = Recorder(tmp_path / "r", s, th)
    src0, sr, per_s = 100.0, 48000, 48000 * (1 + 300e-6)     # source clock; the card runs 300 ppm fast
    x = np.random.default_rng(5).normal(0, 1e-3, int(20 * sr)).astype(np.float32)
    w = pop_wave(np.random.default_rng(6), sr)
    k = int(round((15.0 - 0.25) * per_s))                       # heard at recording time 15.0 s
    x[k:k + len(w)] += (0.1 * w / np.abs(w).max()).astype(np.float32)
    for i in range(200):                                           # 20 s, force and audio interleaved
        tf = src0 + i * 0.1 + np.arange(100) * 1e-3
        rec.feed(Chunk(tf, np.full(100, 5.0), i * 100, "force", 1000.0))
        a, b = i * 4800, (i + 1) * 4800
        ta = src0 + 0.25 + np.arange(a, b) / per_s
        rec.feed(Chunk(ta, x[a:b], a, "audio", float(sr)))
    rec.close()

    entry = open_session(rec.path).meta.streams["audio"]
    assert entry["file"] == "audio.flac" and (rec.path / "audio.flac").exists()
    assert entry["t0_s"] == pytest.approx(0.25, abs=1e-6)
    assert entry["rate_measured_hz"] == pytest.approx(per_s, abs=0.05)
    pops = [e for e in analyze_input(load_input(rec.path)) if isinstance(e, CavitationEvent)]
    assert len(pops) == 1 and pops[0].t == pytest.approx(15.0, abs=1e-3)


def test_a_recording_with_its_sound_replayed_in_the_trainer_finds_and_keeps_its_pops(tmp_path):
    """``--device file:`` of force and sound: the sound's chunks carry its sample rate, so the
    pops are heard live; recording it keeps going (the recorder's own pop analysis used to stop
    acquisition) and the folder replays with the same pops."""
    from analysis.events import CavitationEvent
    from firmware_bridge.replay import analyze_input, load_input
    from firmware_bridge.sources import FileSource
    from ui.trainer.recording import Recorder

    fix = Path(__file__).resolve().parents[3] / "fixtures"
    src = FileSource(str(fix / "thrust_pops.csv"), audio=str(fix / "thrust_pops.flac"), pacer=Pacer(1e6))
    src.open()
    s, th = schemes()
    eng = Engine(s, th)
    rec = Recorder(tmp_path / "r", s, th)
    eng.start_recording(rec)
    rates = set()
    while not src.exhausted:
        for ch in src.read(0.0):
            if ch.stream == "audio":
                rates.add(ch.rate_hz)
            eng.feed(ch)
    eng.stop_recording()
    assert rates == {float(sf.info(str(fix / "thrust_pops.flac")).samplerate)}
    assert "audio" not in eng.disabled
    live = [round(p.t - rec.t0_s, 3) for p in eng.pops]
    replayed = [round(e.t, 3) for e in analyze_input(load_input(rec.path)) if isinstance(e, CavitationEvent)]
    assert len(live) >= 10 and replayed == live


def test_sound_the_recording_cannot_analyse_is_recorded_and_the_force_goes_on(tmp_path, caplog):
    """An 8 kHz microphone: pops are off live and in the recording, which keeps its sound and
    every force sample instead of stopping acquisition."""
    from analysis.chunk import Chunk
    from ui.trainer.recording import Recorder

    s, th = schemes()
    eng = Engine(s, th)
    rec = Recorder(tmp_path / "r", s, th)
    eng.start_recording(rec)
    for i in range(30):
        eng.feed(Chunk(i * 0.1 + np.arange(100) * 1e-3, np.full(100, 5.0), i * 100, "force", 1000.0))
        eng.feed(Chunk(i * 0.1 + np.arange(800) / 8000, np.zeros(800, np.float32), i * 800, "audio", 8000.0))
    rec.close()
    assert "audio" in eng.disabled
    st = open_session(rec.path)
    assert len(st.force.t_s) == 3000 and sf.info(str(rec.path / "audio.flac")).frames == 29 * 800 + 800


def test_changing_the_calibration_while_recording_saves_what_was_recorded_and_records_on_with_the_new(
        qtbot, tmp_path):
    """A folder holds one calibration: recalibrating mid-recording saves the folder with the old
    one and goes on recording into a new folder with the new one, each replaying as it was
    shown; the cycles after the change start a set of their own."""
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    win = _shown(qtbot, TrainerWindow(eng, calibration=Calibration("blue manikin", 40.0, 120.0),
                                      record_root=tmp_path / "rec", start_timer=False))
    feed = Feeder(eng, win)
    feed.until(5.0)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    feed.until(20.0)
    sets_before = {c.set_index for c in eng.cycles}
    win.set_calibration(Calibration("red manikin", 30.0, 100.0))
    assert eng.recorder is not None and "with the new ones" in win.statusBar().currentMessage()
    feed.until(40.0)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    first, second = sorted((tmp_path / "rec").iterdir())
    a, b = open_session(first), open_session(second)
    assert (a.meta.r1_n, a.meta.r2_n, a.meta.extra["calibration"]["profile"]) == (40.0, 120.0, "blue manikin")
    assert (b.meta.r1_n, b.meta.r2_n, b.meta.extra["calibration"]["profile"]) == (30.0, 100.0, "red manikin")
    assert a.meta.complete and b.meta.complete and not a.warnings and not b.warnings
    # the second folder takes up where the first ends
    end_a = a.meta.extra["source_t0_s"] + a.force.t_s[-1]
    assert 0 < b.meta.extra["source_t0_s"] - end_a <= 0.002
    after = [c for c in eng.cycles if c.t_start > 20.5]
    assert after and not {c.set_index for c in after} & sets_before
    # each folder's stored grades are what the window showed while it was recorded
    t0 = b.meta.extra["source_t0_s"]
    stored = [(round(e["t_start"] + t0, 2), e["grade"] + (e["modifier"] or ""))
              for e in b.events if e["type"] == "cycle"]
    shown = [(round(c.t_start, 2), c.grade + (c.modifier or "")) for c in after if c.t_end < 39.5]
    assert shown and all(x in stored for x in shown)


def test_switching_the_source_while_recording_saves_the_recording_and_starts_clean(qtbot, tmp_path):
    """S picks another device whose clock starts again at 0: the recording so far is saved
    whole (its times never go backwards), and the plots show only the new device's data."""
    s, th = schemes()
    eng = Engine(s, th)
    # 10x real time: 30 s of data last 3 s, so a window slow to take Space (a loaded machine)
    # still has the 5000 samples after it to record
    src = ArraySource({"force": (np.arange(0, 30, 0.001), 60 + 40 * np.sin(2 * np.pi * 1.5 * np.arange(0, 30, 0.001)))},
                      pacer=Pacer(10.0))
    worker = AcquisitionWorker(src, eng)
    win = _shown(qtbot, TrainerWindow(eng, worker, calibration=Calibration("blue manikin", 40.0, 120.0),
                                      record_root=tmp_path / "rec", start_timer=False))
    worker.start()
    qtbot.waitUntil(lambda: eng.samples.get("force", 0) > 3000, timeout=10000)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    n_start = eng.samples.get("force", 0)           # (the source runs on while Space is handled)
    qtbot.waitUntil(lambda: eng.samples.get("force", 0) > n_start + 5000, timeout=10000)
    old_cycles = len(eng.cycles)
    assert win.switch_source("emulator:hvla")
    try:
        assert eng.recorder is None and "recording saved as" in win.statusBar().currentMessage()
        qtbot.waitUntil(lambda: eng.samples.get("force", 0) > 1500, timeout=10000)
        t, _ = eng.force.since(-1e9)
        assert old_cycles > 3 and t[0] < 1.0 and np.all(np.diff(t) > 0)   # the new device's samples only
        assert all(c.t_start < t[-1] + 0.1 for c in eng.cycles)
    finally:
        win.worker.stop()
    (folder,) = (tmp_path / "rec").iterdir()
    ses = open_session(folder)
    assert ses.meta.complete and not ses.warnings and np.all(np.diff(ses.force.t_s) > 0)
    assert len(ses.force.t_s) >= 4000
