"""A recording saved as .txt or .tsv (a logger's or a spreadsheet's export) is replayed by its
header, as '-o' already knows such a file for a recording; a file with no such header names what
is read."""

from __future__ import annotations

import json

from tests.conftest import ROOT, gc

LUMBAR = ROOT / "fixtures" / "lumbar_grade3.csv"


def test_txt_and_tsv_are_read_by_their_header(tmp_path):
    rows = LUMBAR.read_text().splitlines()[:2002]                  # its first 4 s, at 500 Hz
    txt = tmp_path / "data.txt"
    txt.write_text("\n".join(rows) + "\n")
    tsv = tmp_path / "copy.tsv"
    tsv.write_text("\n".join(rows).replace(",", "\t") + "\n")
    for p in (txt, tsv):
        r = gc("replay", p, "--format", "jsonl")
        assert r.returncode == 0, r.stderr
        got = json.loads(r.stdout.splitlines()[-1])
        assert got["duration_s"] == 4.0 and got["n_cycles"] > 0
    notes = tmp_path / "notes.txt"
    notes.write_text("practice on Monday\n")
    r = gc("replay", notes)
    assert r.returncode == 2
    assert r.stderr.startswith(f"gradecoach: error: {notes}: unknown input type; give a session folder, a .csv "
                               f"(or a text file whose first line names its columns, e.g. t_s,force_n)")

