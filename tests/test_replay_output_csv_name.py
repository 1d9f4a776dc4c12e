"""``replay -o NAME.csv`` is refused in one line naming --format: replay writes a table or JSON
lines, no CSV, and a file named .csv holding JSON lines (as it wrote, exit 0) is read as broken
by anything that opens it as CSV. Other names are written as before."""

from __future__ import annotations

from tests._cli_in_process import gc_in_process
from tests.conftest import ROOT

FORCE = ROOT / "fixtures" / "lumbar_grade3.csv"


def test_an_output_named_csv_is_refused_naming_the_formats(tmp_path, capfd):
    for name in ("newout.csv", "NEWOUT.CSV"):
        r = gc_in_process(capfd, "replay", FORCE, "--r1", "40", "--r2", "120", "-o", tmp_path / name)
        assert r.returncode == 2 and r.stdout == ""
        lines = r.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"gradecoach: error: -o {tmp_path / name}: ") \
            and "--format" in lines[0] and "table" in lines[0] and "jsonl" in lines[0], r.stderr
        assert not (tmp_path / name).exists()


def test_other_names_are_written(tmp_path, capfd):
    r = gc_in_process(capfd, "replay", FORCE, "--r1", "40", "--r2", "120", "-o", tmp_path / "out.jsonl")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out.jsonl").read_text().splitlines()[-1].startswith('{"type": "summary"')
