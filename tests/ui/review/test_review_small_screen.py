"""The review window fits an 800×480 screen, as the trainer does. It could not be made smaller
than 914×524: the library's two buttons side by side held its panel 296 px wide, and the
session's side panel (calibration and comment forms, a row each) held the window that tall."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _cut(w) -> str | None:
    """How a visible label, field or button is cut, if it is: narrower or shorter than its
    text needs (a wrapped label: than its lines need at its width)."""
    if isinstance(w, QLabel) and w.wordWrap() and w.text():
        if w.height() < w.heightForWidth(w.width()):
            return f"{w.height()} px tall for {w.heightForWidth(w.width())}"
        return None
    if isinstance(w, (QLabel, QAbstractButton)) and w.text():
        if w.width() < w.minimumSizeHint().width() or w.height() < w.fontMetrics().height():
            return f"{w.width()}x{w.height()} for {w.minimumSizeHint().width()} px"
    if isinstance(w, QLineEdit) and w.height() < w.fontMetrics().height():
        return f"{w.height()} px tall"
    return None


def test_a_session_opened_at_800_by_480_fits_whole(qtbot, tmp_path):
    folder = make_session(tmp_path / "ana", kinds=("III", "V"), target="III", audio=True)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.resize(800, 480)
    win.show()
    qtbot.waitExposed(win)
    win.open_session(folder)
    qtbot.wait(50)
    path = tmp_path / "review_800x480.png"
    assert win.grab().save(str(path))
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / "review_800x480.png")      # to look at
    hint = win.minimumSizeHint()
    assert hint.width() <= 800 and hint.height() <= 480, hint
    assert (win.width(), win.height()) == (800, 480)
    assert win.statusBar().geometry().bottom() < win.height()
    v = win.session_view
    # every word in view, in the library panel and the session's
    for w in [*win.split.widget(0).findChildren(QLabel), *win.split.widget(0).findChildren(QAbstractButton),
              *win.split.widget(0).findChildren(QLineEdit), *v.findChildren(QLabel), *v.findChildren(QAbstractButton),
              *v.findChildren(QLineEdit)]:
        if w.isVisible() and w.window() is win and not w.objectName().startswith("qt_"):
            assert _cut(w) is None, (type(w).__name__, getattr(w, "text", lambda: "")(), _cut(w))
    # the side panel's parts one under the other, none over another
    parts = [w for w in (v.details, v.events_table, v.cal, v.grades, v.status) if w.isVisible()]
    parts.append(v.comment_btn.parentWidget())
    tops = sorted((w.geometry() for w in parts), key=lambda r: r.top())
    for above, below in zip(tops, tops[1:]):
        assert above.bottom() < below.top(), (above, below)
    # the plots still plots, the event list a list
    assert v.detail.height() >= 150 and v.detail.width() >= 200, v.detail.size()
    assert v.overview.height() >= 50 and v.audio_plot.height() >= 50
    assert v.slider.width() >= v.detail.width() - 10         # (it was squeezed to its handle)
    rows = v.events_table.viewport().height() / v.events_table.verticalHeader().defaultSectionSize()
    assert rows >= 2.5, rows
