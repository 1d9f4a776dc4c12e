"""The trainer's scale labels read whole and agree with their titles: the top tick label of a
plot was cut in half by the plot's edge ("700" on the HVLA tab, "150" on the force plot); the
time axis titled "seconds before now" counted -9 ... -1; the audio strip crammed 0.0-1.0 into
70 px with both ends cut and no unit."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from analysis.chunk import Chunk
from ui.trainer.engine import Engine
from ui.trainer.window import TrainerWindow

from .conftest import ARTIFACTS, DEMO, Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _labels(plot, side: str) -> list[tuple[str, QRectF]]:
    """The tick labels an axis draws, each with its place in the plot widget's pixels."""
    axis = plot.getPlotItem().getAxis(side)
    img = QImage(10, 10, QImage.Format.Format_ARGB32)
    p = QPainter(img)
    try:
        _, _, texts = axis.generateDrawSpecs(p)
    finally:
        p.end()
    return [(text, plot.mapFromScene(axis.mapRectToScene(rect)).boundingRect().toRectF()) for rect, _, text in texts]


def _window(qtbot, size=(1366, 768)):
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    return win, eng


@pytest.mark.parametrize("size", [(1366, 768), (1024, 600)])
def test_every_tick_label_is_whole(qtbot, size):
    win, eng = _window(qtbot, size)
    feed = Feeder(eng, win, DEMO)
    feed.until(20.0)
    rate = 16000                          # a second of sound: the audio strip shows
    t = 19.0 + np.arange(rate) / rate
    eng.feed(Chunk(t, 0.3 * np.sin(2 * np.pi * 200 * t), 0, "audio", rate))
    win.refresh()
    qtbot.wait(20)
    plots = {"force": win.force_plot, "audio": win.audio_strip, "thrusts": win.thrust_panel.plot}
    assert win.audio_strip.isVisible()
    tops = {}
    for name, plot in plots.items():
        whole = QRectF(plot.rect())
        for side in ("left", "bottom"):
            if not plot.getPlotItem().getAxis(side).isVisible():
                continue
            labels = _labels(plot, side)
            assert labels, (name, side)
            for text, rect in labels:
                assert whole.contains(rect), (name, side, text, rect, whole)
        left = _labels(plot, "left")
        tops[name] = max(left, key=lambda tr: -tr[1].top())[0]
    if size == (1366, 768):               # the top of each scale, at the plot's edge, drawn whole
        assert tops == {"force": "150", "audio": "100", "thrusts": "700"}
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / f"trainer_axis_labels_{size[0]}.png"))


def test_seconds_before_now_count_up_from_now(qtbot):
    win, eng = _window(qtbot)
    Feeder(eng, win, DEMO).until(20.0)
    axis = win.force_plot.getPlotItem().getAxis("bottom")
    assert axis.labelText == "seconds before now"
    texts = [t for t, _ in sorted(_labels(win.force_plot, "bottom"), key=lambda tr: tr[1].left())]
    numbers = [float(t) for t in texts]
    assert min(numbers) >= 0 and numbers == sorted(numbers, reverse=True)     # 9 8 ... 1 from left to right
    assert "9" in texts and "-9" not in texts


def test_the_audio_strip_has_a_unit_and_room(qtbot):
    win, _ = _window(qtbot)
    axis = win.audio_strip.getPlotItem().getAxis("left")
    assert (axis.labelText, axis.labelUnits) == ("audio", "%")       # per cent of full scale
    assert [t for t, _ in _labels(win.audio_strip, "left")] == ["0", "50", "100"]
