"""A frame of the trainer's window lets a feed of the analysis in progress on the acquisition
thread end before it goes on (at its start, at its pauses, before each plot paints): the two
threads share the interpreter, and a feed that gave a pop, which the window's drawing took the
interpreter from each time it let it go inside numpy or scipy, came up to 12.6 ms late, so that
13 of 122 pops came over 50 ms after they began with the window drawing
(benchmarks/bench_live_pops.py --gui, docs/trainer.md). The wait is bounded: a feed that does not
end holds a frame back only ``GIVE_WAY_S`` at each pause."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

import ui.trainer.engine as engine_mod
from analysis.chunk import Chunk

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def force_chunk(t0: float, n: int = 50) -> Chunk:
    t = t0 + np.arange(n) / 1000.0
    return Chunk(t, 20.0 + 0.1 * np.sin(t), 0, "force", 1000.0)


def window(qtbot):
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow
    eng = Engine(*schemes(), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.resize(1024, 600)
    win.show()
    eng.feed(force_chunk(0.0))
    win.refresh()
    return win, eng


def test_a_frame_waits_for_a_feed_in_progress_then_draws_what_it_gave(qtbot, monkeypatch):
    win, eng = window(qtbot)
    monkeypatch.setattr(engine_mod, "GIVE_WAY_S", 30.0)     # (only the feed's end lets it go on)
    order: list[str] = []
    inside, release = threading.Event(), threading.Event()
    analyse = eng._analyse

    def slow_analyse(chunk):                      # a feed that takes as long as the test says
        inside.set()
        release.wait(10.0)
        out = analyse(chunk)
        order.append("fed")
        return out

    monkeypatch.setattr(eng, "_analyse", slow_analyse)
    drain = eng.drain

    def drain_seen():
        order.append("frame")
        return drain()

    monkeypatch.setattr(eng, "drain", drain_seen)
    feeder = threading.Thread(target=eng.feed, args=(force_chunk(0.05),))
    feeder.start()
    assert inside.wait(10.0)
    threading.Timer(0.2, release.set).start()     # the feed ends a little later
    win.refresh()                                 # (on this, the window's, thread)
    feeder.join(10.0)
    assert order == ["fed", "frame"]
    # the frame drew what that feed gave: the plot runs to its last sample
    assert win.force_plot.drawn["t_last"] == pytest.approx(0.099)


def test_a_feed_that_does_not_end_holds_a_frame_back_only_a_little(qtbot, monkeypatch):
    win, eng = window(qtbot)
    monkeypatch.setattr(engine_mod, "GIVE_WAY_S", 0.05)
    inside, release = threading.Event(), threading.Event()
    feed = eng._feed

    def stuck_feed(chunk, gen):                   # (stuck before it takes the engine's lock)
        inside.set()
        release.wait(30.0)
        return feed(chunk, gen)

    monkeypatch.setattr(eng, "_feed", stuck_feed)
    feeder = threading.Thread(target=eng.feed, args=(force_chunk(0.05),))
    feeder.start()
    try:
        assert inside.wait(10.0)
        start = time.monotonic()
        win.refresh()
        took = time.monotonic() - start
        # waited at its pauses (each at most 0.05 s here), and drew: not held for the whole feed
        assert took >= 0.05
        assert took < 10.0
        assert win.force_plot.drawn["t_last"] == pytest.approx(0.049)
    finally:
        release.set()
        feeder.join(10.0)
