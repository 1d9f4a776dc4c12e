"""One bad session under a library's root (its events.jsonl a folder, its session.json nested
too deeply to parse) is left out with one line naming it and why, and the others are listed:
``library list``, ``library rebuild``, ``report --class`` and the review window stopped at it
(exit 2, or a RecursionError traceback, or a window that did not open), as they already went
on past a session.json that is not JSON. One whose session.json is a folder was left out
without a word; it is said too."""

from __future__ import annotations

import pytest

from tests.conftest import gc

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

DEPTH = 100_000


def _spoil(s, how: str) -> str:
    """Make session folder ``s`` bad in the way ``how`` names; returns the warning's words."""
    if how == "events.jsonl is a folder":
        (s / "events.jsonl").unlink()
        (s / "events.jsonl").mkdir()
        return f"{s / 'events.jsonl'}: Is a directory"
    if how == "session.json is a folder":                              # (no session found there: not a word)
        (s / "session.json").unlink()
        (s / "session.json").mkdir()
        return f"{s / 'session.json'}: Is a directory"
    if how == "session.json nested too deeply":
        (s / "session.json").write_text("[" * DEPTH + "]" * DEPTH)
        return f"{s / 'session.json'}: not a JSON object (nested too deeply)"
    (s / "session.json").write_text("not json{")                      # (left out before, too)
    return f"{s / 'session.json'}:1: not valid JSON (Expecting value)"


HOW = ["events.jsonl is a folder", "session.json is a folder", "session.json nested too deeply",
       "session.json not JSON"]


def _root(tmp_path, how):
    root = tmp_path / "class"
    make_session(root / "anna", trainee="Anna", seed=1, cycles=3)
    make_session(root / "ben", trainee="Ben", seed=2, cycles=3)
    why = _spoil(make_session(root / "carl", trainee="Carl", seed=3, cycles=3), how)
    return root.resolve(), why


@pytest.mark.parametrize("how", HOW)
def test_library_list_and_rebuild_go_on_past_it(tmp_path, how):
    root, why = _root(tmp_path, how)
    r = gc("library", "list", root)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: warning: {why}"]
    listed = [line.split()[-1] for line in r.stdout.splitlines()[1:]]
    assert listed == ["anna", "ben"]
    r = gc("library", "rebuild", root)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: warning: {why}"]
    assert r.stdout.strip() == (f"indexed 2 sessions under {root} (2 added, 0 updated, 0 moved, 0 dropped, "
                                f"0 unchanged, 1 unreadable)")


@pytest.mark.parametrize("how", HOW)
def test_class_report_leaves_it_out(tmp_path, how):
    root, why = _root(tmp_path, how)
    out = tmp_path / "class.html"
    r = gc("report", "--class", root, "-o", out)
    assert r.returncode == 0, r.stderr
    assert [line for line in r.stderr.splitlines() if line.startswith("gradecoach:")] == [
        f"gradecoach: warning: left out: {why}"]
    assert r.stdout.strip() == f"wrote {out} (2 recordings)"
    page = out.read_text(encoding="utf-8")
    assert "Anna" in page and "Ben" in page and "Carl" not in page


@pytest.mark.parametrize("how", HOW)
def test_review_window_lists_the_others_and_says_which_was_left_out(qtbot, tmp_path, how):
    root, why = _root(tmp_path, how)
    win = shown_review(qtbot, root)
    assert sorted(r["trainee"] for r in win.rows) == ["Anna", "Ben"]
    assert win.lib_status.text() == f"2 sessions under {root}; 1 unreadable: {why}"


def test_class_of_such_sessions_alone(tmp_path):
    """A class whose one session's session.json is a folder: that line, then that none of its
    sessions could be read (it said there were no session folders under it)."""
    root = tmp_path / "class"
    why = _spoil(make_session(root / "carl", trainee="Carl", cycles=3), "session.json is a folder")
    r = gc("report", "--class", root, "-o", tmp_path / "class.html")
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: warning: left out: {why}",
                                     f"gradecoach: error: {root}: its one session folder could not be read"]
    r = gc("library", "list", root)
    assert r.stderr.splitlines() == [f"gradecoach: warning: {root.resolve() / 'carl' / 'session.json'}: Is a directory",
                                     f"gradecoach: the one session folder under {root.resolve()} could not be read"]
