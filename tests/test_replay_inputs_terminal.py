"""replay /dev/stdin at a terminal waited for typing; it is one line, as --audio's is."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def test_replay_of_standard_input_at_a_terminal_is_one_line():
    master, slave = os.openpty()
    try:
        r = subprocess.run([sys.executable, "-m", "ui.cli", "replay", "/dev/stdin"], stdin=slave, cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == ["gradecoach: error: /dev/stdin: a terminal, not a recording; send one into it "
                                     "(< force.csv) or give its file"]
