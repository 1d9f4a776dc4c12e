"""Cavitation detector: where sustained sound (a voice, music) holds the pop band's floor 12 dB or
more over the quietest floor of the last 30 s, pops are mostly missed, so the detector keeps
those stretches (``loud_spans``) and a thrust there with no pop heard is said as "no pop heard
(loud sound)" in replay's table and the stored summary (``pops_masked``), not "no pop"."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from functools import cache

import numpy as np
import soundfile as sf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cavitation import CavitationDetector
from analysis.chunk import Chunk
from analysis.summary import MASKED
from firmware_bridge.audio_sim import _pink, _speech
from ui.cli import main as cli

FS = 16000.0


def room_with_voice(seconds: float, voice_s: tuple[float, float], over_db: float, seed: int = 3) -> np.ndarray:
    """Pink room noise (RMS 1e-3) with a simulated voice over ``voice_s``, its RMS ``over_db``
    over the noise's."""
    rng = np.random.default_rng(seed)
    x = 1e-3 * _pink(rng, int(seconds * FS), FS)
    x /= np.sqrt(np.mean(x ** 2)) / 1e-3
    i0, i1 = (int(t * FS) for t in voice_s)
    v = _speech(rng, FS, (i1 - i0) / FS)[:i1 - i0]
    x[i0:i0 + len(v)] += v / np.sqrt(np.mean(v ** 2)) * 1e-3 * 10 ** (over_db / 20)
    return x.astype(np.float32)


def loud_spans(x: np.ndarray, sizes=(1600,)) -> list[tuple[float, float]]:
    d = CavitationDetector()
    i, k = 0, 0
    while i < len(x):
        n = sizes[k % len(sizes)]
        d.feed(Chunk(np.arange(i, min(i + n, len(x))) / FS, x[i:i + n], i, "audio", FS))
        i, k = i + n, k + 1
    d.finish()
    return d.loud_spans


def test_a_voice_well_over_the_room_is_a_loud_span_and_the_room_alone_none():
    x = room_with_voice(40.0, (12.0, 24.0), 20.0)
    [(a, b)] = loud_spans(x)
    # the floor (a median of the last 2 s) rises within a second or two of the voice, and falls
    # as long after it stops
    assert 12.0 <= a <= 14.0 and 24.0 <= b <= 26.0
    assert loud_spans(room_with_voice(40.0, (12.0, 24.0), -40.0)) == []


def test_digital_silence_before_the_room_is_not_its_quiet():
    # a microphone's first seconds of zeros (or a muted input) then the room: no loud sound
    x = room_with_voice(20.0, (12.0, 13.0), -40.0)
    x[:int(5 * FS)] = 0.0
    assert loud_spans(x) == []


def test_a_start_quieter_than_the_room_for_a_moment_is_not_its_quiet():
    """A microphone coming up, or an AAC encoder's start-up samples that a raw .aac or a transport
    stream does not say to leave out: the first 64 ms 40 dB under the room, then the room. That
    held the room after it loud for 30 s."""
    x = room_with_voice(40.0, (12.0, 13.0), -40.0)
    x[:int(0.064 * FS)] *= 0.01
    assert loud_spans(x) == []
    x = room_with_voice(40.0, (12.0, 24.0), 20.0)        # (a voice is still loud sound after it)
    x[:int(0.064 * FS)] *= 0.01
    [(a, b)] = loud_spans(x)
    assert 12.0 <= a <= 14.0 and 24.0 <= b <= 26.0


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(1, 40000), min_size=1, max_size=5))
def test_loud_spans_do_not_depend_on_the_chunking(sizes):
    x, whole = _voice_and_spans()
    assert loud_spans(x, sizes) == whole


@cache
def _voice_and_spans() -> tuple[np.ndarray, list[tuple[float, float]]]:
    """The sound the chunking test cuts up, and its loud spans fed in one way (made once): 2 s of
    room, a voice of 2 s, 1 s of room. Its one span starts where the voice's talk does and ends
    0.3 s after the voice, where the floor's rise does, so both kinds of span meet in it (kept
    short: feeding it in one-sample chunks costs about 0.7 CPU-s a second of sound)."""
    x = room_with_voice(6.0, (2.0, 4.0), 20.0, seed=5)[:int(5.0 * FS)]
    return x, loud_spans(x)


