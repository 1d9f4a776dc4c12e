"""``report --csv`` opens in Excel with its accented names as written: the file begins with a
UTF-8 byte-order mark, without which Excel read it in the Windows code page ("Ã‰mile")."""

from __future__ import annotations

import csv

from ui.cli import main

from .conftest import make_session


def test_the_events_csv_is_marked_as_utf8(tmp_path):
    folder = make_session(tmp_path / "Émile Dubois 2026-10-05", trainee="Émile Dubois", cycles=3)
    out, ev = tmp_path / "r.html", tmp_path / "events.csv"
    assert main(["report", str(folder), "-o", str(out), "--csv", str(ev)]) == 0
    raw = ev.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfrecording,type,")
    with open(ev, encoding="utf-8-sig", newline="") as fh:     # as Excel and pandas read it
        rows = list(csv.DictReader(fh))
    assert rows and all(r["recording"] == str(folder) for r in rows)
