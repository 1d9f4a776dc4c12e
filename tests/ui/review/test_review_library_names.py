"""Trainee names as they come: copied from a Mac (Unicode NFD), with accents and strokes."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import Qt

from ui.cli import main
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CELIK = "Zeynep Çelik"
CELIK_MAC = unicodedata.normalize("NFD", CELIK)           # "C" and a combining cedilla


@pytest.fixture
def celik(tmp_path):
    """Three sessions of Zeynep Çelik, the last recorded on a Mac, and one of Ana."""
    make_session(tmp_path / "zc1", trainee=CELIK, created="2025-03-01T10:00:00", seed=1, cycles=4)
    make_session(tmp_path / "zc2", trainee=CELIK, created="2025-03-08T10:00:00", seed=2, cycles=4)
    make_session(tmp_path / "zc3", trainee=CELIK_MAC, created="2025-03-15T10:00:00", seed=3, cycles=4)
    make_session(tmp_path / "ana", trainee="Ana", created="2025-03-02T10:00:00", seed=4, cycles=4)
    assert CELIK_MAC != CELIK
    return tmp_path


def _from_column(line, n):
    """``line`` from the ``n``-th column a terminal shows on (a combining mark takes none)."""
    seen = [i for i, c in enumerate(line) if not unicodedata.combining(c)]
    return line[seen[n]:]


def test_a_name_copied_from_a_mac_is_the_same_trainee_in_list(celik, capsys):
    """'--trainee "Zeynep Çelik"' listed 2 of her 3 sessions, the hint line named her twice,
    and the columns after her name shifted by one on the Mac session's row."""
    assert main(["library", "list", str(celik), "--trainee", CELIK]) == 0
    head, *rows = capsys.readouterr().out.splitlines()
    assert [line.split()[-1] for line in rows] == ["zc1", "zc2", "zc3"]
    for line, folder in zip(rows, ("zc1", "zc2", "zc3")):
        assert _from_column(line, head.index("trainee")).startswith(CELIK + "    ")
        assert _from_column(line, head.index("technique")).startswith("PA L4 ")
        assert _from_column(line, head.index("path")) == folder
    assert main(["library", "list", str(celik), "--trainee", CELIK_MAC]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4
    assert main(["library", "list", str(celik), "--trainee", "nobody"]) == 2
    assert capsys.readouterr().err == f"gradecoach: error: {celik}: no sessions of 'nobody' under it; trainees: Ana, {CELIK}\n"


def test_a_name_copied_from_a_mac_is_the_same_trainee_in_the_review(celik, qtbot):
    """The filter and the Progress tab found 2 of her 3 sessions."""
    win = ReviewWindow(celik)
    qtbot.addWidget(win)
    win.filter.setText("çelik")
    assert win.proxy.rowCount() == 3
    assert {win.proxy.index(i, 0).data() for i in range(3)} == {CELIK}
    win.table.selectRow(0)
    win.progress_btn.click()
    assert win.progress_view.title.text() == f"progress of {CELIK}: 3 sessions"
    win.filter.setText("")
    win.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [win.proxy.index(i, 0).data() for i in range(4)] == ["Ana", CELIK, CELIK, CELIK]


ACCENTED = ["Émile Dubois", "Emma Stone", "Łukasz Nowak", "Ólafur Jónsson", "Oscar Ito", "Zoë Müller"]


@pytest.fixture
def accented(tmp_path):
    for i, name in enumerate(reversed(ACCENTED)):
        make_session(tmp_path / f"s{i}", trainee=name, created=f"2025-03-0{i + 1}T10:00:00", seed=i, cycles=4)
    return tmp_path


def test_accented_names_sort_among_the_others(accented, qtbot, capsys):
    """The review's trainee sort and list's hint gave '… Zoë Müller, Émile Dubois, Ólafur
    Jónsson, Łukasz Nowak': accented names after Z."""
    win = ReviewWindow(accented)
    qtbot.addWidget(win)
    win.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [win.proxy.index(i, 0).data() for i in range(len(ACCENTED))] == ACCENTED
    win.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [win.proxy.index(i, 0).data() for i in range(len(ACCENTED))] == ACCENTED[::-1]
    assert main(["library", "list", str(accented), "--trainee", "x"]) == 2
    assert capsys.readouterr().err.endswith(f"trainees: {', '.join(ACCENTED)}\n")
