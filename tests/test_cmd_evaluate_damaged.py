"""``gradecoach evaluate`` on a damaged fixture: a recording with bad rows is analysed without
them (replay skips and counts them), and a CI job checking a school's own fixtures must be able
to fail on it. It warned on standard error and exited 0, its JSON without a word of it; now each
recording's result counts its skipped rows and ``--max-skipped-rows`` (0 by default) fails it,
naming the file and line. A folder's CSVs without expected events are counted in the verdict."""

from __future__ import annotations

import json
import shutil

from tests.conftest import ROOT, gc


def _damaged(tmp_path, lines=(1001,)):
    """fixtures/thrust_lumbar with each of ``lines`` (1 is the header) made a bad row."""
    shutil.copy(ROOT / "fixtures" / "thrust_lumbar.expected.jsonl", tmp_path / "t.expected.jsonl")
    rows = (ROOT / "fixtures" / "thrust_lumbar.csv").read_text().splitlines()
    for n in lines:
        rows[n - 1] = f"{rows[n - 1].split(',')[0]},12a.5"
    csv = tmp_path / "t.csv"
    csv.write_text("\n".join(rows) + "\n")
    return csv


def test_a_bad_row_fails_naming_its_file_and_line(tmp_path):
    csv = _damaged(tmp_path)
    r = gc("evaluate", csv)
    assert r.returncode == 1, r.stdout + r.stderr
    out = r.stdout.splitlines()
    assert out[0].startswith(f"{csv}: no cycles expected, 0 spurious; thrusts 3 of 3 found")
    assert out[0].endswith("; 1 bad row skipped")
    assert out[1:] == [
        "  below the thresholds: bad rows skipped in the recording: 1 (at most 0, --max-skipped-rows)",
        f"    --max-skipped-rows: {csv}:1001: non-numeric cell '12a.5'"]
    assert f"1 bad row skipped (first: {csv}:1001: non-numeric cell '12a.5')" in r.stderr     # (still warned)
    assert gc("evaluate", csv, "--max-skipped-rows", "1").returncode == 0


def test_the_jsonl_counts_the_rows_skipped(tmp_path):
    csv = _damaged(tmp_path)
    got = json.loads(gc("evaluate", csv, "--format", "jsonl").stdout)
    assert got["skipped_rows"] == 1
    assert got["below"] == ["bad rows skipped in the recording: 1 (at most 0, --max-skipped-rows)"]
    assert got["which"] == {"--max-skipped-rows": [f"{csv}:1001: non-numeric cell '12a.5'"]}
    got = json.loads(gc("evaluate", csv, "--format", "jsonl", "--max-skipped-rows", "1").stdout)
    assert (got["skipped_rows"], got["below"], got["which"]) == (1, [], {})


def test_many_bad_rows_name_the_first_five_and_count_the_rest(tmp_path):
    lines = [1001 + 100 * k for k in range(8)]
    csv = _damaged(tmp_path, lines)
    r = gc("evaluate", csv)
    assert r.returncode == 1
    out = r.stdout.splitlines()
    assert out[0].endswith("; 8 bad rows skipped")
    assert out[1] == "  below the thresholds: bad rows skipped in the recording: 8 (at most 0, --max-skipped-rows)"
    assert out[2] == ("    --max-skipped-rows: " + "; ".join(f"{csv}:{n}: non-numeric cell '12a.5'" for n in lines[:5])
                      + "; and 3 more")


def test_the_committed_fixtures_have_no_bad_rows():
    """So that 0, the default, is theirs: a fixture with bad rows is a damaged one."""
    got = [json.loads(x) for x in gc("evaluate", "fixtures", "--format", "jsonl").stdout.splitlines()]
    assert len(got) > 20 and {g["skipped_rows"] for g in got} == {0}


def test_the_verdict_counts_a_folders_csvs_not_evaluated(tmp_path):
    """A CSV whose expected events are missing or misnamed is warned of and, in the last line,
    counted, so that a CI log's verdict does not read as every recording checked."""
    for suffix in (".csv", ".expected.jsonl"):
        shutil.copy(ROOT / "fixtures" / f"lumbar_grade3{suffix}", tmp_path / f"g3{suffix}")
        shutil.copy(ROOT / "fixtures" / f"thrust_lumbar{suffix}", tmp_path / f"t{suffix}")
    shutil.copy(tmp_path / "t.csv", tmp_path / "orphan.csv")
    r = gc("evaluate", tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[-1] == "all meet the thresholds; 1 CSV without expected events not evaluated"
    assert "orphan.csv" in r.stderr
    (tmp_path / "t.expected.jsonl").unlink()              # one recording left, one more not evaluated
    r = gc("evaluate", tmp_path)
    assert r.returncode == 0
    assert r.stdout.splitlines()[-1] == "all meet the thresholds; 2 CSVs without expected events not evaluated"
    _damaged(tmp_path)
    r = gc("evaluate", tmp_path)
    assert r.returncode == 1
    assert r.stdout.splitlines()[-1] == "1 of 2 below the thresholds; 1 CSV without expected events not evaluated"


def test_it_is_documented():
    for doc in ("README.md", "docs/analysis.md"):
        assert "--max-skipped-rows" in (ROOT / doc).read_text(encoding="utf-8"), doc
