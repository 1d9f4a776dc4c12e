"""The trainer draws its frames while the acquisition thread feeds the engine: the pops, gaps and
other events the window reads are taken under the engine's lock. The frame read the pops with
no lock and stopped the trainer with "deque mutated during iteration" when a pop was heard as a
frame was drawn."""

from __future__ import annotations

import sys
import threading

import pytest

from analysis.events import CavitationEvent, GapEvent

from .conftest import REPO, Feeder, thrust_tab_window, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_frames_drawn_while_pops_and_gaps_come_in(qtbot):
    win, eng = thrust_tab_window(qtbot, *schemes())
    Feeder(eng, win, REPO / "fixtures" / "thrust_lumbar.csv").until(4.5)
    assert eng.thrusts
    last = eng.thrusts[-1]
    stop = threading.Event()

    def hear():                                   # pops and gaps as the acquisition thread keeps them
        k = 0
        while not stop.is_set():
            with eng.lock:
                eng.pops.append(CavitationEvent(last.t_peak, -20.0, thrust=last.index))
                eng.gaps.append(GapEvent(1.0, 1.1, "force", "dropout"))
                if len(eng.gaps) > 50:
                    del eng.gaps[:25]
                eng.disabled[f"s{k % 7}"] = "off"
                if k % 7 == 6:
                    eng.disabled.clear()
            k += 1

    old = sys.getswitchinterval()
    # (threads take turns every 0.1 ms, which catches a read without the lock in every run; not
    # every microsecond: on a loaded machine each turn waits for a core, and 150 frames once ran past 280 s)
    sys.setswitchinterval(1e-4)
    th = threading.Thread(target=hear, daemon=True)
    th.start()
    try:
        for _ in range(60):
            win.refresh()
    finally:
        stop.set()
        th.join(5)
        sys.setswitchinterval(old)
    assert win.frames >= 60
