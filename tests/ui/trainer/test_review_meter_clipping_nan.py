"""The level meter finds clipping by replay's own rule (firmware_bridge/replay/dead_audio.py),
imported, not copied: sound clipped and then scaled down (its ceiling 0.89, under full scale)
with samples that are not numbers in it (a float recording) turns the meter to "clipping" as
replay warns of clipping in the same file, samples that are not numbers counting as 0 in both;
the meter's copy of the rule took every chunk holding one for sound without a ceiling, and its
level read "audio nan dBFS"."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from firmware_bridge.replay import iter_chunks, load_input
from tests._cli_in_process import gc_in_process
from tests._loud_sound import loud_sound
from tests.conftest import ROOT
from firmware_bridge.replay.dead_audio import DeadStretches
from ui.trainer.engine import Engine
from ui.trainer.microphone import ClipMeter
from ui.trainer.window import TrainerWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CSV = ROOT / "fixtures" / "thrust_pops.csv"


@pytest.fixture(scope="module")
def hot_with_nan(tmp_path_factory):
    y, rate = loud_sound(300, 0.89)
    y = y.astype(np.float32)
    y[::1000] = np.nan                        # (one in 1000 samples not a number)
    path = tmp_path_factory.mktemp("nan") / "hot_nan.wav"
    sf.write(str(path), y, rate, subtype="FLOAT")
    return path


def test_replay_and_the_meter_both_say_clipping(qtbot, capsys, hot_with_nan):
    r = gc_in_process(capsys, "replay", CSV, "--audio", hot_with_nan, "--format", "jsonl")
    assert "clipping (" in r.stderr, r.stderr
    eng = Engine(clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    for ch in iter_chunks(load_input(str(CSV), str(hot_with_nan)), 0.05):
        if ch.t_s[0] > 29.0:
            break
        eng.feed(ch)
    win.refresh()
    said = win.meter.format()
    assert said.startswith("clipping: turn the gain down (audio ") and "nan" not in said, said


def test_samples_that_are_not_numbers_count_as_0_in_the_meter_as_in_replay():
    y, rate = loud_sound(300, 0.89)
    y = y[:rate].astype(np.float32)
    y2 = y.copy()
    y2[::1000] = np.nan
    t = np.arange(len(y)) / rate
    shares = []
    for x in (y, y2, np.nan_to_num(y2, nan=0.0)):
        meter, replay = ClipMeter(), DeadStretches(rate // 10)
        for i in range(0, len(x), 480):
            meter.feed(t[i:i + 480], x[i:i + 480], rate)
            replay.feed_framed(x[i:i + 480].reshape(-1, 1))
        assert meter.share == replay.clipped_share() and meter.clipping
        shares.append(meter.share)
    assert shares[1] == shares[2]                 # (not a number: 0, as in replay)
