"""``report --class … --csv`` says whose each event is: a trainee column beside the recording,
so a class's events can be told apart in a spreadsheet. A name with commas, quotes or line
breaks reads back as written; one a spreadsheet would take for a formula (``=``, ``+``, ``-``,
``@`` first) is written with a leading apostrophe, as text."""

from __future__ import annotations

import csv

from ui.cli import main

from .conftest import make_session

NAMES = {"ana": 'Lopez, Ana "Nina"\nsecond line', "ben": "=HYPERLINK(\"http://x\",\"ben\")",
         "cy": "+Cy", "dee": "-Dee", "eve": "@Eve", "flo": "Flo", "none": ""}


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:          # as Excel and pandas read it
        return list(csv.DictReader(fh))


def test_each_event_row_names_its_trainee(tmp_path):
    root = tmp_path / "class"
    for i, (folder, name) in enumerate(NAMES.items()):
        make_session(root / folder, trainee=name, kinds=("III",), target="III", cycles=3, seed=i)
    out, ev = tmp_path / "r.html", tmp_path / "events.csv"
    assert main(["report", "--class", str(root), "-o", str(out), "--csv", str(ev)]) == 0
    assert ev.read_bytes().startswith(b"\xef\xbb\xbfrecording,type,trainee,")
    rows = _rows(ev)
    want = {"ana": NAMES["ana"], "ben": "'" + NAMES["ben"], "cy": "'+Cy", "dee": "'-Dee", "eve": "'@Eve",
            "flo": "Flo", "none": ""}
    for folder, name in want.items():
        mine = [r for r in rows if r["recording"] == str(root / folder)]
        assert mine and {r["trainee"] for r in mine} == {name}, folder


def test_a_bare_csv_has_no_trainee(tmp_path):
    s = make_session(tmp_path / "s", trainee="Ana", kinds=("III",), target="III", cycles=3)
    ev = tmp_path / "e.csv"
    assert main(["report", str(s / "force.csv"), "-o", str(tmp_path / "r.html"), "--csv", str(ev)]) == 0
    rows = _rows(ev)
    assert rows and all(r["trainee"] == "" for r in rows)
