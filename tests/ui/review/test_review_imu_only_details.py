"""The session details of a recording made with a hand-worn IMU alone name its cycles once, as
the IMU's ("IMU cycles: 16, 2.1 mm and 1.54 Hz on average"); a "cycles: 0" row of force cycles
stood beside them, read as if none had been done. With force and the IMU together both rows stay:
the force's graded cycles and the IMU's view of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.review.data import describe_imu

from .conftest import mobilisation_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _shown_rows(view) -> dict[str, str]:
    """The details table's rows as drawn (label: value)."""
    t = view.details
    return {t.item(r, 0).text(): t.item(r, 1).text() for r in range(t.rowCount()) if not t.isRowHidden(r)}


def test_an_imu_only_sessions_details_count_its_cycles_once(qtbot, tmp_path, capsys):
    root, imu, both = mobilisation_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    view = win.session_view
    rs = win.open_session(imu)
    qtbot.waitUntil(lambda: view.rs.movement is not None, timeout=10000)
    n = len(rs.of_type("imu_cycle"))
    assert n >= 12
    rows = _shown_rows(view)
    assert "cycles" not in rows and "on target" not in rows
    assert rows["IMU cycles"] == describe_imu(rs.events) and rows["IMU cycles"].startswith(f"{n}, ")
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_imu_only_details.png"))

    # the same mobilisation with force: its graded cycles and the IMU's, each named
    rs = win.open_session(both)
    rows = _shown_rows(view)
    assert rows["cycles"] == str(len(rs.of_type("cycle"))) != "0"
    assert rows["IMU cycles"].startswith(f"{len(rs.of_type('imu_cycle'))}, ")
