"""Audio placed at a wrong rate drifts against the force: its pops lie further from their thrusts'
peaks the later the thrust. Replay says so and gives the --audio-rate that straightens it."""

from __future__ import annotations

import json
import re

import pytest
import soundfile as sf

from tests.conftest import ROOT, gc

CAL = ("--r1", 40, "--r2", 120)
CSV = ROOT / "fixtures" / "thrust_pops.csv"


# (a header claiming 16160 Hz, 1 % off, puts the last thrusts' pops beyond their pop window: the
# three thrusts left with pops are too few to tell a drift from the pops' scatter)
@pytest.mark.parametrize("claimed", [16080])
def test_audio_at_a_wrong_rate_is_said_with_the_rate_that_straightens_it(tmp_path, claimed):
    x, sr = sf.read(str(ROOT / "fixtures" / "thrust_pops.flac"))
    drift = tmp_path / "drift.flac"
    sf.write(str(drift), x, claimed)                      # the header claims a faster clock
    r = gc("replay", CSV, "--audio", drift, *CAL, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    m = re.search(r"the pops drift against the thrusts.*--audio-rate (\d+\.\d)", r.stderr)
    assert m, r.stderr
    rate = float(m.group(1))
    assert abs(rate / sr - 1) < 0.001, rate
    again = gc("replay", CSV, "--audio", drift, "--audio-rate", rate, *CAL, "--format", "jsonl")
    assert "drift" not in again.stderr, again.stderr
    assert [t["pops"] for t in json.loads(again.stdout.splitlines()[-1])["thrusts"]] == [4, 1, 2, 0, 2, 4]


def test_audio_at_its_own_rate_is_not_said_to_drift():
    r = gc("replay", CSV, "--audio", ROOT / "fixtures" / "thrust_pops.flac", *CAL, "--format", "jsonl")
    assert r.returncode == 0 and "drift" not in r.stderr, r.stderr
