"""A played session whose IMU clock steps back once, and the gap it leaves."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
AT = 1600           # the first IMU row (0 = the first after the header) written 0.5 s early
BACK_S = 0.5
STEP = (7.995, 8.0, "clock stepped back", "imu")   # the last IMU sample before it, the first after


def _played(tmp_path) -> Path:
    """The force fixture as it is, beside its IMU with the times from row AT on 0.5 s early."""
    p = tmp_path / "played.csv"
    shutil.copy(FIXTURES / "imu_grade3.csv", p)
    lines = (FIXTURES / "imu_grade3.imu.csv").read_text().splitlines()
    out = [lines[0]]
    for i, row in enumerate(lines[1:]):
        t, rest = row.split(",", 1)
        out.append(f"{float(t) - (BACK_S if i >= AT else 0.0):.6f},{rest}")
    p.with_name("played.imu.csv").write_text("\n".join(out) + "\n")
    return p
