"""Compare: each side says how many warnings its session keeps (a recording cut off, samples
lost), their words on hover as the Session tab gives them; a clean session says none."""

from __future__ import annotations

import json

import pytest

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_side_with_a_stored_warning_says_so(tmp_path, qtbot):
    clean = make_session(tmp_path / "root" / "clean", seed=1)
    cut = make_session(tmp_path / "root" / "cut", seed=2, finished=False)   # "unfinished (still recording, or cut off)"
    stored = json.loads((cut / "events.jsonl").read_text().splitlines()[-1])["warnings"]
    assert stored

    win = shown_review(qtbot, tmp_path / "root")
    win.open_session(cut)
    session_lines = win.session_view.warning.text().splitlines()
    win.compare(clean, cut)
    cv = win.compare_view
    assert win.tabs.currentWidget() is cv
    left, right = cv.warnings
    assert not left.isVisible() and left.text() == "" and left.toolTip() == ""
    assert right.isVisible()
    n = len(stored)
    assert right.text() == f"{n} warning{'' if n == 1 else 's'}"
    assert right.toolTip().splitlines() == session_lines == [f"warning: {w}" for w in stored]
    # the two plots stay level, one side's warning line or not
    assert cv.plots[0].geometry().top() == cv.plots[1].geometry().top()

    win.compare(cut, clean)                      # sides swapped: the count follows its session
    assert cv.warnings[0].isVisible() and not cv.warnings[1].isVisible()


def test_many_warnings_are_counted(tmp_path, qtbot):
    clean = make_session(tmp_path / "root" / "clean", seed=1)
    cut = make_session(tmp_path / "root" / "cut", seed=2, finished=False)
    ep = cut / "events.jsonl"
    lines = ep.read_text().splitlines()
    summary = json.loads(lines[-1])
    summary["warnings"] += [f"force: {10 * k} samples lost at {k:.2f} s" for k in range(1, 5)]
    ep.write_text("\n".join(lines[:-1] + [json.dumps(summary)]) + "\n")

    win = shown_review(qtbot, tmp_path / "root")
    win.compare(cut, clean)
    label = win.compare_view.warnings[0]
    assert label.text() == f"{len(summary['warnings'])} warnings"
    assert label.toolTip().splitlines() == [f"warning: {w}" for w in summary["warnings"]]
