"""The review window's filter finds a trainee whatever the accents typed or left out, and in
either Unicode form, as the library sorts them."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtTest import QTest

from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CELIK_MAC = unicodedata.normalize("NFD", "Zeynep Çelik")      # as typed on a Mac


@pytest.fixture
def win(tmp_path, qtbot):
    for i, name in enumerate(["Émile Dubois", "Ana María López", CELIK_MAC, "Łukasz Nowak", "Emma Stone"]):
        make_session(tmp_path / f"s{i}", trainee=name, created=f"2025-03-0{i + 1}T10:00:00", seed=i, cycles=4)
    w = ReviewWindow(tmp_path)
    qtbot.addWidget(w)
    return w


def _shown(win):
    return sorted(win.proxy.index(i, 0).data() for i in range(win.proxy.rowCount()))


@pytest.mark.parametrize("typed, found", [("emile", "Émile Dubois"), ("lopez", "Ana María López"),
                                          ("celik", "Zeynep Çelik"), ("ÇELIK", "Zeynep Çelik"),
                                          ("lukasz", "Łukasz Nowak"), ("Émile", "Émile Dubois"),
                                          (unicodedata.normalize("NFD", "maría"), "Ana María López")])
def test_the_filter_ignores_accents_and_unicode_form(win, typed, found):
    """'emile' found no row where 'Émile' was shown, nor 'lopez' 'López' or 'celik' a Mac's 'Çelik'."""
    QTest.keyClicks(win.filter, typed) if typed.isascii() else win.filter.setText(typed)
    assert _shown(win) == [found]


def test_the_filter_still_reads_dates_and_finds_nothing_where_nothing_matches(win):
    win.filter.setText("03-02")
    assert _shown(win) == ["Ana María López"]
    win.filter.setText("emilie")
    assert _shown(win) == []
    win.filter.setText("")
    assert len(_shown(win)) == 5
