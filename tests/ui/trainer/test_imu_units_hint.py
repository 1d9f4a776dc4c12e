"""What the trainer says of an IMU whose units are wrong comes from the IMU analysis's own account
of it (``ImuProcessor.units_note()``: what is wrong, the hint of what to give, the whole note),
not from the wording of its note: the trainer took the note apart at "movement and thrusts from
it are wrong" and the grade panel pulled the hint out of its parentheses, so a note worded
otherwise switched nothing off by name ("the IMU's units are wrong") and lost the hint."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.chunk import Chunk
from analysis.imu import ImuProcessor
from firmware_bridge.replay import iter_chunks, load_input

from ui.cli import main

from .conftest import Feeder
from ._imu_units import _in_g, _window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

@pytest.fixture
def in_g(tmp_path):
    """A simulated worn IMU's recording alone, its acceleration in g (its header saying m/s²)."""
    assert main(["simulate", "--thrust", "--sets", "2", "--imu", "500", "--seed", "5",
                 "-o", str(tmp_path / "t.csv")]) == 0
    _in_g(tmp_path / "t.imu.csv", tmp_path / "in_g.imu.csv")
    return tmp_path / "in_g.imu.csv"


SAID = "IMU acceleration averages 1 where gravity alone reads 9.81 m/s² (units in g? give m/s²)"


def test_the_imu_analysis_says_its_units_wrong_in_parts(in_g):
    p = ImuProcessor()
    for ch in iter_chunks(load_input(str(in_g)), 0.05, ("imu",)):
        p.feed(ch)
    u = p.units_note()
    assert (u.said, u.hint) == (SAID, "units in g? give m/s²")
    assert u.note in p.notes() and u.note.startswith(SAID + ": movement and thrusts from it are wrong")


def test_an_imu_at_rest_in_m_s2_has_no_units_note():
    p = ImuProcessor()
    t = np.arange(2000) / 200.0
    x = np.zeros((len(t), 6))
    x[:, 2] = 9.81
    p.feed(Chunk(t, x, 0, "imu", 200.0))
    assert p.units_note() is None


def test_the_trainer_says_the_units_whatever_the_note_s_last_words(qtbot, monkeypatch, in_g):
    notes = ImuProcessor.notes
    monkeypatch.setattr(ImuProcessor, "notes", lambda self: [
        n.replace(": movement and thrusts from it are wrong", ": nothing measured from it can be trusted")
        for n in notes(self)])
    win, eng = _window(qtbot)
    Feeder(eng, win, in_g).until(6.0)
    assert f"imu analysis off: {SAID}" in win._status_text()
    assert win.grade_panel.caption.text() == "IMU analysis off: units in g? give m/s²"
