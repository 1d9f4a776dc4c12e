"""Temporary messages in the status bar of a 1024 px window: the microphone's refusal beside a
recording with its own sound keeps its advice, '(S for another source …)', whatever the
recording's name (it was 1137 px, cut mid-word); a longer message is cut at a word with "…",
the whole of it in the status bar's tooltip."""

from __future__ import annotations

import pytest

from ._mic_file_session import _session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _window(qtbot, tmp_path, name):
    from ui import cmd_trainer
    from ui.cli import build_parser

    session = _session(tmp_path / name)
    args = build_parser("trainer").parse_args(["trainer", "--device", f"file:{session}", "--mic", "default",
                                               "--sessions", str(tmp_path / "rec")])
    win = cmd_trainer.build(args, start=False)
    qtbot.addWidget(win)
    win.resize(1024, 600)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_microphone_refusal_keeps_its_advice_at_1024_px(qtbot, tmp_path):
    win = _window(qtbot, tmp_path, "anna-2026-11-22-lumbar-PA-glide-session-with-audio")
    bar = win.statusBar()
    said = bar.currentMessage()
    assert said.startswith("microphone not turned on: session anna-")
    assert said.endswith("(S for another source to use the microphone)")
    assert bar.shown_message() == said
    assert bar.fontMetrics().horizontalAdvance(said) <= bar.message_rect().width()
    assert bar.toolTip() == ""


def test_a_long_message_is_cut_at_a_word_and_whole_in_the_tooltip(qtbot, tmp_path):
    win = _window(qtbot, tmp_path, "anna")
    bar = win.statusBar()
    long = ("reading session anna-2026-11-22-lumbar-PA-glide-session-with-audio; recording saved as "
            "anna-2026-11-30-lumbar-PA-glide-1 (Space records again); microphone not turned on: session "
            "anna-2026-11-22-lumbar-PA-glide-session-with-audio plays its own sound")
    bar.showMessage(long, 8000)
    qtbot.wait(50)
    shown = bar.shown_message()
    assert shown.endswith("…") and long.startswith(shown[:-1])
    assert long[len(shown) - 1] in " ;(,:"                 # (the cut falls between words)
    assert bar.fontMetrics().horizontalAdvance(shown) <= bar.message_rect().width()
    assert bar.toolTip() == long
    assert win.grab().width() == 1024
    bar.clearMessage()
    assert bar.toolTip() == ""


def test_the_advice_before_a_saved_recording_shows_beside_the_recording_label(qtbot, tmp_path):
    win = _window(qtbot, tmp_path, "anna")
    win.rec_label.setText("saved 20261130-165118")
    bar = win.statusBar()
    said = ("reading session anna-20…sion-with-audio; microphone not turned on: it plays its own sound "
            "(S for another source to use the microphone); recording saved as 20261130-165118 (Space records again)")
    bar.showMessage(said, 8000)
    qtbot.wait(50)
    assert bar.shown_message() == said[:said.index(";", 60)] + "…"    # (cut after the advice's bracket)
