"""Before the first cycle the big grade shows a light dash, as a grade held back shows a light
'?': at the grade's size a black dash read as a black bar, as if something were shown."""

from __future__ import annotations

import pytest

from ui.trainer.panels import HIDDEN_COLOUR

from .conftest import built_trainer

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_no_grade_yet_is_a_light_dash(qtbot, tmp_path):
    win, _ = built_trainer(qtbot, tmp_path, "--device", "emulator:grade3")
    try:
        grade = win.grade_panel.grade
        assert grade.text() == "–"
        assert HIDDEN_COLOUR in grade.styleSheet()
    finally:
        win.close()
