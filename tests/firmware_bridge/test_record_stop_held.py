"""A recording stopped while the serial source still holds samples back keeps them.

The serial source holds a device's first second back while its clock settles, at the start and
again after a reconnect. A recording stopped within it (Ctrl-C, the end of --duration) left
those samples out: nothing the device sent before the stop may be lost. The emulator runs on a
real pseudo-terminal; the stops are driven by the device's own sample count.
"""

from __future__ import annotations

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.recorder import first_chunks, new_meta, record
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import SessionWriter, open_session
from tests.conftest import pty_recording

SCHEME = GradingScheme(40, 120)
IN_FLIGHT = 30          # samples the device may have taken but not yet written when it is stopped (1 kHz)


def test_a_recording_stopped_in_the_devices_first_second_keeps_what_it_sent(tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000)
    em.start()
    src = SerialSource(str(em.link))
    src.open()
    stopped = {}

    def ctrl_c() -> bool:
        if not stopped and em.sent >= 500:
            stopped["sent"] = em.sent
        return bool(stopped)

    try:
        pending = first_chunks(src, 5.0, stop=ctrl_c)       # as 'gradecoach record' waits for the first data
        w = SessionWriter(tmp_path / "sess", new_meta(src, SCHEME))
        res = record(src, w, SCHEME, pending=pending, stop=ctrl_c)
        w.close()
    finally:
        src.close()
        em.stop()
    # stopped half a second in: it said 'nothing recorded' (0 of about 500 samples)
    t = open_session(tmp_path / "sess").force.t_s
    assert res.samples == len(t) >= stopped["sent"] - IN_FLIGHT and (np.diff(t) > 0).all()


def test_a_recording_stopped_within_a_second_of_a_reconnect_keeps_what_the_device_sent_since(tmp_path):
    state: dict[str, int] = {}
    with pty_recording(tmp_path, "grade3", 1000, SCHEME, speed=2.0) as (em, src, w):

        def stop() -> bool:
            if "away" not in state and em.sent >= 2000:
                em.unplug()
                state["away"] = em.sent
            elif "away" in state and "plugged" not in state and em.sent >= state["away"] + 1000:
                em.open_pty()
                state["plugged"] = em.sent
            elif "plugged" in state and "back" not in state and src.stats.reconnects:
                state["back"] = em.sent                 # the port is open again: what comes now is kept
            elif "back" in state and "stop" not in state and em.sent >= state["back"] + 400:
                state["stop"] = em.sent                 # 0.4 s after: the source still holds all of it
            return "stop" in state

        record(src, w, SCHEME, stop=stop)
    s = open_session(tmp_path / "sess")
    (gap,) = s.meta.gaps
    t = s.force.t_s
    after = t[t >= gap["t_end"]]
    # the 400 samples (and more) sent since the port was found again: none were recorded
    assert len(after) >= state["stop"] - state["back"] - IN_FLIGHT, (len(after), state)
    assert (np.diff(t) > 0).all() and len(t[t <= gap["t_start"]]) >= state["away"] - IN_FLIGHT
