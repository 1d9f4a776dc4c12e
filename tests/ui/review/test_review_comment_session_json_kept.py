"""A comment added in the review window rewrites session.json. One saved with a byte order mark
(Windows Notepad writes one) was read as empty, and the comment was written over it alone: the
trainee, calibration, target and notes of the recording were gone. One broken by hand (not JSON)
while the session was open was written over the same way. Now the first keeps all of it and the
second is not touched."""

from __future__ import annotations

import json

import pytest

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _comment(qtbot, tmp_path, broken: bytes = b""):
    """A comment added to a session whose session.json has a byte order mark, or is ``broken``
    once the session is open."""
    folder = make_session(tmp_path / "s", trainee="Ana Lima", kinds=("III",), target="III")
    mp = folder / "session.json"
    mp.write_bytes(b"\xef\xbb\xbf" + mp.read_bytes())
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    assert win.open_session(folder) is not None
    if broken:
        mp.write_bytes(broken)
    before = mp.read_bytes()
    view = win.session_view
    view.comment_text.setText("thumb placement")
    view.add_comment()
    return view, mp, before


def test_a_comment_keeps_what_a_session_json_with_a_byte_order_mark_holds(qtbot, tmp_path):
    view, mp, before = _comment(qtbot, tmp_path)
    old = json.loads(before.decode("utf-8-sig"))
    new = json.loads(mp.read_text(encoding="utf-8-sig"))
    assert new["trainee"] == "Ana Lima" and new["target"] == "III" and new["r1_n"] == old["r1_n"]
    assert [c["text"] for c in new["comments"]] == ["thumb placement"]
    assert {k: v for k, v in new.items() if k != "comments"} == {k: v for k, v in old.items() if k != "comments"}


def test_a_comment_is_not_written_over_a_session_json_broken_by_hand(qtbot, tmp_path):
    broken = b'{"trainee": "Ana Lima", "target": "III",\n "r1_n": 40.0 "r2_n": 120.0}\n'
    view, mp, before = _comment(qtbot, tmp_path, broken)
    assert mp.read_bytes() == before
    assert view.status.text().startswith(f"comment not saved: {mp}:2: not valid JSON"), view.status.text()
    assert view.status.text().endswith("correct it by hand first")
