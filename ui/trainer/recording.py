"""One-key recording: a session folder (docs/format.md) with calibration, target and events.

The recorder runs its own :class:`Analyzer` on the recorded samples with times counted from
the start of the recording, so the stored events are exactly what ``gradecoach replay`` of the
folder gives. A source that disappears leaves a gap marked in ``session.json``.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from analysis.chunk import Chunk, add_span, lost_span
from analysis.errors import DeviceError, InputError
from analysis.events import Event, GapEvent, SummaryEvent
from analysis.pipeline import Analyzer
from analysis.scheme import GradingScheme, ThrustScheme
from analysis.summary import unheard_in
from firmware_bridge.session import SOURCE_WARNINGS_KEY, SessionMeta, SessionWriter, found_again
from firmware_bridge.session_scheme import keep_scheme
from firmware_bridge.session_writer import sound_on_disk
from ui.table import describe_settings

log = logging.getLogger("gradecoach.trainer")


def folder_stamp(clock=time.time) -> str:
    """The name of a recording's folder, ``YYYYmmdd-HHMMSS`` of the local time ``clock()``."""
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(clock()))


def new_session_folder(root: str | Path, clock=time.time) -> Path:
    """A new, empty folder ``root/YYYYmmdd-HHMMSS`` (:func:`folder_stamp`) made here (``-2``,
    ``-3``… after the stamp when that is taken), ``root`` made first if need be.

    The folder is claimed by making it (``mkdir`` fails on one that exists), so two windows, or a
    window and ``gradecoach record``, starting in the same second into one folder never share
    one: the second takes the next name. ``OSError`` when ``root`` cannot take a folder."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    stamp = folder_stamp(clock)
    k = 1
    while True:
        p = root / (stamp if k == 1 else f"{stamp}-{k}")
        try:
            p.mkdir()
        except FileExistsError:             # (taken, a moment ago perhaps: the next name)
            k += 1
            continue
        return p


# sound that comes this much after the last written (s) follows a time without any (the
# microphone off): silence is written between. Lost blocks are handed out as silence already
# (firmware_bridge.audio), so only a stream restarted leaves such a hole
SOUND_GAP_S = 0.05

# sound that comes before the recording's first sensor sample is held this long for it (a read of
# the sensor that spans the key press comes after the sound of the same moments, on a busy machine)
EARLY_SOUND_S = 1.0

# the microphone's losses are rewritten in session.json at most this often (s) while they grow
# (an input faster than real time drops blocks at every read); the folder's close writes the last
MIC_LOSS_WRITE_S = 1.0
# (AudioRecorder's, added up over the microphones, each over the time its sound was recorded)
LOSS_KEYS = ("overflows", "dropped_blocks", "lost_s")

CLAIM_TRIES = 20        # new names tried while other recordings take each as soon as it is made


def _no_loss() -> dict:
    """No :data:`LOSS_KEYS` lost."""
    return {"overflows": 0, "dropped_blocks": 0, "lost_s": 0.0}


def _add(total: dict, *parts: dict) -> None:
    """``parts``' :data:`LOSS_KEYS` added into ``total``."""
    for part in parts:
        for k in LOSS_KEYS:
            total[k] += part[k]


def start_recorder(root: str | Path, *args, clock=time.time, **kwargs) -> Recorder:
    """A :class:`Recorder` (given ``args``/``kwargs``) in a new session folder under ``root``.

    A folder another recording takes between its making and this one's ``session.json`` (a
    ``gradecoach record --out`` given that name, at that moment) is left to it as it is, and the
    next free name is taken. :class:`NoFolder`, one line saying which folder, why and what to
    do, when no folder can be had (nothing already there is touched)."""
    root = Path(root)
    for _ in range(CLAIM_TRIES):
        try:
            folder = new_session_folder(root, clock)
        except OSError as e:
            raise no_folder(root, e) from None
        try:
            return Recorder(folder, *args, **kwargs)
        except FileExistsError:
            continue                    # (another recording's now, left as it is: the next name)
        except OSError as e:
            with contextlib.suppress(OSError):     # (made just now: kept if anything is in it)
                folder.rmdir()
            raise no_folder(root, e) from None
    raise NoFolder(root, f"other recordings took the new folders there as they were made ({CLAIM_TRIES} in a row)",
                   "wait a moment",
                   f"Cannot record: other recordings took the new folders under {root} as they were "
                   f"made ({CLAIM_TRIES} in a row); try again in a moment")


