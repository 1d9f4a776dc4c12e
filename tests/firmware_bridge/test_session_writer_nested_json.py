"""A session.json rewritten while recording as JSON nested 100000 deep (by a review station or a
person) is read back by the writer on its next rewrite, to keep the comments saved into it: the
reading raised RecursionError and the recording ended in a traceback. It is now taken as a file
that is not JSON is: nothing to keep, the writer's own session.json written over it."""

from __future__ import annotations

import json

import numpy as np

from firmware_bridge.session import SessionMeta, SessionWriter, open_session


def test_a_session_json_nested_too_deep_mid_recording_is_written_over_and_the_recording_goes_on(tmp_path):
    folder = tmp_path / "anna"
    t = np.arange(0.0, 2.0, 0.002)
    f = 60 + 8 * np.sin(2 * np.pi * 2.0 * t)
    w = SessionWriter(folder, SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0))
    w.append_force(t[:500], f[:500])
    w.flush()
    deep = 100000
    (folder / "session.json").write_text('{"comments": ' + "[" * deep + "]" * deep + "}", encoding="utf-8")
    w.mark_gap(0.5, 0.6, "disconnected")            # session.json rewritten, the file read first
    w.append_force(t[500:], f[500:])
    w.close(500.0)
    meta = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    assert meta["trainee"] == "anna" and meta["gaps"] and meta["comments"] == []
    s = open_session(folder)
    assert len(s.force.t_s) == len(t)
    assert s.meta.trainee == "anna"


def test_a_session_json_that_is_not_json_mid_recording_is_written_over_alike(tmp_path):
    folder = tmp_path / "anna"
    w = SessionWriter(folder, SessionMeta(trainee="anna"))
    w.append_force(np.arange(0.0, 1.0, 0.002), np.full(500, 60.0))
    w.flush()
    (folder / "session.json").write_text('{"comments": [', encoding="utf-8")
    w.close(500.0)
    assert json.loads((folder / "session.json").read_text(encoding="utf-8"))["trainee"] == "anna"
