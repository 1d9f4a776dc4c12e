"""Force: a thrust the recording breaks off before its peak is said, not dropped unseen.

fixtures/thrust_lumbar.csv cut 50 ms after its last thrust's onset (13.55 s), or with the force
lost from there on for a second (a dropout), replayed one thrust fewer and no warning, as if
the hand had not thrust. A force thrust broken off after its peak is given without a duration;
one broken off before it cannot be measured, and the summary says so, as of IMU data. Only a
rise as steep as a thrust is said: a cycle's rise, which sets the thrust detector's candidate
off as well, is not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.force import ForceProcessor
from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input

SC = GradingScheme(40, 120)
FIX = Path(__file__).resolve().parents[2] / "fixtures"
T, Y = np.loadtxt(FIX / "thrust_lumbar.csv", delimiter=",", skiprows=1, unpack=True)
KEEP = T >= 10.0                             # the last thrust only, from its held preload
T, Y = T[KEEP], Y[KEEP]


def replay(tmp_path, keep: np.ndarray, t=T, y=Y) -> dict:
    path = tmp_path / "cut.csv"
    np.savetxt(path, np.column_stack([t[keep], y[keep]]), delimiter=",", header="t_s,force_n",
               comments="", fmt="%.6f")
    return [e.to_dict() for e in analyze_input(load_input(path), SC)][-1]


def said(summary: dict) -> list[str]:
    return [w for w in summary["warnings"] if "thrust" in w]


def test_a_thrust_the_data_end_in_before_its_peak_is_said(tmp_path):
    s = replay(tmp_path, T < 13.60)
    assert s["n_thrusts"] == 0
    assert len(said(s)) == 1, s["warnings"]
    w = said(s)[0]
    assert w.startswith("a thrust began at 13.6 s, but the force data ended ") and \
        "ms into it, before its peak: it is not measured, nor counted" in w, w


def test_a_thrust_a_dropout_breaks_off_is_said_as_a_dropout(tmp_path):
    s = replay(tmp_path, (T < 13.60) | (T > 14.6))
    assert s["n_thrusts"] == 0
    assert [w for w in said(s) if "stopped (a dropout)" in w and "began at 13.6 s" in w], s["warnings"]


@pytest.mark.parametrize("t_end_s", [13.50, 13.72])
def test_no_such_warning_before_the_thrust_or_after_its_peak(tmp_path, t_end_s):
    s = replay(tmp_path, T < t_end_s)            # 13.72: after its peak, given without a duration
    assert s["n_thrusts"] == (t_end_s > 13.6)
    assert not said(s), s["warnings"]


@pytest.mark.parametrize("t_end_s", [2.20, 2.86, 3.58])
def test_a_cycle_cut_in_its_rise_is_no_thrust(tmp_path, t_end_s):
    t, y = np.loadtxt(FIX / "lumbar_grade3.csv", delimiter=",", skiprows=1, unpack=True)
    s = replay(tmp_path, t < t_end_s, t, y)      # (each cut during a rise that set a candidate off)
    assert not said(s), s["warnings"]


@pytest.mark.parametrize("step", [7, 64, 333])
def test_the_warning_does_not_depend_on_chunking(step):
    keep = (T < 13.60) | (T > 14.6)

    def notes(n):
        p = ForceProcessor(SC)
        t, y = T[keep], Y[keep]
        for i in range(0, len(t), n):
            p.feed_arrays(t[i:i + n], y[i:i + n])
        p.finish()
        return [w for w in p.notes() if "thrust" in w]

    whole = notes(len(T))
    assert len(whole) == 1 and "stopped (a dropout)" in whole[0]
    assert notes(step) == whole
