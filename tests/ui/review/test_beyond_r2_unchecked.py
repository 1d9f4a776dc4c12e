"""Without R2 no crest was checked against it: replay's table, the report's sets table, its
events CSV and the review's details of a cycle say "–" (blank in the CSV) for beyond R2, as
they do for on target, not "0" or "no" (a lecturer read "beyond R2 0" beside the warning that
nothing was graded). With a calibration the count is given as before."""

from __future__ import annotations

import csv
import json

import pytest

from tests.analysis._small_oscillations import a_set
from ui.cli import main

from ._report_page import Page

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def one_set(tmp_path):
    t, y = a_set(20.0, 80.0, cycles=5)
    path = tmp_path / "set.csv"
    path.write_text("t_s,force_n\n" + "".join(f"{a:.6f},{b:.4f}\n" for a, b in zip(t, y)))
    return path


def _beyond_line(out: str) -> str:
    lines = [s.strip() for s in out.splitlines() if s.strip().startswith("beyond R2")]
    assert len(lines) == 1, out
    return lines[0]


def test_replay_table_without_r2_says_a_dash(one_set, capsys):
    assert main(["replay", str(one_set), "--format", "table"]) == 0
    assert _beyond_line(capsys.readouterr().out) == "beyond R2      –"


def test_replay_table_with_r2_counts(one_set, capsys):
    assert main(["replay", str(one_set), "--r1", "20", "--r2", "50", "--format", "table"]) == 0
    assert _beyond_line(capsys.readouterr().out) == "beyond R2      5"


def test_report_and_its_csv_without_r2_leave_beyond_r2_unsaid(one_set, tmp_path):
    page, events = tmp_path / "r.html", tmp_path / "e.csv"
    assert main(["report", str(one_set), "--target", "III", "-o", str(page), "--csv", str(events)]) == 0
    head, row = Page(page.read_text(encoding="utf-8")).tables["sets"]
    assert head[-3:] == ["mean crest in R1–R2", "on target (%)", "beyond R2"]
    assert row[-3:] == ["–", "–", "–"]
    cycles = [r for r in csv.DictReader(events.read_text(encoding="utf-8-sig").splitlines()) if r["type"] == "cycle"]
    assert len(cycles) == 5 and {r["beyond_r2"] for r in cycles} == {""}


def test_report_csv_with_r2_says_yes_or_no(one_set, tmp_path):
    page, events = tmp_path / "r.html", tmp_path / "e.csv"
    assert main(["report", str(one_set), "--r1", "20", "--r2", "50", "-o", str(page), "--csv", str(events)]) == 0
    assert Page(page.read_text(encoding="utf-8")).tables["sets"][1][-1] == "5"
    cycles = [r for r in csv.DictReader(events.read_text(encoding="utf-8-sig").splitlines()) if r["type"] == "cycle"]
    assert {r["beyond_r2"] for r in cycles} == {"yes"}


def test_review_details_of_an_ungraded_cycle_say_a_dash(one_set, capsys):
    from ui.review.data import describe
    assert main(["replay", str(one_set), "--format", "jsonl"]) == 0
    cycle = next(e for e in map(json.loads, capsys.readouterr().out.splitlines()) if e["type"] == "cycle")
    assert dict(describe(cycle))["beyond R2"] == "–"
    graded = {**cycle, "grade": "III", "modifier": "+", "crest_pct": 80.0, "beyond_r2": False}
    assert dict(describe(graded))["beyond R2"] == "no"
