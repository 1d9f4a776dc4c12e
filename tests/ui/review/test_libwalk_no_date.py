"""A session.json without 'created': its date is unknown, "–", in 'library list', the review's
table, Progress and Compare alike, and stays so (and in its place) after a comment is added;
it was session.json's time of change, which a comment moved."""

from __future__ import annotations

import json

import pytest

from ui.cli import main
from ui.review.data import add_comment, open_review
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def undated(tmp_path):
    make_session(tmp_path / "anna-1", trainee="Anna", created="2026-10-05T10:00:00", seed=1, cycles=3)
    make_session(tmp_path / "anna-2", trainee="Anna", created="2026-10-12T10:00:00", seed=2, cycles=3)
    folder = make_session(tmp_path / "anna-0", trainee="Anna", seed=3, cycles=3)
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    del meta["created"]
    mp.write_text(json.dumps(meta))
    return tmp_path, folder


def _listed(root, capsys):
    assert main(["library", "list", str(root)]) == 0
    return [(line[:16].strip(), line.split()[-1]) for line in capsys.readouterr().out.splitlines()[1:]]


def test_an_undated_session_is_dated_unknown_in_list(undated, capsys):
    """It was listed with session.json's time of change, which a comment changed (it then moved
    to the end of Progress)."""
    root, folder = undated
    want = [("2026-10-05 10:00", "anna-1"), ("2026-10-12 10:00", "anna-2"), ("–", "anna-0")]
    assert _listed(root, capsys) == want
    add_comment(open_review(folder, movement=False), 1.0, "wrist")
    assert _listed(root, capsys) == want


def test_an_undated_session_in_the_review(undated, qtbot):
    root, folder = undated
    win = ReviewWindow(root)
    qtbot.addWidget(win)
    dates = {win.proxy.index(i, 1).data() for i in range(win.proxy.rowCount())}
    assert "–" in dates
    win.show_progress("Anna")
    pv = win.progress_view
    assert [pv.table.item(i, 0).text() for i in range(3)] == ["2026-10-05 10:00", "2026-10-12 10:00", "–"]
    assert pv.dates[-1] == "–"
    win.compare(root / "anna-1", folder)               # (it raised TypeError on the missing date)
    assert win.compare_view.titles[1].text().startswith("anna-0 — Anna, date unknown, ")
