"""The feedback schedule a session was practised with (session.json's ``extra.feedback``, and
``extra.feedback_changes`` when F chose another while recording) is in the review's session
details and the report's, named as the trainer names it ("terminal"), with when it changed; it
was in neither, so an instructor could not tell a blind set from one graded live."""

from __future__ import annotations

import json
import re

import pytest

from ui.cli import main
from ui.review.data import open_review
from ui.review.session_view import SessionView

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _with_feedback(folder, feedback, changes=None):
    """``folder``'s session.json saying the trainer showed ``feedback`` at the start, and
    ``changes`` (``[(t_s, schedule)]``) as it writes them."""
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    meta["extra"]["feedback"] = feedback
    if changes is not None:
        meta["extra"]["feedback_changes"] = [{"t_s": t, "feedback": m} for t, m in changes]
    mp.write_text(json.dumps(meta))
    return folder


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    return make_session(tmp_path_factory.mktemp("fb") / "ana", cycles=3)


def _details(qtbot, folder) -> list[tuple[str, str]]:
    view = SessionView()
    qtbot.addWidget(view)
    view.set_session(open_review(folder))
    out = [(view.details.item(i, 0).text(), view.details.item(i, 1).text()) for i in range(view.details.rowCount())]
    view.close_session()
    return out


def _report_facts(tmp_path, folder) -> list[tuple[str, str]]:
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    return re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", out.read_text(encoding="utf-8"))


def test_a_schedule_changed_while_recording_is_said_with_when(qtbot, tmp_path, session):
    # (written out of order, as a list joined by hand may be; a repeat of the schedule shown is no change)
    _with_feedback(session, "terminal", [(9.3, "blind"), (4.5, "faded"), (6.0, "faded")])
    want = [("feedback", "terminal"), ("feedback from 4.5 s", "faded"), ("feedback from 9.3 s", "blind")]
    rows = _details(qtbot, session)
    assert [r for r in rows if r[0].startswith("feedback")] == want, rows
    facts = _report_facts(tmp_path, session)
    assert [f for f in facts if f[0].startswith("feedback")] == want, facts


def test_one_schedule_throughout_is_one_row(qtbot, tmp_path, session):
    _with_feedback(session, "concurrent", [])
    assert [r for r in _details(qtbot, session) if r[0].startswith("feedback")] == [("feedback", "concurrent")]
    assert [f for f in _report_facts(tmp_path, session) if f[0].startswith("feedback")] == [("feedback", "concurrent")]


def test_a_recording_made_without_the_trainer_names_none(qtbot, tmp_path):
    """``gradecoach record`` shows no grades at all: no schedule is made up for it."""
    folder = make_session(tmp_path / "rec", cycles=2)
    assert not [r for r in _details(qtbot, folder) if r[0].startswith("feedback")]
    assert not [f for f in _report_facts(tmp_path, folder) if f[0].startswith("feedback")]


def test_a_schedule_this_version_does_not_know_is_named_as_written_not_shown_as_concurrent(qtbot, tmp_path, session):
    """A session.json from another version (or edited by hand) naming a schedule not known here
    read "feedback: concurrent" in the details and the report: a set practised without live
    grades passed for one graded live."""
    _with_feedback(session, "summary", [(5.0, "blind"), (8.0, "weekly digest")])
    odd = " (a schedule this version does not know)"
    want = [("feedback", "summary" + odd), ("feedback from 5.0 s", "blind"),
            ("feedback from 8.0 s", "weekly digest" + odd)]
    assert [r for r in _details(qtbot, session) if r[0].startswith("feedback")] == want
    assert [f for f in _report_facts(tmp_path, session) if f[0].startswith("feedback")] == want
