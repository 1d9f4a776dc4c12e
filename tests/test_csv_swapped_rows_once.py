"""Two neighbouring rows of a CSV swapped (times 1.002 then 1.000) are one bad row, said once: the
second, whose time goes backwards, is left out, and the hole it leaves is not said again as a
sample lost in a gap (it was, as "1 sample lost in 1 gap" and a "dropped samples" gap of
1.00–1.00 s in replay's table)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, gc


def _swapped(tmp_path, rows=(501, 502), quoted=False):
    lines = (ROOT / "fixtures" / "lumbar_grade3.csv").read_text().splitlines(keepends=True)
    if quoted:                                       # (read row by row, not by the fast reader)
        lines[1:] = ['"{}",{}'.format(*x.split(",", 1)) for x in lines[1:]]
    a, b = rows                                      # data rows, numbered from 1 after the header
    lines[a], lines[b] = lines[b], lines[a]
    p = tmp_path / "swap.csv"
    p.write_text("".join(lines))
    return p


@pytest.mark.parametrize("quoted", [False, True])
def test_two_swapped_rows_are_one_bad_row_and_no_gap(tmp_path, quoted):
    p = _swapped(tmp_path, quoted=quoted)
    r = gc("replay", p, "--r1", "40", "--r2", "120", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    events = [json.loads(x) for x in r.stdout.splitlines()]
    warnings = [e["message"] for e in events if e["type"] == "warning"]
    assert warnings == [f"1 bad row skipped (first: {p}:503: time goes backwards (1.0 after 1.002))"]
    assert [e for e in events if e["type"] == "gap"] == []
    assert events[-1]["skipped_rows"] == 1


def test_the_table_says_no_gap(tmp_path):
    p = _swapped(tmp_path)
    r = gc("replay", p, "--r1", "40", "--r2", "120", "--format", "table")
    assert r.returncode == 0, r.stderr
    assert "lost in" not in r.stdout + r.stderr
    assert "gaps:" not in r.stdout
    assert "1 bad row skipped" in r.stdout


def test_a_glitch_row_far_ahead_is_still_the_one_left_out(tmp_path):
    lines = (ROOT / "fixtures" / "lumbar_grade3.csv").read_text().splitlines(keepends=True)
    lines[501] = "9.000000" + lines[501][lines[501].index(","):]
    p = tmp_path / "glitch.csv"
    p.write_text("".join(lines))
    r = gc("replay", p, "--r1", "40", "--r2", "120", "--format", "jsonl")
    events = [json.loads(x) for x in r.stdout.splitlines()]
    warnings = [e["message"] for e in events if e["type"] == "warning"]
    assert warnings == [f"1 bad row skipped (first: {p}:502: time jumps ahead of the rows after it (9.0, then 1.002))"]
    assert [e for e in events if e["type"] == "gap"] == []
