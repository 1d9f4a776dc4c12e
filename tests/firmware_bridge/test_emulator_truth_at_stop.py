"""``emulate --truth`` stopped part way through a scenario holds only the events the sensor sent.

The truth of a whole scenario pass was written up front: stopped by SIGTERM 68.4 s in, the file's
last cycle ended at 86.96 s, and a recording compared with it counted cycles never sent as missed.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from firmware_bridge.scenarios import scenario_signal

ROOT = Path(__file__).resolve().parents[2]
RATE_HZ, SPEED = 1000.0, 20.0


def test_a_truth_written_at_sigterm_ends_with_the_last_sample_sent(tmp_path):
    truth = tmp_path / "truth.jsonl"
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", "emulate", "--link", str(tmp_path / "e.pty"),
                          "--scenario", "grade3", "--rate", f"{RATE_HZ:g}", "--speed", f"{SPEED:g}",
                          "--truth", str(truth)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        assert p.stdout.readline().startswith("emulating")
        time.sleep(0.6)                         # about 12 s of a 30 s scenario pass
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
            p.communicate()
    assert p.returncode == 0 and "Traceback" not in err, err
    sent = int(re.search(r"sent (\d+) samples", out).group(1))
    last_s = (sent - 1) / RATE_HZ                # device time of the last sample sent
    cycles = [json.loads(x) for x in truth.read_text().splitlines()]
    assert cycles, "the cycles it sent are kept"
    assert max(c["t_end"] for c in cycles) <= last_s
    # and none it sent whole is left out (within the scenario's first pass, seed 0)
    t, _, whole = scenario_signal("grade3", RATE_HZ, 0)
    if last_s < t[-1]:
        assert cycles == [json.loads(json.dumps(e)) for e in whole if e["t_end"] <= last_s]
