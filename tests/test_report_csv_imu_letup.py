"""``report --csv``: a thrust seen by a hand-worn IMU alone has its let-up blank (unknown), as
its ``letup_n`` and its forces are and as the page's thrusts table says it ("–"): its row said
``letup`` False, as if the preload had been held. A thrust measured by force keeps yes/no."""

from __future__ import annotations

import csv
import json
import os
import shutil

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.ui.review.conftest import make_session  # noqa: E402
from tests.ui.review._report_page import Page  # noqa: E402
from ui.cli import main  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_an_imu_thrust_has_its_letup_unknown_in_the_csv(tmp_path, capsys):
    sim = tmp_path / "sim" / "t.csv"
    assert main(["simulate", "--thrust", "--sets", "3", "--imu", "500", "--seed", "5", "-o", str(sim)]) == 0
    imu = tmp_path / "imu_only"
    imu.mkdir()
    shutil.copy(sim.with_name("t.imu.csv"), imu / "imu.csv")
    (imu / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2026-10-01T10:00:00", "trainee": "Noah", "technique": "HVLA",
        "target": "V", "complete": True, "streams": {"imu": {"file": "imu.csv", "rate_hz": 500.0}}}))
    force = make_session(tmp_path / "force", trainee="Ana", target="V", kinds=("V", "V"), seed=3)
    out, table = tmp_path / "r.html", tmp_path / "e.csv"
    assert main(["report", str(imu), str(force), "-o", str(out), "--csv", str(table)]) == 0
    capsys.readouterr()
    with open(table, newline="", encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["type"] == "thrust"]
    mine = [r for r in rows if r["name"] == "imu_only"]
    assert len(mine) == 3 and all(r["source"] == "imu" for r in mine)
    assert [(r["letup"], r["letup_n"], r["peak_n"]) for r in mine] == [("", "", "")] * 3
    # the page says it as unknown too; the burst is the duration_ms the row keeps
    head, *cells = Page(out.read_text(encoding="utf-8")).tables["thrusts"][:4]
    shown = [dict(zip(head, c)) for c in cells]
    assert [s["let-up (N)"] for s in shown] == ["–"] * 3
    assert [s["acceleration burst (ms)"] for s in shown] == [f"{float(r['duration_ms']):.1f}" for r in mine]
    # a force's thrust: its let-up flag as measured
    theirs = [r for r in rows if r["name"] == "force"]
    assert theirs and all(r["letup"] in ("yes", "no") and r["letup_n"] != "" for r in theirs)
