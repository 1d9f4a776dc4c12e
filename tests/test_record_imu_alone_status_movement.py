"""``record`` of a worn IMU alone (no force sensor) shows in its status line how far the hand
moved in the last cycle the IMU measured, beside its grade ("last grade – (hand moved 59.8 mm)";
a thrust's "last grade V (hand moved 4.2 mm)"). It said "last grade –" throughout, the grade of a
force that never came, however the hand moved."""

from __future__ import annotations

import json
import re

from tests.conftest import gc
from tests._worn_imu import _worn_imu_session


def test_the_status_line_of_a_worn_imu_alone_says_how_far_the_hand_moved(tmp_path):
    src = _worn_imu_session(tmp_path / "ben")                    # 3 s, the hand moving at 1.5 Hz
    out = tmp_path / "again"
    r = gc("record", "--device", f"file:{src}", "--out", out)
    assert r.returncode == 0, r.stderr
    status = [ln for ln in r.stderr.splitlines() if re.match(r" +\d+\.\d s  rate", ln)]
    events = [json.loads(x) for x in (out / "events.jsonl").read_text().splitlines()]
    moved = {f"{e['displacement_mm']:.1f}" for e in events if e["type"] == "imu_cycle"}
    assert moved, events
    shown = [m.group(1) for ln in status if (m := re.search(r"last grade – \(hand moved (\d+\.\d) mm\)$", ln))]
    assert shown, status
    assert set(shown) <= moved
    assert status[0].endswith("last grade –")                      # (before the first cycle was measured)
