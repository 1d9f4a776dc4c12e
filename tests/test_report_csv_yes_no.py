"""The events CSV words whether as one word: a cycle's ``beyond_r2`` and a thrust's ``letup`` are
``yes`` or ``no`` (blank when unknown), as ``on_target`` is; they were written True and False
beside it, which a spreadsheet's filter lists as other values than yes and no."""

from __future__ import annotations

import csv

from tests.conftest import ROOT, gc

MIXED = ROOT / "fixtures" / "demo_mixed.csv"


def test_whether_is_yes_or_no(tmp_path):
    events = tmp_path / "e.csv"
    r = gc("report", MIXED, "--r1", 40, "--r2", 120, "--target", "III", "-o", tmp_path / "r.html", "--csv", events)
    assert r.returncode == 0, r.stderr
    with open(events, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    cycles = [r for r in rows if r["type"] == "cycle"]
    thrusts = [r for r in rows if r["type"] == "thrust"]
    assert cycles and thrusts
    assert {r["beyond_r2"] for r in cycles} <= {"yes", "no"}
    assert {r["letup"] for r in thrusts} <= {"yes", "no"}
    assert {r["on_target"] for r in cycles} <= {"yes", "no", ""}
    # (nothing else in the file is written True or False)
    assert not {v for r in rows for v in r.values()} & {"True", "False", "true", "false"}
