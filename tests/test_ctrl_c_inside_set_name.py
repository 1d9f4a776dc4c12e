"""Ctrl-C while a command's modules load, landing inside a dataclass being made: Python wraps the
KeyboardInterrupt in "RuntimeError: Error calling __set_name__", and that ended in a traceback
instead of status 130."""

from __future__ import annotations

import os
import signal
import time

import ui.cli as cli


def test_a_ctrl_c_wrapped_in_another_error_while_loading_ends_with_130(monkeypatch, capsys):
    def parse(argv):
        try:
            os.kill(os.getpid(), signal.SIGINT)       # (the handler main put in place raises here)
            time.sleep(1.0)
        except KeyboardInterrupt as k:
            raise RuntimeError("Error calling __set_name__ on '_HAS_DEFAULT_FACTORY_CLASS'") from k
        raise AssertionError("no Ctrl-C came")

    monkeypatch.setattr(cli, "_parse", parse)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)     # (as a program has it)
    try:
        assert cli.main(["replay", "x.csv"]) == 130
    finally:
        signal.signal(signal.SIGINT, before)
    assert "Traceback" not in capsys.readouterr().err
