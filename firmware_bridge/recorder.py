"""Record a live source into a session folder: source → Analyzer → SessionWriter (docs/format.md).

Samples are appended as they arrive and flushed at least once a second, so a hard kill loses at
most the last second and the folder still opens (with a warning). Disconnects and lost samples
are marked as gaps in ``session.json`` and as gap events, and the recording goes on. An optional
microphone (``firmware_bridge.audio.AudioRecorder``) records ``audio.flac`` alongside.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from analysis.chunk import Chunk, add_span, lost_span
from analysis.errors import InputError
from analysis.events import GapEvent, ThrustEvent
from analysis.pipeline import Analyzer
from analysis.summary import describe_pops, near_spans, pops_unplaced, unheard_in
from analysis.scheme import GradingScheme, ThrustScheme
from firmware_bridge.csv_rows import CLOCK_STEPPED_BACK
from firmware_bridge.session import SOURCE_WARNINGS_KEY, SessionMeta, SessionWriter, found_again
from firmware_bridge.session_scheme import fixed_min_amplitude, keep_scheme, stored_pop_window
from firmware_bridge.sources import FileSource, Notice, Source

STATUS_EVERY_S = 1.0
FLUSH_EVERY_S = 1.0
DURATION_GRACE_S = 2.0        # a timed recording whose device went quiet ends this long after its time
LOSS_REPORT_S = 5.0           # lost samples are told at most this often (a 1 kHz sensor on a 9600-baud
                              # link loses a frame 16 times a second)
WAITING_AFTER_S = 1.0         # no sample for this long (and for WAITING_INTERVALS of a slow sensor's sample
WAITING_INTERVALS = 3         # intervals): the status line says it waits for the sensor
GAP_REASONS = {"reconnected": "disconnected", "gap": "dropped samples", "clock": CLOCK_STEPPED_BACK}
GAP_KINDS = ("disconnected", "reconnected", "gap", "clock")   # notices of a hole starting at their t_s
SOUND_LATE_S = 1.0            # sound this far behind the sensor's data is taken to have stopped coming
CLIPPED = 3                   # the kind of a frame held at full scale (replay.dead_audio.DEAD_KINDS)
# the status line's words for a thrust no sound was heard around (the trainer's thrust panel's)
NOT_HEARD = "no sound around its peak: pops not counted"
# ... and for one whose tie window reaches into silence for sound lost on the way (the trainer's too)
LOST_SOUND = "sound lost around its peak: pops unknown"


@dataclass
class RecordResult:
    """What a recording ended with."""

    samples: int = 0
    events: int = 0
    last_grade: str = "–"
    gaps: list = field(default_factory=list)
    lost_at_s: float | None = None      # when the device was lost, if it was not back by the end
    dropped: int | None = 0             # samples the source told lost within the recording (None: it
                                        # told of a gap without saying how many)
    reconnects: int = 0                 # reconnects within the recording
    # a worn IMU alone: the grade ("–" for a cycle, "V" for a thrust) and the hand's movement (mm)
    # of its last cycle or thrust, which the status line shows in place of a force's last grade
    last_imu: tuple[str, float | None] | None = None
    last_event: object = None           # the last cycle or thrust event (its grade is ``last_grade``)
    # the times of the pops tied to each thrust, by its index, as they come (a pop at the peak is
    # told before its thrust is measured); the status line counts the last thrust's as the
    # trainer's thrust panel does; ``hearing``: sound is analysed for pops
    pops_by_thrust: dict = field(default_factory=dict)
    hearing: bool = False
    # the microphone's sound is not placed in time with the force (an input far off its own rate,
    # :meth:`~firmware_bridge.audio.AudioRecorder.unplaced_note`'s words): the pops are unknown
    unplaced: str | None = None


def first_chunks(source: Source, timeout_s: float = 5.0, clock: Callable[[], float] = time.monotonic,
                 stop: Callable[[], bool] = lambda: False) -> list[Chunk]:
    """Wait for the first data (the device's identify answer comes with it); on timeout or once
    ``stop()`` says so (Ctrl-C), what the source still holds, [] when the device sent nothing."""
    deadline = clock() + timeout_s
    while clock() < deadline and not stop():
        chunks = source.read(0.1)
        if chunks:
            return chunks
        if getattr(source, "exhausted", False):
            break
    return release_held(source)


def release_held(source: Source) -> list[Chunk]:
    """What the source still holds back (a serial device's first second, while its clock
    settles: ``SerialSource.release_held``) and what is waiting, at once: taken when a recording
    stops, so nothing the device sent before the stop is left out."""
    release = getattr(source, "release_held", None)
    if release is not None:
        release()
    return source.read(0.0)


def imu_alone(source: Source, chunks: list[Chunk]) -> bool:
    """The sensor is a worn IMU with no force: as the source says (``Source.sensor_streams``),
    or, when it cannot say, when its first data are all an IMU's."""
    told = source.sensor_streams
    if told is not None:
        return "imu" in told and "force" not in told
    return bool(chunks) and all(c.stream == "imu" for c in chunks)


def status_line(t_s: float, source: Source, n: int, last_grade: str, note: str | None = None,
                moved_mm: float | None = None, waiting_s: float | None = None) -> str:
    """The recording's status in one line; ``note`` (the audio lost so far) after it;
    ``moved_mm``, the hand's movement in the last cycle or thrust (a worn IMU alone's), beside
    its grade; ``waiting_s``, how long no sample came (the sensor away), in place of the rate."""
    st = source.stats
    rate = st.rate_hz or source.info.get("rate_hz", 0.0)
    moved = f" (hand moved {moved_mm:.1f} mm)" if moved_mm is not None and math.isfinite(moved_mm) else ""
    flow = f"waiting for the sensor ({waiting_s:.0f} s)" if waiting_s is not None else (f"rate {rate:6.0f} Hz" if rate >= 10 else f"rate {rate:6.2f} Hz")
    return (f"{t_s:7.1f} s  {flow}  samples {n}  dropped {st.dropped}  "
            f"CRC errors {st.crc_errors}  reconnects {st.reconnects}  last grade {last_grade}{moved}"
            + (f"  {note}" if note else ""))


def record(source: Source, writer: SessionWriter, scheme: GradingScheme, duration_s: float | None = None,
           status: Callable[[str], None] | None = None, stop: Callable[[], bool] = lambda: False,
           clock: Callable[[], float] = time.monotonic, thrust: ThrustScheme | None = None,
           pending: list[Chunk] | None = None, audio=None,
           notice: Callable[[str], None] | None = None,
           verdict: Callable[[object], str | None] | None = None) -> RecordResult:
    """Run until ``duration_s`` of recording, ``stop()`` or the end of the source.

    ``duration_s`` counts from the first sample, time without data included: it is reached on
    the data's timeline; when the device is lost (and not back), as soon as the timeline's
    present reaches it; when the device only went quiet, ``DURATION_GRACE_S`` after that (data
    the source still holds may come). The timeline's present is the clock minus the smallest
    delay seen between a sample's time and its arrival here (the source may hold its first
    data back a while). A loss at the end is marked as a gap up to the duration's end. The
    recording holds the samples from the first one up to ``duration_s`` after it, and none
    after (nor the gaps the source tells of after it: what came later was not asked for).
    ``pending`` are chunks already read (see :func:`first_chunks`); when the source says its
    sensor gives no force (``Source.sensor_streams``), or cannot say and they are all a worn
    IMU's, the IMU is the sensor (its samples are counted, its thrusts kept); ``audio`` an
    ``AudioRecorder`` polled on this thread, whose file's place on the timeline is written to
    ``session.json`` as soon as it is known (a crash must not lose it). Sound the source gives
    (a played session's) is written to ``audio.flac`` at its place on the timeline and analysed,
    as a microphone's is; with ``audio`` on, it is left out, said once. ``status`` gets the
    status line once a second (while no sample came for :data:`WAITING_AFTER_S`, or a slow sensor's
    :data:`WAITING_INTERVALS` sample intervals, the sensor away,
    its time goes on with the timeline's present and it says how long it has waited); ``notice`` (``status`` when not given) each device notice (lost
    samples summed up, :class:`LossReport`), and the microphone's once it stops (the force
    recording goes on). A device lost and not back by the end is marked as a gap up to the end.
    Stopping takes what the source still holds (:func:`release_held`), and the analysis is fed
    what the microphone still holds (``AudioRecorder.stop``) before it finishes. ``verdict`` words
    the last cycle or thrust against the target ("target III+: off"), said beside its grade on the
    status line (None: nothing said). A microphone judged to deliver far off its own rate (a file
    played as the microphone: its sound is not placed in time with the force) leaves every thrust's
    pops unknown in the summary, its warning kept there and in session.json's
    ``extra.source_warnings``, and the status line says no pops from then on. The writer is
    flushed, not closed.
    """
    notice = notice or status
    chunks = list(pending or [])
    # the sensor's stream: force, or a worn IMU's samples when it has nothing else (then no force
    # analysis is made to wait for force that never comes: it would claim the IMU's thrusts)
    main = "imu" if imu_alone(source, chunks) else "force"
    a = Analyzer(scheme, thrust, streams=(main,), audio_name=_audio_name(source, audio))
    # what reading a played recording found (its bad rows skipped): warnings of this one too,
    # as replay of the file gives them (kept in session.json by new_meta)
    a.warnings.extend(getattr(source, "read_warnings", ()))
    writer.append_events(a.start_events())
    res = RecordResult()
    t_first, seen_t = None, -np.inf
    t_stop = np.inf                                 # the duration's end on the timeline
    lag = np.inf                                    # least clock − last sample's time: the timeline is clock − lag
    lost = None                                     # (timeline time, clock) of a loss not yet over
    audio_placed = False
    last_status = last_flush = started = came = clock()     # (came: when the last sample came)
    marked: list[tuple[float, float]] = []          # the device's gaps: the analysis's "dropout" of one is left out
    ended = False                                   # a sample after the duration's end came
    losses = LossReport(source.spec, notice, clock)
    final = False                                   # stopping: the source's held samples are taken
    mic, said_sound = audio, False                  # a microphone's sound, not the source's (a played
                                                    # session's), is kept and analysed
    fit_told = 0                                    # changes of the played sound's level said so far
    heard = _SoundHeard()                           # audio.flac's sound, searched as replay searches it
    if mic is None and isinstance(source, FileSource) and (span := source.sound_range()) is not None:
        writer.sound_will_span(*span)               # (a float file's: fitted to audio.flac at once)
    while True:
        # the device's notices first: one telling of a reconnect came before the samples after it
        for nt in source.notices():
            if nt.kind in GAP_KINDS and nt.t_s is not None and nt.t_s >= t_stop:
                continue                            # after the duration's end: not in this recording
            if nt.kind == "disconnected" and nt.t_s is not None:
                lost = (nt.t_s, clock())
            elif nt.kind == "reconnected":
                lost = None
                if nt.t_s is not None:              # (a silence after which all of it came: none)
                    res.reconnects += 1
            if nt.kind == "clock" and nt.t_end_s is not None:
                a.cut_before(nt.t_end_s, nt.stream)     # (told before the samples from there: a new run)
            reason = GAP_REASONS.get(nt.kind)
            if reason and nt.t_s is not None:
                t_end = min(nt.t_end_s if nt.t_end_s is not None else nt.t_s, t_stop)
                _mark_gap(writer, res, nt.t_s, t_end, reason, nt.stream if nt.kind == "clock" else "force")
                marked.append((nt.t_s, t_end))
            if nt.kind == "gap":
                losses.add(nt)
            elif notice and nt.kind != "clock":     # (a played file's step: said on opening, with its line)
                notice(nt.message)
        losses.tick()
        for c in chunks:
            if c.stream == main and t_first is None:
                t_first = float(c.t_s[0])
                if duration_s is not None:          # from the first time as force.csv keeps it (µs),
                    t0 = float(f"{t_first:.6f}")    # so the folder read back spans the whole duration
                    t_stop = t0 + duration_s
                    while t_stop - t0 < duration_s:
                        t_stop = float(np.nextafter(t_stop, np.inf))
            if c.t_s[-1] > t_stop:                  # the duration ends within it: the rest was not asked for
                c, ended = _until(c, t_stop), True
                if not len(c):
                    continue
            if c.stream == "force":
                writer.append_force(c.t_s, c.values)
            elif c.stream == "imu":
                writer.append_imu(c.t_s, c.values)
            elif c.stream == "audio":
                if mic is not None:                 # (both would be audio.flac, and the analysis's sound)
                    if not said_sound and notice:
                        notice(f"{source.spec}: its own sound is left out; the microphone is recorded instead")
                    said_sound = True
                    continue
                writer.append_audio(c.t_s, c.values, c.rate_hz)
                fit_told = _tell_fitted(writer, source, notice, fit_told)
            if c.stream == main:
                res.samples += len(c)
                seen_t = float(c.t_s[-1])
                came = clock()
                lag = min(lag, came - seen_t)
            if not pops_heard_in(c):                # kept as it came, its pops not analysed (said on opening)
                continue
            res.hearing = res.hearing or c.stream == "audio"
            heard.feed(c)
            _events(a.feed(c), writer, res, marked)
        if audio is not None:
            for c in _sound(writer, audio, audio.poll, 0.0):
                res.hearing = True
                heard.feed(c)
                _events(a.feed(c), writer, res)
            if not audio_placed and audio.t0_s is not None:
                writer.meta.streams["audio"] = audio.entry()
                writer.write_meta()
                audio_placed = True
            if not audio.active:                    # it stopped: say why, once, and poll no more
                if audio.notice and notice:
                    notice(audio.notice)
                audio = None
        _judge_placed(res, mic, a)
        now = clock()
        if now - last_flush >= FLUSH_EVERY_S:       # even when the device went quiet
            writer.flush()
            last_flush = now
        if status and now - last_status >= STATUS_EVERY_S:
            grade, moved = (res.last_imu or ("–", None)) if main == "imu" else (res.last_grade, None)
            said = verdict(res.last_event) if verdict and main != "imu" and res.last_event is not None else None
            pops = _pops_said(res, heard, a.tie_window_s, seen_t, a.loud_spans()) if main != "imu" else None
            said = "; ".join(w for w in (said, pops) if w)
            grade += f" ({said})" if said else ""
            t_shown, waiting = seen_t if np.isfinite(seen_t) else 0.0, None
            if np.isfinite(seen_t) and (lost is not None or now - came >= _waiting_after(source)):
                # the sensor away: the time goes on (the timeline's present), not the last sample's
                t_shown = max(seen_t, min(_timeline_now(now, lag, lost), t_stop))
                waiting = now - came
            status(status_line(t_shown, source, res.samples, grade,
                               mic.loss_note() if mic is not None else None, moved, waiting))
            last_status = now
        over = False
        if duration_s is not None:
            if t_first is None:                     # no sample ever came: by the clock
                over = now - started >= duration_s + DURATION_GRACE_S
            else:                                   # (lost: nothing of the duration can still come)
                over = ended or seen_t >= t_stop or _timeline_now(now, lag, lost) >= t_stop + (
                    0 if lost else DURATION_GRACE_S)
        if final:
            break
        if over or stop():
            final = True                            # once more, with what the source still holds
            chunks = release_held(source)
            continue
        chunks = source.read(0.1)
        if not chunks and getattr(source, "exhausted", False):
            break
    if lost is not None:                            # gone, and not back: a gap to the end
        t_lost = lost[0]
        if t_lost < t_stop:                         # (lost after the duration's end: not in this recording)
            _mark_gap(writer, res, t_lost, max(t_lost, min(_timeline_now(clock(), lag, lost), t_stop)), "disconnected")
            res.lost_at_s = t_lost
    # (the recording's length reaches the end of a gap past its last sample: the summary's too)
    a.marked([GapEvent(t0, t1, "force", why) for t0, t1, why in res.gaps])
    losses.finish()
    _tell_fitted(writer, source, notice, fit_told, final=True)
    res.dropped = losses.samples if losses.known else None
    if audio is not None:                           # what the microphone still held, before the end
        for c in _sound(writer, audio, audio.stop):
            heard.feed(c)
            _events(a.feed(c), writer, res)
    _judge_placed(res, mic, a)
    if res.unplaced is not None:                    # (kept with the recording: replay, report and review say it)
        a.warnings.append(res.unplaced)
        writer.meta.extra[SOURCE_WARNINGS_KEY] = [*writer.meta.extra.get(SOURCE_WARNINGS_KEY, []), res.unplaced]
    if t_first is not None:                         # too little to analyse: said as replay of it says it
        from firmware_bridge.replay.analyze import short_note
        note = short_note(res.samples, seen_t - t_first, main, scheme)
        if note:
            a.warnings.append(note)
    spans, notes, clipped = heard.found(writer.path / "audio.flac")
    a.warnings.extend(n for n in notes if n not in a.warnings)
    if clipped and mic is None and "audio" in writer.meta.streams:   # (a microphone's: its recorder keeps it)
        writer.meta.streams["audio"]["clipped_share"] = round(clipped, 6)
    _events(_unheard(_unknown_pops(a.finish()) if res.unplaced is not None else a.finish(), spans,
                     a.tie_window_s), writer, res)
    writer.flush()
    return res


class _SoundHeard:
    """The sound audio.flac holds, as the analysis is given it, fed in whole frames from its first
    sample to the search replay runs on the file for stretches with no usable sound and for
    clipping (:class:`~firmware_bridge.replay.dead_audio.DeadStretches`), placed on the timeline
    as replay of the folder places the file (its first sample's time, its measured rate): so the
    recording's summary leaves unknown the pops of the same thrusts as replay of the folder, with
    its words (as the trainer's recording does)."""

    def __init__(self) -> None:
        self.dead = None
        self.rate_hz = 0
        self.t_s: tuple[float, float] | None = None     # the first and last sample's times
        self.lost: list[tuple[float, float]] = []       # silence for audio lost on the way (s)

    def feed(self, c: Chunk) -> None:
        from analysis.cavitation import MAX_SAMPLE
        from firmware_bridge.replay.dead_audio import DEAD_FRAME_S, DeadStretches
        if c.stream != "audio" or not len(c):
            return
        if self.dead is None:
            self.rate_hz = int(round(c.rate_hz))
            self.dead = DeadStretches(max(1, int(round(DEAD_FRAME_S * self.rate_hz))))
        x = np.asarray(c.values, np.float32).reshape(len(c), -1)
        if not (x.max() < MAX_SAMPLE and x.min() > -MAX_SAMPLE):     # (read as silence, as replay reads them)
            x = np.where(np.abs(x) < MAX_SAMPLE, x, np.float32(0.0))
        self.dead.feed_framed(x)
        self.t_s = (self.t_s[0] if self.t_s else float(c.t_s[0]), float(c.t_s[-1]))
        if (span := lost_span(c)) is not None:
            add_span(self.lost, *span)

    def around(self, t_s: float, window_s: float, now_s: float) -> bool:
        """Whether sound was heard around the time ``t_s`` (a thrust's peak, ± ``window_s``, its
        tie window), as far as known when the sensor's data reach ``now_s``: not when the sound
        stopped coming before the window's end (a played recording's sound ended) and none came
        for :data:`SOUND_LATE_S` since, nor when the window lies in sound found dead so far (every
        sample at one level, :class:`~firmware_bridge.replay.dead_audio.DeadStretches`' frames)
        or reaches into silence for audio lost on the way."""
        if self.t_s is None or self.dead is None:
            return True
        t0, t1 = self.t_s
        if t1 < t_s + window_s and now_s - t1 >= SOUND_LATE_S:
            return False
        if near_spans(t_s, self.lost, window_s):
            return False
        rate = self.rate_hz or 1
        # (sound clipped is sound: the warning at the end says it)
        return not any(t0 + a / rate <= t_s + window_s and t0 + b / rate >= t_s - window_s
                       and max(k, key=k.get) != CLIPPED for a, b, k in self.dead.runs)

    def found(self, path) -> tuple[list[tuple[float, float]], list[str], float]:
        """The stretches (recording times, s) of no usable sound or clipped, and of silence for
        audio lost on the way, replay's warnings of them naming ``path``, and the share of the
        sound clipped (0 under the share said)."""
        from firmware_bridge.replay.dead_audio import dead_note
        from firmware_bridge.replay.inputs import AUDIO_RATE_TOLERANCE, ReplayInput
        from firmware_bridge.session_writer import AUDIO_RATE_SPAN_S
        if self.dead is None or self.t_s is None:
            return [], [], 0.0
        self.dead.feed_framed(None, True)
        n, (t0, t1), sr = self.dead.n, self.t_s, self.rate_hz
        rate = round((n - 1) / (t1 - t0), 4) if n > 1 and t1 - t0 >= AUDIO_RATE_SPAN_S else 0.0
        rate = rate if rate and abs(rate / sr - 1.0) <= AUDIO_RATE_TOLERANCE else sr
        inp = ReplayInput(name=str(path), audio_t0_s=round(t0, 6), audio_rate_hz=rate)
        dead_note(inp, path, self.dead, sr)
        return [*inp.dead_audio, *self.lost], inp.warnings, self.dead.clipping()[0]


def _unheard(ev: list, spans: list[tuple[float, float]], window_s: float) -> list:
    """The analysis's last events with the pops of the thrusts whose tie window (``window_s``)
    reaches into ``spans`` unknown in its summary (:func:`~analysis.summary.unheard_in`)."""
    if not spans or not ev or ev[-1].TYPE != "summary":
        return ev
    return [*ev[:-1], replace(ev[-1], thrusts=unheard_in(ev[-1].thrusts, spans, window_s))]


def _judge_placed(res: RecordResult, mic, a: Analyzer) -> None:
    """Once the microphone is judged not to place its sound in time with the force, keep its words
    in ``res.unplaced`` (from then on the status line says no pops)."""
    if mic is not None and res.unplaced is None:
        res.unplaced = mic.unplaced_note(a.audio_name or "the audio input")


def _unknown_pops(ev: list) -> list:
    """The analysis's last events with its summary's pops as replay of the folder gives them
    (:func:`~analysis.summary.pops_unplaced`): the sound was not placed in time with the force, so
    a pop counted near a thrust, or none, says nothing of it."""
    if not ev or ev[-1].TYPE != "summary":
        return ev
    return [*ev[:-1], pops_unplaced(ev[-1])]


def _waiting_after(source: Source) -> float:
    """How long without a sample the sensor is said to be away (s): :data:`WAITING_AFTER_S`, or
    :data:`WAITING_INTERVALS` of its sample intervals for a sensor slower than that (a line
    sketch sending one sample every 2 s is not away between them)."""
    rate = source.stats.rate_hz or source.info.get("rate_hz") or 0.0
    try:
        rate = float(rate)
    except (TypeError, ValueError):
        rate = 0.0
    return max(WAITING_AFTER_S, WAITING_INTERVALS / rate) if rate > 0 and math.isfinite(rate) else WAITING_AFTER_S


def _tell_fitted(writer: SessionWriter, source: Source, notice: Callable[[str], None] | None, told: int,
                 final: bool = False) -> int:
    """Say what was done to a played file's sound beyond full scale to write it to audio.flac
    (``SessionWriter.sound_fitted``): at its first change, and at the end when it changed again
    since; the changes said so far is returned."""
    n = (writer.meta.streams.get("audio") or {}).get("fitted", {}).get("count", 0)
    if n > told and (not told or final):
        if notice:
            notice(f"{source.spec}: {writer.sound_fitted}")
        return n
    return told


def _audio_name(source: Source, mic) -> str:
    """Where the analysed sound comes from, for the warnings about it: the microphone, when one
    records (the source's own sound is then left out); else the source's audio file (a played
    session's ``audio.flac``), or the source."""
    if mic is not None and getattr(mic, "mic", None) is not None:
        return f"audio input {mic.mic.name!r}"
    path = getattr(getattr(source, "input", None), "audio_path", None)
    return str(path) if path is not None else source.spec


class LossReport:
    """Samples a source says it lost, told without a line for each gap (a slow link loses a frame
    many times a second): the first gap at once, then what was lost since, with the totals, at most
    once every ``every_s`` of ``clock``, and the totals at the end when there was more than one."""

    def __init__(self, spec: str, say: Callable[[str], None] | None, clock: Callable[[], float],
                 every_s: float = LOSS_REPORT_S) -> None:
        self.spec, self.say, self.clock, self.every_s = spec, say, clock, every_s
        self.gaps = self.samples = 0            # in all
        self.known = True                       # every gap said how many samples it lost
        self._new = self._new_samples = 0       # since the last line
        self._said_at: float | None = None

    def add(self, nt: Notice) -> None:
        self.gaps += 1
        self.known = self.known and nt.samples is not None
        self.samples += nt.samples or 0
        if self._said_at is None:
            self._tell(nt.message)
        else:
            self._new += 1
            self._new_samples += nt.samples or 0

    def tick(self) -> None:
        if self._new and self.clock() - self._said_at >= self.every_s:
            since = self.clock() - self._said_at
            self._tell(f"{self.spec}: {self._lost(self._new_samples, self._new)} in the last {since:.0f} s "
                       f"({self._lost(self.samples, self.gaps)} so far)")

    def finish(self) -> None:
        if self.gaps > 1:
            self._tell(f"{self.spec}: {self._lost(self.samples, self.gaps)} in all")

    def _lost(self, samples: int, gaps: int) -> str:
        n = f"{samples} sample{'s' if samples != 1 else ''}" if self.known else "samples"
        return f"{n} lost in {gaps} gap{'s' if gaps != 1 else ''}"

    def _tell(self, line: str) -> None:
        self._said_at, self._new, self._new_samples = self.clock(), 0, 0
        if self.say:
            self.say(line)


def _mark_gap(writer: SessionWriter, res: RecordResult, t0: float, t1: float, reason: str,
              stream: str = "force") -> None:
    """A hole the device told of (in ``stream``: a played IMU's clock step is the IMU's): in
    session.json's gaps, as an event, and in the result."""
    writer.mark_gap(t0, t1, reason, stream)
    writer.append_events([GapEvent(t0, t1, stream, reason, t_detect_s=t1)])
    res.gaps.append((t0, t1, reason))


def _sound(writer: SessionWriter, audio, take: Callable, *args) -> list[Chunk]:
    """What the microphone gives (``take``: its ``poll`` or ``stop``), written to audio.flac as it
    comes; libsndfile refusing the file (a full disk) is the writer's ``OSError`` (``broken``)."""
    try:
        return take(*args)
    except RuntimeError as e:                      # (libsndfile's LibsndfileError)
        raise writer.sound_refused(audio.path, e) from None


def pops_heard_in(c: Chunk) -> bool:
    """Whether the analysis is given ``c``: any stream but audio, and audio at a rate its pops
    are detected at (:data:`analysis.cavitation.MIN_RATE_HZ`); a played session's 8 kHz sound is
    recorded as it came, and the force is analysed without its pops, as replay does."""
    from analysis.cavitation import MIN_RATE_HZ
    return c.stream != "audio" or (c.rate_hz or 0.0) >= MIN_RATE_HZ


def _until(c: Chunk, t_stop: float) -> Chunk:
    """The chunk's samples up to ``t_stop`` (s, included)."""
    n = int(np.searchsorted(c.t_s, t_stop, side="right"))
    return replace(c, t_s=c.t_s[:n], values=c.values[:n])


def _timeline_now(now: float, lag: float, lost: tuple[float, float] | None) -> float:
    """The recording's timeline at clock time ``now``, never ahead of it: the clock less the
    least delay a sample came with, or, the device lost at ``(timeline, clock)``, the time since."""
    t = now - lag
    if lost is not None:
        t = max(t, lost[0] + (now - lost[1]))
    return t


def _events(ev: list, writer: SessionWriter, res: RecordResult, marked=()) -> None:
    """Write the analysis's events; a "dropout" over a gap the device told of (``marked``) is
    that gap again, already written with its reason, and is left out, in any stream (a worn
    IMU alone has only its own)."""
    ev = [e for e in ev if not found_again(e, marked)]
    if not ev:
        return
    writer.append_events(ev)
    res.events += len(ev)
    for e in ev:
        if e.TYPE == "cycle" and getattr(e, "grade", None):
            res.last_grade, res.last_event = e.grade + (e.modifier or ""), e
        elif e.TYPE == "thrust":
            res.last_grade, res.last_event = "V", e
        elif e.TYPE == "cavitation" and e.thrust is not None:
            res.pops_by_thrust.setdefault(e.thrust, []).append(e.t)
        if e.TYPE in ("imu_cycle", "thrust"):        # (what a worn IMU alone shows: see RecordResult)
            res.last_imu = ("V" if e.TYPE == "thrust" else "–", getattr(e, "displacement_mm", None))


def _pops_said(res: RecordResult, heard: _SoundHeard | None = None, window_s: float = 0.0,
               now_s: float = -np.inf, loud=()) -> str | None:
    """The last thrust's pops in the trainer's words ("3 pops, first 12 ms before peak force",
    "no pop" until one is heard), while sound is analysed and the last event is a thrust; none
    once the sound is known not to be placed in time with the force (they are unknown). A thrust
    with no pop and no sound heard around its peak (``heard``'s, :meth:`_SoundHeard.around`, the
    sensor's data at ``now_s``) is :data:`NOT_HEARD`, or :data:`LOST_SOUND` when its tie window
    reaches into silence for sound lost on the way, as the trainer's thrust panel says them; one
    whose peak lies in ``loud`` (sound that hides most pops,
    :meth:`Analyzer.loud_spans`) is "no pop heard (loud sound)", or "at least 2 pops, … (loud
    sound)", as they say it."""
    e = res.last_event
    if not res.hearing or res.unplaced is not None or getattr(e, "TYPE", "") != "thrust":
        return None
    pops = res.pops_by_thrust.get(e.index, [])
    if not pops and heard is not None and not heard.around(e.t_peak, window_s, now_s):
        return LOST_SOUND if near_spans(e.t_peak, heard.lost, window_s) else NOT_HEARD
    return thrust_pops_words(e, pops, masked=near_spans(e.t_peak, loud))


# the decimals an event's numbers are stored with (analysis.events: every float of to_dict)
STORED_DECIMALS = 6


def thrust_pops_words(t: ThrustEvent, pop_times_s, partly_heard: bool = False, masked: bool = False) -> str:
    """The pops heard at ``pop_times_s`` (s) tied to the thrust ``t``, in words (:func:`describe_pops`:
    "3 pops, first 26 ms before peak force", "no pop"), the first's ms from the peak as the stored
    summary keeps it (``first_pop_ms_from_peak``, to six decimals): so the status line and the
    trainer read as replay, the review and the report do (-26.5 stored is "26 ms before"; the
    unrounded -26.50000001 read "27 ms"). An IMU's thrust's peak is "peak" (the hand's deepest point).
    ``masked``: heard in sound that hides most pops ("no pop heard (loud sound)", "at least 2
    pops, … (loud sound)")."""
    pops = list(pop_times_s)
    first = round(1000.0 * (min(pops) - t.t_peak), STORED_DECIMALS) if pops else None
    return describe_pops(len(pops), first, "peak force" if math.isfinite(t.peak_n) else "peak", partly_heard,
                         masked)


def scheme_from_device(scheme: GradingScheme, source: Source,
                       warn: Callable[[str], None] | None = None) -> GradingScheme:
    """Without --r1/--r2, use a calibration the device itself reports (the emulator does).

    One the device got wrong (not numbers, not finite, R1 not below R2) is not the user's
    input: ``warn`` gets one line naming the device and the recording goes on ungraded."""
    cal = source.info.get("calibration") or {}
    if scheme.calibrated or "r1_n" not in cal or "r2_n" not in cal:
        return scheme
    try:
        r1, r2 = float(cal["r1_n"]), float(cal["r2_n"])
        if not (math.isfinite(r1) and math.isfinite(r2)):
            raise ValueError("not finite")
        out = replace(scheme, r1_n=r1, r2_n=r2)      # (the command line's other settings kept)
    except (TypeError, ValueError, InputError) as e:
        if warn:
            why = str(e) if isinstance(e, InputError) else f"r1_n {cal['r1_n']!r}, r2_n {cal['r2_n']!r}"
            warn(f"{source.spec}: the calibration the device reports is not usable ({why}); "
                 f"recording without grades (give --r1 and --r2)")
        return scheme
    return out.with_target(scheme.target_grade + (scheme.target_modifier or "")) if scheme.target_grade else out


def scheme_from_played(scheme: GradingScheme, src: Source, taken: dict | None = None,
                       given: frozenset = frozenset()) -> tuple[GradingScheme, dict]:
    """``scheme`` graded as the played session ``src`` was (its session.json's alpha and fixed
    minimum amplitude, as ``replay`` grades it), and the settings taken from it with the values
    they replaced. Those named in ``given`` ("alpha", "min_amplitude": on the command line) are
    kept; ``taken`` from the last source go back first. A device or a CSV gives none."""
    scheme = replace(scheme, **(taken or {}))
    meta = src.input.meta if isinstance(src, FileSource) else None
    if meta is None:
        return scheme, {}
    own = {} if "alpha" in given else {"alpha": meta.alpha}
    if src.min_amplitude_n is not None and "min_amplitude" not in given and fixed_min_amplitude(scheme) is None:
        fixed = scheme.with_min_amplitude(src.min_amplitude_n)
        own.update(min_amplitude_n=fixed.min_amplitude_n, min_amplitude_frac=fixed.min_amplitude_frac,
                   min_amplitude_crest_frac=fixed.min_amplitude_crest_frac)
    return replace(scheme, **own), {k: getattr(scheme, k) for k in own}



def thrust_from_played(thrust: ThrustScheme, src: Source, taken: dict | None = None,
                       given: frozenset = frozenset()) -> tuple[ThrustScheme, dict]:
    """``thrust`` with the pop window the played session ``src`` was recorded with (session.json's
    ``extra.pop_window_ms``, as ``replay`` ties its pops), and the setting taken with the value it
    replaced; kept when "pop_window" is in ``given`` (on the command line). ``taken`` from the
    last source goes back first. A device, a CSV or a session with the default window give none."""
    thrust = replace(thrust, **(taken or {}))
    meta = src.input.meta if isinstance(src, FileSource) else None
    ms = stored_pop_window(meta)[0] if meta is not None and "pop_window" not in given else None
    if ms is None or ms == thrust.pop_window_ms:
        return thrust, {}
    return replace(thrust, pop_window_ms=ms), {"pop_window_ms": thrust.pop_window_ms}

def played_target_detail(src: Source) -> dict | None:
    """The target the played session ``src`` was recorded with as its session.json keeps it
    (``extra.target_detail``: a V target's corridors, the pacer's rate), or None (a device, a CSV,
    a session recorded without one)."""
    meta = src.input.meta if isinstance(src, FileSource) else None
    detail = meta.extra.get("target_detail") if meta is not None else None
    return dict(detail) if isinstance(detail, dict) and detail else None


def played_names(src: Source, trainee: str = "", technique: str = "") -> tuple[str, str, frozenset]:
    """Who practises and what, for a recording of ``src``: ``trainee`` and ``technique`` as
    given, and the played session's own where they are not (its technique only beside its own
    trainee: a trainee given practises what is given); with the names of the fields taken from it."""
    meta = src.input.meta if isinstance(src, FileSource) else None
    if meta is None or trainee:
        return trainee, technique, frozenset()
    taken = {f: v for f, v in (("trainee", meta.trainee), ("technique", "" if technique else meta.technique))
             if isinstance(v, str) and v.strip()}
    return taken.get("trainee", trainee), taken.get("technique", technique), frozenset(taken)


def new_meta(source: Source, scheme: GradingScheme, trainee: str = "", technique: str = "",
             target: str | None = None, thrust: ThrustScheme | None = None,
             target_detail: dict | None = None) -> SessionMeta:
    """Session metadata with the calibration, target (and ``target_detail``, a played session's
    own: its corridors and pacer rate), a fixed minimum amplitude, the pop window (``thrust``'s,
    when not the default) and what the device says about itself."""
    info = source.info
    meta = SessionMeta(trainee=trainee, technique=technique, target=target, r1_n=scheme.r1_n, r2_n=scheme.r2_n,
                       alpha=scheme.alpha,
                       sensor={"name": info.get("name", source.spec), "description": source.spec,
                               "force_units": info.get("force_units", "N"),
                               "device": device_info(source),
                               "calibration": dict(info.get("calibration") or {})})
    if target and target_detail:
        meta.extra["target_detail"] = dict(target_detail)
    # a played recording's reading warnings (bad rows skipped): this one lacks those rows too,
    # and its replay, report and review say so (open_session)
    if said := list(getattr(source, "read_warnings", ())):
        meta.extra[SOURCE_WARNINGS_KEY] = said
    return keep_scheme(meta, scheme, thrust)


def finish_meta(writer: SessionWriter, source: Source, result: RecordResult | None = None) -> None:
    """Store the device's counters with the recording (written on close): with ``result``,
    the samples, losses and reconnects within the recording (the source may have sent more
    after its end), as the files hold them."""
    st = source.stats
    stats = {"samples": st.samples, "dropped": st.dropped, "crc_errors": st.crc_errors, "reconnects": st.reconnects}
    if result is not None:
        stats.update(samples=result.samples, reconnects=result.reconnects)
        if result.dropped is not None:
            stats["dropped"] = result.dropped
    writer.meta.extra["device_stats"] = stats
    writer.meta.sensor["device"] = device_info(source)


def device_info(source: Source) -> dict:
    """What the device says about itself, for session.json: its plain values, without a
    ``rate_hz`` it did not give (0: an untimed line sketch; the stream's rate is measured)."""
    return {k: v for k, v in source.info.items() if isinstance(v, (str, int, float, bool))
            and not (k == "rate_hz" and not v)}
