"""Clean low sound (a 100 Hz hum at -10 dBFS, a few hertz under it too) is not clipping: the
level meter and the HVLA tab judge the sound as replay judges the recording, against the ceiling
of the sound so far in replay's 0.1 s frames. Each 10 ms chunk was judged against its own top, so
a slow wave's crest held for three samples read as a clipped top: the meter said "clipping" in
153 of 400 chunks of a 100 Hz tone never clipped, and a thrust's pops read unknown ('–', "clipped
sound around its peak") where replay of the same sound counted them."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from analysis.chunk import Chunk
from firmware_bridge.replay import analyze_input, iter_chunks, load_input
from firmware_bridge.replay.dead_audio import DeadStretches
from tests._loud_sound import loud_sound
from tests.conftest import ROOT
from ui.trainer import microphone as trainer_microphone
from ui.trainer.engine import Engine

from .conftest import schemes

RATE = 48000
CSV = ROOT / "fixtures" / "thrust_pops.csv"
UNTIL_S = 9.0               # (its first two thrusts, peaks at 3.2 and 7.6 s)


def _16_bit(x: np.ndarray) -> np.ndarray:
    return (np.round(np.clip(x, -1, 1) * 32767) / 32768).astype(np.float32)


def _tone(hz: float, peak: float, seconds: float = 4.0, seed: int = 0) -> np.ndarray:
    """A tone through a 16-bit converter with a least step of noise: never clipped."""
    t = np.arange(int(seconds * RATE)) / RATE
    noise = np.random.default_rng(seed).standard_normal(len(t)) / 32768
    return _16_bit(peak * np.sin(2 * np.pi * hz * t) + noise)


@pytest.mark.parametrize("hz,peak", [(100, 0.3), (80, 0.25), (50, 0.2), (60, 0.1), (150, 0.5)])
def test_a_clean_low_tone_never_turns_the_meter_to_clipping(hz, peak):
    x = _tone(hz, peak)
    t = np.arange(len(x)) / RATE
    eng = Engine(clock=lambda: 0.0)
    said = 0
    for i in range(0, len(x), 480):                      # (10 ms chunks, as a microphone gives them)
        eng.feed(Chunk(t[i:i + 480], x[i:i + 480], i, "audio", float(RATE)))
        said += eng.audio_clipping
    replay = DeadStretches(RATE // 10)
    replay.feed(x.reshape(-1, 1))
    assert replay.clipping()[0] == 0.0
    assert said == 0 and not eng.clip_spans


@pytest.mark.parametrize("gain,scale", [(1, 1.0), (10, 1.0), (30, 0.5), (100, 1.0), (300, 0.89)])
def test_the_meter_holds_the_share_replay_finds(monkeypatch, gain, scale):
    """Over the whole sound (its recent seconds made the whole), the meter's share at the ceiling
    is replay's, to the sample, fed in 10 ms chunks as replay's frames fill."""
    from ui.trainer.microphone import ClipMeter
    monkeypatch.setattr(trainer_microphone, "CLIP_RECENT_S", 1e9)
    y, rate = loud_sound(gain, scale)
    y = _16_bit(y)
    t = np.arange(len(y)) / rate
    meter, replay = ClipMeter(), DeadStretches(rate // 10)
    for i in range(0, len(y), 480):
        meter.feed(t[i:i + 480], y[i:i + 480], rate)
        replay.feed_framed(y[i:i + 480].reshape(-1, 1))
    assert meter.share == replay.clipped_share()
    assert meter.clipping == (replay.clipping()[0] > 0) == (gain >= 10)


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_a_hum_alone_leaves_each_thrust_with_no_pop(qtbot, tmp_path):
    """A quiet room's microphone hears only a mains hum (80 Hz at -12 dBFS): each thrust has no
    pop, as replay of the same sound says, not its pops unknown for clipping."""
    from ui.trainer.window import CLIPPED, TrainerWindow

    wav = tmp_path / "hum.wav"
    sf.write(str(wav), _tone(80, 0.25, seconds=UNTIL_S + 1.0, seed=1), RATE, subtype="PCM_16")
    eng = Engine(*schemes(), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    shown, lines, clipping = {}, set(), 0
    heard = 0
    for ch in iter_chunks(load_input(str(CSV), str(wav)), 0.01):     # (a microphone's 10 ms blocks)
        if ch.t_s[0] > UNTIL_S:
            break
        eng.feed(ch)
        heard += ch.stream == "audio"
        if ch.stream == "audio" and heard % 3 == 0:                  # (a frame each 30 ms)
            win.refresh()
            clipping += "clipping" in win.meter.format()
            if eng.thrusts:         # (what the panel says of the newest thrust, as the sound around it comes)
                k = round(eng.thrusts[-1].t_peak, 3)
                shown[k] = win.thrust_panel.values["pops"].text()
                lines.add(win.thrust_panel.pops_line.text())
    replayed = [(round(r["t_peak"], 3), r["pops"]) for r in
                [e.to_dict() for e in analyze_input(load_input(str(CSV), str(wav)))
                 if e.TYPE == "summary"][-1]["thrusts"] if r["t_peak"] < UNTIL_S - 1.0]
    assert len(replayed) >= 2 and all(p == 0 for _, p in replayed), replayed
    assert {k: v for k, v in shown.items() if k < UNTIL_S - 1.0} == {k: "0" for k, _ in replayed}
    assert CLIPPED not in lines and clipping == 0