class NoFolder(InputError):
    """No session folder could be had under ``root``: ``why`` and ``todo`` (what to do) in
    words, for a line that says more around them; the message is the line said alone."""

    def __init__(self, root: Path, why: str, todo: str, message: str) -> None:
        super().__init__(message)
        self.root, self.why, self.todo = root, why, todo


def no_folder(root: Path, e: OSError) -> NoFolder:
    """What is said when no session folder can be made under ``root``: which folder, why,
    what to do."""
    elsewhere = "start the trainer with --sessions DIR"
    for p in (root, *root.parents):     # (a file where a folder is needed: "File exists" said nothing)
        if p.is_file():
            return NoFolder(root, f"{p} is a file, not a folder", f"move it away, or {elsewhere}",
                            f"Cannot record: {p} is a file, not a folder; move it away, or {elsewhere}")
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        why, todo = "the disk is full", f"free some space, or {elsewhere}"
        return NoFolder(root, why, todo, f"Cannot record into {root}: {why}; {todo}")
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "it is read-only" if e.errno == errno.EROFS else "no permission to write there"
        todo = f"{elsewhere} (a folder you can write to)"
    else:
        why, todo = f"{e.strerror or e}", elsewhere
    return NoFolder(root, why, todo, f"Cannot record into {root}: {why}; or {todo}")


