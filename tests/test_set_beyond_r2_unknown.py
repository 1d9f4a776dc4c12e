"""A set's ``beyond_r2`` is null without R2 (no crest was checked against one), as its cycles'
are, not 0; a count with R2. A session stored so is read as it is: the library and the report
use its stored analysis, without a line that it was analysed again."""

from __future__ import annotations

import json
from pathlib import Path

from tests._cli_in_process import gc_in_process
from tests.ui.review.conftest import make_session

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "lumbar_grade2.csv"


def _sets(capfd, *args) -> list[dict]:
    r = gc_in_process(capfd, "replay", FIX, "--format", "jsonl", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.splitlines()[-1])["sets"]


def test_replay_gives_a_sets_beyond_r2_null_without_r2_and_a_count_with(capfd):
    without = _sets(capfd)
    assert without and [s["beyond_r2"] for s in without] == [None] * len(without)
    graded = _sets(capfd, "--r1", "10", "--r2", "30")       # (crests at 33–36 N: beyond)
    assert graded and all(isinstance(s["beyond_r2"], int) for s in graded)
    assert sum(s["beyond_r2"] for s in graded) > 0


def test_a_stored_session_without_r2_is_read_as_stored(tmp_path, capfd):
    folder = make_session(tmp_path / "class" / "ana", r1=None, r2=None, cycles=4)
    ev = folder / "events.jsonl"
    events = [json.loads(x) for x in ev.read_text().splitlines() if x.strip()]
    assert events[-1]["sets"] and events[-1]["r2_n"] is None
    for s in events[-1]["sets"]:
        s["beyond_r2"] = None                           # (as it is written without R2)
    ev.write_text("".join(json.dumps(e) + "\n" for e in events))
    listed = gc_in_process(capfd, "library", "list", tmp_path / "class", "--format", "jsonl")
    assert listed.returncode == 0 and "analysed again" not in listed.stdout + listed.stderr, listed.stderr
    assert json.loads(listed.stdout)["n_beyond_r2"] is None
    r = gc_in_process(capfd, "report", folder, "-o", tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert r.returncode == 0 and "analysed again" not in page + r.stderr, r.stderr
    assert "the stored analysis" in page
