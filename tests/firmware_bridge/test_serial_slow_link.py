"""Samples lost because the link is too slow for the sample rate (a 1 kHz sensor on a 9600-baud
UART, or lines at 1 kHz on 115200 baud) are said to be that, with the baud rate that carries
them; record gave only '5040 samples lost in 100 gaps in all'. Losses of another kind (frames
the device itself loses) get no such hint."""

from __future__ import annotations

import time

import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import record
from tests.conftest import pty_recording

SCHEME = GradingScheme(40, 120)


def _said(tmp_path, seconds: float, **emulator) -> tuple[list[str], str]:
    said: list[str] = []
    t0 = time.monotonic()
    with pty_recording(tmp_path, "grade3", 1000, SCHEME, **emulator) as (em, src, w):
        record(src, w, SCHEME, stop=lambda: time.monotonic() - t0 >= seconds, notice=said.append)
        return said, src.spec


@pytest.mark.parametrize("line, baud, carried, enough", [(False, 9600, 9600, 115200), (True, 115200, 115200, 230400)],
                         ids=["binary-9600", "lines-115200"])
def test_losses_of_a_link_too_slow_name_the_baud_rate_to_use(tmp_path, line, baud, carried, enough):
    said, spec = _said(tmp_path, 5.0, line=line, baud=baud)
    (hint,) = [m for m in said if "too slow" in m]
    assert hint.startswith(f"{spec}: the samples lost match a link too slow for 1000 Hz")
    assert f"at {carried} baud" in hint and f"to {enough} or more" in hint
    assert [m for m in said if "lost in" in m]          # the losses are still told


def test_frames_the_device_loses_are_no_slow_link(tmp_path):
    said, _ = _said(tmp_path, 4.0, lose_frames=frozenset(range(0, 100000, 4)))
    assert [m for m in said if "lost" in m]
    assert not [m for m in said if "too slow" in m or "baud" in m]
