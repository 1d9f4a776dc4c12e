"""A recording the folder stopped taking (a full disk: a real small tmpfs, as root; a folder that
refuses writes) says so in its session.json, read back with the project's own reader: when, on
the recording's timeline, and why in words (``extra.stopped``). Before, session.json recorded
nothing of it, and an instructor opening the folder later could not tell the recording had
ended early. Where even session.json cannot take it, the one line is all and nothing written
before is lost. A folder that refuses writes is told as such ("no permission to write there"),
not as libsndfile's "System error."."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from analysis.chunk import Chunk
from firmware_bridge.replay.audio_file import audio_info
from firmware_bridge.session import open_session
from tests.conftest import fill_disk

from .conftest import REPO, recording_window
from ._asoundrc import ASOUNDRC

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

KEPT = re.compile(r"the recording up to (\d+\.\d) s is kept")
NO_PERMISSION = ("no permission to write there; the recording up to {kept} s is kept. Practice goes on; to record "
                 "again, start the trainer with --sessions DIR (a folder you can write to) and press Space")


def _kept(line: str) -> float:
    return float(KEPT.search(line).group(1))


def test_a_disk_full_while_recording_is_in_session_json(qtbot, monkeypatch, small_disk):
    root = small_disk / "sessions"
    win, eng, feed, said = recording_window(qtbot, monkeypatch, root, target="III")
    feed.until(20.0)
    first = win.start_recording()
    feed.until(21.0)
    fill_disk(small_disk, leave=24 * 1024)
    t = 21.0
    while eng.recorder is not None and t < 70.0:          # (the disk fills within seconds of force)
        t += 0.5
        feed.until(t)
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    (line,) = said
    assert line.startswith(f"Recording stopped: {first}: the disk is full; ")
    kept = _kept(line)
    ses = open_session(first)
    assert not ses.meta.complete
    stopped = ses.meta.extra["stopped"]
    assert set(stopped) == {"t_s", "reason", "file"}
    assert stopped["reason"] == "disk full" and stopped["file"] in ("force.csv", "events.jsonl")
    # on the recording's timeline: its last sample kept, as the line says
    assert stopped["t_s"] == pytest.approx(ses.force.t_s[-1], abs=1e-6)
    assert stopped["t_s"] == pytest.approx(kept, abs=0.05 + 1e-6) and 0.5 < kept < t - 20.0
    assert ses.meta.trainee == "" and ses.meta.target == "III"         # the rest as it was written
    assert not [f for f in first.iterdir() if f.name.endswith(".tmp")]
    assert json.loads((first / "session.json").read_text())["extra"]["stopped"] == stopped


CAPS = (1, 2, 3)        # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


@contextlib.contextmanager
def _permissions_refuse():
    """Files' and folders' permissions refuse this thread as they refuse a user: for root, the
    capabilities that pass over them are left out of its effective set meanwhile (Linux keeps
    them per thread; the recording writes on this one) and taken back after."""
    if os.geteuid() != 0:
        yield
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    hdr, data = Header(0x20080522, 0), (Data * 2)()                 # _LINUX_CAPABILITY_VERSION_3
    if libc.capget(ctypes.byref(hdr), data) != 0:
        pytest.skip("root's capabilities cannot be read here (capget)")
    had = data[0].effective
    for cap in CAPS:
        data[0].effective &= ~(1 << cap)
    if libc.capset(ctypes.byref(hdr), data) != 0:
        pytest.skip("root's capabilities cannot be set aside here (capset)")
    try:
        yield
    finally:
        data[0].effective = had
        assert libc.capset(ctypes.byref(hdr), data) == 0


@contextlib.contextmanager
def _read_only(*paths: Path):
    """``paths`` read-only (and refusing this thread, root too) meanwhile."""
    modes = [p.stat().st_mode & 0o777 for p in paths]
    for p in paths:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        with _permissions_refuse():
            yield
    finally:
        for p, m in zip(paths, modes):
            p.chmod(m)


def _sound(t0: float, seconds: float, rate: int = 48000) -> Chunk:
    """A microphone's chunk: ``seconds`` of quiet noise from ``t0`` on the force's timeline."""
    n = int(seconds * rate)
    x = np.random.default_rng(3).normal(0, 0.01, n).astype(np.float32)
    return Chunk(t0 + np.arange(n) / rate, x, 0, "audio", float(rate))


def test_a_folder_refusing_the_sound_mid_recording_says_no_permission(qtbot, monkeypatch, tmp_path):
    """The folder made read-only while recording, then sound begins (audio.flac is a new file):
    libsndfile's "System error." was said as "cannot write audio: …: System error."."""
    win, eng, feed, said = recording_window(qtbot, monkeypatch, tmp_path / "rec")
    feed.until(20.0)
    first = win.start_recording()
    feed.until(23.0)
    with _read_only(first):
        eng.feed(_sound(23.0, 0.2))
        win.refresh()
        assert eng.recorder is None                         # the recording stopped there
        feed.until(25.0)                                    # practice goes on
    qtbot.waitUntil(lambda: bool(said), timeout=10_000)
    (line,) = said
    kept = _kept(line)
    assert line == f"Recording stopped: {first}: " + NO_PERMISSION.format(kept=f"{kept:.1f}")
    assert win.rec_label.text() == f"stopped {first.name}: cannot write, {kept:.1f} s kept"
    assert eng.force.last_t >= 24.9
    ses = open_session(first)
    assert not ses.meta.complete
    assert ses.meta.extra["stopped"] == {"t_s": pytest.approx(ses.force.t_s[-1], abs=1e-6),
                                         "reason": "no permission to write", "file": "audio.flac"}
    assert ses.force.t_s[-1] == pytest.approx(3.0, abs=0.06) and kept == pytest.approx(3.0, abs=0.06)


