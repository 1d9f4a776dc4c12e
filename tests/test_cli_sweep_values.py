"""Cells a CSV holds that no sensor reads (1e308 newtons) are bad rows named by file and line, as a
NaN is: the analysis of a force with such a value overflowed and ended in a traceback."""

from __future__ import annotations

from tests.conftest import ROOT, gc

LUMBAR = ROOT / "fixtures" / "lumbar_grade3.csv"


def _with_huge(tmp_path, every: int = 50, value: str = "1e308"):
    rows = LUMBAR.read_text().splitlines()
    body = [r.split(",")[0] + "," + value if i % every == 0 else r for i, r in enumerate(rows[1:])]
    out = tmp_path / "huge.csv"
    out.write_text("\n".join([rows[0], *body]) + "\n")
    return out, len(body)


def test_a_force_of_1e308_now_and_then_is_a_skipped_row_not_a_traceback(tmp_path):
    csv, n = _with_huge(tmp_path)
    r = gc("replay", csv, "--format", "table")
    assert "Traceback" not in r.stderr
    assert r.returncode == 0, r.stderr
    want = -(-n // 50)
    assert f"{want} bad rows skipped (first: {csv}:2: value too large to analyse (over 1e+100))" in r.stdout


def test_only_such_values_is_one_line_and_status_2(tmp_path):
    csv, _ = _with_huge(tmp_path, every=1)
    r = gc("replay", csv)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {csv}:2: value too large to analyse (over 1e+100) "
                                     "(no usable rows)"]


def test_a_small_file_says_the_same_row_by_row(tmp_path):
    csv = tmp_path / "small.csv"
    csv.write_text("t_s,force_n\n" + "".join(f"{i / 100},{'1e308' if i == 5 else 2.0}\n" for i in range(40)))
    r = gc("replay", csv, "--format", "table")
    assert r.returncode == 0, r.stderr
    assert f"(first: {csv}:7: value too large to analyse (over 1e+100))" in r.stdout
