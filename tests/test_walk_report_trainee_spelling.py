"""A trainee typed several ways ("Anna Schmidt", later "anna schmidt") is named one way by the
class report, the library's list of trainees and the review's Progress: the spelling most of their
sessions have; among equals one written with capitals (deliberate) before one without, then the
latest session's."""

from __future__ import annotations

import csv

from tests.conftest import gc
from tests.ui.review.conftest import make_session
from ui.library import Library, spellings


def test_a_later_lowercase_spelling_does_not_rename_the_trainee(tmp_path):
    cls = tmp_path / "class"
    make_session(cls / "s1", trainee="Anna Schmidt", created="2026-12-01T10:00:00+00:00", cycles=3)
    make_session(cls / "s2", trainee="anna schmidt", created="2026-12-02T10:00:00+00:00", seed=1, cycles=3)
    out, rows = tmp_path / "r.html", tmp_path / "s.csv"
    r = gc("report", "--class", cls, "-o", out, "--sessions-csv", rows)
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert "Anna Schmidt" in page and "anna schmidt" not in page
    with open(rows, encoding="utf-8-sig", newline="") as f:
        assert {row["trainee"] for row in csv.DictReader(f)} == {"Anna Schmidt"}
    r = gc("report", "--class", cls, "--trainee", "ANNA SCHMIDT", "-o", out)
    assert r.returncode == 0, r.stderr
    assert "<title>gradecoach report: class, Anna Schmidt</title>" in out.read_text(encoding="utf-8")
    with Library(cls) as lib:                     # (the library's list, and the review's Progress heading)
        lib.refresh()
        assert lib.trainees() == ["Anna Schmidt"]


def test_most_sessions_then_capitals_then_the_latest():
    assert spellings([("anna schmidt", "2026-12-01T10:00"), ("anna schmidt", "2026-12-02T10:00"),
                      ("Anna Schmidt", "2026-12-03T10:00")])["anna schmidt"] == "anna schmidt"
    assert spellings([("anna schmidt", "2026-12-02T10:00"), ("Anna Schmidt", "2026-12-01T10:00")]) == \
        {"anna schmidt": "Anna Schmidt"}
    assert spellings([("ANNA SCHMIDT", "2026-12-01T10:00"), ("Anna Schmidt", "2026-12-02T10:00")]) == \
        {"anna schmidt": "Anna Schmidt"}
    assert spellings([("Anna Schmidt", "2026-12-01T10:00"), ("ANNA SCHMIDT", "2026-12-02T10:00")]) == \
        {"anna schmidt": "ANNA SCHMIDT"}
    # the latest by the instant named: 10:30+02:00 is 08:30 UTC, before 09:00 UTC
    assert spellings([("Anna Schmidt", "2026-12-01T10:30:00+02:00"), ("Anna schmidt", "2026-12-01T09:00:00+00:00")]) \
        == {"anna schmidt": "Anna schmidt"}
