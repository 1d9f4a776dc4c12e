"""Comments in the review window: entries of session.json edited by hand, and the Enter key."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _window(qtbot, tmp_path, comments):
    folder = make_session(tmp_path / "s", kinds=("III",), target="III")
    meta = json.loads((folder / "session.json").read_text())
    meta["comments"] = comments
    (folder / "session.json").write_text(json.dumps(meta))
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    return win, folder


def test_a_session_with_unusable_comments_opens_and_keeps_them(qtbot, tmp_path):
    """A comment without a time, and an entry that is not a comment at all: the session opens
    (it raised ValueError and did not open), shows the good comment, and a new comment is
    saved in time order with the unusable entries kept as they were."""
    odd = [{"t_s": "x", "text": 1}, "see notes", {"t_s": 5.0, "text": "good", "author": "a"}]
    win, folder = _window(qtbot, tmp_path, odd)
    rs = win.open_session(folder)
    assert rs is not None
    view = win.session_view
    assert [c["text"] for c in rs.comments] == ["good"] and len(view.comment_lines) == 2
    view.seek(2.0)
    view.comment_text.setText("earlier")
    view.add_comment()
    assert view.status.text() == "comment saved at 2.00 s"
    saved = json.loads((folder / "session.json").read_text())["comments"]
    assert saved == odd[:2] + [{"t_s": 2.0, "text": "earlier", "author": ""}, odd[2]]


def test_comments_that_are_not_a_list_are_not_replaced(qtbot, tmp_path):
    win, folder = _window(qtbot, tmp_path, "ask Ben")
    assert win.open_session(folder) is not None
    view = win.session_view
    before = (folder / "session.json").read_text()
    view.comment_text.setText("new")
    view.add_comment()
    assert view.status.text() == (f"comment not saved: {folder / 'session.json'}: its comments are not a list; "
                                  f"correct them by hand first")
    assert (folder / "session.json").read_text() == before


def test_enter_in_the_comment_box_adds_the_comment(qtbot, tmp_path):
    """Typing a comment and pressing Enter did nothing: only the button added it."""
    win, folder = _window(qtbot, tmp_path, [])
    win.open_session(folder)
    view = win.session_view
    view.seek(3.0)
    qtbot.keyClicks(view.comment_text, "hands too high")
    qtbot.keyClick(view.comment_text, Qt.Key.Key_Return)
    assert json.loads((folder / "session.json").read_text())["comments"] == [
        {"t_s": 3.0, "text": "hands too high", "author": ""}]
    assert view.comment_text.text() == "" and view.status.text() == "comment saved at 3.00 s"


def test_comment_lines_do_not_pile_up_as_sessions_are_opened(qtbot, tmp_path):
    """Each session opened drew its comments again; the old lines left the view but stayed in
    the plots' item lists, one more pair for every session opened."""
    import pyqtgraph as pg
    from ui.review.data import add_comment, open_review
    from ui.review.window import ReviewWindow
    from .conftest import make_session
    a, b = make_session(tmp_path / "a", cycles=4), make_session(tmp_path / "b", cycles=4, seed=3)
    for folder in (a, b):
        add_comment(open_review(folder), 1.0, "look here", "ines")
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    v = win.session_view
    for _ in range(5):
        win.open_session(a)
        win.open_session(b)
    lines = [it for it in v.detail.getPlotItem().items if isinstance(it, pg.InfiniteLine) and it.angle == 90
             and it.value() == 1.0]
    assert len(lines) == 1


def test_a_session_without_a_trainee_says_so_in_the_status_line(qtbot, tmp_path):
    """It read 'anon: ?, 2025-03-01 10:00'."""
    s = make_session(tmp_path / "anon", trainee="", cycles=4)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.open_session(s)
    assert win.statusBar().currentMessage().startswith("anon: no trainee, ")
