"""``library list`` marks a recording that stopped early because its folder refused a write
(session.json's ``extra.stopped``: a full disk, no permission), after its path, with when and
why as the review's details say it: "(stopped early at 12.3 s: disk full, force.csv)" in
place of "(unfinished: still recording, or cut off)"; ``--format jsonl`` has the words in
``stopped_early`` (null for a recording that did not stop early). Before, an instructor
listing a class's sessions could not tell which had ended early, or why. An index of the
schema before (version 4) is brought up to date on opening and its sessions read again, so
a stop recorded before the upgrade is marked too."""

from __future__ import annotations

import json
import re
import sqlite3

from tests.conftest import gc
from tests.ui.review.conftest import make_session, mark_stopped, tear
from ui.library import INDEX_NAME, SCHEMA_VERSION

UNFINISHED = "(unfinished: still recording, or cut off)"


def _stop(folder, stopped):
    """``folder`` as a recording that stopped early: cut off (force.csv torn, no summary), its
    session.json saying so (``complete`` false, ``extra.stopped``) as the recorder writes it."""
    tear(folder)
    return mark_stopped(folder, stopped)


def _class(root):
    """Three sessions: one whole, one that stopped on a full disk, one cut off by a crash."""
    make_session(root / "ana", trainee="ana", created="2025-03-01T09:00:00", cycles=4, seed=1)
    _stop(make_session(root / "ben", trainee="ben", created="2025-03-02T09:00:00", cycles=4, seed=2),
          {"t_s": 12.345, "reason": "disk full", "file": "force.csv"})
    tear(make_session(root / "cleo", trainee="cleo", created="2025-03-03T09:00:00", cycles=4, seed=3))
    return root


def _notes(stdout: str) -> dict[str, str]:
    """Each row's path and the note that follows it ("" for none)."""
    rows = [re.search(r"  (\S+)(?:  (\(.*\)))?$", row) for row in stdout.splitlines()[1:]]
    return {m.group(1): m.group(2) or "" for m in rows}


def test_the_table_marks_a_recording_that_stopped_early_with_when_and_why(tmp_path):
    root = _class(tmp_path / "class")
    r = gc("library", "list", root)
    assert r.returncode == 0, r.stderr
    assert _notes(r.stdout) == {"ana": "", "ben": "(stopped early at 12.3 s: disk full, force.csv)",
                                "cleo": UNFINISHED}
    head = r.stdout.splitlines()[0]
    assert head.split() == ["date", "(old", "→", "new)", "trainee", "technique", "target", "score", "beyond", "R2",
                            "pops", "cycles", "thrusts", "path"]


def test_jsonl_says_it_in_stopped_early(tmp_path):
    root = _class(tmp_path / "class")
    r = gc("library", "list", root, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    got = {o["path"]: o for o in map(json.loads, r.stdout.splitlines())}
    assert {p: (o["finished"], o["stopped_early"]) for p, o in got.items()} == {
        "ana": (True, None), "ben": (False, "at 12.3 s: disk full, force.csv"), "cleo": (False, None)}
    assert list(got["ben"])[-2:] == ["finished", "stopped_early"]


def test_a_stop_without_a_time_and_one_before_any_sample(tmp_path):
    root = tmp_path / "class"
    _stop(make_session(root / "ana", cycles=3, seed=1), "disk full")              # (text alone: the reason)
    _stop(make_session(root / "ben", trainee="ben", cycles=3, seed=2),
          {"t_s": None, "reason": "no permission to write", "file": "force.csv"})
    r = gc("library", "list", root)
    assert r.returncode == 0, r.stderr
    assert _notes(r.stdout) == {"ana": "(stopped early: disk full)",
                                "ben": "(stopped early before any sample was kept: no permission to write, "
                                       "force.csv)"}


def test_a_stop_written_after_indexing_is_marked_at_the_next_list(tmp_path):
    root = tmp_path / "class"
    folder = make_session(root / "ana", cycles=3)
    assert _notes(gc("library", "list", root).stdout) == {"ana": ""}
    _stop(folder, {"t_s": 4.0, "reason": "disk full", "file": "imu.csv"})
    assert _notes(gc("library", "list", root).stdout) == {"ana": "(stopped early at 4.0 s: disk full, imu.csv)"}


def test_an_index_of_version_4_is_migrated_and_its_stops_marked(tmp_path):
    root = _class(tmp_path / "class")
    assert gc("library", "rebuild", root).returncode == 0
    db = root / INDEX_NAME
    con = sqlite3.connect(db)                  # (as gradecoach wrote it before version 5)
    con.execute("DELETE FROM schema_migrations WHERE version > 4")
    for col in ("stopped_early", "finished", "cut_off", "cut_short", "cut_short_whole",      # (versions 5, 6)
                "n_beyond_r2", "audio_s", "n_pops"):                                        # (and 10, 11, 12)
        con.execute(f"ALTER TABLE sessions DROP COLUMN {col}")
    con.commit()
    con.close()
    r = gc("library", "list", root)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert _notes(r.stdout)["ben"] == "(stopped early at 12.3 s: disk full, force.csv)"
    con = sqlite3.connect(db)
    assert con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == SCHEMA_VERSION
    assert dict(con.execute("SELECT path, stopped_early FROM sessions")) == {
        "ana": None, "ben": "at 12.3 s: disk full, force.csv", "cleo": None}
    con.close()
    r = gc("library", "list", root, "--format", "jsonl")
    assert [json.loads(line)["stopped_early"] for line in r.stdout.splitlines()] == [
        None, "at 12.3 s: disk full, force.csv", None]
