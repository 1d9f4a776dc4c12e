"""A warning that reading the recording gave (its source's bad rows skipped) is at no time of the
data: the report's events CSV leaves its time blank, as replay's null, also for a session stored
before, whose events.jsonl has it at 0.0. A warning found at a time of the data keeps it."""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session_meta import SessionMeta
from firmware_bridge.session_writer import SessionWriter
from tests._cli_in_process import gc_in_process
from tests._pops_audio import CSV

READ = "file:x.csv: 1 bad row skipped (first: x.csv:7: 'oops' is not a number)"
LATER = "thrust 1: the force stays at 500 N for 40 ms at its peak"


def _stored_before(folder):
    """A recorded session whose events.jsonl was written as before: its reading warning at 0.0."""
    data = np.loadtxt(CSV, delimiter=",", skiprows=1, max_rows=5000)
    meta = SessionMeta(created="2026-12-01T09:00:00", trainee="Ana", r1_n=40.0, r2_n=120.0)
    meta.extra["source_warnings"] = [READ]
    w = SessionWriter(folder, meta)
    w.append_force(data[:, 0], data[:, 1])
    w.close()
    inp = load_input(folder)
    events = [e.to_dict() for e in analyze_input(inp, GradingScheme(40.0, 120.0))]
    assert [e for e in events if e["type"] == "warning"] == [{"type": "warning", "message": READ, "t_detect_s": None}]
    events[0]["t_detect_s"] = 0.0                       # (as written before)
    events[-1]["warnings"] = [READ, LATER]
    events.insert(-1, {"type": "warning", "message": LATER, "t_detect_s": 3.5})
    (folder / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))


def test_a_stored_reading_warning_at_0_is_at_no_time(tmp_path, capfd):
    _stored_before(tmp_path / "sess")
    r = gc_in_process(capfd, "report", tmp_path / "sess", "-o", tmp_path / "r.html", "--csv", tmp_path / "e.csv")
    assert r.returncode == 0, r.stderr
    assert "the stored analysis" in (tmp_path / "r.html").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "e.csv").read_text(encoding="utf-8-sig"))))
    times = {row["message"]: row["t_detect_s"] for row in rows if row["type"] == "warning"}
    assert times == {READ: "", LATER: "3.5"}
