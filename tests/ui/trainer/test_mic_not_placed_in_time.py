"""The trainer on a microphone judged to deliver far off its own rate (a file played as the
microphone: its sound is not placed in time with the force, as ``record`` judges it): its
recording stored the thrusts' pops as counted (a pop near a peak tied to it, 0 where none fell
near), and the thrust panel went on saying "no pop". Now the recording's stored summary has every
thrust's pops unknown, with record's warning kept in it and in session.json, and once the
microphone is judged so the panel says the pops are not counted ("–"), as replay of the folder has
them.

Real parts: the engine, the recording and the window fed the fixture's first two thrusts and a
quiet room's sound with a pop at each peak; the microphone is a stand-in with ``AudioInput``'s
``delivered_far`` saying it delivered twice its rate (a PortAudio input at twice its rate cannot be
made on demand)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.chunk import Chunk
from firmware_bridge.replay import load_input
from firmware_bridge.replay.chunks import iter_chunks
from tests._pops_audio import PEAKS_S, RATE_HZ, force_csv, pops_sound
from ui.trainer.acquisition import AcquisitionWorker
from ui.trainer.engine import Engine
from ui.trainer.microphone import mic_loss
from ui.trainer.recording import Recorder

from .conftest import schemes

UNTIL_S = 9.0                   # the fixture's first two thrusts


class TwiceAsFast:
    """A stand-in microphone saying it delivered twice its rate (``AudioInput.delivered_far``)."""

    name, rate_hz = "file plugin", float(RATE_HZ)
    overflows = dropped_blocks = 0
    lost_s = 0.0

    def delivered_far(self, after_s=1.0, tolerance=0.005, excess_s=0.0):
        return 2.0 * self.rate_hz


def _chunks(tmp_path):
    """The force of the first two thrusts and sound with a pop at each peak, in 50 ms chunks."""
    inp = load_input(force_csv(tmp_path / "force.csv", UNTIL_S))
    sound = pops_sound(PEAKS_S[:2], UNTIL_S)
    audio = [Chunk(np.arange(i, min(i + 800, len(sound))) / RATE_HZ, sound[i:i + 800], i, "audio", float(RATE_HZ))
             for i in range(0, len(sound), 800)]
    force = list(iter_chunks(inp, 0.05))
    out = sorted(force + audio, key=lambda c: float(c.t_s[-1]))
    return out


def test_the_recording_stores_the_thrusts_pops_unknown_and_the_warning(tmp_path):
    eng = Engine(*schemes())
    rec = Recorder(tmp_path / "r", *schemes())
    eng.start_recording(rec)
    mic, judged = TwiceAsFast(), False
    for ch in _chunks(tmp_path):
        eng.feed(ch)
        if ch.stream == "audio" and not judged:
            eng.mic_counted(1, mic_loss(mic))      # (as the worker counts it after feeding its sound)
            judged = True
    eng.stop_recording()
    events = [json.loads(x) for x in (rec.path / "events.jsonl").read_text().splitlines()]
    s = events[-1]
    assert s["type"] == "summary" and s["n_thrusts"] == 2, s
    assert [t["pops"] for t in s["thrusts"]] == [None, None], s["thrusts"]
    said = [w for w in s["warnings"] if "not placed in time with the force" in w]
    assert len(said) == 1 and said[0].endswith("so the thrusts' pops are unknown"), s["warnings"]
    meta = json.loads((rec.path / "session.json").read_text())
    assert meta["extra"]["source_warnings"] == said, meta["extra"]


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_thrust_panel_says_no_pop_count_once_the_microphone_is_judged(qtbot, tmp_path):
    from firmware_bridge.sources import FileSource
    from ui.trainer.window import TrainerWindow

    eng = Engine(*schemes(), clock=lambda: 0.0)
    chunks = _chunks(tmp_path)
    worker = AcquisitionWorker(FileSource(str(tmp_path / "force.csv")), eng, mic=TwiceAsFast())
    worker._mic_started = True
    worker._check_mic_rate()                       # (its read turn judges its rate)
    news = worker.take_mic_news()
    assert len(news) == 1 and news[0].endswith("not placed in time with the force"), news
    win = TrainerWindow(eng, start_timer=False)
    qtbot.addWidget(win)
    win.show()
    shown = set()
    for i, ch in enumerate(chunks):
        eng.feed(ch)
        if eng.thrusts and i % 8 == 0:           # (what the panel says of the newest thrust, as sound comes)
            win.refresh()
            shown.add((win.thrust_panel.values["pops"].text(), win.thrust_panel.pops_line.text()))
    assert shown and all(n == "–" and "no pop" not in line and "not placed in time" in line for n, line in shown), shown
