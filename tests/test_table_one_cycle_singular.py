"""replay's table says "1 cycle", not "1 cycles", in a set's header and in the IMU's hand movement."""

from __future__ import annotations

from ui.table import render_summary


def _summary(**kw) -> dict:
    return {"type": "summary", "n_cycles": 0, "n_thrusts": 0, "n_cavitations": 0, "duration_s": 3.0, "sets": [],
            "thrusts": [], "pops_outside_thrusts": [], "audio": False, "spans_s": {"imu": [0.0, 3.0]},
            "grade_histogram": {}, "skipped_rows": 0, "warnings": [], "r1_n": 40.0, "r2_n": 120.0, "alpha": 0.5,
            "target": None, "t_detect_s": 3.0, **kw}


def test_one_imu_cycle_is_singular():
    cycle = {"type": "imu_cycle", "t_start": 0.5, "t_end": 1.5, "displacement_mm": 4.0, "freq_hz": 1.0}
    text = render_summary("s", _summary(), events=[cycle])
    assert "hand movement (IMU): 1 cycle, mean" in text and "1 cycles" not in text, text


def test_a_set_of_one_cycle_is_singular():
    import json

    from tests.conftest import ROOT, gc

    r = gc("replay", ROOT / "fixtures" / "lumbar_grade3.csv", "--r1", 40, "--r2", 120, "--format", "jsonl")
    summary = json.loads(r.stdout.splitlines()[-1])
    assert summary["sets"], summary
    summary["sets"][0]["n_cycles"] = 1                     # (a set of one cycle, as a short practice gives)
    text = render_summary("s", summary, events=[])
    assert "s  1 cycle\n" in text and "1 cycles" not in text, text
