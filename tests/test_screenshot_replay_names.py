"""``screenshot --device file:SESSION`` shows who practised in the session and what, and its
target, as ``screenshot --replay SESSION`` does: its status line read "no trainee (press N)" and
"no target (press T)"."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests._replay_shot import shot  # noqa: E402
from tests.ui.trainer._played_target import OWN_V, played_session  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("how", ["--replay", "--device"])
def test_the_status_line_names_the_sessions_trainee_and_target(qtbot, tmp_path, how):
    session = played_session(tmp_path / "anna", tmp_path, "V", OWN_V, trainee="anna", technique="HVLA T6")
    win = shot(qtbot, tmp_path, *(["--replay", session] if how == "--replay" else ["--device", f"file:{session}"]),
               "--at", 1)
    fields = win._status_text().split(" · ")
    assert fields[0] == "anna (HVLA T6)" and "target V" in fields, fields
