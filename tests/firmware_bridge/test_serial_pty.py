"""Serial end to end on a real pseudo-terminal: emulator → pyserial → decoder → analysis → session.

The emulator may run faster than real time (``speed``); the serial source then gets a clock
running ``speed`` times faster too, so device time and host time keep the same pace and the
recorded timeline can be checked against the emulator's ground truth.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from serial.tools.list_ports_common import ListPortInfo

from analysis.evaluate import score
from analysis.scheme import GradingScheme
from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.recorder import new_meta, record
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import SessionWriter, open_session
from tests.conftest import pty_recording

SCHEME = GradingScheme(40, 120)


class SeqSpy:
    """Wraps ``read`` to keep every force chunk's sequence numbers and times."""

    def __init__(self, src: SerialSource) -> None:
        self.seqs: list[np.ndarray] = []
        self.times: list[np.ndarray] = []
        self._read = src.read
        src.read = self.read

    def read(self, timeout_s: float = 0.1):
        out = self._read(timeout_s)
        self.seqs += [np.arange(c.seq0, c.seq0 + len(c)) for c in out if c.stream == "force"]
        self.times += [c.t_s for c in out if c.stream == "force"]
        return out

    @property
    def seq(self) -> np.ndarray:
        return np.concatenate(self.seqs)

    @property
    def t_s(self) -> np.ndarray:
        return np.concatenate(self.times)


def device_index(em: PtyEmulator, src: SerialSource, t_rec: np.ndarray, f_rec: np.ndarray, speed: float):
    """Index of the emulator's sample recorded first, and the host-minus-device offset (s)."""
    offset = speed * em.started_at - src._t0        # when the emulator's device time 0 was due, host timeline
    k = int(round((t_rec[0] - offset) * em.rate_hz))
    _, y = em.signal(k + 100 + len(f_rec))
    for k0 in range(max(0, k - 50), k + 50):
        if np.allclose(y[k0:k0 + 50], f_rec[:50], atol=1e-3):
            return k0, offset
    raise AssertionError("recorded forces are not the emulator's")


@pytest.mark.parametrize("rate, line", [(1000, False), (2000, False), (1000, True), (2000, True)])
def test_emulator_to_recorded_session_loses_nothing_and_grades_like_the_ground_truth(tmp_path, rate, line):
    speed, seconds = 5.0, 16.0
    with pty_recording(tmp_path, "mixed", rate, SCHEME, speed=speed, trainee="test", line=line, seed=4) as (em, src, w):
        spy = SeqSpy(src)
        record(src, w, SCHEME, duration_s=seconds)

    # the device lost nothing, and the recording holds every sample it sent from its first one to
    # the duration's end: the samples read after that end were not asked for
    assert (np.diff(spy.seq) == 1).all() and src.stats.dropped == 0 and src.stats.crc_errors == 0 and em.lost == 0
    s = open_session(tmp_path / "sess")
    t_read = np.round(spy.t_s, 6)                    # (force.csv keeps µs)
    span = (t_read >= s.force.t_s[0]) & (t_read <= s.force.t_s[-1])
    seq = spy.seq[span]
    assert t_read[0] == s.force.t_s[0] and np.array_equal(t_read[span], s.force.t_s)
    assert s.warnings == [] and len(s.force.t_s) == len(seq) >= seconds * rate
    # (both ends kept to the µs: their difference may fall short by up to 1 µs)
    assert seconds - 1.0 / rate - 1e-6 <= s.force.t_s[-1] - s.force.t_s[0] <= seconds
    # every sample is the emulator's, in order, at its time
    k0, offset = device_index(em, src, s.force.t_s, s.force.values, speed)
    if not line:
        assert k0 == seq[0]                          # the sequence number is the device's
    t_dev, y = em.signal(k0 + len(seq))
    assert np.allclose(s.force.values, y[k0:], atol=1e-3 if line else 1e-4)
    lag_s = s.force.t_s - (t_dev[k0:] + offset)
    assert np.all(np.abs(lag_s) < 0.05) and (np.diff(s.force.t_s) > 0).all()
    # cycles graded as the scenario intended them
    truth = [dict(e, **{k: e[k] + offset for k in ("t_start", "t_end", "t_crest", "t_onset", "t_peak") if k in e})
             for e in em.truth]
    t0, t1 = s.force.t_s[0] + 1.0, s.force.t_s[-1] - 1.0
    truth = [e for e in truth if t0 < e.get("t_start", e.get("t_onset", 0)) and e.get("t_end", e.get("t_peak")) < t1]
    detected = [e for e in s.events if e["type"] in ("cycle", "thrust") and t0 - 1 < e.get("t_start", e.get("t_onset", 0))]
    sc = score(truth, detected, rate, t1 - t0)
    assert sc.truth_cycles >= 10
    assert sc.matched_cycles >= 0.9 * sc.truth_cycles, sc.confusions
    assert sc.grade_ok >= sc.matched_cycles - 1, sc.confusions
    assert sc.thrust_tp == sc.thrust_truth


