"""A trainee's name typed with a phone's or a Mac's apostrophe (’) or dash (–) is the same
trainee as one typed with the keyboard's (' and -)."""

from __future__ import annotations

import pytest

from ui.cli import main
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CURLY = "Ben O\u2019Brien"
PLAIN = "ben o'brien"


@pytest.fixture
def ben(tmp_path):
    make_session(tmp_path / "b1", trainee=PLAIN, created="2026-10-05T10:00:00", seed=1, cycles=3)
    make_session(tmp_path / "b2", trainee=CURLY, created="2026-10-12T10:00:00", seed=2, cycles=3)
    make_session(tmp_path / "k1", trainee="Alexandra Kowalska-Nowak", created="2026-10-06T10:00:00", seed=3,
                 cycles=3)
    make_session(tmp_path / "k2", trainee="Alexandra Kowalska\u2013Nowak", created="2026-10-13T10:00:00", seed=4,
                 cycles=3)
    return tmp_path


def test_a_curly_apostrophe_is_the_same_trainee_in_list(ben, capsys):
    """'--trainee "ben o'brien"' missed the session typed "Ben O’Brien", and '--trainee "ben o’brien"'
    was refused with 'did you mean'."""
    for typed in (PLAIN, "ben o\u2019brien", "BEN O`BRIEN"):
        assert main(["library", "list", str(ben), "--trainee", typed]) == 0
        rows = capsys.readouterr().out.splitlines()[1:]
        assert [line.split()[-1] for line in rows] == ["b1", "b2"], typed
    assert main(["library", "list", str(ben), "--trainee", "alexandra kowalska-nowak"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert [line.split()[-1] for line in rows] == ["k1", "k2"]


def test_a_curly_apostrophe_is_the_same_trainee_in_progress(ben, qtbot):
    """The Progress tab said "1 session" of Ben O'Brien, who has two."""
    win = ReviewWindow(ben)
    qtbot.addWidget(win)
    win.show_progress(CURLY)
    assert len(win.progress_view.rows) == 2
    assert ": 2 sessions" in win.progress_view.title.text()
    win.filter.setText("o'brien")
    assert win.proxy.rowCount() == 2
