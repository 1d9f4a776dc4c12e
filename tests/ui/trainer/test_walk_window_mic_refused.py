"""The HVLA tab says why a thrust's pops were not counted when the microphone asked for was
refused: ``trainer --device file:fixtures/thrust_pops.csv --mic fixtures/thrust_pops.flac`` (a
sound file, not a microphone) said "no microphone: pops not counted (key A)" under each thrust,
where the status line rightly said "a file, not a microphone" and A meets the same refusal."""

from __future__ import annotations

import pytest

from .conftest import REPO, Feeder

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_refused_microphone_is_said_under_the_thrust_not_the_key(qtbot, tmp_path):
    from ui import cmd_trainer
    from ui.cli import build_parser
    args = build_parser("trainer").parse_args(
        ["trainer", "--device", f"file:{REPO / 'fixtures' / 'thrust_pops.csv'}", "--mic",
         str(REPO / "fixtures" / "thrust_pops.flac"), "--target", "V", "--sessions", str(tmp_path / "rec")])
    win = cmd_trainer.build(args, start=False)
    qtbot.addWidget(win)
    assert win.worker.mic is None and "a file, not a microphone" in win.engine.disabled["audio"]
    Feeder(win.engine, win, REPO / "fixtures" / "thrust_pops.csv", streams=("force",)).until(8.0)
    win.refresh()
    line = win.thrust_panel.pops_line.text()
    assert win.engine.thrusts, "a thrust by 8 s"
    assert "key A" not in line, line
    assert line.startswith("pops not counted: ") and "a file, not a microphone" in line, line
    assert "gradecoach replay" not in line, line        # (the advice stays on the status line)
    assert win.thrust_panel.values["pops"].text() == "–"
