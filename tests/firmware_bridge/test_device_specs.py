"""A device spec a user can mistype is one line naming the spec, from the command line and from
the trainer's source dialog alike (both build sources with ``open_source``), never a traceback
or an attempt to allocate gigabytes."""

from __future__ import annotations

import pytest

from analysis.errors import GradecoachError
from firmware_bridge.sources import open_source
from ui.cli import main

BAD = {
    "emulator:grade9": "unknown scenario",
    "emulator:grade2@abc": "not a number",
    "emulator:grade2@0": "more than 0",
    "emulator:grade2@-5": "more than 0",
    "emulator:grade2@nan": "more than 0",
    "emulator:grade2@1e9": "at most 4000 Hz",
    "file:": "give a recording",
    "serial:/dev/ttyS0@0": "must be positive",
    "serial:/dev/ttyS0@-9600": "must be positive",
}


@pytest.mark.parametrize("spec", list(BAD))
def test_a_bad_device_spec_is_one_line_naming_it(spec):
    with pytest.raises(GradecoachError) as e:
        open_source(spec)
    assert str(e.value).startswith(spec) and BAD[spec] in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("spec", ["emulator:grade2@abc", "emulator:grade2@1e9", "serial:/dev/ttyS0@-9600"])
def test_record_says_so_in_one_line_before_making_the_folder(spec, tmp_path, capsys):
    assert main(["record", "--device", spec, "--out", str(tmp_path / "sess"), "--duration", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and spec in err[0] and "Traceback" not in err[0]
    assert not (tmp_path / "sess").exists()


def test_a_good_emulator_spec_with_a_rate_still_works():
    src = open_source("emulator:hvla@80")
    assert src.rate_hz == 80 and src.scenario == "hvla"
