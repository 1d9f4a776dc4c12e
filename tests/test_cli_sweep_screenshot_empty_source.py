"""An empty --replay or --device for screenshot (an unset variable in a script) is one line naming
the option and exit 2; it was a traceback (AttributeError, TypeError on None)."""

from __future__ import annotations

import pytest

from tests.conftest import gc


@pytest.mark.parametrize("option, line", [
    ("--replay", "gradecoach: error: --replay: give a session folder, .csv or audio file"),
    ("--device", "gradecoach: error: --device: give a device, e.g. emulator:mixed, serial:/dev/ttyACM0 or file:PATH"),
])
def test_an_empty_source_is_one_line(tmp_path, option, line):
    r = gc("screenshot", option, "", "--at", "1", "-o", tmp_path / "shot.png")
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == [line]
    assert not (tmp_path / "shot.png").exists()