class Recorder:
    """Writes what the engine feeds it; ``t0_s`` is the first recorded sample's source time.

    ``imu``: the source has a worn IMU, whose samples go to ``imu.csv``; ``force`` False: no
    force is known to come (an IMU alone, or a source that cannot say whose IMU came first), so
    no force analysis waits for force that never comes; neither: a source of sound alone (a
    played recording of audio only), whose recording starts on its first sound. A force that comes all the same is
    recorded and analysed from its first sample, as ``replay`` of the folder reads it (with the
    calibration's warning)."""

    def __init__(self, folder: str | Path, scheme: GradingScheme, thrust: ThrustScheme, *,
                 target: dict | None = None, profile: str | None = None, sensor: dict | None = None,
                 feedback: str = "concurrent", trainee: str = "", technique: str = "", imu: bool = False,
                 force: bool = True) -> None:
        meta = SessionMeta(trainee=trainee, technique=technique,
                           target=(target or {}).get("text") or (
                               (scheme.target_grade + (scheme.target_modifier or "")) if scheme.target_grade else None),
                           r1_n=scheme.r1_n, r2_n=scheme.r2_n, alpha=scheme.alpha)
        keep_scheme(meta, scheme, thrust)   # (a fixed minimum amplitude, a pop window not the default)
        if sensor:
            meta.sensor.update({k: v for k, v in sensor.items() if isinstance(v, (str, int, float, bool))})
        meta.extra.update(calibration={"profile": profile, "r1_n": scheme.r1_n, "r2_n": scheme.r2_n},
                          target_detail=target or {}, feedback=feedback, source_t0_s=None)
        # (new: a session.json another recording made there first is left as it is: FileExistsError)
        self.writer = SessionWriter(folder, meta, imu=imu, force=force, new=True)
        self.target_key = None              # (the window's: what a new target is compared with)
        # what the folder is graded with, all through: a change that gets no new folder of its
        # own is shown on the screen only (screen_changes)
        self.scheme, self.thrust_scheme, self.target = scheme, thrust, dict(target or {})
        self.screen_differs = False
        self.path = self.writer.path
        self.kept = True                    # (after close: False when the empty folder was removed)
        # as 'replay' of the folder analyses it: the streams it holds (a recording of sound alone:
        # its pop detector, made with its first chunk)
        self.analyzer = Analyzer(scheme, thrust, streams=("force",) if force else ("imu",) if imu else ())
        self._sound_alone = not (force or imu)
        self.writer.append_events(self.analyzer.start_events())
        self.t0_s: float | None = None
        self._early: list[tuple[Chunk, bool, str | None]] = []   # sound before the sensor's first sample
        self._rate_hz = 0.0
        self.n_events = 0
        self._marked: list[tuple[float, float]] = []     # the source's gaps (recording times)
        # the write the folder refused (a full disk, no permission): the recording stopped there
        self.failed: OSError | None = None
        self.told = False                   # (the window said so)
        self._closed = False
        self._kept_s: float | None = None
        # audio samples that were not numbers, by where they came from (a microphone changed
        # while recording is named for its own), for the analysis's warning about them
        self._bad_sound: dict[str | None, int] = {}
        self._sound_end_s: float | None = None      # just after the last sound written (recording time)
        # audio.flac's stretches of no usable sound (the silence written while the microphone
        # was off, a muted input), found as replay of the folder finds them, from the samples
        # written: the first and last written sample's times, and samples not yet a whole frame
        self._dead = None
        self._sound_t: tuple[float, float] | None = None
        # the times the microphone was off (recording times): session.json's audio ``off_s``; a
        # thrust whose tie window reaches into one has its pops unknown, however short it was
        self._off: list[tuple[float, float]] = []
        # the silence written for sound the microphone lost on the way: its ``lost_at_s``
        self._lost: list[tuple[float, float]] = []
        self._sound_form: tuple | None = None       # audio.flac's rate and channels
        self._left_out: set = set()                 # sound at another rate, said once for each input
        self._news: list[str] = []                  # lines for the window to say
        # what each microphone used while recording lost (by its number), counted only over the
        # time its sound went into audio.flac (a microphone at another rate is left out, and its
        # losses with it): its counts at its last read, what it lost while its sound was
        # recorded, and what it lost before any of its sound came (whose fate is not known yet);
        # session.json's audio entry keeps the sum
        self._mic_last: dict[int, dict] = {}
        self._mic_kept: dict[int, dict] = {}
        self._mic_unsure: dict[int, dict] = {}
        self._mic_recorded: dict[int, bool] = {}    # whether its latest sound was recorded
        # what became of the sound fed since the last count (the counted microphone's: the worker
        # feeds what it read, then counts): None none came, True some written, False left out
        self._sound_fed: bool | None = None
        self._loss_written_s: float | None = None

    def set_trainee(self, trainee: str, technique: str) -> None:
        """(Under the engine's lock: the acquisition thread writes session.json too.)"""
        self.writer.meta.trainee, self.writer.meta.technique = trainee, technique
        self._meta_changed("the trainee")

    def feedback_changed(self, mode: str) -> None:
        """Another feedback schedule from now on: ``feedback_changes`` in session.json lists
        each with the recording time it began (``feedback`` is the one it started with).
        (Under the engine's lock.)"""
        extra = self.writer.meta.extra
        extra.setdefault("feedback_changes", []).append({"t_s": round(self.duration_s, 6), "feedback": mode})
        self._meta_changed("the feedback schedule's change")

    def _meta_changed(self, what: str) -> None:
        """session.json rewritten with ``what`` changed; a disk that refuses it leaves it to the
        folder's close (the recording stops at its next write if the disk stays full)."""
        if self.failed is not None:
            return
        try:
            self.writer.write_meta()
        except OSError as e:                # (kept by the writer as broken; written on close if it can be)
            log.warning("%s: session.json not rewritten with %s: %s", self.path, what, e)

    def holds(self, scheme: GradingScheme, thrust: ThrustScheme, target_key) -> bool:
        """Whether this folder is graded with ``scheme`` and ``thrust`` and aims at the target
        the window names ``target_key`` (its pacer rate too)."""
        return (scheme, thrust) == (self.scheme, self.thrust_scheme) and target_key == self.target_key

    def screen_changed(self, scheme: GradingScheme, target: dict, own: bool = False) -> None:
        """The screen grades with ``scheme`` (its calibration) and ``target`` from now on while
        this folder keeps its own: ``screen_changes`` in session.json lists each with the
        recording time it began (back to the folder's own too), so a review knows what the
        trainee saw; ``own``: they are the folder's own again. (Under the engine's lock.)"""
        self.screen_differs = not own
        extra = self.writer.meta.extra
        extra.setdefault("screen_changes", []).append(
            {"t_s": round(self.duration_s, 6), "target_detail": dict(target), "r1_n": scheme.r1_n,
             "r2_n": scheme.r2_n})
        self._meta_changed("the screen's change")

    def settings_text(self) -> str:
        """The folder's target and calibration in words: 'target III+ at 1.5 Hz; R1 40 N, R2 120 N'."""
        return describe_settings(self.target, self.scheme.r1_n, self.scheme.r2_n, sep="; ")

    def goes_on_line(self, e: NoFolder, what: str) -> str:
        """The line said when a new ``what`` ('target', 'calibration') gets no new folder
        (``e``): this recording goes on as it began, where, why, and what to do."""
        return (f"Recording goes on in {self.path} with its old settings ({self.settings_text()}); the screen "
                f"grades with the new {what}. No new folder could be made under {e.root}: {e.why}. Space saves "
                f"this recording; to record with the new {what}, {e.todo} and press Space again")

    def feed(self, chunk: Chunk, live_events: list[Event] | None = None, analyse: bool = True,
             sound_from: str | None = None) -> None:
        """Record ``chunk``; analyse it too unless the live analysis of its stream is off
        (``analyse`` False: pops in sound under 16 kHz, or a processor that failed). ``sound_from``
        names where an audio chunk comes from (``audio input 'USB mic'``), for the warnings about
        the sound. A write the folder refuses (a full disk) stops the recording there
        (:attr:`failed`): nothing is raised, and nothing more is written."""
        if self.failed is not None:
            return
        try:
            self._feed(chunk, analyse, sound_from)
            if self.t0_s is not None and self._early:
                early, self._early = self._early, []
                for c in early:                 # (sound held for the sensor's first sample, below)
                    self._feed(*c)
        except OSError as e:
            self._stop_at(e)

    def _feed(self, chunk: Chunk, analyse: bool, sound_from: str | None = None) -> None:
        lost = lost_span(chunk) is not None     # (silence for sound lost on the way; cut below)
        if self.t0_s is None:
            if chunk.stream == "audio" and not self._sound_alone:
                # a recording starts on a sample of the sensor, whose first may come later with a
                # time before this sound's (a read of the sensor spans the key press): held until
                # then, the last EARLY_SOUND_S of it
                self._early.append((chunk, analyse, sound_from))
                while self._early and self._early[-1][0].t_s[-1] - self._early[0][0].t_s[-1] > EARLY_SOUND_S:
                    self._early.pop(0)
                return
            self.t0_s = float(chunk.t_s[0])
            self.writer.meta.extra["source_t0_s"] = self.t0_s
        t = chunk.t_s - self.t0_s
        keep = t >= 0
        if not keep.all():
            chunk = Chunk(chunk.t_s[keep], chunk.values[keep], chunk.seq0, chunk.stream, chunk.rate_hz)
            t = t[keep]
        if len(t) == 0:
            return
        if chunk.stream == "force":
            v = chunk.values if chunk.values.ndim == 1 else chunk.values[:, 0]
            self.writer.append_force(t, v)
            self._rate_hz = chunk.rate_hz or self._rate_hz
        elif chunk.stream == "imu":
            self.writer.append_imu(t, chunk.values)
        elif chunk.stream == "audio":           # (audio.flac, placed at its first sample's time)
            form = (float(chunk.rate_hz or 0.0), np.shape(chunk.values)[1:])
            if self._sound_form not in (None, form):
                self._leave_out(chunk, float(t[0]), sound_from)
                return
            self._sound_form = form
            self._sound_fed = True              # (its microphone's losses are the recording's)
            chunk, t = self._sound_in_place(chunk, t, analyse)
            if not len(t):
                return
            self._write_sound(t, chunk.values, chunk.rate_hz)
            if lost:
                self._sound_lost(float(t[0]), self._sound_end_s)
        if not analyse:                     # as live: recorded, but its analysis is off
            return
        if chunk.stream == "force" and "force" not in self.analyzer.processors:
            self._late_force()
        bad = self._bad_count()
        self._events(self.analyzer.feed(Chunk(t, chunk.values, chunk.seq0, chunk.stream, chunk.rate_hz)))
        if chunk.stream == "audio" and (n := self._bad_count() - bad):
            self._bad_sound[sound_from] = self._bad_sound.get(sound_from, 0) + n

    def _leave_out(self, chunk: Chunk, t_s: float, sound_from: str | None) -> None:
        """Sound at another rate (or channel count) than audio.flac's, from another microphone
        chosen while recording: one file holds one rate, so it is not recorded, and said once
        (a warning in the recording's summary, and a line for the window); its microphone's
        losses are not the recording's either (:meth:`count_mic_loss`)."""
        if self._sound_fed is None:
            self._sound_fed = False
        name = sound_from or "the sound"
        rate = f"{chunk.rate_hz:g} Hz"
        key = (name, chunk.rate_hz, np.shape(chunk.values)[1:])
        if key in self._left_out:
            return
        self._left_out.add(key)
        own = f"{self._sound_form[0]:g} Hz"
        self.analyzer.warnings.append(f"{name} ({rate}) from {t_s:.1f} s was not recorded: this recording's "
                                      f"sound is at {own}")
        self._news.append(f"{name} not recorded: it captures at {rate}, this recording at {own} (Space twice "
                          f"records it)")

    def count_mic_loss(self, number: int, loss: dict, since: bool = False) -> None:
        """The microphone numbered ``number`` lost ``loss`` so far (``microphone.mic_loss``: its
        overflows, blocks dropped, silence placed for them, and the rate it delivered when far off
        its own); ``since``: counted from there (it was on as the recording started), else from
        its start. Kept in session.json's audio entry as ``record`` keeps them, the microphones'
        added up, each only over the time its sound was recorded: what it lost since its last
        count is the recording's when the sound fed in between (it is read, fed, then counted)
        went into audio.flac, not when it was left out (:meth:`_leave_out`); with none fed, as
        its sound before; before any of it came, counted once its sound is. (Under the engine's
        lock.)"""
        if self._closed or self.failed is not None:
            return
        fed, self._sound_fed = self._sound_fed, None
        last = self._mic_last.get(number)
        if last is None:
            last = dict(loss) if since else {}
            self._mic_kept[number], self._mic_unsure[number] = _no_loss(), _no_loss()
        self._mic_last[number] = dict(loss)
        grew = {k: max(0, (loss.get(k) or 0) - (last.get(k) or 0)) for k in LOSS_KEYS}
        if fed is not None:
            self._mic_recorded[number] = fed
        recorded = self._mic_recorded.get(number)
        unsure = self._mic_unsure[number]
        if recorded is None:
            _add(unsure, grew)
        else:
            if recorded:
                _add(self._mic_kept[number], unsure, grew)
            self._mic_unsure[number] = _no_loss()
        self._keep_mic_loss()

    def mic_loss(self) -> dict | None:
        """What the microphones lost while recording, as session.json's audio entry keeps it
        (``record``'s fields), or None when none was read: those of the sound audio.flac holds
        (a microphone left out lost nothing of it)."""
        if not self._mic_last:
            return None
        out = _no_loss()
        _add(out, *self._mic_kept.values())
        for number, now in self._mic_last.items():
            # (the latest recorded microphone's that had one: the input the file's sound came from)
            if self._mic_recorded.get(number) and now.get("rate_delivered_hz") is not None:
                out["rate_delivered_hz"] = now["rate_delivered_hz"]
        out["lost_s"] = round(out["lost_s"], 6)
        return out

    def _keep_mic_loss(self, write: bool = True) -> None:
        """The microphones' losses into session.json's audio entry once there is one (the first
        sound written); rewritten when they changed, at most every ``MIC_LOSS_WRITE_S`` (``write``
        False: left to the folder's close)."""
        audio, loss = self.writer.meta.streams.get("audio"), self.mic_loss()
        if audio is None or loss is None or all(audio.get(k) == v for k, v in loss.items()):
            return
        audio.update(loss)
        now = time.monotonic()
        if write and (self._loss_written_s is None or now - self._loss_written_s >= MIC_LOSS_WRITE_S):
            self._loss_written_s = now
            self._meta_changed("the audio the microphone lost")

    def take_news(self) -> list[str]:
        """Lines for the window since the last call (sound left out). (Under the engine's lock.)"""
        out, self._news = self._news, []
        return out

    @property
    def sound_rate_hz(self) -> float | None:
        """The rate of the sound recorded so far (audio.flac's), or None before any."""
        return self._sound_form[0] if self._sound_form else None

    def _write_sound(self, t, values, rate_hz: float) -> None:
        try:
            self.writer.append_audio(t, values, rate_hz)
        except DeviceError as e:            # (libsndfile could not make audio.flac: a full disk)
            raise self.writer.sound_refused(self.path / "audio.flac", e) from None
        self._sound_end_s = float(t[-1]) + 1.0 / rate_hz
        self._sound_t = (self._sound_t[0] if self._sound_t else float(t[0]), float(t[-1]))
        self._look_for_dead(values, rate_hz)

    def _look_for_dead(self, values, rate_hz: float, final: bool = False) -> None:
        """Feed the samples written to audio.flac to the dead-audio search replay runs on the
        file, in whole frames from the file's first sample (as replay reads it: samples not
        numbers written as silence); ``final``: what is left too."""
        from analysis.cavitation import MAX_SAMPLE
        from firmware_bridge.replay.dead_audio import DEAD_FRAME_S, DeadStretches
        if self._dead is None:
            self._dead = DeadStretches(max(1, int(round(DEAD_FRAME_S * int(round(rate_hz))))))
        x = None
        if values is not None:
            x = np.asarray(values, np.float32).reshape(len(values), -1)
            if len(x) and not (x.max() < MAX_SAMPLE and x.min() > -MAX_SAMPLE):   # (copied only then)
                x = np.where(np.abs(x) < MAX_SAMPLE, x, np.float32(0.0))
        self._dead.feed_framed(x, final)

    def _dead_spans(self) -> list[tuple[float, float]]:
        """audio.flac's stretches of no usable sound and the stretches where it clipped
        (recording times, s), as replay of the folder finds them (its own rule,
        firmware_bridge.replay.dead_audio) and places them on the timeline (session.json's
        ``t0_s`` and measured rate, which the writer works out from the same samples on close)."""
        from firmware_bridge.replay.dead_audio import dead_note
        from firmware_bridge.replay.inputs import AUDIO_RATE_TOLERANCE
        from firmware_bridge.session_writer import AUDIO_RATE_SPAN_S
        if self._dead is None or self._sound_t is None or self._sound_form is None:
            return []
        self._look_for_dead(None, self._sound_form[0], final=True)
        sr = int(round(self._sound_form[0]))
        n, (t0, t1) = self._dead.n, self._sound_t
        rate = round((n - 1) / (t1 - t0), 4) if n > 1 and t1 - t0 >= AUDIO_RATE_SPAN_S else 0.0
        rate = rate if rate and abs(rate / sr - 1.0) <= AUDIO_RATE_TOLERANCE else sr
        found = _SoundOnTimeline(round(t0, 6), rate)
        dead_note(found, self.path / "audio.flac", self._dead, sr)
        return found.dead_audio

    def _sound_in_place(self, chunk: Chunk, t, analyse: bool):
        """Sound that comes after a time without any (the microphone turned off and on again,
        or another one chosen) keeps its place: audio.flac gets silence for the time between,
        which the analysis reads as dead audio, as replay of the folder reads it (the file
        holds one stream of samples, placed by its first). Sound stamped before what is written
        already (a new microphone's first block) is left out. Returns the chunk and its times."""
        end, rate = self._sound_end_s, float(chunk.rate_hz or 0.0)
        if end is None or not rate:
            return chunk, t
        step = 1.0 / rate
        keep = t >= end - step / 2
        if not keep.all():
            chunk = Chunk(chunk.t_s[keep], chunk.values[keep], chunk.seq0, chunk.stream, chunk.rate_hz)
            t = t[keep]
        if len(t) and t[0] - end > SOUND_GAP_S:
            shape = (int(round((t[0] - end) * rate)),) + np.shape(chunk.values)[1:]
            piece = int(rate)                   # (a second at a time: an hour off is not one array)
            for i0 in range(0, shape[0], piece):
                n = min(piece, shape[0] - i0)
                tt = end + (i0 + np.arange(n)) * step
                zeros = np.zeros((n,) + shape[1:], np.float32)
                self._write_sound(tt, zeros, rate)
                if analyse:
                    self._events(self.analyzer.feed(Chunk(tt, zeros, -1, "audio", chunk.rate_hz)))
            self._sound_off(end, float(t[0]))
            self._sound_end_s = float(t[0])
        return chunk, t

    def _sound_off(self, t0: float, t1: float, write: bool = True) -> None:
        """The microphone was off from ``t0`` to ``t1`` (recording times): said in session.json
        (``streams.audio.off_s``), where replay of the folder finds it; rewritten now unless
        ``write`` is False (as the recording stops: the folder's close writes it)."""
        self._off.append((round(t0, 6), round(t1, 6)))
        audio = self.writer.meta.streams.get("audio")
        if audio is not None:
            audio["off_s"] = [list(s) for s in sorted(self._off)]
            if write:
                self._meta_changed("the time the microphone was off")

    def _sound_lost(self, t0: float, t1: float) -> None:
        """Silence from ``t0`` to ``t1`` (recording times) stands in for sound the microphone
        lost on the way: said in session.json (``streams.audio.lost_at_s``), written with the
        microphone's loss counters (:meth:`_keep_mic_loss`), where replay of the folder finds it."""
        add_span(self._lost, t0, t1)
        audio = self.writer.meta.streams.get("audio")
        if audio is not None:
            audio["lost_at_s"] = [[round(a, 6), round(b, 6)] for a, b in self._lost]

    def sound_off_to_end(self) -> None:
        """The microphone is off as the recording stops: off from the end of its sound to the
        end of the recording. (Under the engine's lock, before :meth:`close`.)"""
        end = self._sound_end_s
        if self._closed or self.failed is not None or end is None or self.duration_s - end <= SOUND_GAP_S:
            return
        self._sound_off(end, self.duration_s, write=False)

    def sound_off_played(self, spans: list[tuple[float, float]]) -> None:
        """A played session's times its microphone was off (``spans``, on the source's timeline),
        where they fall in this recording's sound: silence here too, for which it keeps them.
        (Under the engine's lock, before :meth:`close`.)"""
        if self._closed or self.failed is not None or self.t0_s is None or self._sound_t is None:
            return
        s0, s1 = self._sound_t
        for a, b in spans:
            a, b = max(a - self.t0_s, s0), min(b - self.t0_s, s1)
            if b > a:
                self._sound_off(a, b, write=False)

    def _unplaced(self) -> bool:
        """Whether audio.flac's sound came from an input judged to deliver far off its own rate
        (its ``rate_delivered_hz``, as replay of the folder judges it): then record's warning is
        kept in the summary and in session.json's ``extra.source_warnings``."""
        from firmware_bridge.replay.inputs import unplaced_audio

        got = unplaced_audio(self.writer.meta, self.path / "audio.flac")
        if got is None:
            return False
        self.analyzer.warnings.append(got[1])
        extra = self.writer.meta.extra
        extra[SOURCE_WARNINGS_KEY] = [*extra.get(SOURCE_WARNINGS_KEY, []), got[1]]
        return True

    def _unheard(self, events: list[Event]) -> list[Event]:
        """The summary with the pops of the thrusts whose tie window reaches into audio.flac's
        stretches of no usable sound (the silence written while the microphone was off, a muted
        input) unknown, as replay of the folder reads them: the same stretches
        (:meth:`_dead_spans`); and of the thrusts whose tie window reaches into a time the
        microphone was off, or into its silence for sound lost on the way, however short."""
        spans = [*self._dead_spans(), *self._lost]
        if (spans or self._off) and events and isinstance(events[-1], SummaryEvent):
            s = events[-1]
            w = self.analyzer.tie_window_s
            rows = unheard_in(unheard_in(s.thrusts, spans, w), self._off, w)
            events = [*events[:-1], replace(s, thrusts=rows)]
        return events

    def _bad_count(self) -> int:
        """The audio samples not numbers the analysis has read as silence so far."""
        return int(getattr(self.analyzer.processors.get("audio"), "nonfinite", 0) or 0)

    def _sound_name(self) -> str | None:
        """Where the samples not numbers came from, for the analysis's warning: the one input
        that gave them, or each with its count ('audio input 'A' (1) and audio input 'B' (2)')."""
        named = {k: n for k, n in self._bad_sound.items() if k}
        if not named:
            return None
        if len(named) == 1 and None not in self._bad_sound:
            return next(iter(named))
        return " and ".join(f"{k} ({n})" for k, n in named.items())

    def _late_force(self) -> None:
        """A force stream this recording was not told of: what an analysis made with it from
        the start warns of (no calibration), as 'replay' of the folder will."""
        a = self.analyzer
        told = Analyzer(a.scheme, a.thrust_scheme).start_events()     # (a force stream's warnings)
        new = [e for e in told if e.message not in a.warnings]
        a.warnings.extend(e.message for e in new)
        self._events(new)

    def gap(self, g: GapEvent) -> None:
        """A disconnect or samples the source says it lost: marked in session.json and as one
        gap event (recording-relative times); the analysis's own mark of the same hole (a
        "dropout" when the data resume) is left out."""
        if self.t0_s is None or self.failed is not None:
            return
        t0, t1 = max(0.0, g.t_start - self.t0_s), max(0.0, g.t_end - self.t0_s)
        self._marked.append((t0, t1))
        try:
            self.writer.mark_gap(t0, t1, g.reason, g.stream)
            self._events([GapEvent(t0, t1, g.stream, g.reason, t_detect_s=t1)])
        except OSError as e:
            self._stop_at(e)

    def _stop_at(self, e: OSError) -> None:
        """The folder refused a write: the recording stops there, its files closed as the disk
        holds them and ``session.json`` (``complete`` false) saying when and why it stopped
        where it can still be written (``extra.stopped``), as ``record`` leaves a folder on a
        full disk."""
        self.failed = e
        self.writer.abandon(e)
        log.warning("%s: recording stopped: writing %s: %s", self.path, e.filename or "the folder", e.strerror or e)

    def _events(self, ev: list[Event]) -> None:
        ev = [e for e in ev if not self._marked_already(e)]
        if ev:
            self.writer.append_events(ev)
            self.n_events += len(ev)

    def _marked_already(self, e: Event) -> bool:
        """The analysis's "dropout" over a gap the source told of, in any stream: the device sent
        none of them then (a worn IMU alone has only its own)."""
        return found_again(e, self._marked)

    @property
    def duration_s(self) -> float:
        a = self.analyzer
        return 0.0 if a._t_max is None else float(a._t_max)

    def close(self) -> None:
        """Finish the folder; one that never got a sensor sample (Space pressed twice before the
        source gave any) holds no recording and is removed, and ``kept`` says so. A folder that
        refused a write, before or now, is left as the disk holds it (:attr:`failed`). Closing
        again does nothing."""
        if self._closed:
            return
        self._closed = True
        if self.failed is None:
            self.analyzer.audio_name = self._sound_name()
            self._keep_mic_loss(write=False)
            unplaced = self._unplaced()
            try:
                self._events(self._unheard(_unknown_pops(self.analyzer.finish()) if unplaced else
                                           self.analyzer.finish()))
                self.writer.close(self._rate_hz or None)
            except OSError as e:
                self._stop_at(e)
        empty = ("session.json", "force.csv", "imu.csv", "events.jsonl")
        # removed only when it holds nothing but those (sound recorded meanwhile, or anything
        # else put there, keeps the folder whole, its session.json with it)
        self.kept = self.t0_s is not None or any(f.name not in empty for f in self.path.iterdir())
        if not self.kept:
            for name in empty:
                (self.path / name).unlink(missing_ok=True)
            try:
                self.path.rmdir()
            except OSError:                 # (something was put there meanwhile)
                self.kept = True

    def stopped_line(self) -> str:
        """The line said when the folder refused a write (:attr:`failed`, after :meth:`close`):
        which folder, why, how much of the recording is kept, and what to do."""
        why, todo = _not_written(self.failed)[1:]
        kept = f"the recording up to {self.kept_s():.1f} s is kept" if self.kept else "nothing was recorded"
        return (f"Recording stopped: {self.path}: {why}; {kept}. Practice goes on; to record again, {todo} "
                f"and press Space")

    def stopped_label(self) -> str:
        """The recording label's words for the same: 'stopped 20261201-101500: disk full, 12.3 s kept'."""
        short = _not_written(self.failed)[0]
        return f"stopped {self.path.name}: {short}" + (f", {self.kept_s():.1f} s kept" if self.kept else "")

    def kept_s(self) -> float:
        """How much of a recording that stopped at a refused write its files hold, in s: the
        sensor's stream as a reader reads it back, or for a recording of sound alone its
        audio.flac up to where it was cut."""
        if self._kept_s is None:
            self._kept_s = self.writer.kept_s()
            if not self._kept_s and self._sound_alone:
                self._kept_s = _sound_on_disk_s(self.path / "audio.flac")
        return self._kept_s


