"""``gradecoach record`` killed with SIGKILL: the session opens, with a warning, and has its data.

The recorder flushes at least once a second, so at most the last second before the kill is lost.
The kill is timed by the recorder's own status line (samples written so far), not by a sleep.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.session import open_session

ROOT = Path(__file__).resolve().parents[2]
RATE_HZ = 1000


def test_sigkill_during_record_leaves_a_session_that_opens_with_all_but_the_last_second(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", RATE_HZ)
    em.start()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", "record", "--device", f"serial:{tmp_path / 's.pty'}",
                          "--out", str(tmp_path / "sess"), "--r1", "40", "--r2", "120", "--target", "III",
                          "--trainee", "Anna"],
                         cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        seen, graded_at = 0, None
        deadline = time.monotonic() + 60
        # run until a graded cycle has been out for over a second, then kill
        while (graded_at is None or seen < max(3000, graded_at + 1500)) and time.monotonic() < deadline:
            line = p.stderr.readline()
            assert line, "record ended early"
            m = re.search(r"samples (\d+) .*last grade (\S+)", line)
            if m:
                seen = int(m.group(1))
                if graded_at is None and m.group(2) != "–":
                    graded_at = seen
        p.send_signal(signal.SIGKILL)
        p.wait(10)
    finally:
        if p.poll() is None:
            p.kill()
        p.stderr.close()
        em.stop()
    assert graded_at is not None and seen >= 3000
    s = open_session(tmp_path / "sess")
    assert any("unfinished (still recording, or cut off)" in w for w in s.warnings)
    assert s.meta.r1_n == 40 and s.meta.target == "III" and s.meta.trainee == "Anna"
    # everything up to about a second before the kill is on disk, whole rows, in order
    assert len(s.force.t_s) >= seen - 1.2 * RATE_HZ
    assert np.all(np.diff(s.force.t_s) > 0) and np.isfinite(s.force.values).all()
    assert any(e["type"] == "cycle" for e in s.events)
