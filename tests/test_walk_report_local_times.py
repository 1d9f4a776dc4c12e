"""A session's time is shown in the viewer's time zone, whatever the zone of the machine that
recorded it: one stamped "18:46:09+0100" among sessions stamped in UTC at 17:43 and 17:47 read
18:46 under "date (old → new)", out of order. A stamp without a zone is shown as written."""

from __future__ import annotations

import csv
import time

import pytest

from tests.conftest import gc
from tests.ui.review.conftest import make_session
from ui.library import short_date
from ui.library.stats import dates_shown

STAMPS = ["2026-12-02T17:43:00+00:00", "2026-12-02T18:46:09+0100", "2026-12-02T17:47:00Z"]


@pytest.fixture
def zone(monkeypatch):
    """Set this process's local time zone (a POSIX TZ string: no zone database needed)."""
    def set_zone(tz: str) -> None:
        monkeypatch.setenv("TZ", tz)
        time.tzset()
    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_the_report_and_the_review_show_each_time_in_the_viewers_zone(tmp_path, zone):
    zone("UTC0")
    cls = tmp_path / "class"
    for i, created in enumerate(STAMPS):
        make_session(cls / f"s{i}", trainee="Anna", created=created, seed=i, cycles=3)
    out, rows = tmp_path / "r.html", tmp_path / "s.csv"
    r = gc("report", "--class", cls, "-o", out, "--sessions-csv", rows)
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert "<dd>2026-12-02 17:46</dd>" in page and "18:46" not in page
    with open(rows, encoding="utf-8-sig", newline="") as f:
        assert [row["date"] for row in csv.DictReader(f)] == ["2026-12-02 17:43:00", "2026-12-02 17:46:09",
                                                              "2026-12-02 17:47:00"]
    r = gc("library", "list", cls)
    assert r.returncode == 0, r.stderr
    assert [ln[:16] for ln in r.stdout.splitlines()[1:]] == ["2026-12-02 17:43", "2026-12-02 17:46",
                                                             "2026-12-02 17:47"]
    from ui.review.data import describe_session, open_review
    assert dict(describe_session(open_review(cls / "s1")))["recorded"] == "2026-12-02 17:46"
    assert dates_shown(STAMPS) == ["2026-12-02 17:43", "2026-12-02 17:46", "2026-12-02 17:47"]


def test_a_time_is_shown_in_the_zone_of_whoever_looks(zone):
    zone("IST-5:30")
    assert short_date("2026-12-02T18:46:09+0100") == "2026-12-02 23:16"
    assert short_date("2026-12-02T20:00:00-05:00") == "2026-12-03 06:30"        # (the next day there)
    assert short_date("2026-12-02T18:46:09") == "2026-12-02 18:46"             # (no zone: as written)
    assert short_date("2026-12-02") == "2026-12-02"
    assert short_date("Tue Nov 18 08:30:00 2026") == "Tue Nov 18 08:30"
    assert short_date("0001-01-01T00:10:00+05:00") == "0001-01-01 00:10"       # (before the clock's year 1)
    assert short_date(None) == ""
