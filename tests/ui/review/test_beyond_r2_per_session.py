"""Which sessions went beyond R2 (a safety matter, the trainer's red "beyond R2!") is seen at the
class's level: ``library list`` (table and jsonl), the review's library table, the class report's
overview and its sessions CSV count each session's cycles beyond R2, the review's details count
them and its event list flags each ("III++ beyond R2"). Where no R2 was there to check a crest
against, the count is unknown ("–", null, blank), not 0; an index written before the count was
kept gets it on its next refresh."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from tests._cli_in_process import gc_in_process
from ui.library import INDEX_NAME

from ._beyond_r2_session import _session
from ._report_page import Page

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def three(tmp_path):
    root = tmp_path / "class"
    _session(root / "cara", "2025-03-01T10:00:00", 20.0, 50.0)      # all four beyond R2
    _session(root / "anna", "2025-03-01T10:05:00", 20.0, 120.0)     # none
    _session(root / "ben", "2025-03-01T10:10:00", None, None)       # not graded: unknown
    return root


def test_library_list_counts_them(three, capfd):
    table = gc_in_process(capfd, "library", "list", three)
    assert table.returncode == 0, table.stderr
    head, *rows = table.stdout.splitlines()
    at = head.index("beyond R2") + len("beyond R2")
    assert {r.split()[-1]: r[:at].split()[-1] for r in rows} == {"cara": "4", "anna": "0", "ben": "–"}
    jsonl = gc_in_process(capfd, "library", "list", three, "--format", "jsonl")
    assert {d["path"]: d["n_beyond_r2"] for d in map(json.loads, jsonl.stdout.splitlines())} == \
        {"cara": 4, "anna": 0, "ben": None}


def test_an_index_written_before_gets_them(three, capfd):
    assert gc_in_process(capfd, "library", "list", three).returncode == 0
    con = sqlite3.connect(three / INDEX_NAME)       # (as an index of the version before left it)
    for column in ("n_beyond_r2", "audio_s", "n_pops"):             # (added by versions 10, 11 and 12)
        con.execute(f"ALTER TABLE sessions DROP COLUMN {column}")
    con.execute("DELETE FROM schema_migrations WHERE version >= 10")
    con.commit()
    con.close()
    jsonl = gc_in_process(capfd, "library", "list", three, "--format", "jsonl")
    assert {d["path"]: d["n_beyond_r2"] for d in map(json.loads, jsonl.stdout.splitlines())} == \
        {"cara": 4, "anna": 0, "ben": None}


def test_the_class_report_and_its_sessions_csv_count_them(three, tmp_path, capfd):
    page, sessions = tmp_path / "class.html", tmp_path / "sessions.csv"
    r = gc_in_process(capfd, "report", "--class", three, "-o", page, "--sessions-csv", sessions)
    assert r.returncode == 0, r.stderr
    head, *rows = Page(page.read_text(encoding="utf-8")).tables["overview"]
    col = head.index("beyond R2")
    assert {row[1]: row[col] for row in rows} == {"cara": "4", "anna": "0", "ben": "–"}
    got = csv.DictReader(io.StringIO(sessions.read_text(encoding="utf-8-sig")))
    assert {row["name"]: row["n_beyond_r2"] for row in got} == {"cara": "4", "anna": "0", "ben": ""}


def test_the_review_counts_and_flags_them(three, qtbot):
    from ui.review.window import LIBRARY_COLUMNS, ReviewWindow
    win = ReviewWindow(three)
    qtbot.addWidget(win)
    col = [k for _, k in LIBRARY_COLUMNS].index("n_beyond_r2")
    assert win.model.horizontalHeaderItem(col).text().split() == ["beyond", "R2"]
    assert {win.model.item(i, 0).text(): win.model.item(i, col).text() for i in range(win.model.rowCount())} == \
        {"cara": "4", "anna": "0", "ben": "–"}
    view = win.session_view
    win.open_session(three / "cara")
    assert view.details_dict()["beyond R2"] == "4"
    t = view.events_table
    assert [t.item(i, 2).text() for i in range(t.rowCount())] == ["III++ beyond R2"] * 4
    win.open_session(three / "anna")
    assert view.details_dict()["beyond R2"] == "0"
    assert "beyond R2" not in t.item(0, 2).text()
