"""The emulator has a scenario for each modifier of III and IV (``emulator:grade3+``,
``gradecoach emulate --scenario grade4--``), whose crests ``replay`` grades as named for the
calibration the emulator reports: a trainee could only practise plain III and IV against it, so
a III+ or IV-- target was never on target."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from firmware_bridge.scenarios import R1_N, R2_N, SCENARIOS, scenario_signal
from tests.conftest import gc

NAMED = {f"grade{n}{m}": (g, m) for n, g in (("3", "III"), ("4", "IV")) for m in ("--", "-", "+", "++")}
ON_NAMED_SHARE = 0.9          # of the cycles replay finds, at least this many are graded as named


@pytest.mark.parametrize("name", sorted(NAMED))
def test_a_modifier_scenario_is_graded_as_named_by_replay(tmp_path, name):
    t, y, _ = scenario_signal(name, 1000.0, seed=0)
    csv = tmp_path / f"{name}.csv"
    np.savetxt(csv, np.column_stack([t, y]), delimiter=",", header="t_s,force_n", comments="", fmt="%.6f")
    r = gc("replay", csv, "--r1", R1_N, "--r2", R2_N, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    cycles = [e for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "cycle"]
    graded = Counter((c["grade"], c["modifier"]) for c in cycles)
    assert len(cycles) >= 25 and graded[NAMED[name]] >= ON_NAMED_SHARE * len(cycles), graded


def test_the_emulator_and_emulate_offer_them(tmp_path):
    assert set(NAMED) <= set(SCENARIOS)
    r = gc("emulate", "--help")
    assert "grade3+" in r.stdout and "grade4--" in r.stdout
    r = gc("record", "--device", "emulator:grade9", "--out", tmp_path / "x", "--duration", "1")
    assert r.returncode == 2 and "grade3+" in r.stderr
