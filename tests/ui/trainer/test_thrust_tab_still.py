"""The HVLA tab is drawn again only when what it shows changes: a thrust ended and drawn whole
stays as it is while the trainee goes on, frame after frame (it was redrawn every frame, its
curves set again, at a cost to the window's thread: the analysis shares the interpreter with
it), and the next thrust, and its pops, are drawn at once.

The thrust fixture with its sound: thrusts with 4, 1, 2, 0, 2 and 4 pops."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject

from ui.trainer.thrust_plots import THRUST_AFTER_S

from .conftest import thrust_pops_on_hvla_tab

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


class Paints(QObject):
    """Counts the paint events of a widget."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.n = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, ev) -> bool:  # noqa: N802 (Qt)
        if ev.type() == QEvent.Type.Paint:
            self.n += 1
        return False


def test_a_drawn_thrust_is_not_redrawn_each_frame_and_the_next_one_is_drawn_at_once(qtbot):
    from PySide6.QtWidgets import QApplication
    # (a frame every fifth chunk, force or sound, and where each step stops: two or three in each
    # tenth of a second the hand goes on, each drawn before the paint events are handed out)
    thrusts, pops, win, eng, feed = thrust_pops_on_hvla_tab(qtbot, 0.02, frame_every=5)
    plot = win.thrust_panel.plot
    first, second = thrusts[0], thrusts[1]
    assert second.t_onset - first.t_onset > THRUST_AFTER_S + 1.0
    # the first thrust drawn whole (its 0.6 s after onset), its pops ticked
    t = first.t_onset + THRUST_AFTER_S + 0.2
    for t in (t, t + 0.1):                     # (and a frame after it: the panel's words laid out)
        feed.until(t)
        QApplication.processEvents()
    assert len(plot.pops_at) == sum(p.thrust == first.index for p in pops) == 4
    x_first, y_first = (a.copy() for a in plot.curves[-1].getData())
    paints = Paints(plot.viewport())
    n_frames = 0
    while t < second.t_onset - 0.5:            # the hand goes on; the force plot scrolls
        t += 0.1
        feed.until(t)
        QApplication.processEvents()
        n_frames += 1
    assert n_frames >= 10
    assert paints.n == 0                       # the tab stood still
    assert win.force_plot.drawn["t_now"] >= second.t_onset - 0.6     # (the frames were drawn)
    x, y = plot.curves[-1].getData()
    assert (x == x_first).all() and (y == y_first).all()
    # the next thrust: drawn as soon as it is known, its pops ticked
    mine = [p for p in pops if p.thrust == second.index]
    feed.until(max([second.t_detect_s] + [p.t_detect_s for p in mine]) + 0.05)
    QApplication.processEvents()
    assert paints.n > 0
    assert eng.thrusts[-1].t_onset == pytest.approx(second.t_onset)
    assert [x for x, _ in plot.pops_at] == pytest.approx([1000.0 * (p.t - second.t_onset) for p in mine],
                                                          abs=1e-6)
    x, y = plot.curves[-1].getData()
    assert x[0] == pytest.approx(-1000.0 * 0.3, abs=5.0)     # its own curve, from 0.3 s before its onset
    assert not (len(x) == len(x_first) and (x == x_first).all() and (y == y_first).all())
