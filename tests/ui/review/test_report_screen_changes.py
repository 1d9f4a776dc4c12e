"""A recording during which the trainer's screen graded with another target or calibration
(session.json's ``extra.screen_changes``) says so in the report, after its calibration, worded as
the review's session details word it: "screen from 5.1 s: target IV-, R1 30 N, R2 100 N", then
"the recording's own again". The report showed only the recording's own settings, as if the
trainee had seen its grades all through. Made by the real command line on a folder the
trainer's recorder wrote."""

from __future__ import annotations

import json

import pytest

from ui.cli import main
from ui.review.data import describe_session, open_review

from ._report_page import Page
from ._screen_change_facts import facts
from ._screen_changes import _recorded_with_screen_changes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_report_says_what_the_trainers_screen_graded_with(tmp_path, capsys):
    folder = _recorded_with_screen_changes(tmp_path / "root" / "ana")
    written = json.loads((folder / "session.json").read_text())["extra"]["screen_changes"]
    at = [f"screen from {c['t_s']:.1f} s" for c in written]
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    Page(text)                                                    # (well formed)
    (rows,) = facts(text)
    keys = [k for k, _ in rows]
    # after the recording's own calibration, one row per change at its recording time
    assert dict(rows)["calibration"].startswith("R1 40.0 N, R2 120.0 N")
    assert keys[keys.index("calibration") + 1:][:2] == at
    assert dict(rows)[at[0]] == "target IV-, R1 30 N, R2 100 N"
    assert dict(rows)[at[1]] == "the recording's own again"
    # worded as the review's session details word them
    review = dict(describe_session(open_review(folder, movement=False)))
    assert [dict(rows)[k] for k in at] == [review[k] for k in at]

    # a report graded with other settings than the recording's names the recording's own
    assert main(["report", str(folder), "--r1", "50", "--r2", "150", "-o", str(out)]) == 0
    (rows,) = facts(out.read_text(encoding="utf-8"))
    assert dict(rows)["calibration"].startswith("R1 50.0 N, R2 150.0 N")
    assert dict(rows)[at[0]] == "target IV-, R1 30 N, R2 100 N"
    assert dict(rows)[at[1]] == "the recording's own again: target III, R1 40 N, R2 120 N"
    capsys.readouterr()


def test_a_report_of_a_recording_without_screen_changes_has_no_such_row(tmp_path, capsys):
    from .conftest import make_session
    folder = make_session(tmp_path / "s1")
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    (rows,) = facts(out.read_text(encoding="utf-8"))
    assert not [k for k, _ in rows if k.startswith("screen")]
    capsys.readouterr()
