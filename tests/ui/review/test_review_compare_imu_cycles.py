"""Compare: a mobilisation recorded with a hand-worn IMU alone beside the same one with force
counts its cycles as the IMU's ("16 (IMU)"), as its session details and the report do; the
cycles row said 0 for it beside the force's 16, as if it had not been done."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.review.compare import CompareView
from ui.review.data import open_review

from .conftest import mobilisation_sessions

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_compare_counts_an_imu_only_sessions_cycles_as_the_imus(qtbot, tmp_path, capsys):
    _, imu, both = mobilisation_sessions(tmp_path)
    capsys.readouterr()
    cv = CompareView()
    qtbot.addWidget(cv)
    cv.resize(1200, 800)
    cv.show()
    qtbot.waitExposed(cv)
    a, b = open_review(both, movement=False), open_review(imu, movement=False)
    cv.set_sessions(a, b)
    qtbot.wait(20)
    heads = [cv.table.verticalHeaderItem(r).text() for r in range(cv.table.rowCount())]
    row = heads.index("cycles")
    n_imu = len(b.of_type("imu_cycle"))
    assert n_imu >= 12
    assert [cv.table.item(row, c).text() for c in (0, 1)] == [str(len(a.of_type("cycle"))), f"{n_imu} (IMU)"]
    assert cv.table.item(row, 0).text() != "0"
    ARTIFACTS.mkdir(exist_ok=True)
    cv.grab().save(str(ARTIFACTS / "review_compare_imu_cycles.png"))
