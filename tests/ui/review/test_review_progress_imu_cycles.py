"""The library index counts the cycles of a recording made with a hand-worn IMU alone, and the
Progress tab shows them as the report's overview and Compare do ("16 (IMU)"); the index stored 0
for it, shown as if the mobilisation had not been done. An index written before it kept that
count is brought up to date on opening (its IMU-only rows read again), not refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ui.library import INDEX_NAME, Library

from .conftest import mobilisation_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _progress_cycles(win) -> list[str]:
    t = win.progress_view.table
    heads = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    return [t.item(r, heads.index("cycles")).text() for r in range(t.rowCount())]


def _as_an_older_index(index: Path) -> None:
    """``index`` as the version before the IMU's cycles were kept: no such column, its rows
    signed as read (so they look unchanged)."""
    con = sqlite3.connect(index)
    for column in ("n_imu_cycles", "stopped_early",                # (added by versions 4 and 5)
                   "finished", "cut_off", "cut_short", "cut_short_whole",       # (and 6)
                   "n_beyond_r2", "audio_s", "n_pops"):                          # (and 10, 11, 12)
        if column in [r[1] for r in con.execute("PRAGMA table_info(sessions)")]:
            con.execute(f"ALTER TABLE sessions DROP COLUMN {column}")
    con.execute("DELETE FROM schema_migrations WHERE version > 3")
    con.commit()
    con.close()


@pytest.mark.parametrize("older", [False, True], ids=["new index", "index of the version before"])
def test_progress_counts_an_imu_only_sessions_cycles_as_the_imus(qtbot, tmp_path, capsys, older):
    root, imu, both = mobilisation_sessions(tmp_path)
    capsys.readouterr()
    if older:
        with Library(root) as lib:
            lib.refresh()
        _as_an_older_index(root / INDEX_NAME)
    win = shown_review(qtbot, root)
    assert "unreadable" not in win.lib_status.text() and "not updated" not in win.lib_status.text()
    n_imu = len(win.open_session(imu).of_type("imu_cycle"))     # (as its details count them)
    assert n_imu >= 12
    win.show_progress("Mia")
    assert win.tabs.currentWidget() is win.progress_view
    rs_both = win.open_session(both)
    assert _progress_cycles(win) == [f"{n_imu} (IMU)", str(len(rs_both.of_type("cycle")))]
    if not older:
        win.tabs.setCurrentWidget(win.progress_view)
        qtbot.wait(20)
        ARTIFACTS.mkdir(exist_ok=True)
        win.grab().save(str(ARTIFACTS / "review_progress_imu_cycles.png"))
