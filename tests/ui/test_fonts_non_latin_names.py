"""Trainee names in other scripts are drawn, not shown as empty boxes: the screenshot's status
line and the report's score chart use the application's font, and the system fonts setup installs
(scripts/setup.sh) include one with Chinese, Japanese and Korean characters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication


def _drawn(text: str) -> bytes:
    img = QImage(64, 40, QImage.Format.Format_Grayscale8)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setFont(QApplication.font())
    p.setPen(QColor("black"))
    p.drawText(img.rect(), Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    return bytes(img.constBits())


@pytest.mark.parametrize("a, b", [("山", "田"), ("ひ", "ら"), ("김", "박"), ("Ж", "Щ"), ("α", "ω")])
def test_two_characters_of_a_name_are_drawn_differently(qapp, a, b):
    blank = _drawn(" ")
    # a font without them draws each as the same empty box
    assert _drawn(a) != blank and _drawn(a) != _drawn(b)
