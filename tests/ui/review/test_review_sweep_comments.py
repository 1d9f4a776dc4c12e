"""Comments on the Session tab's detail plot: labels of comments close in time are not written
over each other, a cut label ends in "…" on a white ground, and the whole comment is the line's
tooltip."""

from __future__ import annotations

import json

import pytest

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

LONG = "Good rhythm here, but watch the depth: you drift below R1 towards the end of the set."


def _commented(folder, comments):
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    meta["comments"] = comments
    mp.write_text(json.dumps(meta))
    return folder


def test_close_comments_have_labels_at_other_heights_cut_with_an_ellipsis(qtbot, tmp_path):
    folder = _commented(make_session(tmp_path / "s1", trainee="Eve"),
                        [{"t_s": 4.5, "text": "Élan!", "author": "Zoë"},
                         {"t_s": 2.0, "text": LONG, "author": "Dr. Instructor"}])
    win = shown_review(qtbot, tmp_path)
    win.open_session(folder)
    view = win.session_view
    labelled = {ln.value(): ln for ln in view.comment_lines if getattr(ln, "label", None) is not None}
    assert sorted(labelled) == [2.0, 4.5]
    first, second = labelled[2.0], labelled[4.5]
    assert first.label.orthoPos != second.label.orthoPos          # (not on one line across the top)
    assert first.label.format.endswith("…") and LONG.startswith(first.label.format[:-1])
    assert len(first.label.format) <= 30
    assert second.label.format == "Élan!"
    assert first.toolTip() == f"2.00 s, Dr. Instructor: {LONG}"
    assert second.toolTip() == "4.50 s, Zoë: Élan!"
    # on a white ground: readable where it crosses R2 or the force
    assert first.label.fill.color().getRgb()[:3] == (255, 255, 255) and first.label.fill.color().alpha() > 128


def test_a_comment_of_several_lines_is_labelled_by_its_first_with_an_ellipsis(qtbot, tmp_path):
    folder = _commented(make_session(tmp_path / "s1"), [{"t_s": 3.0, "text": "Depth\nthen rhythm"}])
    win = shown_review(qtbot, tmp_path)
    win.open_session(folder)
    ln, = (ln for ln in win.session_view.comment_lines if getattr(ln, "label", None) is not None)
    assert ln.label.format == "Depth…"
    assert ln.toolTip() == "3.00 s: Depth\nthen rhythm"
