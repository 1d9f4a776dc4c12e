"""A class report lists each trainee's recordings together, by date, whatever the case, accents
or Unicode form of the names and folders; it listed them in the folders' raw character order
(capitals first, É/Ó/Ł after z, one trainee's folder in capitals far from the rest)."""

from __future__ import annotations

import unicodedata

from ui.cli import main

from .conftest import make_session
from ._report_page import Page

NFD = "NFD"


def test_a_class_report_groups_each_trainee_by_date(tmp_path):
    root = tmp_path / "class"
    sessions = [   # folder, trainee, recorded
        ("ANA MARÍA LÓPEZ late", "ANA MARÍA LÓPEZ ", "2026-11-20T09:00:00"),
        ("ana-2026-10-11", unicodedata.normalize(NFD, "Ana María López"), "2026-10-11T09:00:00"),   # from a Mac
        ("ana-2026-10-04", "Ana María López", "2026-10-04T09:00:00"),
        ("Émile 1", "Émile Dubois", "2026-10-05T12:00:00"),
        ("emma", "emma stone", "2026-10-01T12:00:00"),
        ("łukasz", "Łukasz Nowak", "2026-10-02T14:00:00"),
        ("Lea", "Lea Roth", "2026-10-09T14:00:00"),
        ("zoë", "Zoë Müller", "2026-10-02T09:00:00"),
        ("Ben", "Ben O'Brien", "2026-10-05T09:00:00"),
        ("Zeynep (laptop)", "Zeynep Çelik", "2026-11-18T08:30:00-05:00"),
        ("zeynep", "Zeynep Çelik", "2026-10-03T12:00:00"),
    ]
    for i, (folder, trainee, created) in enumerate(sessions):
        make_session(root / folder, trainee=trainee, created=created, seed=i, cycles=3)
    out = tmp_path / "class.html"
    assert main(["report", "--class", str(root), "-o", str(out)]) == 0
    rows = Page(out.read_text(encoding="utf-8")).table("overview")
    assert [r["recording"] for r in rows] == [
        "ana-2026-10-04", "ana-2026-10-11", "ANA MARÍA LÓPEZ late", "Ben", "Émile 1", "emma", "Lea", "łukasz",
        "zeynep", "Zeynep (laptop)", "zoë"]
