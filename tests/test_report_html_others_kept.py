"""report -o never writes over a web page gradecoach did not write: an examiner's notes.html is
kept, byte for byte, and said in one line. A report gradecoach wrote (this version's, which
names gradecoach as its generator, or an earlier one's, known by how its page begins) is
replaced by the next run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, gc

FORCE = ROOT / "fixtures" / "lumbar_grade3.csv"

NOTES = {
    "page": (b"<!DOCTYPE html>\n<html><head><title>OSCE notes</title></head><body><p>Anna: good</p></body></html>\n",
             "an HTML page gradecoach did not write (OSCE notes)"),
    "bare": (b"<html><body>candidate 4 late</body></html>",
             "an HTML page gradecoach did not write (<html><body>candidate 4 late</body></...)"),
    # (one that only calls itself a gradecoach report: not how gradecoach's pages begin)
    "titled": (b"<html><head><title>gradecoach report</title></head><body>mine</body></html>",
               "an HTML page gradecoach did not write (gradecoach report)"),
}


def report(out: Path):
    return gc("report", FORCE, "--r1", 40, "--r2", 120, "-o", out)


@pytest.mark.parametrize("kind", sorted(NOTES))
def test_a_page_gradecoach_did_not_write_is_kept(tmp_path, kind):
    notes = tmp_path / "notes.html"
    notes.write_bytes(NOTES[kind][0])
    r = report(notes)
    assert r.returncode == 2, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert lines[0] == (f"gradecoach: error: -o {notes}: that is {NOTES[kind][1]}; choose another file, the file "
                        f"is kept as it is"), lines[0]
    assert notes.read_bytes() == NOTES[kind][0]


def test_a_report_names_gradecoach_as_its_generator_and_is_replaced(tmp_path):
    out = tmp_path / "a.html"
    for _ in range(2):
        r = report(out)
        assert r.returncode == 0, r.stderr
    head = out.read_text(encoding="utf-8")[:300]
    assert "<meta name='generator' content='gradecoach " in head, head


def test_a_report_of_an_earlier_version_is_replaced(tmp_path):
    out = tmp_path / "class.html"
    out.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>OSCE practical, Dec 2026</title>"
                   "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}"
                   "</style></head><body><h1>OSCE practical, Dec 2026</h1></body></html>", encoding="utf-8")
    r = report(out)
    assert r.returncode == 0, r.stderr
    assert "<meta name='generator' content='gradecoach " in out.read_text(encoding="utf-8")
