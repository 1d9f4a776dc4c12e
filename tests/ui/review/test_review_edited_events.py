"""A hand-edited events.jsonl whose cycles contradict its summary (two grades changed, the summary
left alone) is analysed again from the raw data, and said so in one line, by the library, the
report and the review window alike: one score everywhere, not 83 % beside 'III: 12, 100 %'."""

from __future__ import annotations

import json
import re

import pytest

from ui.cli import main
from ui.library import Library
from ui.report import item_section, load_item
from ui.review.data import open_review
from ui.review.window import ReviewWindow
from ui.table import pct_text

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _edit_grades(folder, n=2, grade="IV"):
    """Change the first ``n`` cycles' grade by hand, leaving the summary as it was."""
    ep = folder / "events.jsonl"
    events = [json.loads(line) for line in ep.read_text().splitlines() if line.strip()]
    cycles = [e for e in events if e["type"] == "cycle"]
    for c in cycles[:n]:
        c["grade"], c["modifier"] = grade, ""
    ep.write_text("".join(json.dumps(e) + "\n" for e in events))
    return len(cycles), events[-1]


@pytest.fixture
def edited(tmp_path):
    folder = make_session(tmp_path / "Émile Dubois 2026-10-12", trainee="Émile Dubois", target="III",
                          kinds=("III",), cycles=8, seed=5)
    n, summary = _edit_grades(folder)
    assert summary["grade_histogram"] == {"III": n} and summary["sets"][0]["on_target_pct"] == 100.0
    return folder


def _one_line_warning(warnings, folder):
    said = [w for w in warnings if "disagree" in w]
    assert len(said) == 1 and "\n" not in said[0]
    assert said[0].startswith(f"{folder / 'events.jsonl'}: its cycles' grades (III: 6, IV: 2) disagree with its "
                              f"summary's (III: 8); analysed again from the raw data")


def test_the_report_scores_what_its_sets_table_says(edited):
    """The report read 'score (% on target) 75.0' above a sets table saying 'III:8 … 100.0'."""
    item = load_item(edited)
    assert item.source == "analysis"
    _one_line_warning(item.inp.warnings, edited)
    page = item_section(item, 1)
    score = re.search(r"<dt>score \(% on target\)</dt><dd>([^<]*)</dd>", page).group(1)
    on_target = item.summary["sets"][0]["on_target_pct"]
    assert score == pct_text(on_target) == pct_text(item.stats['on_target_pct'])
    assert "IV:" not in "".join(page.split("<h3>Sets</h3>")[1:])
    assert "a fresh analysis of the raw data" in page and "disagree with its summary" in page


def test_the_review_grades_line_and_on_target_agree(edited, qtbot):
    """The review said 'grades: III: 8' beside 'on target 75 %'."""
    rs = open_review(edited)
    assert rs.source == "analysis"
    _one_line_warning(rs.warnings, edited)
    win = ReviewWindow()
    qtbot.addWidget(win)
    win.open_session(edited)
    view = win.session_view
    hist = view.rs.summary["grade_histogram"]
    assert view.grades.text() == "grades: " + "  ".join(f"{k}: {v}" for k, v in hist.items()) + \
        "  (analysed again from the raw data)"
    on = sum(v for k, v in hist.items() if k == "III") / sum(hist.values())
    assert view.details_dict()["on target"] == f"{100 * on:.0f} %"
    assert "disagree with its summary" in view.warning.text()


def test_the_library_the_report_and_the_review_give_one_score(edited, capsys):
    """The library read 75 % (the edited cycles), the report's sets table and replay 100 %."""
    root = edited.parent
    assert main(["library", "list", str(root)]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    with Library(root) as lib:
        (r,) = lib.rows()
    assert r["stats_source"] == "analysis"
    item = load_item(edited)
    assert r["score_pct"] == pytest.approx(item.stats["score_pct"]) == pytest.approx(
        item.summary["sets"][0]["on_target_pct"])
    assert f"{item.stats['score_pct']:.0f} %" in row
    assert open_review(edited).summary["grade_histogram"] == item.summary["grade_histogram"]


def test_a_thrust_whose_let_up_was_edited_is_analysed_again(tmp_path):
    folder = make_session(tmp_path / "v", target="V", kinds=("V",), seed=3)
    ep = folder / "events.jsonl"
    events = [json.loads(line) for line in ep.read_text().splitlines() if line.strip()]
    (t,) = [e for e in events if e["type"] == "thrust"]
    t["letup"] = not t.get("letup")
    ep.write_text("".join(json.dumps(e) + "\n" for e in events))
    item = load_item(folder)
    assert item.source == "analysis"
    assert any("thrust 1 disagrees with its summary's" in w for w in item.inp.warnings)


def test_events_that_agree_with_their_summary_are_still_used(tmp_path):
    folder = make_session(tmp_path / "s", target="III", kinds=("III", "IV"), seed=2)
    assert load_item(folder).source == "stored" and open_review(folder).source == "stored"
    assert not load_item(folder).inp.warnings
