"""The recording replayed (:class:`ReplayInput`) and its audio placed on the force's timeline: a
session's ``t0_s`` and measured rate, ``--audio-start`` and ``--audio-rate``, the times its
microphone was off or its sound lost, and what is said when the sound cannot be placed, was not
recorded, or does not overlap the force."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.errors import InputError
from firmware_bridge.replay.audio_file import audio_info
from firmware_bridge.session import SessionMeta, StreamData
from firmware_bridge.session_meta import finite_float, finite_number, value_text

MAX_AUDIO_T0_S = 86400.0      # a microphone starts within a day of the force stream, or t0_s is broken
# --audio-start is on the force's clock, which may be a recorder's (from 0), a device's uptime or
# Unix epoch seconds (1.76e9 in 2025): a bare CSV's times may be any of them. Beyond 1e12 s (31,700
# years) no clock counts seconds: such a value is milliseconds or µs (a double still holds a time
# of 1e12 s to 0.12 ms). A value on no clock of the force is told by the overlap warning
MAX_AUDIO_START_S = 1e12
AUDIO_RATE_TOLERANCE = 0.01   # a measured audio rate further than 1 % from the file's is not believed


@dataclass
class ReplayInput:
    """Everything needed to replay one recording."""

    name: str
    force: StreamData | None = None
    imu: StreamData | None = None
    audio_path: Path | None = None
    audio_t0_s: float = 0.0                      # timeline time of the audio file's first sample
    audio_rate_hz: float | None = None           # its samples per second of timeline (measured), if known
    analyse_audio: bool = True                   # False: drawn and played, but too coarse for pops
    meta: SessionMeta | None = None
    warnings: list = field(default_factory=list)
    events: list = field(default_factory=list)   # stored events of a session, if any
    audio_unreadable: bool = False               # audio given that could not be read at all: pops unknown
    audio_cut_said: bool = False                 # where the file's sound ends short was said on reading it
    dead_audio: list = field(default_factory=list)   # (t_start, t_end) of audio with no usable sound, once read
    # (t_start, t_end) of the times a session's microphone was off (session.json's audio off_s),
    # and of the silence written for audio lost on the way (its lost_at_s): a thrust whose tie
    # window reaches into one has its pops unknown
    audio_off: list = field(default_factory=list)
    audio_lost: list = field(default_factory=list)   # ... those of audio lost on the way alone
    # holes the device told of, as session.json's "gaps" (a capture's), and those found in the times
    # of a file (a bare CSV's, or a session folder's that its session.json does not mark)
    gaps: list = field(default_factory=list)
    # a session's sound from an input that delivered far off its own rate (:func:`unplaced_audio`):
    # not placed in time with the force, so every thrust's pops are unknown and none is tied to one
    audio_unplaced: bool = False

    @property
    def skipped_rows(self) -> int:
        return sum(s.skipped_rows for s in (self.force, self.imu) if s is not None)

    def audio_times(self, index, file_rate_hz: float):
        """Timeline times of audio sample indices (``file_rate_hz``: the file's nominal rate)."""
        return self.audio_t0_s + np.asarray(index) / (self.audio_rate_hz or file_rate_hz)

    @property
    def duration_s(self) -> float:
        """The time the recording ends at (s): its last sample of any stream, or the end of a gap
        it marked past that (a sensor lost before the end, the recording going on waiting for it
        up to its duration: the analysis's summary counts it in its length too)."""
        ends = [float(s.t_s[-1]) for s in (self.force, self.imu) if s is not None and len(s.t_s)]
        if self.audio_path is not None:
            sr, frames, _ = audio_info(self.audio_path, count=True)
            ends.append(float(self.audio_times(frames, sr)))
        if ends:
            ends += [float(g["t_end"]) for g in self.marked_gaps]
        return max(ends) if ends else 0.0

    @property
    def marked_gaps(self) -> list:
        """The gaps the recording marked, as session.json's ``gaps`` (a capture's, as its source
        told them), and the holes found in its times that none of them marks (:func:`_mark_holes`)."""
        return (list(self.meta.gaps) if self.meta is not None else []) + list(self.gaps)


def unplaced_audio(meta: SessionMeta, path: Path) -> tuple[str, str] | None:
    """Whether a session's sound came from an input that delivered far off its own rate, as its
    recorder judged it (``rate_delivered_hz`` beside ``rate_hz`` in session.json's audio entry,
    further than ``UNPLACED_SHARE`` apart: a file played as the microphone): its sound is not placed
    in time with the force. Then the words ``record`` keeps for it (in ``extra.source_warnings``),
    and the warning said of ``path`` for a recording that kept none; None otherwise."""
    from firmware_bridge.audio import UNPLACED_SHARE, delivered_note

    entry = meta.streams.get("audio") if isinstance(meta.streams.get("audio"), dict) else {}
    got, rate = finite_float(entry.get("rate_delivered_hz")), finite_float(entry.get("rate_hz"))
    if not got or not rate or abs(got / rate - 1.0) <= UNPLACED_SHARE:
        return None
    note = delivered_note(got, rate)
    return note.rsplit("; ", 1)[-1], f"{path}: {note}, so the thrusts' pops are unknown"


WHY_CHARS = 200               # of a stored reason, said at most


def mic_not_recorded(meta: SessionMeta) -> str | None:
    """Why a session recorded with a microphone asked for holds no sound, as ``record`` keeps
    it (session.json's ``extra.audio_not_recorded``: the microphone named and why): "no audio:
    the microphone 'default' could not be used when recording (WHY)"; None for a session that
    keeps none (no microphone asked for)."""
    got = meta.extra.get("audio_not_recorded")
    if not isinstance(got, dict):
        return None
    device, why = got.get("device"), got.get("why")
    named = f" {value_text(device)}" if isinstance(device, str) and device.strip() else ""
    why = " ".join(why.split())[:WHY_CHARS] if isinstance(why, str) else ""
    return f"no audio: the microphone{named} could not be used when recording" + (f" ({why})" if why else "")


def ms_text(t: float) -> str:
    """A time in s as ``--audio-start`` takes it, to the millisecond: 1764652800.123, 100.25, -2."""
    text = f"{t:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _warn_apart(inp: ReplayInput, p: Path, start_s: float | None = None) -> None:
    """One warning when the audio and the force (or IMU) data do not overlap at all: no pop can
    be tied to a thrust then, and every thrust's pops are unknown. It gives the ``--audio-start``
    that places the audio at the force's start (to the millisecond), and, when the one given
    (``start_s``) read as milliseconds would place the audio on the force, that reading."""
    motion = inp.force if inp.force is not None and len(inp.force.t_s) else inp.imu
    if inp.audio_path is None or motion is None or not len(motion.t_s):
        return
    if p.is_dir():
        key = "force" if motion is inp.force else "imu"
        mp = p / ((inp.meta.streams.get(key) or {}).get("file") or f"{key}.csv")
    else:
        mp = p
    sr, frames, _ = audio_info(inp.audio_path, count=True)
    a0, a1 = inp.audio_t0_s, float(inp.audio_times(frames, sr))
    m0, m1 = float(motion.t_s[0]), float(motion.t_s[-1])
    if a1 < m0 or a0 > m1:
        what = "force" if motion is inp.force else "IMU data"
        if abs(m0) <= MAX_AUDIO_START_S:
            fix = f"--audio-start {ms_text(m0)} would place its first sample at the {what}'s start"
        else:
            fix = (f"the {what}'s times are beyond any clock in seconds (over {MAX_AUDIO_START_S:g} s): if they "
                   f"are milliseconds, name its time column t_ms")
        if start_s is not None and start_s / 1000 <= m1 and a1 - start_s + start_s / 1000 >= m0:
            fix += f"; if {ms_text(start_s)} is in milliseconds, --audio-start {ms_text(start_s / 1000)}"
        inp.warnings.append(f"{inp.audio_path}: its audio, at {a0:.1f}–{a1:.1f} s, does not overlap the {what} "
                            f"of {mp}, at {m0:.1f}–{m1:.1f} s: no pop can be tied to a thrust (their pops are "
                            f"unknown); {fix}")


def _audio_timeline(inp: ReplayInput, entry: dict) -> None:
    """Place a session's audio on the force timeline: its first sample at ``t0_s`` and its
    measured rate (the sound card's clock against the host's), as the recorder wrote them."""
    sr = audio_info(inp.audio_path)[0]
    said = _nominal_rate_note(inp, entry, sr)
    t0 = finite_float(entry.get("t0_s") or 0.0)
    if t0 is None or abs(t0) > MAX_AUDIO_T0_S:
        inp.warnings.append(f"session.json: audio t0_s {value_text(entry.get('t0_s'), 20)} is not usable; audio "
                            f"placed at t = 0")
        t0 = 0.0
    inp.audio_t0_s = t0
    given = entry.get("rate_measured_hz")           # (null: not measured; 0 is a rate, far off)
    rate = finite_float(given)
    if given is None:
        pass
    elif rate is None:
        inp.warnings.append(f"session.json: audio rate_measured_hz {value_text(given, 20)} is not usable; ignored "
                            f"(the file's {sr} Hz is used)")
    elif abs(rate / sr - 1.0) <= AUDIO_RATE_TOLERANCE:
        inp.audio_rate_hz = rate
    elif not said:
        inp.warnings.append(f"session.json: audio rate_measured_hz {rate:g} is not within 1 % of the "
                            f"file's {sr} Hz; the nominal rate is used")
    inp.audio_lost = _audio_off(inp, entry.get("lost_at_s"), "lost_at_s")
    inp.audio_off = [*_audio_off(inp, entry.get("off_s")), *inp.audio_lost]


def _audio_off(inp: ReplayInput, given, key: str = "off_s") -> list[tuple[float, float]]:
    """session.json's audio ``off_s``: the times the microphone was off while recording, as
    [start, end] pairs (s), or its ``lost_at_s`` (``key``): the silence written for audio lost on
    the way; one not such a pair is left out, and said once."""
    if given is None:
        return []
    items = given if isinstance(given, list) else [given]
    spans = [(float(p[0]), float(p[1])) for p in items
             if isinstance(p, (list, tuple)) and len(p) == 2 and all(finite_number(v) for v in p) and p[0] <= p[1]]
    if len(spans) < len(items):
        inp.warnings.append(f"session.json: audio {key} holds {len(items) - len(spans)} entr"
                            f"{'y' if len(items) - len(spans) == 1 else 'ies'} not a [start, end] pair of "
                            f"seconds; left out (the pops of thrusts made then may read as none)")
    return spans


def _nominal_rate_note(inp: ReplayInput, entry: dict, sr: int) -> bool:
    """Warn, once, when session.json's audio ``rate_hz`` is not the rate of the file itself (the
    file's is used, as its samples were written at it); whether it did."""
    given = finite_float(entry.get("rate_hz"))
    if given is None and entry.get("rate_hz") is not None:
        inp.warnings.append(f"session.json: audio rate_hz {value_text(entry.get('rate_hz'), 20)} is not usable; "
                            f"the file's {sr} Hz is used")
        return True
    if given is None or abs(given - sr) < 0.5:
        return False
    inp.warnings.append(f"session.json: audio rate_hz {given:g}, but {inp.audio_path.name} is at {sr} Hz; the "
                        f"file's {sr} Hz is used")
    return True


def _given_timeline(inp: ReplayInput, start_s: float | None, rate_hz: float | None) -> None:
    """Place the audio where ``--audio-start`` and ``--audio-rate`` say, or a one-line
    :class:`InputError` naming the option."""
    if start_s is None and rate_hz is None:
        return
    opt = "--audio-start" if start_s is not None else "--audio-rate"
    if inp.audio_path is None:
        raise InputError(f"{opt}: there is no audio to place (give --audio FILE, or a session with its own)")
    if start_s is not None:
        if not (np.isfinite(start_s) and abs(start_s) <= MAX_AUDIO_START_S):
            ms = (f"; if it is in milliseconds, --audio-start {ms_text(start_s / 1000)}"
                  if np.isfinite(start_s) and abs(start_s / 1000) <= MAX_AUDIO_START_S else "")
            raise InputError(f"--audio-start {start_s:g}: give the force's time of the audio's first sample, "
                             f"in s (-{MAX_AUDIO_START_S:g} to {MAX_AUDIO_START_S:g}: a clock from 0, a device's "
                             f"uptime or Unix epoch seconds){ms}")
        inp.audio_t0_s = float(start_s)
    if rate_hz is not None:
        sr = audio_info(inp.audio_path)[0]
        if not (np.isfinite(rate_hz) and abs(rate_hz / sr - 1.0) <= AUDIO_RATE_TOLERANCE):
            raise InputError(f"--audio-rate {rate_hz:g}: give the audio's rate as measured against the force's "
                             f"clock, within {100 * AUDIO_RATE_TOLERANCE:g} % of the {sr} Hz of {inp.audio_path}")
        inp.audio_rate_hz = float(rate_hz)
