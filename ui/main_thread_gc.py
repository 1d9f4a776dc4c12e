"""Python's cycle collector run on the Qt main thread only, while a window is open.

The collector runs in whichever thread happens to allocate when a generation is due. When that
was a worker thread (the review's index read, the trainer's acquisition) and the garbage held a
Qt object, the worker deleted it: ``QObject``'s destructor took Qt's lock and then waited for
the GIL, while the main thread, holding the GIL, waited for that lock to delete a widget of its
own. The window froze for good. With the automatic collector off and a timer of the main thread
collecting what is due (by the same thresholds), every Qt object in a garbage cycle is deleted
on the main thread. What exists when the collector is taken over is frozen (:func:`gc.freeze`),
so that the full collections it still makes take milliseconds, not tens of them.
"""

from __future__ import annotations

import gc

INTERVAL_MS = 100
_timer = None


def collect_due() -> None:
    """Collect the generations due by :func:`gc.get_threshold`, as the automatic collector would."""
    (t0, t1, t2), (c0, c1, c2) = gc.get_threshold(), gc.get_count()
    if c2 > t2:
        gc.collect(2)
    elif c1 > t1:
        gc.collect(1)
    elif c0 > t0:
        gc.collect(0)


def install() -> None:
    """Turn the automatic collector off and collect on a timer of the Qt application (once; a
    no-op without a ``QApplication``)."""
    global _timer
    if _timer is not None:
        return
    from PySide6.QtCore import QCoreApplication, QTimer
    app = QCoreApplication.instance()
    if app is None:
        return
    gc.disable()
    # what exists by now (modules, classes, Qt's wrappers: about 115,000 objects once the trainer's
    # window is made) lives as long as the process: a full collection went through all of it,
    # 57-61 ms holding the interpreter while the acquisition thread's analysis waited; frozen, the
    # collector looks only at what was made since, 0.7-2.6 ms with fixtures/thrust_pops played
    # (benchmarks/bench_frame_cost.py). What is garbage by now is collected first: frozen, it would
    # be kept for good.
    gc.collect()
    gc.freeze()
    _timer = QTimer(app)
    _timer.setInterval(INTERVAL_MS)
    _timer.timeout.connect(collect_due)
    _timer.start()
