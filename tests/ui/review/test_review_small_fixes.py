"""Small things the review and the library say and keep."""

from __future__ import annotations

import pytest

from ui.cli import main
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_grades_line_says_where_the_grades_come_from_in_words(qtbot, tmp_path):
    """It read '(events from stored)' and '(events from analysis)'."""
    make_session(tmp_path / "stored", kinds=("III",), target="III")
    make_session(tmp_path / "bare", kinds=("III",), target="III", events=False, seed=1)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.open_session(tmp_path / "stored")
    assert win.session_view.grades.text().endswith("  (from the stored events)")
    win.open_session(tmp_path / "bare")
    assert win.session_view.grades.text().endswith("  (analysed again from the raw data)")


def test_a_lone_unreadable_session_is_not_called_no_session(tmp_path, capsys):
    """The warning that session.json is not UTF-8 text was followed by 'no session folders
    (with session.json) under …', which it contradicted."""
    folder = make_session(tmp_path / "latin1", kinds=("III",), target="III")
    mp = folder / "session.json"
    mp.write_bytes(mp.read_text(encoding="utf-8").replace('"ana"', '"Ren\u00e9e"').encode("latin-1"))
    assert main(["library", "list", str(tmp_path)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[0].startswith("gradecoach: warning: ") and "UTF-8" in err[0]
    assert err[1] == f"gradecoach: the one session folder under {tmp_path} could not be read"
    make_session(tmp_path / "other", kinds=("III",), target="III", seed=1)
    (tmp_path / "other" / "session.json").write_bytes(mp.read_bytes())
    assert main(["library", "list", str(tmp_path)]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == (f"gradecoach: none of the 2 session folders under "
                                                        f"{tmp_path} could be read")


def test_a_selected_session_renamed_stays_selected_after_refresh(qtbot, tmp_path):
    """Renaming the selected session's folder and pressing F5 lost the selection."""
    for i, name in enumerate(("ana-w1", "ana-w2", "ben-w1")):
        make_session(tmp_path / name, trainee=name[:3], created=f"2025-03-0{i + 1}T10:00:00", seed=i, cycles=4)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    row = next(i for i in range(3) if win.proxy.index(i, 1).data().startswith("2025-03-02"))
    win.table.selectRow(row)
    (tmp_path / "ana-w2").rename(tmp_path / "ana week 2")
    win.refresh_library()
    assert [win._folder(i) for i in win._selected_rows()] == [str(tmp_path / "ana week 2")]
