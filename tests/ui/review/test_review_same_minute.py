"""Two sessions recorded in the same minute (one straight after the other) are told apart by
their seconds wherever they are dated together: Progress's axis and table, Compare's titles, the
review's table and ``library list``; they all read "2026-12-02 13:21". ``library list`` says the
order it lists them in (oldest first) in its heading; the review's table is newest first."""

from __future__ import annotations

import pytest

from tests.conftest import gc
from ui.review.window import LIBRARY_COLUMNS

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

STAMPS = {"s1": "2026-12-02T13:21:05", "s2": "2026-12-02T13:21:48", "s3": "2026-12-03T09:00:00"}
SHOWN = {"s1": "2026-12-02 13:21:05", "s2": "2026-12-02 13:21:48", "s3": "2026-12-03 09:00"}


@pytest.fixture
def root(tmp_path):
    for i, (name, created) in enumerate(STAMPS.items()):
        make_session(tmp_path / name, trainee="Anna Kowalska", created=created, seed=i)
    return tmp_path


def test_progress_compare_and_table_tell_them_apart(root, qtbot):
    win = shown_review(qtbot, root)
    win.show_progress("Anna Kowalska")
    pv = win.progress_view
    # (the day alone where no other session shares it)
    assert pv.dates == [SHOWN["s1"], SHOWN["s2"], "2026-12-03"]
    assert [pv.table.item(r, 0).text() for r in range(3)] == list(SHOWN.values())

    win.compare(root / "s1", root / "s2")
    titles = [t.text() for t in win.compare_view.titles]
    assert SHOWN["s1"] in titles[0] and SHOWN["s2"] in titles[1]

    date = [k for _, k in LIBRARY_COLUMNS].index("created")
    shown = sorted(win.model.item(r, date).text() for r in range(win.model.rowCount()))
    assert shown == sorted(SHOWN.values())


def test_library_list_tells_them_apart_and_says_its_order(root):
    r = gc("library", "list", root)
    assert r.returncode == 0, r.stderr
    head, *rows = r.stdout.splitlines()
    assert head.startswith("date (old → new)  ")
    assert [(row.split("  ")[0].strip(), row.split()[-1]) for row in rows] == list(zip(SHOWN.values(), SHOWN))
