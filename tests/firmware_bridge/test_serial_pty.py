"""Serial end to end on a real pseudo-terminal: emulator → pyserial → decoder → analysis → session."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.recorder import new_meta, record
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import SessionWriter, open_session

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("rate, line", [(1000, False), (2000, False), (1000, True), (2000, True)])
def test_emulator_to_recorded_session_loses_nothing_and_grades_right(tmp_path, rate, line):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", rate, line=line, speed=6)
    em.start()
    src = SerialSource(str(tmp_path / "s.pty"))
    src.open()
    seqs = []
    orig = src.read

    def spy(timeout_s=0.1):
        out = orig(timeout_s)
        seqs.extend(np.arange(c.seq0, c.seq0 + len(c)) for c in out if c.stream == "force")
        return out

    src.read = spy
    sc = GradingScheme(40, 120)
    w = SessionWriter(tmp_path / "sess", new_meta(src, sc, "test"))
    record(src, w, sc, duration_s=14.0)
    src.close()
    w.close()
    em.stop()
    seq = np.concatenate(seqs)
    assert (np.diff(seq) == 1).all() and src.stats.dropped == 0
    s = open_session(tmp_path / "sess")
    assert len(s.force.t_s) == len(seq) and s.warnings == []
    cyc = [e for e in s.events if e["type"] == "cycle"]
    truth = [e for e in em.truth if e["type"] == "cycle" and e["t_end"] < 13.5]
    assert len(cyc) >= len(truth) - 1 and {c["grade"] for c in cyc} == {"III"}


def test_unplug_and_replug_continue_the_recording_with_the_gap_marked(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade4", 1000, speed=1)
    em.start()
    src = SerialSource(str(tmp_path / "s.pty"))
    src.open()
    w = SessionWriter(tmp_path / "sess", new_meta(src, GradingScheme(40, 120)))
    t0 = time.monotonic()

    def stop():
        el = time.monotonic() - t0
        if 1.5 < el and em.master >= 0 and not getattr(stop, "done", False):
            em.unplug()
            stop.done = True
        if getattr(stop, "done", False) and em.master < 0 and el > 2.5:
            em.open_pty()
        return el > 6.0

    record(src, w, GradingScheme(40, 120), stop=stop)
    src.close()
    w.close()
    em.stop()
    s = open_session(tmp_path / "sess")
    assert src.stats.reconnects == 1
    assert len(s.meta.gaps) == 1 and s.meta.gaps[0]["t_end"] > s.meta.gaps[0]["t_start"]
    t = s.force.t_s
    assert t[0] < 1.5 and t[-1] > 5.0 and (np.diff(t) > 0).all()


def test_sigkill_during_record_leaves_a_session_that_opens(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000, speed=1)
    em.start()
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", "record", "--device", f"serial:{tmp_path / 's.pty'}",
                          "--out", str(tmp_path / "sess"), "--r1", "40", "--r2", "120"], cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(4.0)
    p.send_signal(signal.SIGKILL)
    p.wait(10)
    em.stop()
    s = open_session(tmp_path / "sess")
    assert any("did not finish" in w for w in s.warnings)
    assert s.force.t_s[-1] > 1.5          # what came more than a second before the kill is there
    assert s.meta.r1_n == 40
