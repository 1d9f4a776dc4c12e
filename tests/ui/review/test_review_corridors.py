"""The review names a V (HVLA) target's corridors where it names the target (the session details,
Compare's titles) and says of each thrust whether it was on target, as the trainer judged it."""

from __future__ import annotations

import json

import pytest

from ui.library import session_stats

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

KEPT = {"text": "V", "grade": "V", "preload_n": [120.0, 135.0], "peak_n": [500.0, 700.0]}


def _v_sessions(tmp_path):
    """Two V sessions of the same thrusts: one that kept no corridors (the trainer's for V), one
    that kept its own."""
    plain = make_session(tmp_path / "plain", kinds=("V", "V"), target="V", seed=1)
    kept = make_session(tmp_path / "kept", kinds=("V", "V"), target="V", seed=1, created="2025-03-02T10:00:00")
    meta = json.loads((kept / "session.json").read_text())
    meta["target_detail"] = KEPT
    (kept / "session.json").write_text(json.dumps(meta))
    return plain, kept


def test_details_name_the_corridors_and_each_thrust_says_whether_it_was_on_target(qtbot, tmp_path):
    plain, kept = _v_sessions(tmp_path)
    win = shown_review(qtbot, tmp_path)
    for folder, words in ((plain, "V, preload 100–160 N, peak 400–650 N"),
                          (kept, "V, preload 120–135 N, peak 500–700 N")):
        rs = win.open_session(folder)
        view = win.session_view
        assert view.details_dict()["target"] == words
        thrusts = rs.of_type("thrust")
        assert len(thrusts) == 2
        verdicts = []
        for e in thrusts:
            view.select_event(e)
            verdicts.append(view.details_dict()["on target"])
        # as many on target as the score the details gave counts
        n_on = sum(v == "yes" for v in verdicts)
        st = session_stats(rs.events, "V", None, json.loads((folder / "session.json").read_text()).get("target_detail"))
        assert 100.0 * n_on / 2 == pytest.approx(st["score_pct"])
        assert all(v == "yes" or v.startswith("no — ") for v in verdicts), verdicts
    # the kept corridors judge the same thrusts otherwise: said why
    assert "peak" in verdicts[0] and "500–700 N" in verdicts[0]


def test_compare_titles_name_each_sessions_corridors(qtbot, tmp_path):
    plain, kept = _v_sessions(tmp_path)
    win = shown_review(qtbot, tmp_path)
    win.compare(plain, kept)
    titles = [t.text() for t in win.compare_view.titles]
    assert "target V, preload 100–160 N, peak 400–650 N; R1 40 N, R2 120 N" in titles[0]
    assert "target V, preload 120–135 N, peak 500–700 N; R1 40 N, R2 120 N" in titles[1]
