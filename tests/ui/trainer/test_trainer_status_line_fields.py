"""The status line of a recorded session with a long name, at 911×512 (1366×768 at 150 %) and
1024×600: the name shows once (the calibration taken from it reads 'from the session', it gave
the whole name a second time), 'dropped N' stays in view, and once the file has played to its
end the line still says so after the shortened name ('played to it…' before)."""

from __future__ import annotations

import pytest

from ._mic_file_session import _session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

NAME = "anna-2026-11-22-lumbar-PA-glide-session-with-audio"


@pytest.mark.parametrize("size", [(911, 512), (1024, 600), (1366, 768)])
def test_a_long_session_name_leaves_room_for_dropped_and_the_end(qtbot, tmp_path, size):
    from ui import cmd_trainer
    from ui.cli import build_parser

    session = _session(tmp_path / NAME)
    args = build_parser("trainer").parse_args(["trainer", "--device", f"file:{session}", "--trainee", "anna",
                                               "--sessions", str(tmp_path / "rec")])
    win = cmd_trainer.build(args, start=False)
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    win.refresh()
    qtbot.wait(50)
    full, shown = win.status.toolTip(), win.status.text()
    assert full.count(NAME) == 1 and "R1 40 N, R2 120 N from the session" in full
    assert "dropped 0" in shown
    assert win.status.fontMetrics().horizontalAdvance(shown) <= win.status.contentsRect().width()
    win.engine.finished = True                 # the file has played to its end
    win.refresh()
    qtbot.wait(50)
    assert "(ended; S for another source)" in win.status.text() and "dropped 0" in win.status.text()
