"""Whether a session's sound held pops, and how many, is seen at the class's level: ``library
list`` (table and jsonl) and the review's library table give each session's pops heard, the count
the review's details give.
Where no sound was listened to the count is unknown ("–", null), not 0; an index written before
the count was kept gets it on its next refresh."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt

from tests._cli_in_process import gc_in_process
from ui.library import INDEX_NAME

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

SHOWN = {"ana": "3", "ben": "–", "cara": "0"}


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    # mobilisation and a thrust, with sound: a pop on its own and two at the thrust's peak
    make_session(root / "ana", trainee="ana", kinds=("III", "V"), seed=1, audio=True)
    make_session(root / "ben", trainee="ben", created="2025-03-02T10:00:00", kinds=("II",), seed=3)  # no sound
    # sound without a pop: the room's noise alone (the folder analysed anew: no stored events)
    cara = make_session(root / "cara", trainee="cara", created="2025-03-03T10:00:00", kinds=("III", "V"),
                        seed=2, audio=True, events=False)
    x, sr = sf.read(str(cara / "audio.wav"), dtype="float32")
    sf.write(str(cara / "audio.wav"), 0.01 * np.random.default_rng(2).standard_normal(len(x)).astype(np.float32),
             sr, subtype="PCM_16")
    return root


def _linked(three, tmp_path):
    """A class folder of links to the three sessions (each test its own index)."""
    root = tmp_path / "class"
    root.mkdir()
    for name in SHOWN:
        (root / name).symlink_to(three / name, target_is_directory=True)
    return root


def _listed(capfd, root) -> tuple[dict, dict]:
    table = gc_in_process(capfd, "library", "list", root)
    assert table.returncode == 0, table.stderr
    head, *rows = table.stdout.splitlines()
    at = head.index("pops") + len("pops")
    jsonl = gc_in_process(capfd, "library", "list", root, "--format", "jsonl")
    assert jsonl.returncode == 0, jsonl.stderr
    return ({r.split()[-1]: r[:at].split()[-1] for r in rows},
            {d["path"]: d["n_pops"] for d in map(json.loads, jsonl.stdout.splitlines())})


def test_library_list_gives_each_sessions_pops(three, tmp_path, capfd):
    root = _linked(three, tmp_path)
    shown, kept = _listed(capfd, root)
    assert shown == SHOWN
    assert kept == {"ana": 3, "ben": None, "cara": 0}


def test_a_session_whose_sound_file_is_gone_has_them_unknown(three, tmp_path, capfd):
    root = tmp_path / "class"
    shutil.copytree(three / "ana", root / "ana")
    (root / "ana" / "audio.wav").unlink()
    shown, kept = _listed(capfd, root)
    assert shown == {"ana": "–"} and kept == {"ana": None}


def test_an_index_written_before_gets_them(three, tmp_path, capfd):
    root = _linked(three, tmp_path)
    assert gc_in_process(capfd, "library", "list", root).returncode == 0
    con = sqlite3.connect(root / INDEX_NAME)        # (as an index of the version before left it)
    con.execute("ALTER TABLE sessions DROP COLUMN n_pops")          # (added by version 12)
    con.execute("DELETE FROM schema_migrations WHERE version >= 12")
    con.commit()
    con.close()
    shown, _ = _listed(capfd, root)
    assert shown == SHOWN


def test_the_list_counts_them_as_the_reviews_details_do(three, tmp_path, capfd, qtbot):
    from ui.review.window import ReviewWindow
    root = _linked(three, tmp_path)
    shown, _ = _listed(capfd, root)
    win = ReviewWindow(root)
    qtbot.addWidget(win)
    details = {}
    for name in SHOWN:
        win.open_session(root / name)
        details[name] = win.session_view.details_dict()["pops"]
    assert details["ana"].startswith(shown["ana"] + " ") and details["cara"] == "none heard", details
    assert details["ben"] == "no audio recorded" and shown["ben"] == "–", details


def _table_pops(win) -> dict:
    from ui.review.window import FOLDER_ROLE, POPS_COLUMN
    return {Path(win.proxy.index(r, 0).data(FOLDER_ROLE)).name: win.proxy.index(r, POPS_COLUMN).data()
            for r in range(win.proxy.rowCount())}


def test_the_review_library_table_gives_them_and_sorts_by_them(three, tmp_path, qtbot):
    """The instructor sees at a glance which recordings held pops, and sorts the class by them."""
    from ui.review.window import POPS_COLUMN, ReviewWindow
    win = ReviewWindow(_linked(three, tmp_path))
    qtbot.addWidget(win)
    assert not win.table.isColumnHidden(POPS_COLUMN)
    assert win.model.horizontalHeaderItem(POPS_COLUMN).text() == "pops"
    assert _table_pops(win) == SHOWN
    win.table.sortByColumn(POPS_COLUMN, Qt.SortOrder.DescendingOrder)
    assert list(_table_pops(win)) == ["ana", "cara", "ben"]            # (unknown below none)


def test_a_library_without_sound_has_no_column_of_pops(three, tmp_path, qtbot):
    """Every count unknown ("–"): the column is not shown, and does not widen the panel."""
    from ui.review.window import POPS_COLUMN, ReviewWindow
    root = tmp_path / "class"
    root.mkdir()
    (root / "ben").symlink_to(three / "ben", target_is_directory=True)
    win = ReviewWindow(root)
    qtbot.addWidget(win)
    assert _table_pops(win) == {"ben": "–"}
    assert win.table.isColumnHidden(POPS_COLUMN)


def test_a_laptop_screen_shows_every_column_of_a_library_with_sound(three, tmp_path, qtbot):
    """At 1280 x 720 the pops column is in view beside the others, with no scrolling sideways,
    and every heading's line is whole ("beyond" over "R2" took the width of one line)."""
    from ui.review.window import POPS_COLUMN, ReviewWindow
    win = ReviewWindow(_linked(three, tmp_path))
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    t, head = win.table, win.table.horizontalHeader()
    shown = [c for c in range(win.model.columnCount()) if not t.isColumnHidden(c)]
    assert POPS_COLUMN in shown
    qtbot.waitUntil(lambda: sum(t.columnWidth(c) for c in shown) <= t.viewport().width())
    assert t.horizontalScrollBar().maximum() == 0
    for c in shown:
        text = win.model.horizontalHeaderItem(c).text()
        assert all(head.fontMetrics().horizontalAdvance(line) < t.columnWidth(c) for line in text.split("\n")), text
