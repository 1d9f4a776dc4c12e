"""Ctrl-C in the first second of a command, while it is still loading its modules, stops it
quietly (exit 130); it printed a traceback ending in KeyboardInterrupt, or in scipy's
'ImportError: initialization failed' when it landed in a compiled module's loading."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("after_s", [0.15, 0.3, 0.45, 0.6, 0.9])
def test_ctrl_c_while_a_command_starts_is_no_traceback(tmp_path, after_s):
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:grade3",
                             "--out", str(tmp_path / "s"), "--duration", "30"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(after_s)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
    assert proc.returncode in (0, 130, -signal.SIGINT), (proc.returncode, err)
