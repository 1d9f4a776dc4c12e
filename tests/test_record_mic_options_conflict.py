"""``gradecoach record`` given --audio and --mic (the trainer's name for it) naming different
microphones refuses in one line naming both: it recorded with the last one, silently."""

from __future__ import annotations

import pytest

from tests._cli_in_process import gc_in_process


@pytest.mark.parametrize("given, said", [
    (["--audio", "none", "--mic", "default"], "--audio none and --mic default"),
    (["--mic", "default", "--audio", "none"], "--mic default and --audio none"),
])
def test_two_microphones_named_are_refused_in_one_line(tmp_path, capsys, given, said):
    out = tmp_path / "x"
    r = gc_in_process(capsys, "record", "--device", "emulator:grade4", "--out", out, "--duration", "0.3", *given)
    assert r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1, r.stderr
    assert said in r.stderr and "give one of them" in r.stderr
    assert not out.exists()


def test_the_same_microphone_under_both_names_is_recorded(tmp_path, capsys):
    out = tmp_path / "y"
    r = gc_in_process(capsys, "record", "--device", "emulator:grade4", "--out", out, "--duration", "0.3",
                      "--audio", "none", "--mic", "none", "--quiet")
    assert r.returncode == 0 and r.stdout.startswith("recorded "), r.stderr
