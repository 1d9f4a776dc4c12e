"""A worn IMU alone, a thrust made while its filters settle, with the microphone's pops: the
"IMU settling: movement approximate" label on the movement plot stays clear of the trace. On a
1024x600 window it was drawn from the settling span's left edge rightwards, over the thrust's
peak just after the span (from 5 s into the recording on), and 7 px past the plot's right edge
at 5 s."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from firmware_bridge.session import SessionMeta, SessionWriter
from ui.cli import main

from .conftest import ARTIFACTS, Feeder, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _imu_alone_with_sound(tmp_path):
    """A session folder of a worn IMU alone (500 Hz) and a room microphone (16 kHz): three
    thrusts, the first at 3.1 s while the IMU's filters settle (its first 3 s), with pops."""
    assert main(["simulate", "--grade", "V", "--sets", "3", "--imu", "500", "--audio", "16000", "--seed", "2",
                 "-o", str(tmp_path / "v.csv")]) == 0
    d = np.loadtxt(tmp_path / "v.imu.csv", delimiter=",", skiprows=1)
    sound, rate = sf.read(str(tmp_path / "v.flac"), dtype="float32", always_2d=True)
    folder = tmp_path / "worn"
    w = SessionWriter(folder, SessionMeta(trainee="ben"), imu=True, force=False)
    w.append_imu(d[:, 0], d[:, 1:])
    w.append_audio(np.arange(len(sound)) / rate, sound, rate)
    w.close()
    return folder


def _trace_in_scene(plot) -> tuple[np.ndarray, np.ndarray]:
    """The movement's points as drawn (its settled and its faint parts), in scene pixels."""
    vb = plot.getPlotItem().getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    r = vb.sceneBoundingRect()
    xs, ys = [], []
    for item in (plot.trace, plot.unsettled):
        x, y = item.getOriginalDataset()
        if x is not None:
            xs.append(r.left() + (x - x0) / (x1 - x0) * r.width())
            ys.append(r.top() + (y1 - y) / (y1 - y0) * r.height())
    return np.concatenate(xs), np.concatenate(ys)


def _segments_under(rect, px: np.ndarray, py: np.ndarray) -> int:
    """How many of the trace's segments pass through ``rect`` (each one's span of heights
    between its two points; a NaN breaks the line)."""
    a, b = px[:-1], px[1:]
    lo, hi = np.fmin(py[:-1], py[1:]), np.fmax(py[:-1], py[1:])
    across = (np.fmax(a, b) >= rect.left()) & (np.fmin(a, b) <= rect.right())
    return int(np.count_nonzero(across & (hi >= rect.top()) & (lo <= rect.bottom())))


def test_the_imu_settling_label_stays_clear_of_a_thrust_made_while_the_imu_settles(qtbot, tmp_path):
    size = (1024, 600)
    folder = _imu_alone_with_sound(tmp_path)
    win, eng = thrust_tab_window(qtbot)
    win.resize(*size)
    qtbot.waitUntil(lambda: win.width() == size[0])
    feed = Feeder(eng, win, folder)
    plot = win.force_plot
    vb = plot.getPlotItem().getViewBox()
    ARTIFACTS.mkdir(exist_ok=True)
    for t in (4.0, 5.0, 6.0, 7.0):
        feed.until(t)
        qtbot.wait(10)
        assert eng.imu_only and plot.settle_label.isVisible(), t
        label = plot.settle_label.sceneBoundingRect()
        hit = _segments_under(label, *_trace_in_scene(plot))
        assert hit == 0, (t, size, hit, label)
        assert vb.sceneBoundingRect().adjusted(-1, -1, 1, 1).contains(label), (t, size, label)
        if t == 6.0:                # the thrust (its pops along the top) 3 s before now, just after the span
            assert plot.drawn["pops"] >= 1 and eng.thrusts
            win.grab().save(str(ARTIFACTS / f"visual_sweep_imu_settling_{size[0]}x{size[1]}.png"))
