"""A class report lists a trainee's recordings by the instant each was recorded, UTC offsets
counted, with or without seconds; it listed them by the stamps' text (a session recorded at
09:00 in Paris, 07:00 UTC, came after one at 08:30 UTC)."""

from __future__ import annotations

from ui.cli import main

from .conftest import make_session
from ._report_page import Page

SESSIONS = [   # folder, recorded: text order b, c, a; instant order a, c, b
    ("a", "2026-10-04T09:00:00+02:00"),      # 07:00 UTC
    ("b", "2026-10-04T08:30:00+00:00"),      # 08:30 UTC
    ("c", "2026-10-04T08:45+01:00"),         # 07:45 UTC, no seconds
]


def test_a_class_report_orders_a_trainees_recordings_by_the_instant(tmp_path):
    root = tmp_path / "class"
    for i, (folder, created) in enumerate(SESSIONS):
        make_session(root / folder, trainee="Ana", created=created, seed=i, cycles=3)
    out = tmp_path / "class.html"
    assert main(["report", "--class", str(root), "-o", str(out)]) == 0
    rows = Page(out.read_text(encoding="utf-8")).table("overview")
    assert [r["recording"] for r in rows] == ["a", "c", "b"]
