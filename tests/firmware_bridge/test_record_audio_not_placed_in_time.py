"""A recording whose microphone delivered sound at a rate far off its own (a file played as the
microphone, twice as fast) says its sound is not placed in time with the force; its thrusts' pops
were then stored as counted all the same (0, "no pop", when none fell near a thrust), with no
warning kept, and the status line said "no pop" every second. Now the thrusts' pops are unknown
(null in the stored summary), the status line says nothing of them once the rate is judged, and
the warning is kept in events.jsonl's summary and session.json, so replay of the folder says it.

Real parts: the recorder, the analysis, ``AudioRecorder`` writing audio.flac, the force fixture
played fast. A PortAudio stream at twice its rate cannot be made on demand (ALSA's file plugin
delivers as fast as it is read), so the microphone is a stand-in with ``AudioInput``'s interface
that says it delivered twice its rate, as ``AudioInput.delivered_far`` says it of such an input;
its sound has a pop at each thrust's peak, so the pops would be counted if they were believed."""

from __future__ import annotations

import json

import numpy as np

from analysis.chunk import Chunk
from analysis.scheme import GradingScheme
from firmware_bridge import audio as audio_mod
from firmware_bridge.recorder import finish_meta, first_chunks, new_meta, record
from firmware_bridge.session import SessionWriter
from firmware_bridge.sources import FileSource
from tests._cli_in_process import gc_in_process
from tests._pops_audio import PEAKS_S, RATE_HZ, force_csv, pops_sound

UNTIL_S = 9.0                   # the fixture's first two thrusts


class TwiceAsFast:
    """A stand-in microphone (``AudioInput``'s interface) handing out half a second of sound a read,
    and saying, once it delivered any, that it delivered twice its rate."""

    def __init__(self, device="default", samplerate=None, channels=1, t0_host_s=None, max_blocks=500):
        self.name, self.rate_hz, self.channels = "file plugin", float(RATE_HZ), 1
        self.clock = None
        self.overflows = self.dropped_blocks = 0
        self.lost_s = 0.0
        self.loss_within_time = False
        self._sound = pops_sound(PEAKS_S[:2], UNTIL_S + 1.0)
        self._n = 0

    def start(self):
        return self

    def close(self):
        pass

    def read(self, timeout_s=0.1, n=None):
        n = RATE_HZ // 2 if n is None else n
        x = self._sound[self._n:self._n + n]
        if not len(x):
            return []
        ch = Chunk(np.arange(self._n, self._n + len(x)) / self.rate_hz, x, self._n, "audio", self.rate_hz)
        self._n += len(x)
        return [ch]

    def read_pending(self):
        return self.read(n=len(self._sound))

    def delivered_far(self, after_s=1.0, tolerance=0.005, excess_s=0.0):
        return 2.0 * self.rate_hz if self._n else None

    @property
    def rate_estimate_hz(self):
        return self.rate_hz


def test_sound_not_placed_in_time_leaves_the_pops_unknown_and_is_kept(tmp_path, monkeypatch, capfd):
    monkeypatch.setattr(audio_mod, "AudioInput", TwiceAsFast)
    out = tmp_path / "rec"
    src = FileSource(str(force_csv(tmp_path / "force.csv", UNTIL_S)), speed=60.0)
    src.open()
    scheme = GradingScheme(40.0, 120.0)
    w = SessionWriter(out, new_meta(src, scheme))
    mic = audio_mod.AudioRecorder(out, "default", t0_host_s=src.t0_host_s)
    ticks = iter(range(10 ** 6))
    status: list[str] = []
    try:
        res = record(src, w, scheme, status=status.append, pending=first_chunks(src), audio=mic,
                     clock=lambda: float(next(ticks)))       # (a status line at every turn)
        finish_meta(w, src, res)
    finally:
        src.close()
        w.meta.streams["audio"] = mic.close()
        w.close(1000.0)

    summary = [json.loads(x) for x in (out / "events.jsonl").read_text().splitlines()][-1]
    assert summary["type"] == "summary" and summary["n_thrusts"] == 2, summary
    assert [t["pops"] for t in summary["thrusts"]] == [None, None], summary["thrusts"]
    said = [x for x in summary["warnings"] if "not placed in time" in x]
    assert said == [f"audio input 'file plugin' delivered {2 * RATE_HZ} samples a second, 2.0 times its "
                    f"{RATE_HZ} Hz (not a live microphone?); its sound is not placed in time with the force, "
                    f"so the thrusts' pops are unknown"], summary["warnings"]
    assert [x for x in status if "last grade V" in x] and not [x for x in status if " pop" in x], status
    meta = json.loads((out / "session.json").read_text())
    assert said[0] in meta["extra"]["source_warnings"], meta["extra"]

    r = gc_in_process(capfd, "replay", out, "-o", tmp_path / "r.jsonl")
    assert r.returncode == 0, r.stderr
    assert f"gradecoach: warning: {out}: {said[0]}" in r.stderr.splitlines(), r.stderr
    # (the stored summary's pops as replay of the folder gives them: none outside the thrusts either)
    again = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()][-1]
    assert summary["pops_outside_thrusts"] == again["pops_outside_thrusts"] == [], (summary, again)
    assert [t["pops"] for t in again["thrusts"]] == [None, None]
