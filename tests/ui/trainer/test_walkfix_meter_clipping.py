"""A microphone set too loud: the level meter says so in the alert colour ("clipping: turn the
gain down") while a share of the recent sound is held at its ceiling, at full scale or flat below
it (clipped, then scaled down). It showed a full blue bar, "audio 0 dBFS", as if the level
were good, and nothing told the technician."""

from __future__ import annotations

import pytest

from firmware_bridge.replay import iter_chunks, load_input
from tests._loud_sound import loud_copies
from tests.conftest import ROOT
from ui.trainer.engine import Engine
from ui.trainer.palette import ALERT
from ui.trainer.window import TrainerWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CSV = ROOT / "fixtures" / "thrust_pops.csv"


@pytest.fixture(scope="module")
def sounds(tmp_path_factory):
    out = loud_copies(tmp_path_factory.mktemp("loud"), {"hot": (300, 1.0), "hot_normalised": (300, 0.89),
                                                        "plain": (1, 1.0)})
    return out


def _meter_at(qtbot, audio, at: float):
    eng = Engine(clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    for ch in iter_chunks(load_input(str(CSV), str(audio)), 0.05):
        if ch.t_s[0] > at:
            break
        eng.feed(ch)
    win.refresh()
    return win.meter


@pytest.mark.parametrize("name", ["hot", "hot_normalised"])
def test_clipped_sound_turns_the_meter_red(qtbot, sounds, name):
    meter = _meter_at(qtbot, sounds[name], 29.0)
    assert meter.format().startswith("clipping: turn the gain down (audio "), meter.format()
    assert ALERT in meter.styleSheet()


def test_sound_at_a_good_level_does_not(qtbot, sounds):
    meter = _meter_at(qtbot, sounds["plain"], 29.0)
    assert meter.format().startswith("audio ") and "clipping" not in meter.format()
    assert ALERT not in meter.styleSheet()