def _unknown_pops(events: list[Event]) -> list[Event]:
    """The analysis's last events with its summary's thrusts' pops unknown (None, "–"): the sound
    is not placed in time with the force, so a pop near a thrust, or none, says nothing of it."""
    if not events or not isinstance(events[-1], SummaryEvent):
        return events
    s = events[-1]
    rows = [{**t, "pops": None, "first_pop_ms_from_peak": None} for t in s.thrusts]
    return [*events[:-1], replace(s, thrusts=rows)]


def _sound_on_disk_s(path: Path) -> float:
    """The seconds of sound a FLAC file holds up to where it was cut (its writer never closed
    it), as a reader decodes it; 0 when it holds none."""
    n, rate = sound_on_disk(path)
    return n / rate if n else 0.0


def _not_written(e: OSError) -> tuple[str, str, str]:
    """Why a folder refused a write, in a few words and in a sentence, and what to do."""
    elsewhere = "start the trainer with --sessions DIR"
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk full", "the disk is full", f"free some space (or {elsewhere} on another disk)"
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "it is read-only" if e.errno == errno.EROFS else "no permission to write there"
        return "cannot write", why, f"{elsewhere} (a folder you can write to)"
    return "cannot write", f"{e.strerror or e}", f"check the disk (or {elsewhere} on another one)"


class _SoundOnTimeline:
    """audio.flac as replay of the folder places it on the recording's timeline (its first
    sample at ``t0_s``, ``rate_hz`` samples a second), for replay's own search for sound that
    cannot be heard (``firmware_bridge.replay.dead_audio.dead_note``) to mark its stretches in
    :attr:`dead_audio` (its words, in :attr:`warnings`, are the summary's own)."""

    def __init__(self, t0_s: float, rate_hz: float) -> None:
        self.t0_s, self.rate_hz = t0_s, rate_hz
        self.dead_audio: list[tuple[float, float]] = []
        self.warnings: list[str] = []

    def audio_times(self, index, file_rate_hz: float):
        return self.t0_s + np.asarray(index) / (self.rate_hz or file_rate_hz)
