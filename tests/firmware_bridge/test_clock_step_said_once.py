"""A force logger's clock that steps back half a second part way is said in one line, naming the
file and line, how far back, which rows were skipped and that the rows after them are a new run:
by ``replay``, by ``record --device file:`` while it records, and in what the recording keeps
(session.json's source warnings, its warning events and summary). Each said it twice, once as
"250 bad rows skipped" and once as the step, as if rows were lost besides the step; ``record``
said it a third time as playback reached it. Other bad rows are still said as such."""

from __future__ import annotations

import json
from pathlib import Path

from tests._cli_in_process import gc_in_process
from tests.conftest import record_played
from tests.firmware_bridge._stepped_clock import AT, _stepped

ROWS = 250          # the rows whose times 8.0 s had passed already (0.5 s at 500 Hz)


def _one_line(p: Path) -> str:
    return (f"{p}:{AT + 2}: the logger's clock stepped back 0.5 s (7.5 after 7.998): {ROWS} rows (lines {AT + 2}–"
            f"{AT + 1 + ROWS}) repeat times already had and are skipped; the rows after them, from 8.000 s on, are "
            f"a new run, not joined to those before")


def test_replay_says_the_step_once(tmp_path, capfd):
    p = _stepped(tmp_path)
    r = gc_in_process(capfd, "replay", p, "--r1", "40", "--r2", "120", "-o", tmp_path / "r.jsonl")
    assert r.returncode == 0, r.stderr
    said = [x for x in r.stderr.splitlines() if x.startswith("gradecoach: warning:")]
    assert said == [f"gradecoach: warning: {_one_line(p)}"]
    events = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert [e["message"] for e in events if e["type"] == "warning"] == [_one_line(p)]
    assert events[-1]["warnings"] == [_one_line(p)] and events[-1]["skipped_rows"] == ROWS


def test_other_bad_rows_are_still_said(tmp_path, capfd):
    """A row unreadable after the step (the first five rows out of order are the step's) is
    said as a bad row skipped, apart from the step's rows."""
    p = _stepped(tmp_path, bad_line=6002)
    r = gc_in_process(capfd, "replay", p, "--r1", "40", "--r2", "120", "-o", tmp_path / "r.jsonl")
    assert r.returncode == 0, r.stderr
    said = [x[len("gradecoach: warning: "):] for x in r.stderr.splitlines() if x.startswith("gradecoach: warning:")]
    assert said == [f"1 bad row skipped (first: {p}:6002: non-numeric cell 'n/a')", _one_line(p)]


def test_record_from_the_file_says_it_once_and_keeps_that_line(tmp_path):
    p = _stepped(tmp_path)
    said = record_played(p, tmp_path / "sess")
    line = f"file:{_one_line(p)}"
    assert [s for s in said if "clock" in s or "skipped" in s] == [line]
    meta = json.loads((tmp_path / "sess" / "session.json").read_text())
    assert meta["extra"]["source_warnings"] == [line]
    events = [json.loads(x) for x in (tmp_path / "sess" / "events.jsonl").read_text().splitlines()]
    assert [e["message"] for e in events if e["type"] == "warning"] == [line]
    assert events[-1]["warnings"] == [line]
