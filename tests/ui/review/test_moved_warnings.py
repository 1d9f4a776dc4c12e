"""A session folder moved after its analysis was saved shows each warning once: the saved
summary keeps its warnings as they named the folder then ("…/old/ana/audio.wav: audio lost
while recording…"), and opening it finds the same one under its new path. The review's Session
tab and the report listed both. A stored warning about something else stays."""

from __future__ import annotations

import json
import shutil

import pytest

from ui.cli import main
from ui.review.data import analyse_events, apply_reanalysis, open_review, save_analysis

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

LOST = "audio lost while recording: 3 blocks dropped"


def _saved_then_moved(tmp_path, extra_kept=()):
    """A session whose audio lost blocks, re-graded and saved in the review under ``old``, then
    moved to ``new`` (``extra_kept`` added to the saved summary's warnings); returns the new folder."""
    old = make_session(tmp_path / "old" / "ana", audio=True, kinds=("V",), target="V", cycles=2)
    mp = old / "session.json"
    meta = json.loads(mp.read_text())
    meta["streams"]["audio"]["dropped_blocks"] = 3
    mp.write_text(json.dumps(meta))
    rs = open_review(old)
    apply_reanalysis(rs, analyse_events(rs, 30.0, 120.0, 0.5), 30.0, 120.0, 0.5)
    save_analysis(rs)
    if extra_kept:
        ep = old / "events.jsonl"
        events = [json.loads(line) for line in ep.read_text().splitlines()]
        events[-1]["warnings"] += list(extra_kept)
        ep.write_text("".join(json.dumps(e) + "\n" for e in events))
    assert any(str(old) in w and LOST in w for w in open_review(old).shown_warnings)
    new = tmp_path / "moved" / "ana"
    new.parent.mkdir()
    shutil.move(str(old), str(new))
    return new


def test_the_review_shows_a_moved_sessions_warning_once(tmp_path, qtbot):
    new = _saved_then_moved(tmp_path)
    win = shown_review(qtbot, new.parent)
    rs = win.open_session(new)
    assert rs.source == "stored"
    lines = [w for w in win.session_view.warning.text().splitlines() if LOST in w]
    assert len(lines) == 1 and lines[0].startswith(f"warning: {new / 'audio.wav'}: ")    # the folder's path now
    assert "1 warning(s)" in win.statusBar().currentMessage()


def test_the_report_lists_a_moved_sessions_warning_once(tmp_path):
    new = _saved_then_moved(tmp_path)
    out = tmp_path / "r.html"
    assert main(["report", str(new), "-o", str(out)]) == 0
    page = out.read_text()
    assert page.count(LOST) == 1
    assert str(new / "audio.wav") in page


def test_stored_warnings_about_other_things_stay(tmp_path):
    other = f"{tmp_path / 'old' / 'ana' / 'force.csv'}: 2 bad rows skipped"
    new = _saved_then_moved(tmp_path, extra_kept=[other, "thrust 1: the force stays at 900 N for 20 ms"])
    ws = open_review(new).shown_warnings
    assert sum(LOST in w for w in ws) == 1
    assert other in ws and "thrust 1: the force stays at 900 N for 20 ms" in ws


def test_only_a_differing_folder_makes_two_warnings_one():
    from ui.review.data import merge_warnings
    found = ["/b/ana/audio.wav: audio lost: 3 blocks", "session.json: audio rate unreadable"]
    kept = ["/a/ana/audio.wav: audio lost: 3 blocks",     # the same, named under the old folder
            "/a/ana/audio.wav: audio lost: 4 blocks",     # another count
            "/a/ana/force.csv: audio lost: 3 blocks",     # another file
            "/b/ana10/x: y", "session.json: audio rate unreadable"]
    assert merge_warnings(found, kept, "/b/ana") == [*found, kept[1], kept[2], kept[3]]
    assert merge_warnings(found, kept, "/b/ana/") == [*found, kept[1], kept[2], kept[3]]     # as typed
    # a folder opened as "." names its files without it
    assert merge_warnings(["audio.wav: lost"], ["/a/ana/audio.wav: lost", "no audio.wav: lost"], ".") == \
        ["audio.wav: lost", "no audio.wav: lost"]
