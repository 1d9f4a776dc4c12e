"""A calibration is two finite forces: ``replay --r2 inf`` graded every cycle '--' at 0 % of
R1-R2, wrote ``"r2_n": null`` in the summary and ended the table in a TypeError."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.scheme import GradingScheme

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("r1,r2", [(40.0, math.inf), (math.inf, math.inf), (40.0, math.nan), (math.nan, 120.0)])
def test_a_calibration_that_is_not_finite_is_refused(r1, r2):
    with pytest.raises(InputError, match="positive forces"):
        GradingScheme(r1, r2)


def test_replay_with_an_infinite_r2_is_one_line():
    r = subprocess.run([sys.executable, "-m", "ui.cli", "replay", str(ROOT / "fixtures" / "lumbar_grade3.csv"),
                        "--r1", "40", "--r2", "inf", "--format", "table"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == ["gradecoach: error: R1 and R2 must be positive forces in N "
                                             "(got R1=40.0, R2=inf)"]
