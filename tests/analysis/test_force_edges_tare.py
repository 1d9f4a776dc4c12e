"""A sensor that was not zeroed before recording is named in the summary's warnings; a hand
kept on the sensor, sensor drift and the committed fixtures are not."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.replay import load_input
from tests.conftest import force_notes as notes, simulate

FIX = Path(__file__).resolve().parents[2] / "fixtures"


_T, _Y, _ = simulate("III", seed=5, cycles=8, freq_hz=1.2, rate=500)


@pytest.mark.parametrize("offset_n", [-10.0, -25.0])
def test_a_negative_rest_is_an_untared_sensor(offset_n):
    (said,) = notes(_T, _Y + offset_n)
    assert said.startswith("the force stayed below -") and "tare it" in said
    top = float(said.split("below ")[1].split(" N")[0])
    assert offset_n <= top < -6.0           # the rest (1.5 N on a tared sensor), read low


def test_an_offset_under_everything_is_an_untared_sensor():
    (said,) = notes(_T, _Y + 30.0)
    assert said.startswith("the force never fell below 3") and "tare it" in said
    assert "at the start and end of the recording" in said


@pytest.mark.parametrize("offset_n", [15.0, 30.0])
def test_an_offset_is_flagged_when_the_recording_starts_or_ends_with_the_hand_on(offset_n):
    """One rest at the lowest level is enough: the recording started mid-set (it was flagged
    only when it also started at rest) or was stopped mid-set."""
    t, y, truth = simulate("III", seed=5, cycles=8, freq_hz=1.2, rate=500)
    cyc = [e for e in truth if e["type"] == "cycle"]
    for keep, where in ((t >= cyc[2]["t_start"], "end"), (t <= cyc[-3]["t_end"], "start")):
        (said,) = notes(t[keep], y[keep] + offset_n)
        floor = float(said.split("below ")[1].split(" N")[0])
        assert offset_n <= floor <= offset_n + 3.0          # the rest (0.5-2 N on a tared sensor)
        assert f"sat steadily at that level at the {where} of the recording: if nothing pressed" in said
        assert "tare it" in said
        assert notes(t[keep], y[keep]) == []                # the same recording, tared


def test_a_tared_sensor_and_small_offsets_are_not_flagged():
    for offset_n in (0.0, -3.0, 8.0):       # within the drift a tared sensor shows
        assert notes(_T, _Y + offset_n) == [], offset_n


def test_a_hand_kept_on_the_sensor_is_not_an_offset():
    """A grade IV set whose recording starts and ends with the hand moving on the sensor:
    its force never comes near zero, but no steady rest says the sensor read that without a hand."""
    t, y, truth = simulate("IV", seed=6, cycles=10, freq_hz=1.5, rate=500)
    cyc = [e for e in truth if e["type"] == "cycle"]
    keep = (t >= cyc[0]["t_start"] + 0.1) & (t <= cyc[-1]["t_end"] - 0.1)
    assert y[keep].min() > 40.0
    assert notes(t[keep], y[keep]) == []
    # a rest at zero before the hand came on, none after: not flagged either
    keep = t <= cyc[-1]["t_end"] - 0.1
    assert notes(t[keep], y[keep]) == []


def test_the_warning_does_not_depend_on_chunking():
    rng = np.random.default_rng(3)
    for offset_n in (-10.0, 30.0):
        whole = notes(_T, _Y + offset_n)
        assert whole
        for _ in range(3):
            sizes = rng.integers(1, 900, 40).tolist()
            assert notes(_T, _Y + offset_n, sizes=sizes) == whole


@pytest.mark.parametrize("calibrated", [True, False])
def test_no_committed_fixture_is_flagged(calibrated):
    for csv in sorted(p for p in FIX.glob("*.csv") if not p.name.endswith(".imu.csv")):
        head = json.loads(csv.with_suffix(".expected.jsonl").read_text().splitlines()[0])
        inp = load_input(csv)
        scheme = GradingScheme(head["r1_n"], head["r2_n"]) if calibrated else GradingScheme()
        said = notes(inp.force.t_s, inp.force.values, scheme)
        # (a fixture sampled at 80 Hz with thrusts is rightly told its times to peak are coarse)
        assert [n for n in said if not n.startswith("force sampled at")] == [], csv.name


def test_the_summary_names_it():
    from analysis.chunk import Chunk
    from analysis.pipeline import Analyzer

    p = Analyzer(GradingScheme(40.0, 120.0))
    ev = p.feed(Chunk(_T, _Y - 10.0, 0, "force", 500.0)) + p.finish()
    assert [w for w in ev[-1].warnings if "tare it" in w]
