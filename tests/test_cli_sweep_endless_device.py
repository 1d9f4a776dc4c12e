"""A device that never ends (/dev/urandom) given as a CSV is one line and exit 2 within a second;
replay read it until the command was stopped, its memory growing all the while."""

from __future__ import annotations

import os

import pytest

from tests.conftest import gc


@pytest.mark.skipif(not os.path.exists("/dev/urandom"), reason="no /dev/urandom here")
def test_urandom_is_refused_in_one_line():
    r = gc("replay", "/dev/urandom")
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["gradecoach: error: /dev/urandom: a device that gives data without end, "
                                     "not a CSV file"]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null here")
def test_dev_null_is_still_an_empty_file():
    r = gc("replay", "/dev/null")
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["gradecoach: error: /dev/null:1: empty file; expected a header t_s,force_n"]