class Ports:
    """Stands in for ``list_ports.comports`` (which does not list pseudo-terminals): the emulator
    is an Espressif board; after a replug it comes back under another name."""

    def __init__(self, em: PtyEmulator) -> None:
        self.em = em

    def __call__(self):
        if self.em.master < 0:
            return []
        p = ListPortInfo(str(self.em.link), skip_link_detection=True)
        p.vid, p.pid, p.serial_number = 0x303A, 0x1001, "GC-0042"
        return [p]


def test_unplug_and_replug_under_another_name_continue_the_recording_with_the_gap_marked(tmp_path):
    state = {"unplugged_at": None, "replugged_at": None}
    notes = []
    with pty_recording(tmp_path, "grade4", 1000, SCHEME, speed=2.0, ports=Ports) as (em, src, w):
        spy = SeqSpy(src)

        def stop():
            # driven by the device's own sample count, not by wall-clock guesses
            if state["unplugged_at"] is None and em.sent >= 3000:
                em.unplug()
                state["unplugged_at"] = em.sent
            elif state["unplugged_at"] is not None and state["replugged_at"] is None and em.sent >= 5000:
                em.link = tmp_path / "s2.pty"             # the board comes back as another device file
                em.open_pty()
                state["replugged_at"] = em.sent
            return em.sent >= 11000

        record(src, w, SCHEME, stop=stop, status=notes.append)
    s = open_session(tmp_path / "sess")
    assert src.stats.reconnects == 1 and src.info["port"] == str(tmp_path / "s2.pty")
    # whatever the operating system said about the lost port, the user reads that it was lost
    assert any("connection lost" in n for n in notes)
    (gap,) = s.meta.gaps
    assert gap["reason"] == "disconnected" and gap["t_end"] > gap["t_start"]
    t = s.force.t_s
    assert (np.diff(t) > 0).all()
    before, after = t[t <= gap["t_start"]], t[t >= gap["t_end"]]
    assert len(before) >= 2500 and len(after) >= 4000 and len(before) + len(after) == len(t)
    # each side of the gap is complete, and the gap on the timeline is as long as the samples
    # the device took meanwhile (while unplugged, and before the port was found again)
    seq = spy.seq
    (j,) = np.flatnonzero(np.diff(seq) != 1)
    missed = seq[j + 1] - seq[j] - 1
    assert missed >= state["replugged_at"] - state["unplugged_at"] - 20
    assert abs((after[0] - before[-1]) - (missed + 1) / 1000.0) < 0.05
    assert any(e["type"] == "gap" and e["reason"] == "disconnected" for e in s.events)


@pytest.mark.parametrize("line", [False, True])
def test_lost_frames_are_counted_and_marked_with_their_times(tmp_path, line):
    speed = 4.0
    lose = frozenset({50, 51, 120})                   # frames of 10 samples at 1 kHz
    with pty_recording(tmp_path, "grade3", 1000, SCHEME, speed=speed, line=line, lose_frames=lose) as (em, src, w):
        record(src, w, SCHEME, stop=lambda: em.frames > 250)
    s = open_session(tmp_path / "sess")
    assert src.stats.dropped == 30 and em.lost == 30
    gaps = [g for g in s.meta.gaps if g["reason"] == "dropped samples"]
    assert len(gaps) == 2
    offset = speed * em.started_at - src._t0
    for g, (first, n) in zip(gaps, [(500, 20), (1200, 10)]):
        assert abs(g["t_start"] - (first / 1000 + offset)) < 0.03
        assert g["t_end"] - g["t_start"] == pytest.approx((n - 1) / 1000 if not line else (n + 1) / 1000, abs=2e-3)