def six_thrusts(tmp_path) -> tuple:
    """Six simulated thrusts (``simulate --thrust --sets 6 --seed 5``): the force file, the times
    of their peaks (s) and the force's last time."""
    csv = tmp_path / "t.csv"
    with redirect_stdout(io.StringIO()):
        cli(["simulate", "--thrust", "--sets", "6", "--seed", "5", "-o", str(csv)])
    t = np.loadtxt(csv, delimiter=",", skiprows=1, comments="#")
    peaks = []
    for i in np.flatnonzero((t[1:-1, 1] > t[:-2, 1]) & (t[1:-1, 1] >= t[2:, 1]) & (t[1:-1, 1] > 300)) + 1:
        if not peaks or t[i, 0] - peaks[-1] > 1.0:
            peaks.append(float(t[i, 0]))
    assert len(peaks) == 6
    return csv, peaks, float(t[-1, 0])


def said_of_thrusts(csv, x: np.ndarray, tmp_path) -> list[str]:
    """What replay's table says of each thrust's pops with ``x`` (at ``FS``) as the sound:
    ``MASKED``, "no pop", or the row."""
    wav = tmp_path / "talk.wav"
    sf.write(str(wav), x, int(FS))
    out = io.StringIO()
    with redirect_stdout(out):
        cli(["replay", str(csv), "--audio", str(wav), "--r1", "40", "--r2", "120", "--format", "table"])
    rows = [line for line in out.getvalue().splitlines() if line.strip()[:1].isdigit() and " N" in line]
    return [MASKED if line.rstrip().endswith(MASKED) else "no pop" if line.rstrip().endswith("no pop") else line
            for line in rows[-6:]]


def test_replay_says_a_thrust_without_a_pop_in_talk_was_heard_in_loud_sound(tmp_path):
    """Six simulated thrusts, their sound replaced by room noise without pops with a voice over
    the third and fourth: those two say "no pop heard (loud sound)", the others "no pop"."""
    csv, peaks, end = six_thrusts(tmp_path)
    x = room_with_voice(end + 1.0, (peaks[2] - 3.0, peaks[3] + 1.0), 20.0)
    assert said_of_thrusts(csv, x, tmp_path) == ["no pop", "no pop", MASKED, MASKED, "no pop", "no pop"]


def test_record_s_status_line_says_a_thrust_without_a_pop_in_loud_sound_as_the_trainer_does():
    from analysis.events import ThrustEvent
    from firmware_bridge.recorder import RecordResult, _pops_said

    def said(t_peak: float, pops=()) -> str:
        e = ThrustEvent(t_onset=t_peak - 0.12, t_peak=t_peak, preload_n=133.0, peak_n=600.0, time_to_peak_ms=120.0,
                        duration_ms=190.0, rate_n_per_s=3750.0, max_rate_n_per_s=6000.0, letup_n=0.3, letup=False,
                        index=0)
        res = RecordResult(last_event=e, hearing=True)
        res.pops_by_thrust[0] = list(pops)
        return _pops_said(res, None, 0.15, 3.0, [(1.0, 1.6)])

    # its peak in the loud sound, none heard; its peak after it, "no pop"; a pop heard in it is a
    # least number, as "at least" is where part of the window went unheard
    assert [said(1.5), said(2.0), said(1.5, [1.49]), said(2.0, [1.99])] == [
        MASKED, "no pop", "at least 1 pop, first heard 10 ms before peak force (loud sound)",
        "1 pop, 10 ms before peak force"]


def test_pops_heard_in_loud_sound_are_a_least_number_in_words():
    from analysis.summary import describe_pops
    assert describe_pops(2, -12.4, masked=True) == "at least 2 pops, first heard 12 ms before peak force (loud sound)"
    assert describe_pops(3, None, "peak", masked=True) == "at least 3 pops (loud sound)"
    assert describe_pops(0, None, masked=True) == MASKED
    assert describe_pops(None, None, masked=True) == "–"                # unknown stays unknown
