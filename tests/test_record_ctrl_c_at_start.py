"""Ctrl-C while ``gradecoach record`` starts (the analysis loading, the device being opened: seconds
on a busy machine), before any sample, says in one line that nothing was recorded and leaves no
folder; it ended the program with status 130 and said nothing."""

from __future__ import annotations

import os
import signal

import ui.cmd_record
from tests._cli_in_process import gc_in_process


def test_ctrl_c_while_the_device_is_opened_says_nothing_was_recorded(tmp_path, capsys, monkeypatch):
    real = ui.cmd_record.open_source

    def pressed_meanwhile(spec):
        os.kill(os.getpid(), signal.SIGINT)        # (Ctrl-C, as the emulator's practice is built)
        return real(spec)

    monkeypatch.setattr(ui.cmd_record, "open_source", pressed_meanwhile)
    out = tmp_path / "e3"
    r = gc_in_process(capsys, "record", "--device", "emulator:grade4", "--out", out)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "stopped before emulator:grade4 was opened; nothing recorded\n" and r.stderr == ""
    assert not out.exists()


def test_ctrl_c_while_record_loads_says_nothing_was_recorded(monkeypatch, capsys, tmp_path):
    """A Ctrl-C in record's first moments, while its modules load (numpy, scipy: a second on a
    busy machine), ended it with status 130 and not a word."""
    import ui.cli

    def loading(argv):
        raise KeyboardInterrupt
    monkeypatch.setattr(ui.cli, "_parse", loading)
    assert ui.cli.main(["record", "--device", "emulator:grade4", "--out", str(tmp_path / "s")]) == 130
    assert capsys.readouterr().err == "gradecoach: stopped while starting; nothing recorded\n"
    assert not (tmp_path / "s").exists()
