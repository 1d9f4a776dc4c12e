"""A timed recording (``gradecoach record --duration``) whose device goes away ends on time.

The emulator runs as its own process (``gradecoach emulate``) on a real pseudo-terminal and is
killed, or frozen, once the recording has data. The serial source holds its first second back
(so a start-up burst does not set the device clock): the duration and its grace are counted on
the recording's timeline, not from when that first data was handed over, and a loss at the end
is marked as a gap up to the duration's end, not past it; a device that goes silent with its port open
is said after 2 s and marked alike.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import new_meta, record
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import SessionWriter, open_session

ROOT = Path(__file__).resolve().parents[2]
SCHEME = GradingScheme(40, 120)
DURATION_S = 4.0
SAMPLES_BEFORE_S = 1500          # recorded before the device goes away (1.5 s at 1 kHz)


def start_emulator(link: Path) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", "emulate", "--link", str(link), "--scenario", "grade3",
                          "--rate", "1000"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not link.exists():
        assert p.poll() is None and time.monotonic() < deadline, "the emulator did not start"
        time.sleep(0.05)
    return p


@pytest.mark.parametrize("how", ["killed", "frozen"])
def test_a_timed_recording_ends_within_its_grace_of_the_duration_on_the_timeline(tmp_path, how):
    link = tmp_path / "lost.pty"
    em = start_emulator(link)
    src = SerialSource(str(link))
    w = None
    try:
        src.open()
        w = SessionWriter(tmp_path / "sess", new_meta(src, SCHEME))
        gone: dict[str, float] = {}

        def device_goes_away() -> bool:
            if not gone and w.n_force >= SAMPLES_BEFORE_S:
                em.send_signal(signal.SIGTERM if how == "killed" else signal.SIGSTOP)
                gone["at"] = src.now_s()
            return src.now_s() > 60.0               # (only so that a hang fails instead)

        res = record(src, w, SCHEME, duration_s=DURATION_S, stop=device_goes_away)
        ended_s = src.now_s()                       # on the timeline (seconds since the port opened)
    finally:
        src.close()
        if w is not None:
            w.close()
        if em.poll() is None:
            os.kill(em.pid, signal.SIGCONT)
            em.terminate()
        em.wait(10)
    s = open_session(tmp_path / "sess")
    t_first = float(s.force.t_s[0])
    assert gone and s.force.t_s[-1] < gone["at"] + 0.2            # nothing came after it went away
    t_stop = t_first + DURATION_S
    late_s = ended_s - t_stop
    # lost (killed), or connected but silent (frozen: said after 2 s and marked as a gap, as an
    # unplug is): nothing more can come, so it ends with the duration (killed, it ended 3.0 s late)
    assert 0.0 <= late_s < 0.5, late_s
    (gap,) = s.meta.gaps
    assert gap["reason"] == "disconnected" and res.lost_at_s == gap["t_start"]
    assert gap["t_start"] <= s.force.t_s[-1] + 0.2
    # the gap fills the recording up to its duration, and not past it (it ran to 13.0 s of 10)
    assert gap["t_end"] == pytest.approx(t_stop, abs=1e-5)
    (ev,) = [e for e in s.events if e["type"] == "gap"]
    assert ev["t_end"] == pytest.approx(t_stop, abs=1e-5)
