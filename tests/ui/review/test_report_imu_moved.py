"""The report's thrusts table gives how far the hand moved from onset to peak for a thrust seen
by a hand-worn IMU alone (its forces are "–"; the movement was in the CSV only); a recording
whose thrusts were measured by force keeps its table as it was."""

from __future__ import annotations

import csv
import json
import shutil

from ui.cli import main
from ui.report import THRUST_HEAD

from ._report_page import Page


def test_an_imu_only_thrust_row_says_how_far_the_hand_moved(tmp_path, capsys):
    sim = tmp_path / "sim" / "x.csv"
    assert main(["simulate", "--thrust", "--imu", "500", "--seed", "5", "-o", str(sim)]) == 0
    folder = tmp_path / "root" / "imu"
    folder.mkdir(parents=True)
    shutil.copy(sim.with_name("x.imu.csv"), folder / "imu.csv")
    (folder / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2026-10-01T10:00:00", "trainee": "Noah", "technique": "HVLA",
        "target": "V", "complete": True, "streams": {"imu": {"file": "imu.csv", "rate_hz": 500.0}}}))
    force = tmp_path / "force" / "x.csv"                   # the same thrust, by force alone
    force.parent.mkdir()
    shutil.copy(sim, force)
    capsys.readouterr()
    out, ev_csv = tmp_path / "r.html", tmp_path / "ev.csv"
    assert main(["report", str(force), str(folder), "-o", str(out), "--csv", str(ev_csv)]) == 0
    with open(ev_csv, newline="", encoding="utf-8-sig") as fh:
        rows = {r["recording"]: r for r in csv.DictReader(fh) if r["type"] == "thrust"}
    imu_mm = float(rows[str(folder)]["displacement_mm"])
    assert rows[str(force)]["displacement_mm"] == ""
    page = Page(out.read_text(encoding="utf-8"))
    force_head, force_row, imu_head, imu_row = page.tables["thrusts"]   # (the two recordings in order)
    assert force_head == THRUST_HEAD and "hand moved (mm)" not in force_head
    assert imu_head.index("hand moved (mm)") == imu_head.index("peak (N)") + 1
    cell = dict(zip(imu_head, imu_row))
    assert cell["peak (N)"] == "–" and cell["hand moved (mm)"] == f"{imu_mm:.1f}"
    # the simulated hand went this far from onset to peak (x.imu-expected.jsonl)
    truth = [json.loads(line) for line in sim.with_name("x.imu-expected.jsonl").read_text().splitlines()]
    true_mm = next(e["displacement_mm"] for e in truth if e["type"] == "thrust")
    assert abs(float(cell["hand moved (mm)"]) - true_mm) < 0.15 * true_mm
