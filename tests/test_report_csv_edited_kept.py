"""report --csv never writes over an events CSV someone edited after gradecoach wrote it: an
examiner who added a column of marks (``examiner_mark``) or a TOTALS row to last run's
``marks.csv`` keeps it, byte for byte, and is told in one line; the events CSV as gradecoach
wrote it is still replaced by the next run."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT, gc

FORCE = ROOT / "fixtures" / "lumbar_grade3.csv"


def report(tmp_path: Path, csv: Path):
    return gc("report", FORCE, "--r1", 40, "--r2", 120, "-o", tmp_path / "a.html", "--csv", csv)


def written(tmp_path: Path) -> Path:
    marks = tmp_path / "marks.csv"
    r = report(tmp_path, marks)
    assert r.returncode == 0, r.stderr
    return marks


def refused(tmp_path: Path, marks: Path, said: str) -> None:
    before = marks.read_bytes()
    r = report(tmp_path, marks)
    assert r.returncode == 2, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert lines[0] == (f"gradecoach: error: --csv {marks}: that is an events CSV changed since gradecoach wrote "
                        f"it ({said}); choose another file, the file is kept as it is"), lines[0]
    assert marks.read_bytes() == before


def test_a_column_of_marks_added_at_the_end_is_kept(tmp_path):
    marks = written(tmp_path)
    lines = marks.read_text(encoding="utf-8-sig").splitlines()
    lines = [lines[0] + ",examiner_mark"] + [ln + ",7" for ln in lines[1:]]
    marks.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    refused(tmp_path, marks, "a column examiner_mark")


def test_a_column_of_marks_added_among_the_others_is_kept(tmp_path):
    marks = written(tmp_path)
    lines = marks.read_text(encoding="utf-8-sig").splitlines()
    lines = [",".join(ln.split(",")[:3] + ["examiner_mark" if i == 0 else "7"] + ln.split(",")[3:])
             for i, ln in enumerate(lines)]
    marks.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(tmp_path, marks, "a column examiner_mark")


def test_a_totals_row_is_kept(tmp_path):
    marks = written(tmp_path)
    text = marks.read_text(encoding="utf-8-sig")
    n = len(text.splitlines()[0].split(","))
    marks.write_text(text + "TOTALS" + "," * (n - 1) + "\n", encoding="utf-8")
    refused(tmp_path, marks, f"line {len(text.splitlines()) + 1}: TOTALS")


def test_the_events_csv_gradecoach_wrote_is_replaced(tmp_path):
    marks = written(tmp_path)
    r = report(tmp_path, marks)
    assert r.returncode == 0, r.stderr