def test_a_folder_refusing_its_end_says_no_permission_and_session_json_says_why(qtbot, monkeypatch, tmp_path):
    """The folder made read-only while recording: Space (session.json rewritten, the folder's
    end) is refused; all of the recording is there, and session.json, rewritten over its own
    bytes, says why it is not complete."""
    win, eng, feed, said = recording_window(qtbot, monkeypatch, tmp_path / "rec")
    feed.until(20.0)
    first = win.start_recording()
    feed.until(22.0)
    with _read_only(first):
        feed.until(24.0)
        assert win.stop_recording() is None                 # Space
    (line,) = said
    assert line == f"Recording stopped: {first}: " + NO_PERMISSION.format(kept="4.0")
    ses = open_session(first)
    assert not ses.meta.complete and ses.force.t_s[-1] == pytest.approx(4.0, abs=0.01)
    assert ses.meta.extra["stopped"] == {"t_s": pytest.approx(ses.force.t_s[-1], abs=1e-6),
                                         "reason": "no permission to write", "file": "session.json"}
    assert sorted(p.name for p in first.iterdir()) == ["events.jsonl", "force.csv", "session.json"]


def test_where_session_json_too_refuses_the_line_is_all_and_nothing_is_lost(qtbot, monkeypatch, tmp_path):
    win, eng, feed, said = recording_window(qtbot, monkeypatch, tmp_path / "rec")
    feed.until(20.0)
    first = win.start_recording()
    feed.until(22.0)
    before = (first / "session.json").read_bytes()
    with _read_only(first, first / "session.json"):
        feed.until(24.0)
        assert win.stop_recording() is None
    (line,) = said
    assert line == f"Recording stopped: {first}: " + NO_PERMISSION.format(kept="4.0")
    assert (first / "session.json").read_bytes() == before
    ses = open_session(first)
    assert not ses.meta.complete and "stopped" not in ses.meta.extra
    assert ses.force.t_s[-1] == pytest.approx(4.0, abs=0.01)


