"""A Qt object left in a garbage cycle is deleted on the window's own thread, never on a worker
thread that happens to run Python's cycle collector. When the review's background reader ran
the collector, it deleted a Qt object there, and with the window deleting a menu of its own at
the same moment the two threads waited on each other (Qt's lock, the GIL): the window froze,
and so did the tests that opened it, past any timeout."""

from __future__ import annotations

import threading
import weakref

import pytest
from PySide6.QtCore import QObject

from .conftest import mobilisation_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_qt_object_in_garbage_is_deleted_on_the_main_thread_not_a_workers(qtbot, tmp_path):
    root, _, _ = mobilisation_sessions(tmp_path)
    win = shown_review(qtbot, root)
    assert win.model.rowCount() == 2
    deleted_in: list[str] = []
    refs = []

    def leave_garbage():
        o = QObject()
        o.me = o                                   # (a cycle: only the collector frees it)
        refs.append(weakref.ref(o, lambda _: deleted_in.append(threading.current_thread().name)))

    leave_garbage()

    def busy():                                    # a worker making garbage cycles of its own
        for _ in range(200_000):
            a = []
            a.append(a)
    worker = threading.Thread(target=busy, name="worker")
    worker.start()
    worker.join()
    assert deleted_in == []
    qtbot.waitUntil(lambda: bool(deleted_in), timeout=5000)
    assert deleted_in == [threading.main_thread().name]
