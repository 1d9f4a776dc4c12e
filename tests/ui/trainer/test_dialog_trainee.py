"""The trainee dialog (key N) is wide enough for a long name and its placeholder (it was 214 px:
a long name scrolled and the placeholder was cut)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

LONG = "Maria-Magdalena Żółkiewska-Østergaard de la Fuente-Rodríguez"
TECHNIQUE = "Posterior-anterior unilateral glide L4/L5, prone"


def test_a_long_name_and_the_placeholder_are_shown_whole(qtbot):
    from ui.trainer.dialogs import TraineeDialog
    dlg = TraineeDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    for edit in (dlg.trainee_edit, dlg.technique_edit):
        room = edit.contentsRect().width() - 8        # (the text's own margins inside the frame)
        assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= room
    dlg.trainee_edit.setText(LONG)
    dlg.technique_edit.setText(TECHNIQUE)
    for edit in (dlg.trainee_edit, dlg.technique_edit):
        room = edit.contentsRect().width() - 8
        assert edit.fontMetrics().horizontalAdvance(edit.text()) <= room, edit.text()
