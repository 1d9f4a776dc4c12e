"""``screenshot --device file:SESSION`` ties a played session's pops with the pop window it was
recorded with (session.json's ``extra.pop_window_ms``), as the trainer playing it does; it tied
them with the default 150 ms. Here a pop 200 ms after the thrust's peak, kept 250 ms."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests._pop_window import edit_extra, pop_session  # noqa: E402
from tests._replay_shot import shot  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize("flags, tied", [([], [0]), (["--pop-window", 150], [None])], ids=["its own", "given"])
def test_a_played_sessions_pop_window_ties_its_pops(qtbot, tmp_path, flags, tied):
    played = edit_extra(pop_session(tmp_path / "anna", tmp_path), pop_window_ms=250)
    win = shot(qtbot, tmp_path, "--device", f"file:{played}", "--at", 2.9, *flags)
    assert [p.thrust for p in win.engine.pops] == tied
