"""A recording that kept its own target and calibration while the trainer's screen graded with
others (session.json's ``extra.screen_changes``, written when no new folder could be made for
them) says so in the review's session details: from when the screen graded with what, and when
it was back to the recording's own, so an instructor knows what the trainee saw. The review
showed only the recording's own settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ._screen_changes import _detail, _recorded_with_screen_changes
from .conftest import shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_the_session_details_say_what_the_trainers_screen_graded_with(qtbot, tmp_path):
    folder = _recorded_with_screen_changes(tmp_path / "root" / "ana")
    written = json.loads((folder / "session.json").read_text())["extra"]["screen_changes"]
    at = [f"screen from {c['t_s']:.1f} s" for c in written]
    assert 5.0 <= written[0]["t_s"] < 5.2 and 9.5 <= written[1]["t_s"] < 9.7     # (at the chunk's end)
    win = shown_review(qtbot, tmp_path / "root")
    view = win.session_view
    rs = win.open_session(folder)
    assert rs.source == "stored"                     # the recording's own grades, as recorded
    d = view.details_dict()
    assert d["calibration"] == "R1 40 N, R2 120 N" and d["target"] == "III"
    assert d[at[0]] == "target IV-, R1 30 N, R2 100 N"
    assert d[at[1]] == "the recording's own again"
    keys = list(d)
    assert keys[keys.index("calibration") + 1:][:2] == at                        # beside its settings
    # all of them in view, the rest of the session's rows too
    t = view.details
    vp = t.viewport().rect()
    assert all(vp.contains(t.visualItemRect(t.item(i, 1))) for i in range(t.rowCount()))
    shown = [i for i in range(t.rowCount()) if t.item(i, 0).text() in at]
    assert all(t.fontMetrics().horizontalAdvance(t.item(i, 1).text()) < t.columnWidth(1) for i in shown)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_screen_changes.png"))

    # a cycle the screen graded with the other settings says so; one before or after does not
    starts = [c["t_s"] for c in written]
    for e in rs.of_type("cycle"):
        view.select_event(e)
        then = view.details_dict().get("screen then")
        assert then == ("target IV-, R1 30 N, R2 100 N" if starts[0] <= e["t_crest"] < starts[1] else None), e
    assert any(starts[0] <= e["t_crest"] < starts[1] for e in rs.of_type("cycle"))
    view.select_event(next(e for e in rs.of_type("cycle") if starts[0] <= e["t_crest"] < starts[1]))
    qtbot.wait(20)
    vp = t.viewport().rect()
    assert all(vp.contains(t.visualItemRect(t.item(i, 1))) for i in range(t.rowCount()))
    win.grab().save(str(ARTIFACTS / "review_screen_changes_cycle.png"))


def test_screen_changes_edited_by_hand_are_shown_as_far_as_they_can_be(qtbot, tmp_path):
    """A thrust target with its corridors, a change with no calibration, and entries that are not
    changes (no time, not an object) left out, without a traceback."""
    folder = _recorded_with_screen_changes(tmp_path / "root" / "ana")
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    meta["extra"]["screen_changes"] = [{"t_s": 7.3, "target_detail": _detail("V"), "r1_n": None, "r2_n": None},
                                       {"t_s": "soon", "target_detail": {}}, "IV", {"t_s": 2.0, "target_detail": {},
                                                                                 "r1_n": 30, "r2_n": 100}]
    mp.write_text(json.dumps(meta))
    win = shown_review(qtbot, tmp_path / "root")
    win.open_session(folder)
    d = win.session_view.details_dict()
    assert [k for k in d if k.startswith("screen")] == ["screen from 2.0 s", "screen from 7.3 s"]
    assert d["screen from 2.0 s"] == "no target, R1 30 N, R2 100 N"
    assert d["screen from 7.3 s"] == "target V, preload 100–160 N, peak 400–650 N, no calibration"

