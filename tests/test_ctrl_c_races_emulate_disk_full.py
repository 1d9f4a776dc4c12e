"""``emulate --truth`` on a disk that filled up while it ran: the truth cannot be written when it
stops, which is one line after its 'sent' line (exit status 2); it was an OSError traceback."""

from __future__ import annotations

import os
import signal
import time

from firmware_bridge.emulator import truth_end_s
from tests.conftest import fill_disk


def test_a_truth_file_the_full_disk_refuses_is_one_line(tmp_path, small_disk, monkeypatch, capsys):
    import ui.cmd_emulate as cmd
    from ui.cli import main

    class Stopped(cmd.PtyEmulator):
        def start(self):
            super().start()
            deadline = time.monotonic() + 30
            # (its first event sent whole: the truth holds no event the sensor did not send)
            while not self.t_last_s or not any(truth_end_s(e) <= self.t_last_s for e in self.truth):
                assert time.monotonic() < deadline
                time.sleep(0.01)
            fill_disk(small_disk, leave=0)
            os.kill(os.getpid(), signal.SIGINT)     # Ctrl-C

    monkeypatch.setattr(cmd, "PtyEmulator", Stopped)
    link, truth = tmp_path / "sensor.pty", small_disk / "truth.jsonl"
    before = signal.signal(signal.SIGINT, signal.default_int_handler)     # (as a program has it)
    try:
        rc = main(["emulate", "--link", str(link), "--truth", str(truth), "--speed", "50"])
    finally:
        signal.signal(signal.SIGINT, before)
    said = capsys.readouterr()
    assert rc == 2
    assert said.out.splitlines()[-1].startswith("sent ")
    assert said.err == (f"gradecoach: error: --truth {truth}: cannot be written (No space left on device); "
                        f"the ground truth of this run is lost\n")
    assert not link.is_symlink()
