"""The events CSV has a warning row for what reading a recording found, as the terminal and the
page say it: a session whose force.csv has unreadable rows ("2 unreadable rows skipped …") had
no row saying so, the spreadsheet reading as if the recording were whole."""

from __future__ import annotations

import csv

from ui.cli import main

from .conftest import make_session


def test_unreadable_rows_are_a_warning_row(tmp_path, capsys):
    s = make_session(tmp_path / "class" / "ana", cycles=4)
    lines = (s / "force.csv").read_text().splitlines()
    lines[50], lines[60] = "x,y", "1.2.3,oops"
    (s / "force.csv").write_text("\n".join(lines) + "\n")
    events = tmp_path / "e.csv"
    assert main(["report", str(s), "-o", str(tmp_path / "r.html"), "--csv", str(events)]) == 0
    said = [line for line in capsys.readouterr().err.splitlines() if "unreadable rows skipped" in line]
    assert len(said) == 1
    with open(events, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    warned = [r for r in rows if r["type"] == "warning" and "unreadable rows skipped" in r["message"]]
    assert len(warned) == 1
    assert said[0].endswith(warned[0]["message"])
    assert warned[0]["recording"] == str(s) and warned[0]["name"] == "ana"
