"""``screenshot`` of a session shows the target it was practised against as it was recorded
(session.json's ``extra.target_detail``): a V target's corridors judge its thrusts, and a III+
target's pacer rate draws the pacer. It judged the thrusts against the default corridors (100–160
/ 400–650 N) and drew no pacer; ``--device file:SESSION`` showed no target at all."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests._replay_shot import shot  # noqa: E402
from tests.ui.trainer._played_target import OWN_III, OWN_V, played_session  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shot_target")
    return {"V": played_session(tmp / "anna_v", tmp, "V", OWN_V),
            "III+": played_session(tmp / "anna_iii", tmp, "III+", OWN_III)}


def caption(win) -> str:
    return " ".join(win.grade_panel.caption.text().split())


@pytest.mark.parametrize("how", ["--replay", "--device"])
def test_a_thrust_is_judged_in_the_sessions_own_corridors(qtbot, tmp_path, sessions, how):
    src = ["--replay", sessions["V"]] if how == "--replay" else ["--device", f"file:{sessions['V']}"]
    win = shot(qtbot, tmp_path, *src, "--at", 2.5)
    assert (win.target.preload_n, win.target.peak_n) == ((120.0, 135.0), (500.0, 700.0))
    assert "target V" in win._status_text()
    assert caption(win).startswith("target V: off target — preload 149 N above 120–135 N"), caption(win)


def test_the_pacer_is_drawn_at_the_sessions_own_rate(qtbot, tmp_path, sessions):
    win = shot(qtbot, tmp_path, "--replay", sessions["III+"], "--at", 2)
    assert win.pacer.rate_hz == 1.2 and win.pacer.isVisible()
    win = shot(qtbot, tmp_path, "--replay", sessions["III+"], "--at", 2, "--target", "III")
    assert win.target.text == "III" and not win.pacer.isVisible()      # (--target: its own, no rate)
