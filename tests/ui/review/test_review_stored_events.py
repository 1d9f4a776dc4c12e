"""A session whose events.jsonl holds an event that is valid JSON but not what gradecoach
wrote (a key missing, text for a number): library, report and review analyse the raw data
again and say why, instead of a traceback (the review window did not open at all)."""

from __future__ import annotations

import json

import pytest

from ui.cli import main
from ui.library import Library
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

BROKEN = {
    "cycle": ("cycle", lambda e: {k: v for k, v in e.items() if k != "t_end"}),
    "cycle set": ("cycle", lambda e: {**e, "set_index": None}),
    "thrust": ("thrust", lambda e: {**e, "t_peak": "soon"}),
    "pop": ("cavitation", lambda e: {**e, "thrust": "first"}),
    # a whole number of 400 digits, beyond any float (numpy's isfinite raised TypeError on it)
    "thrust peak 1e400": ("thrust", lambda e: {**e, "peak_n": 10 ** 400}),
    "summary": ("summary", lambda e: {**e, "sets": [{"set_index": 0}]}),
    "summary set": ("summary", lambda e: {**e, "sets": [{k: v for k, v in x.items() if k != "beyond_r2"}
                                                         for x in e["sets"]]}),
}


def _break(folder, label):
    kind, change = BROKEN[label]
    p = folder / "events.jsonl"
    events = [json.loads(x) for x in p.read_text().splitlines() if x.strip()]
    i = next(i for i, e in enumerate(events) if e["type"] == kind)
    events[i] = change(events[i])
    p.write_text("".join(json.dumps(e) + "\n" for e in events))
    return i + 1


@pytest.mark.parametrize("label", sorted(BROKEN))
def test_library_report_and_review_analyse_again_and_say_why(qtbot, tmp_path, capsys, label):
    kind = BROKEN[label][0]
    folder = make_session(tmp_path / "s", kinds=("III", "V"), target="III", seed=2, audio=True)
    good = [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines() if x.strip()]
    n_cycles = sum(e["type"] == "cycle" for e in good)
    nth = _break(folder, label)
    with Library(tmp_path) as lib:
        res = lib.refresh()
        row = lib.rows()[0]
    assert res.failed == [] and row["n_cycles"] == n_cycles and row["stats_source"] == "analysis"
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"gradecoach: warning: {folder / 'events.jsonl'}: event {nth} ({kind}): " in err
    assert err.rstrip().endswith("analysed again from the raw data") and "Traceback" not in err
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    rs = win.open_session(folder)
    assert rs is not None and rs.source == "analysis" and len(rs.of_type("cycle")) == n_cycles
    assert f"events.jsonl: event {nth} ({kind})" in win.session_view.warning.text()
