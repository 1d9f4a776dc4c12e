"""``gradecoach record`` says the warnings of the recording's summary on stderr at its end, as
``replay`` says them ("gradecoach: warning: ..."): they were only stored in events.jsonl, so a
recording whose sound was partly read as silence ended with "recorded N samples ..." alone."""

from __future__ import annotations

import json
from pathlib import Path

from tests._warning_session import played_session, said
from tests._cli_in_process import gc_here

ROOT = Path(__file__).resolve().parents[1]


def record(tmp_path: Path, n_bad: int):
    audio = played_session(tmp_path / "anna", n_bad)
    out = tmp_path / "again"
    r = gc_here("record", "--device", f"file:{tmp_path / 'anna'}", "--out", out, "--quiet")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    return audio, out, r


def test_record_says_the_summary_warning_naming_the_audio_file(tmp_path):
    audio, out, r = record(tmp_path, 170)
    assert r.stdout.startswith("recorded ")
    warned = [ln for ln in r.stderr.splitlines() if ln.startswith("gradecoach: warning: ")]
    assert warned == [f"gradecoach: warning: {said(audio, 170)}"]
    summary = [json.loads(x) for x in (out / "events.jsonl").read_text().splitlines()][-1]
    assert [f"gradecoach: warning: {w}" for w in summary["warnings"]] == warned


def test_a_clean_recording_says_no_warning(tmp_path):
    _, _, r = record(tmp_path, 0)
    assert "warning" not in r.stderr, r.stderr
