"""A capture's lines given without their line ends (``parse_capture(text.splitlines())``, as its
docstring allows): only the last line may be torn and left out; a line that does not read with
others after it is the one-line error naming the file and the line. Such a line anywhere was
taken for a torn last line, and every notification after it was dropped without a word (4 of
652 kept)."""

from __future__ import annotations

import pytest

from analysis.errors import InputError
from firmware_bridge.ble_capture import parse_capture
from tests.conftest import ROOT

CAP = ROOT / "fixtures" / "ble" / "nus_timed_grade2.jsonl"


@pytest.mark.parametrize("as_bytes", [False, True])
def test_a_garbled_line_before_the_last_is_an_error_naming_it(as_bytes):
    lines = CAP.read_text().splitlines()
    lines[5] = '{"t_host_s": x'
    given = [x.encode() for x in lines] if as_bytes else lines
    with pytest.raises(InputError) as e:
        parse_capture(given, "cap.jsonl")
    assert str(e.value).startswith("cap.jsonl:6: not a JSON object ('{\"t_host_s\": x')"), e.value


def test_bytes_that_are_not_utf8_before_the_last_line_are_an_error_naming_it():
    lines = CAP.read_bytes().splitlines()
    lines[5] = b'{"t_host_s": \xff'
    with pytest.raises(InputError) as e:
        parse_capture(lines, "cap.jsonl")
    assert str(e.value).startswith("cap.jsonl:6: not UTF-8 text"), e.value


def test_only_the_torn_last_line_is_left_out():
    lines = CAP.read_text().splitlines()
    whole = len(parse_capture(lines, "cap.jsonl")[1])
    lines[-1] = lines[-1][:20]
    _, records = parse_capture(lines + ["", "  "], "cap.jsonl")
    assert len(records) == whole - 1 == 651 and records.torn == len(lines)
