"""A session recorded with a hand-worn IMU only (no force sensor): its IMU cycles are named in
the review's session panel and in the report, which said "cycles 0" and nothing else."""

from __future__ import annotations

import json
import shutil

import pytest

from ui.cli import main
from ui.review.window import ReviewWindow

from ._report_page import Page

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def imu_session(tmp_path, capsys):
    sim = tmp_path / "sim" / "x.csv"
    assert main(["simulate", "--grade", "III", "--r1", "40", "--r2", "120", "--cycles", "20", "--rate", "200",
                 "--imu", "100", "--seed", "3", "-o", str(sim)]) == 0
    capsys.readouterr()
    folder = tmp_path / "root" / "imu"
    folder.mkdir(parents=True)
    shutil.copy(sim.with_name("x.imu.csv"), folder / "imu.csv")
    (folder / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2025-03-10T10:00:00", "trainee": "ivy", "technique": "PA", "target": "III",
        "r1_n": 40.0, "r2_n": 120.0, "complete": True, "streams": {"imu": {"file": "imu.csv", "rate_hz": 100.0}}}))
    return folder


def _expected(folder, capsys):
    assert main(["replay", str(folder), "--format", "jsonl"]) == 0
    events = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    cyc = [e for e in events if e["type"] == "imu_cycle"]
    assert len(cyc) >= 10
    mm = sum(e["displacement_mm"] for e in cyc) / len(cyc)
    hz = sum(e["freq_hz"] for e in cyc) / len(cyc)
    return f"{len(cyc)}, {mm:.1f} mm and {hz:.2f} Hz on average"


def test_the_review_panel_names_the_imu_cycles(imu_session, qtbot, capsys):
    want = _expected(imu_session, capsys)
    win = ReviewWindow(imu_session.parent)
    qtbot.addWidget(win)
    win.open_session(imu_session)
    details = win.session_view.details_dict()
    assert "cycles" not in details and details["IMU cycles"] == want     # (no force: no force cycles)


def test_the_report_names_the_imu_cycles(imu_session, tmp_path, capsys):
    want = _expected(imu_session, capsys)
    out = tmp_path / "r.html"
    assert main(["report", str(imu_session), "-o", str(out)]) == 0
    assert f"<dt>IMU cycles</dt><dd>{want}</dd>" in out.read_text(encoding="utf-8")
    Page(out.read_text(encoding="utf-8"))                    # (well formed)
