"""The report's thrust table and CSV give each thrust's let-up as measured: one below the flag
read "0.0" in the table (replay's JSON said 4.3 N), and now says where flagging starts after its
figure ("4.3 (under 7.4 N: none)"); a flagged one reads "30.1 flagged"."""

from __future__ import annotations

import csv
from pathlib import Path

from ui.cli import main

from ._report_page import Page

FIX = Path(__file__).resolve().parents[3] / "fixtures"


def test_report_table_and_csv_give_the_measured_let_up(tmp_path, capsys):
    out, ev_csv = tmp_path / "r.html", tmp_path / "ev.csv"
    assert main(["report", str(FIX / "thrust_lumbar.csv"), str(FIX / "thrust_letup.csv"),
                 "-o", str(out), "--csv", str(ev_csv)]) == 0
    with open(ev_csv, newline="", encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["type"] == "thrust"]
    unflagged = [r for r in rows if r["recording"].endswith("thrust_lumbar.csv")]
    flagged = [r for r in rows if r["recording"].endswith("thrust_letup.csv")]
    assert len(unflagged) == len(flagged) == 3
    # the CSV carries the figures at full precision, the flag beside them
    assert all(r["letup"] == "no" and float(r["letup_n"]) >= 0.05 for r in unflagged)
    assert all(r["letup"] == "yes" for r in flagged)
    page = Page(out.read_text(encoding="utf-8"))
    head, *rows = page.tables["thrusts"]          # (both recordings' tables, each with its heading)
    col = head.index("let-up (N)")
    cells = [r[col] for r in rows if r != head]
    assert [c.split(" (under ")[0] for c in cells] == [f"{float(r['letup_n']):.1f}" for r in unflagged] + \
        [f"{float(r['letup_n']):.1f} flagged" for r in flagged]
    assert all(c.endswith(" N: none)") for c in cells[:len(unflagged)])
