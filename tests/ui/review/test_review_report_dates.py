"""Dates read the same in the report as in the review window: "2025-03-01 10:00" (the
report's overview and each recording's facts read "2025-03-01T10:00:00")."""

from __future__ import annotations

import re

import pytest

from ui.cli import main
from ui.review.window import ReviewWindow

from .conftest import make_session
from ._report_page import Page

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_report_dates_read_as_in_the_review(tmp_path, qtbot):
    c = tmp_path / "c"
    make_session(c / "ana", trainee="ana", created="2025-03-01T10:00:00", seed=1)
    make_session(c / "ben", trainee="ben", created="2025-03-08T09:30:15", seed=2)
    out = tmp_path / "r.html"
    assert main(["report", "--class", str(c), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    head, *rows = page.tables["overview"]
    dates = [r[head.index("date")] for r in rows]
    assert dates == ["2025-03-01 10:00", "2025-03-08 09:30"]
    assert re.findall(r"<dt>date</dt><dd>(.*?)</dd>", text) == dates
    assert "T10:00" not in text and "T09:30" not in text

    win = ReviewWindow(c)
    qtbot.addWidget(win)
    assert sorted(win.proxy.index(r, 1).data() for r in range(win.proxy.rowCount())) == dates
    win.open_session(c / "ben")                    # its status line and its details say so too
    assert win.statusBar().currentMessage() == "ben: ben, 2025-03-08 09:30"
    assert win.session_view.details_dict()["recorded"] == "2025-03-08 09:30"
