"""The session details' "comments" count follows Add comment at once (it stayed at its old
value until the session was opened again)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_comments_count_follows_add_comment(qtbot, tmp_path):
    folder = make_session(tmp_path / "ana", kinds=("III",), target="III")
    win = shown_review(qtbot, tmp_path)
    win.open_session(folder)
    view = win.session_view
    assert view.details_dict()["comments"] == "0"
    for n, text in enumerate(("elbow locked", "slower"), start=1):
        view.comment_text.setText(text)
        qtbot.mouseClick(view.comment_btn, Qt.MouseButton.LeftButton)
        assert view.status.text().startswith("comment saved")
        assert view.details_dict()["comments"] == str(n)