def test_device_clock_drift_and_wrap_are_corrected(tmp_path):
    speed = 5.0
    with pty_recording(tmp_path, "grade2", 1000, SCHEME, speed=speed, drift_ppm=3000,
                       t0_us=2 ** 32 - 5_000_000) as (em, src, w):
        record(src, w, SCHEME, duration_s=25.0)
    s = open_session(tmp_path / "sess")
    k0, offset = device_index(em, src, s.force.t_s, s.force.values, speed)
    t_true, _ = em.signal(k0 + len(s.force.t_s))
    err_s = s.force.t_s - (t_true[k0:] + offset)
    # uncorrected, the device clock would run 3 ms per second ahead: 60 to 75 ms over the last 5 s
    assert np.abs(err_s[-5000:]).max() < 0.03
    assert src._clock_map.drift == pytest.approx(-3e-3, abs=5e-4)
    assert (np.diff(s.force.t_s) > 0).all() and src.stats.dropped == 0      # the µs counter wrapped at 5 s


def test_a_timed_recording_whose_device_is_lost_for_good_ends_on_time_with_the_loss_marked(tmp_path):
    """Unplugged after a second and never back: ``--duration 3`` still ends (about when it
    should, not never), and the session says the device was lost from then to the end."""
    with pty_recording(tmp_path, "grade3", 1000, SCHEME, ports=Ports) as (em, src, w):
        t0 = time.monotonic()

        def unplug_once():
            if em.master >= 0 and w.n_force >= 500:        # once the recording has data
                em.unplug()
            return time.monotonic() - t0 > 30.0          # (only so that a hang fails instead)

        res = record(src, w, SCHEME, duration_s=3.0, stop=unplug_once)
    took = time.monotonic() - t0
    assert took < 3.0 + 2.0 + 3.0                    # the duration, the grace, and a slow machine
    s = open_session(tmp_path / "sess")
    (gap,) = s.meta.gaps
    assert gap["reason"] == "disconnected" and res.lost_at_s == gap["t_start"]
    assert gap["t_start"] <= s.force.t_s[-1] + 0.1 and gap["t_end"] - s.force.t_s[0] >= 3.0
    assert any(e["type"] == "gap" and abs(e["t_end"] - gap["t_end"]) < 1e-3 for e in s.events), s.events


def test_a_timed_recording_of_a_device_that_never_sends_anything_still_ends(tmp_path):
    from firmware_bridge.sources import Source

    class Silent(Source):
        spec = "silent"

        def open(self) -> None:
            pass

        def read(self, timeout_s: float = 0.1):
            time.sleep(min(timeout_s, 0.05))
            return []

        def close(self) -> None:
            pass

    src = Silent()
    w = SessionWriter(tmp_path / "sess", new_meta(src, SCHEME))
    t0 = time.monotonic()
    res = record(src, w, SCHEME, duration_s=1.0, stop=lambda: time.monotonic() - t0 > 30.0)
    w.close()
    assert time.monotonic() - t0 < 1.0 + 2.0 + 3.0 and res.samples == 0


def test_a_device_lost_in_its_first_second_keeps_what_it_sent(tmp_path):
    """The first second of a device's blocks is held back while its clock settles; a device lost
    within it had those samples thrown away on reconnecting (0 of the 400 it sent were recorded)."""
    state = {"unplugged_at": None, "replugged_at": None}
    with pty_recording(tmp_path, "grade3", 1000, SCHEME, ports=Ports) as (em, src, w):

        def stop():
            if state["unplugged_at"] is None and em.sent >= 400:
                em.unplug()
                state["unplugged_at"] = em.sent
            elif state["unplugged_at"] is not None and state["replugged_at"] is None and em.sent >= 1200:
                em.open_pty()
                state["replugged_at"] = em.sent
            # a second of samples recorded after the gap (or, failing that, far more sent)
            return (state["replugged_at"] is not None and w.n_force >= state["unplugged_at"] + 1100) \
                or em.sent >= 10000

        record(src, w, SCHEME, stop=stop)
    s = open_session(tmp_path / "sess")
    (gap,) = s.meta.gaps
    t = s.force.t_s
    before = t[t <= gap["t_start"]]
    assert len(before) >= state["unplugged_at"] - 60 and (np.diff(t) > 0).all()
    assert len(t[t >= gap["t_end"]]) >= 1000
