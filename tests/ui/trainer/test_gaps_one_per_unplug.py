"""One hole in the data is one gap in the trainer's list and one shaded span on its force plot.
A serial sensor unplugged and plugged back (the emulator on a real pseudo-terminal) is one
'disconnected' gap: the list held the source's 'disconnected' and the analysis's 'dropout' of the
same span, and the plot shaded it twice."""

from __future__ import annotations

import numpy as np
import pytest

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from .conftest import Feeder, schemes, unplug_for

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_an_unplug_is_one_gap_and_one_shaded_span(qtbot, tmp_path):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000)
    em.start()
    eng = Engine(*schemes())
    worker = AcquisitionWorker(SerialSource(str(em.link)), eng)
    win = TrainerWindow(eng, worker)
    qtbot.addWidget(win)
    win.show()
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.force.last_t is not None and eng.force.last_t > 1.0, timeout=30_000)
        unplug_for(qtbot, em, eng, 1500)     # 1.5 s away
        qtbot.waitUntil(lambda: eng.disconnected is None and eng.force.last_t is not None
                        and any(g.t_end < eng.force.last_t - 1.0 for g in eng.gaps), timeout=30_000)
        win.refresh()
    finally:
        worker.stop()
        win.close()
        em.stop()
    # (on a busy machine the in-process emulator may also drop a frame: a short gap of its own)
    long_gaps = [g for g in eng.gaps if g.t_end - g.t_start >= 1.0]
    assert [g.reason for g in long_gaps] == ["disconnected"]
    (gap,) = long_gaps
    plot = win.force_plot
    shaded = [r.getRegion() for r in plot.gap_items if r.isVisible()]
    over = [(a, b) for a, b in shaded if a <= gap.t_end - plot.t_now and b >= gap.t_start - plot.t_now]
    assert over == [pytest.approx((gap.t_start - plot.t_now, gap.t_end - plot.t_now))]


def test_a_hole_in_force_and_imu_alike_is_one_gap_and_one_shaded_span(qtbot, tmp_path):
    """A recording of force and a worn IMU with one hole in both (file:x.csv beside x.imu.csv):
    the force's and the IMU's dropouts of it are one gap; they were two, shaded one over the other."""
    t = np.arange(0.0, 12.0, 0.001)
    t = t[(t < 5.0) | (t >= 6.5)]                        # 1.5 s without any sample
    f = 60 + 30 * np.sin(2 * np.pi * 1.5 * t)
    np.savetxt(tmp_path / "x.csv", np.column_stack([t, f]), fmt="%.4f", delimiter=",", header="t_s,force_n",
               comments="")
    ti = t[::10]                                          # the IMU at 100 Hz
    imu = np.column_stack([ti, 0.3 * np.sin(2 * np.pi * 1.5 * ti), 0 * ti, 9.81 + 0 * ti, 0 * ti, 0 * ti, 0 * ti])
    np.savetxt(tmp_path / "x.imu.csv", imu, fmt="%.4f", delimiter=",",
               header="t_s,ax_mps2,ay_mps2,az_mps2,gx_rads,gy_rads,gz_rads", comments="")
    eng = Engine(*schemes(), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    Feeder(eng, win, tmp_path / "x.csv").until(12.0)
    assert [(round(g.t_start, 1), round(g.t_end, 1)) for g in eng.gaps] == [(5.0, 6.5)]
    plot = win.force_plot
    assert len([r for r in plot.gap_items if r.isVisible()]) == 1


def test_data_from_before_a_loss_handed_over_after_it_does_not_end_its_gap(qtbot, tmp_path):
    """A serial device lost in its first second hands over the blocks it held back from before the
    loss after the loss is told: the gap stays open until data from after the loss come, so the
    trainer shows and records the unplug as its whole span. It was a gap of no length, closed by
    those late blocks, and the list held it beside the analysis's 'dropout' of the whole span."""
    from analysis.chunk import Chunk
    from firmware_bridge.session import open_session
    from firmware_bridge.sources import Notice

    def chunk(t0, t1):
        t = np.arange(t0, t1, 0.001)
        return Chunk(t, 60 + 30 * np.sin(2 * np.pi * 1.5 * t), int(round(t0 * 1000)), "force", 1000.0)

    eng = Engine(*schemes(), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False, record_root=tmp_path / "rec")
    qtbot.addWidget(win)
    win.show()
    eng.feed(chunk(0.0, 0.8))
    win.start_recording()
    eng.notice(Notice("disconnected", "serial:x: connection lost", 1.0))
    eng.feed(chunk(0.8, 1.0))                        # held back from before the loss
    eng.notice(Notice("reconnected", "serial:x: back"))
    eng.feed(chunk(4.0, 8.0))
    win.refresh()
    (gap,) = eng.gaps
    assert gap.reason == "disconnected" and (gap.t_start, gap.t_end) == pytest.approx((1.0, 4.0), abs=0.002)
    assert len([r for r in win.force_plot.gap_items if r.isVisible()]) == 1
    ses = open_session(win.stop_recording())
    assert [(round(g["t_end"] - g["t_start"], 3), g["reason"]) for g in ses.meta.gaps] == [(3.0, "disconnected")]
