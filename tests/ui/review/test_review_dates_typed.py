"""A creation time typed by hand, not in ISO form, is shown as typed."""

from __future__ import annotations

import pytest

from ui.cli import main
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

TYPED = "Tue Nov 18 08:30:00 2026"


def test_a_date_typed_by_hand_keeps_its_letters(tmp_path, capsys, qtbot):
    """It read " ue Nov 18 08:30": the T of an ISO time was replaced wherever it stood."""
    make_session(tmp_path / "typed", trainee="Tom", created=TYPED)
    make_session(tmp_path / "iso", trainee="Tom", created="2026-11-19T09:15:00", seed=1)
    assert main(["library", "list", str(tmp_path)]) == 0
    dates = [line[:16] for line in capsys.readouterr().out.splitlines()[1:]]
    assert sorted(dates) == ["2026-11-19 09:15", "Tue Nov 18 08:30"]
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    assert sorted(win.proxy.index(i, 1).data() for i in range(2)) == ["2026-11-19 09:15", "Tue Nov 18 08:30"]
    win.open_session(tmp_path / "typed")
    assert win.session_view.details_dict()["recorded"] == "Tue Nov 18 08:30"