MIC_SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # (ALSA's file plugin delivers faster than real time, which the trainer takes, after 5 s of
    # it, for no live microphone and stops counting its pops: not what this test is of)
    import firmware_bridge.audio
    firmware_bridge.audio.UNPLACED_SHARE = float("inf")
    from pathlib import Path
    from analysis.scheme import GradingScheme, ThrustScheme
    from firmware_bridge.sources import EmulatorSource
    from ui.trainer.app import ensure_app
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.profiles import Calibration
    from ui.trainer.window import TrainerWindow

    root, disk, leave = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    app = ensure_app()
    said = []
    TrainerWindow.show_problem = lambda self, m: said.append(m)       # (the line its box would show)
    eng = Engine(GradingScheme(40.0, 120.0), ThrustScheme())
    worker = AcquisitionWorker(EmulatorSource("grade3"), eng)        # (in real time, on the host's clock)
    win = TrainerWindow(eng, worker, calibration=Calibration("blue manikin", 40.0, 120.0), record_root=root)
    win.show()
    worker.start()
    deadline = time.monotonic() + 60                  # a bound for a broken machine, not a wait
    def wait(done):
        while not done() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
    wait(lambda: (eng.force.last_t or 0.0) >= 0.5)
    free = os.statvfs(disk)
    (disk / "filler").write_bytes(b"\\0" * (free.f_bavail * free.f_frsize - leave))
    first = win.start_recording()
    wait(lambda: eng.recorder is not None and eng.recorder.duration_s >= 1.0)
    win.actions_by_name["toggle_microphone"].trigger()                 # A: the sound recorded beside
    wait(lambda: bool(said) or eng.error is not None)
    t_stop, heard = eng.force.last_t, eng.samples.get("audio", 0)
    wait(lambda: eng.force.last_t > t_stop + 1.0 and eng.samples.get("audio", 0) > heard + 4800)
    print(json.dumps({"first": str(first), "said": said, "error": eng.error, "off": eng.disabled,
                      "recording": eng.recorder is not None, "label": win.rec_label.text(),
                      "force_after": eng.force.last_t - t_stop, "audio_after": eng.samples.get("audio", 0) - heard,
                      "mic_on": worker.mic_on, "alive": worker.is_alive()}))
    worker.stop()
""")


def test_a_disk_filled_while_recording_the_microphone_stops_the_recording_alone(small_disk, tmp_path):
    """The microphone (A, a second into the recording) records its sound, noise (FLAC does not
    compress it: the sound fills the disk), to audio.flac beside the force: the recording stops
    with the one line, the force and the sound written so far are kept and session.json says
    why; the sensor and the microphone go on."""
    raw = tmp_path / "mic.raw"
    # (the file plugin reads faster than real time, at 44.1 kHz; what follows the file is undefined)
    np.random.default_rng(2).normal(0, 3000, 60 * 44100).astype("<i2").tofile(raw)
    (tmp_path / ".asoundrc").write_text(ASOUNDRC.format(raw=raw))
    root = small_disk / "sessions"
    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    p = subprocess.run([sys.executable, "-c", MIC_SCRIPT, str(root), str(small_disk), str(120 * 1024)], cwd=REPO,
                       env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    r = json.loads(p.stdout.strip().splitlines()[-1])
    first = Path(r["first"])
    assert r["error"] is None and r["off"] == {} and r["alive"] and r["mic_on"]
    assert not r["recording"] and r["label"].startswith(f"stopped {first.name}: disk full, ")
    (line,) = r["said"]
    assert line.startswith(f"Recording stopped: {first}: the disk is full; the recording up to ")
    assert line.endswith("Practice goes on; to record again, free some space (or start the trainer with "
                         "--sessions DIR on another disk) and press Space")
    assert r["force_after"] > 1.0 and r["audio_after"] > 4800           # practice goes on, listening too
    kept = _kept(line)
    ses = open_session(first)
    assert not ses.meta.complete and kept >= 0.9
    assert ses.force.t_s[-1] - ses.force.t_s[0] == pytest.approx(kept, abs=0.05 + 1e-6)   # (said to 0.1 s)
    assert np.all(np.diff(ses.force.t_s) > 0)
    assert ses.audio_path is not None
    sr, frames, _ = audio_info(ses.audio_path, count=True)        # (decoded to where it was cut)
    assert frames > sr // 10
    stopped = ses.meta.extra["stopped"]
    # the sound fills the disk (noise, which FLAC cannot shrink), but the file named is the one whose
    # write found it full: the sound's or the force's next page, whichever came first (the force's
    # once in four or five runs; the sound had 60-98 KiB of the 120 KiB left by then)
    assert stopped["reason"] == "disk full" and stopped["file"] in ("audio.flac", "force.csv")
    assert stopped["t_s"] == pytest.approx(ses.force.t_s[-1], abs=1e-6)
