"""``screenshot --replay SESSION`` shows the feedback schedule the session showed at --at, as its
session.json keeps it (``extra.feedback``, and ``extra.feedback_changes`` from key F while
recording), unless --feedback is given: it drew "feedback concurrent" whatever the trainee saw."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests._replay_shot import shot  # noqa: E402
from tests.ui.trainer._played_target import OWN_V, played_session  # noqa: E402
from ui.cli import main  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shot_feedback")
    folder = played_session(tmp / "anna", tmp, "V", OWN_V,
                            feedback_changes=[{"t_s": 1.0, "feedback": "terminal"},
                                              {"t_s": 2.0, "feedback": "blind"}])
    return folder


def _schedule(win) -> str:
    return next(f for f in win._status_text().split(" · ") if f.startswith("feedback "))


@pytest.mark.parametrize("at, flags, shown", [(0.5, [], "concurrent"), (1.5, [], "terminal"), (2.5, [], "blind"),
                                              (2.5, ["--feedback", "faded"], "faded")])
def test_the_schedule_in_force_at_the_time_is_shown(qtbot, tmp_path, session, at, flags, shown):
    win = shot(qtbot, tmp_path, "--replay", session, "--at", at, *flags)
    assert win.schedule.mode == shown and _schedule(win) == f"feedback {shown}"


def test_an_unknown_schedule_is_one_line(tmp_path, session, capsys):
    assert main(["screenshot", "--replay", str(session), "--at", "1", "-o", str(tmp_path / "x.png"),
                 "--feedback", "loud"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == ["gradecoach: error: unknown feedback schedule 'loud'; use one of "
                   "concurrent, terminal, faded, bandwidth, blind"], err


def test_changes_out_of_order_are_taken_by_their_times(qtbot, tmp_path):
    """A feedback_changes list not in time order (edited by hand, or joined from two): the schedule
    at --at is the one changed to last before it by time, not by its place in the list."""
    folder = played_session(tmp_path / "ben", tmp_path, "V", OWN_V,
                            feedback_changes=[{"t_s": 2.0, "feedback": "blind"},
                                              {"t_s": 1.0, "feedback": "terminal"}])
    assert shot(qtbot, tmp_path, "--replay", folder, "--at", 2.5).schedule.mode == "blind"
