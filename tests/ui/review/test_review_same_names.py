"""Two recordings with the same folder name (in different groups) are told apart wherever
they are shown side by side."""

from __future__ import annotations

import pytest

from ui.cli import main
from ui.review.window import ReviewWindow

from .conftest import make_session
from ._report_page import Page

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def groups(tmp_path):
    make_session(tmp_path / "class" / "groupA" / "s1", trainee="dan", kinds=("I",), target="I", seed=5)
    make_session(tmp_path / "class" / "groupB" / "s1", trainee="eve", kinds=("IV",), target="IV", seed=6)
    make_session(tmp_path / "class" / "groupB" / "s2", trainee="eve", kinds=("IV",), target="IV", seed=7)
    return tmp_path / "class"


def test_class_report_names_them_with_their_group(groups, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", "--class", str(groups), "-o", str(out)]) == 0
    page = Page(out.read_text(encoding="utf-8"))
    assert [r["recording"] for r in page.table("overview")] == ["groupA/s1", "groupB/s1", "s2"]
    text = out.read_text(encoding="utf-8")
    assert "<h2>1. groupA/s1</h2>" in text and "<h2>2. groupB/s1</h2>" in text and "<h2>3. s2</h2>" in text
    alts = [i["alt"] for i in page.images]
    assert "force of groupA/s1" in alts and "force of groupB/s1" in alts


def test_compare_names_them_with_their_group(groups, qtbot):
    win = ReviewWindow(groups)
    qtbot.addWidget(win)
    win.compare(groups / "groupA" / "s1", groups / "groupB" / "s1")
    cv = win.compare_view
    assert [cv.table.horizontalHeaderItem(i).text() for i in range(2)] == ["groupA/s1", "groupB/s1"]
    assert cv.titles[0].text().startswith("groupA/s1 — dan") and cv.titles[1].text().startswith("groupB/s1 — eve")
