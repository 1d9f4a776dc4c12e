"""A recording whose disk filled up (a real small tmpfs, as root) says so in its session.json:
when, on the recording's timeline, and why (``extra.stopped``), read back with the project's
own reader. Before, session.json was left as last written, with nothing of why the recording
ended early. session.json is rewritten over its own bytes when no file can be made beside it,
keeping what a review station saved into it meanwhile; where even that cannot be, it is left
as it was."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from firmware_bridge.session import SessionMeta, SessionWriter, open_session
from firmware_bridge.shared_write import replace_text
from tests.conftest import fill_disk, record_until_disk_full

ROOT = Path(__file__).resolve().parents[2]


def test_record_on_a_disk_that_fills_up_says_when_and_why_in_session_json(small_disk):
    p, out = record_until_disk_full(small_disk)
    assert p.returncode == 2 and p.stdout == "", (p.stdout, p.stderr)
    ses = open_session(out)
    span = ses.force.t_s[-1] - ses.force.t_s[0]
    assert p.stderr == f"gradecoach: error: {out}: disk full; the recording up to {span:.1f} s is kept\n"
    assert not ses.meta.complete and ses.meta.trainee == "Anna"
    stopped = ses.meta.extra["stopped"]
    assert stopped["reason"] == "disk full" and stopped["file"] in ("force.csv", "events.jsonl")
    assert stopped["t_s"] == pytest.approx(ses.force.t_s[-1], abs=1e-6) and 0.5 < span < 10
    assert not [f for f in out.iterdir() if f.name.endswith(".tmp")]


def _writer(folder: Path, **meta) -> SessionWriter:
    """A writer that wrote 2 s of force into ``folder``."""
    w = SessionWriter(folder, SessionMeta(trainee="Anna", r1_n=40.0, r2_n=120.0, **meta))
    t = np.arange(0, 2, 0.001)
    w.append_force(t, 80 + 30 * np.sin(2 * np.pi * 2.0 * t))
    w.flush()
    return w


def _until_refused(w: SessionWriter) -> OSError:
    """Force after the first 2 s, a second at a time, until the disk refuses it."""
    for k in range(2, 200):
        t = np.arange(k, k + 1, 0.001)
        try:
            w.append_force(t, 80 + 30 * np.sin(2 * np.pi * 2.0 * t))
            w.flush()
        except OSError as e:
            return e
    raise AssertionError("the disk never filled")


def test_a_full_disk_keeps_a_comment_saved_meanwhile_beside_the_stop(small_disk):
    """No file can be made beside session.json: it is rewritten over its own bytes, the comment
    a review station saved into it while recording kept."""
    out = small_disk / "anna"
    w = _writer(out)
    d = json.loads((out / "session.json").read_text())
    d["comments"] = [{"t_s": 1.0, "text": "elbows straighter", "author": "Ben"}]
    replace_text(out / "session.json", json.dumps(d, indent=2) + "\n")      # (the station's save)
    fill_disk(small_disk, leave=0)
    e = _until_refused(w)
    assert os.statvfs(small_disk).f_bavail == 0
    w.abandon(e)
    ses = open_session(out)
    assert not ses.meta.complete
    assert ses.meta.comments == [{"t_s": 1.0, "text": "elbows straighter", "author": "Ben"}]
    assert ses.meta.extra["stopped"] == {"t_s": pytest.approx(ses.force.t_s[-1], abs=1e-6), "reason": "disk full",
                                         "file": "force.csv"}
    assert 2.0 <= ses.force.t_s[-1] < 200


def test_a_session_json_with_no_room_left_in_it_is_left_as_it_was(small_disk):
    """session.json filling its block on the disk to the last bytes: the stop does not fit in
    it, and the file is left whole as last written."""
    out = small_disk / "anna"
    w = _writer(out)
    size = len((out / "session.json").read_bytes())
    w.meta.notes = "n" * (4096 - size - 2)              # (its text 4094 bytes: one block)
    w.write_meta()
    before = (out / "session.json").read_bytes()
    assert len(before) <= os.stat(out / "session.json").st_blocks * 512 < len(before) + 64
    fill_disk(small_disk, leave=0)
    w.abandon(_until_refused(w))
    assert (out / "session.json").read_bytes() == before
    ses = open_session(out)
    assert not ses.meta.complete and "stopped" not in ses.meta.extra and ses.force.t_s[-1] >= 2.0
