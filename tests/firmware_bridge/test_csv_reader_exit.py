"""A program that stops with an error soon after reading a CSV exits with its own code, not an abort.

pyarrow's threaded CSV reader lets go of its input on one of its own threads after the table is
handed back. An input buffer over a Python object needs the GIL to be let go of: when the
interpreter was already shutting down, that thread was stopped inside a destructor and the
process aborted ("terminate called without an active exception", exit 134): 9 of 30 runs of
``gradecoach screenshot`` with ``--at`` past the recording's end.

The program below widens that window the same way every time: it holds the GIL after the read
(no thread switch, a busy wait), then exits with 2 as the command line does on an error, and
one object it leaves lets go of the GIL while the interpreter shuts down. Before the fix 26 of
60 such runs aborted (SIGABRT).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNS = 10

PROGRAM = r"""
import sys, time
sys.setswitchinterval(10)                 # the reading thread keeps the GIL unless it waits
from firmware_bridge.session import read_force_csv


class LetsGoAtExit:
    def __del__(self):
        time.sleep(0.02)                  # hands the GIL on while the interpreter shuts down


kept = LetsGoAtExit()
d = read_force_csv(sys.argv[1])
assert len(d.t_s) > 1000                  # (read at pyarrow's speed, not row by row)
t0 = time.perf_counter()
while time.perf_counter() - t0 < 0.05:
    pass
sys.exit(2)                               # (a message written here would hand the GIL on in time)
"""


def test_an_error_soon_after_a_csv_read_exits_with_2_every_time():
    csv = ROOT / "fixtures" / "lumbar_grade3.csv"
    assert csv.stat().st_size > 100_000
    codes, aborts = [], []
    for _ in range(RUNS):
        p = subprocess.run([sys.executable, "-c", PROGRAM, str(csv)], cwd=ROOT, capture_output=True, text=True,
                           timeout=60)
        codes.append(p.returncode)
        if "terminate called" in p.stderr or "Abort" in p.stderr or "core dumped" in p.stderr:
            aborts.append(p.stderr)
    assert codes == [2] * RUNS, f"exit codes {codes}"
    assert not aborts
