"""Two sessions recorded in the same minute are told apart by their seconds, in this computer's
time zone as every other date the library shows: stamped 18:46:09+01:00 and 18:46:40+01:00 on the
recording machine, they read 17:46:09 and 17:46:40 in UTC (they read 18:46:…, an hour off the
sessions around them)."""

from __future__ import annotations

import time

import pytest

from ui.library.stats import dates_shown


@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC0")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_sessions_of_one_minute_are_shown_with_seconds_in_local_time(utc):
    shown = dates_shown(["2026-12-02T18:46:09+0100", "2026-12-02T18:46:40+0100", "2026-12-02T17:47:08+0000"])
    assert shown == ["2026-12-02 17:46:09", "2026-12-02 17:46:40", "2026-12-02 17:47"]
