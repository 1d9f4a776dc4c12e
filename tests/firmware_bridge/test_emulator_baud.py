"""An emulator limited to a UART's baud rate still answers the host's commands once it streams
(its answers wait behind the samples in the UART, as a real board's do), so the host learns
what it is and its calibration. Through a real pseudo-terminal and pyserial."""

from __future__ import annotations

import time

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource, probe


def test_a_baud_limited_emulator_answers_identify_while_streaming(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000, baud=115200)
    em.start()
    try:
        deadline = time.monotonic() + 30
        while em.sent < 500:                         # streaming for half a second of data time
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert probe(str(em.link), timeout_s=5.0).startswith("gradecoach binary protocol: gradecoach emulator")
        src = SerialSource(str(em.link))
        src.open()
        try:
            deadline = time.monotonic() + 30
            while "calibration" not in src.info:
                assert time.monotonic() < deadline, src.info
                src.read(0.1)
        finally:
            src.close()
    finally:
        em.stop()
    assert src.info["name"] == "gradecoach emulator" and src.info["calibration"]["r1_n"] == 40
    assert em.lost == 0                              # 1 kHz binary fits 115200 baud
