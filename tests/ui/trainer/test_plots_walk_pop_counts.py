"""Pops of one thrust 13-25 ms apart are 1-2 px apart on the force plot's 10 s: they drew one
triangle above the thrust while the HVLA tab said "4 pops". Pops whose markers would overlap
share one marker, their count beside it, inside the plot."""

from __future__ import annotations

import pytest

from firmware_bridge.replay import iter_chunks, load_input

from .conftest import ARTIFACTS, DEMO, Feeder, target_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def in_view(plot, text_item):
    """Where a text item is drawn, in the plot's units (seconds before now, N)."""
    return plot.getPlotItem().getViewBox().mapSceneToView(text_item.sceneBoundingRect()).boundingRect()

FIX = DEMO.parent / "thrust_pops.csv"


def pops_window(qtbot):
    win, eng = target_window(qtbot, "V", size=(1366, 768))
    qtbot.waitUntil(lambda: win.width() == 1366)
    feed = Feeder(eng, win, path=FIX, frame_every=5)      # (each until ends on a frame, which is checked)
    feed.chunks = iter_chunks(load_input(FIX, audio=FIX.with_suffix(".flac")), 0.05)
    return win, eng, feed


def counts_shown(plot) -> list[tuple[float, str]]:
    """(time before now, text) of each count shown beside a marker."""
    return [(c.pos().x(), c.textItem.toPlainText()) for c in plot.pop_counts if c.isVisible()]


def test_close_pops_share_a_marker_with_their_count(qtbot):
    win, eng, feed = pops_window(qtbot)
    feed.until(29.0)
    plot = win.force_plot
    in_window = [p for p in eng.pops if p.t >= plot.t_now - plot.window_s]
    by_thrust = {}
    for p in in_window:
        by_thrust.setdefault(p.thrust, []).append(p)
    assert len(by_thrust) == 2 and max(len(v) for v in by_thrust.values()) == 4
    # one marker a thrust, at its first pop, and the number of its pops beside it
    xs = sorted(plot.pops.data["x"])
    assert xs == pytest.approx(sorted(min(p.t for p in v) - plot.t_now for v in by_thrust.values()))
    assert sorted(plot.drawn["pop_marks"]) == sorted(len(v) for v in by_thrust.values())
    said = counts_shown(plot)
    assert sorted(text for _, text in said) == sorted(str(len(v)) for v in by_thrust.values() if len(v) > 1)
    assert "4" in [text for _, text in said]
    px_per_s = plot.getPlotItem().getViewBox().width() / plot.window_s
    for (x, _), mark in zip(sorted(said), xs):                       # beside its own marker
        assert 5 <= abs(x - mark) * px_per_s <= 15
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_pop_counts.png"))


def test_a_count_at_the_plots_right_edge_stays_inside_it(qtbot):
    win, eng, feed = pops_window(qtbot)
    feed.until(3.3)                                                  # the first thrust's four pops just heard
    plot = win.force_plot
    assert len(eng.pops) == 4 and plot.t_now - max(p.t for p in eng.pops) < 0.2
    win.grab()                                                       # (drawn: the count placed)
    [count] = [c for c in plot.pop_counts if c.isVisible()]
    assert count.textItem.toPlainText() == "4"
    box = in_view(plot, count)
    assert box.right() <= plot.getPlotItem().getViewBox().viewRange()[0][1] + 1e-9   # (not cut off)
