"""The report's events and sessions CSVs date each recording to the second ("2026-12-03
07:17:18"): both CSVs gave "2026-12-03 07:17" to all three recordings of one minute, so a
spreadsheet sorting or pivoting by date could not tell them apart; and a recording alone in its
minute was dated without its seconds ("09:05"), so CSVs of different weeks did not line up."""

from __future__ import annotations

import csv
import io

from tests._cli_in_process import gc_in_process
from tests.ui.review.conftest import make_session

STAMPS = {"a": "2026-12-03T07:17:18+00:00", "b": "2026-12-03T07:17:43+00:00", "c": "2026-12-03T09:05:00+00:00"}


def _rows(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_the_csvs_date_recordings_of_one_minute_to_the_second(tmp_path, capfd, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    root = tmp_path / "class"
    for name, created in STAMPS.items():
        make_session(root / name, trainee="Anna", created=created, cycles=3)
    r = gc_in_process(capfd, "report", "--class", root, "-o", tmp_path / "r.html", "--csv", tmp_path / "e.csv",
                      "--sessions-csv", tmp_path / "s.csv")
    assert r.returncode == 0, r.stderr
    assert {row["name"]: row["date"] for row in _rows(tmp_path / "s.csv")} == {
        "a": "2026-12-03 07:17:18", "b": "2026-12-03 07:17:43", "c": "2026-12-03 09:05:00"}
    assert {row["name"]: row["date"] for row in _rows(tmp_path / "e.csv")} == {
        "a": "2026-12-03 07:17:18", "b": "2026-12-03 07:17:43", "c": "2026-12-03 09:05:00"}
