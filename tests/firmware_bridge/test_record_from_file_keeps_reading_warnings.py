"""``record --device file:X.csv`` keeps what reading the played file found (its bad rows skipped)
with the recording: session.json's ``extra.source_warnings``, a warning in its events, and said by
``replay`` of the folder (and so by the report and the review, which read it alike). The recorder
said it once while recording and kept no trace of it, so the recording it made looked clean."""

from __future__ import annotations

import json

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import finish_meta, first_chunks, new_meta, record
from firmware_bridge.session import SessionWriter
from firmware_bridge.sources import FileSource
from tests._cli_in_process import gc_in_process

RATE_HZ = 200.0


def _logger_csv(path):
    """3 s of 1.5 Hz oscillations at 200 Hz, two of its force cells unreadable."""
    t = np.arange(0.0, 3.0, 1 / RATE_HZ)
    rows = [f"{a:.3f},{60 + 30 * np.sin(2 * np.pi * 1.5 * a):.3f}" for a in t]
    rows[100], rows[300] = f"{t[100]:.3f},n/a", f"{t[300]:.3f},n/a"
    path.write_text("t_s,force_n\n" + "\n".join(rows) + "\n")
    return path


def _recorded(played, out):
    """``record --device file:PLAYED --out OUT``, played fast: what it said."""
    src = FileSource(str(played), speed=50.0)
    src.open()
    said: list[str] = []
    w = SessionWriter(out, new_meta(src, GradingScheme(40, 120)))
    try:
        res = record(src, w, GradingScheme(40, 120), pending=first_chunks(src), notice=said.append)
        finish_meta(w, src, res)
    finally:
        src.close()
        w.close(RATE_HZ)
    return said


def test_a_recording_of_a_file_with_bad_rows_keeps_its_reading_warning(tmp_path, capfd):
    played = _logger_csv(tmp_path / "logger.csv")
    said = _recorded(played, tmp_path / "sess")
    told = [s for s in said if "bad rows skipped" in s]
    assert told == [f"file:{played}: 2 bad rows skipped (first: {played}:102: non-numeric cell 'n/a')"]

    meta = json.loads((tmp_path / "sess" / "session.json").read_text())
    assert meta["extra"]["source_warnings"] == told
    events = [json.loads(x) for x in (tmp_path / "sess" / "events.jsonl").read_text().splitlines()]
    assert [e["message"] for e in events if e["type"] == "warning"] == told
    assert events[-1]["type"] == "summary" and told[0] in events[-1]["warnings"]

    r = gc_in_process(capfd, "replay", tmp_path / "sess", "--r1", "40", "--r2", "120", "-o", tmp_path / "r.jsonl")
    assert r.returncode == 0, r.stderr
    assert [x for x in r.stderr.splitlines() if "bad rows" in x] == [
        f"gradecoach: warning: {tmp_path / 'sess'}: {told[0]}"]
