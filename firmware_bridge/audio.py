"""Microphone input through python-sounddevice (PortAudio), and FLAC recording.

``AudioInput`` opens an input stream whose callback only copies each block into a bounded
queue (python-sounddevice's rule: nothing heavy on the audio thread); ``read()`` turns the
queued blocks into ``audio`` chunks on the recording's timeline. Timeline: the host's
monotonic clock when the stream started, plus the sample count divided by the audio clock's
rate *as measured against the host clock* (the sound card's crystal and the host's clock
disagree by tens of parts per million; see docs/audio.md), so audio and force stay aligned
over long recordings.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from pathlib import Path

import numpy as np

from analysis.chunk import LOST, Chunk, add_span, lost_span
from analysis.errors import DeviceError
from firmware_bridge.session_meta import finite_float, value_text

FALLBACK_RATES_HZ = (48000, 44100, 16000)
RATE_TOLERANCE = 0.005        # a measured audio clock further than 0.5 % from nominal is not believed
RATE_SETTLE_S = 5.0           # measure the audio clock only after this much audio
UNPLACED_SHARE = 0.05         # an input delivering further than this from its own rate, and by more than
UNPLACED_EXCESS_S = 0.25      # this much sound against the time that passed, is no live microphone (a file
                              # played as one, at 2x): its sound is not placed in time and its pops are
                              # unknown. A sound card's clock is within 0.01 %; a late callback of a busy
                              # machine is tens of ms (0.5 % over 1 s, 5 ms, would take a real microphone's
                              # pops for unknown)
DEFAULT_BLOCK_S = 0.01        # the stream's block (PortAudio's callback) length
LOSS_SLACK_S = 0.25          # how far a block's end may lie past the time elapsed since the first (arrival jitter)
SILENCE_PER_READ_S = 10.0     # silence one read() hands out at most: a long loss (a laptop that slept an hour
                              # flags an overflow of an hour) comes over several reads, not as gigabytes at once


def _sd():
    try:
        import sounddevice as sd
    except OSError as e:          # PortAudio library missing
        raise DeviceError(f"audio: PortAudio is not available ({e}); install libportaudio2") from None
    return sd


def list_inputs() -> list[dict]:
    """Audio inputs as ``{"index", "name", "channels", "default_rate_hz"}`` (``default_samplerate``
    is the same figure under PortAudio's name); [] when there are none. Raises ``DeviceError``
    when PortAudio itself is missing, so that is said, not taken for a machine without inputs."""
    sd = _sd()
    try:
        devs = sd.query_devices()
    except sd.PortAudioError:
        return []
    return [{"index": int(d["index"]), "name": str(d["name"]), "channels": int(d["max_input_channels"]),
             "default_rate_hz": float(d["default_samplerate"]), "default_samplerate": float(d["default_samplerate"])}
            for d in devs if d["max_input_channels"] > 0]


class AudioClock:
    """Stamps audio samples on the host's timeline while measuring the sound card's real rate.

    Sample *n* gets ``t_start_s + n / rate``, where ``rate`` is the nominal rate until
    ``settle_s`` of audio have arrived, then the samples delivered per host second between two
    blocks that came on time: a block arrives late, never early (the audio thread or the
    interpreter was busy), so of the blocks of the first half of ``settle_s`` the one that came
    least late against the nominal rate is one end, and of the blocks of the last ``window_s``
    the one that came least late the other. (Measured from the first block, a first block 5 ms
    late, as a stream's first callback can be, put the sound 12.9 ms early on the timeline a
    minute later and 34.5 ms after an hour: benchmarks/bench_audio_clock.py.) Stamps stay
    continuous: a new estimate changes the spacing of later samples only, so the error left is the
    integral of the estimate's error.
    """

    def __init__(self, rate_hz: float, t_start_s: float, settle_s: float = RATE_SETTLE_S,
                 tolerance: float = RATE_TOLERANCE, window_s: float = 2.0) -> None:
        self.nominal_hz = float(rate_hz)
        self.rate_hz = float(rate_hz)
        self.t_next = float(t_start_s)
        self.settle_s, self.tolerance, self.window_s = settle_s, tolerance, window_s
        self.n = 0
        self._t_first: float | None = None
        self._anchor: tuple[float, int, float] | None = None   # (arrival, samples by its end, lateness)
        self._recent: deque[tuple[float, int, float]] = deque()  # the last window_s, lateness rising
        self.measured = False                  # whether rate_hz is a measured figure (settled, believed)

    def stamp(self, n: int, t_arrival_s: float) -> np.ndarray:
        """Times (s) of the next ``n`` samples, whose block arrived at host time ``t_arrival_s``."""
        end = self.n + n
        late = t_arrival_s - end / self.nominal_hz       # (plus a constant: the stream's latency)
        if self._t_first is None:
            self._t_first = t_arrival_s
        elapsed = t_arrival_s - self._t_first
        if self._anchor is None or (elapsed < self.settle_s / 2 and late < self._anchor[2]):
            self._anchor = (t_arrival_s, end, late)
        recent = self._recent                  # (its first: the least late of the window)
        while recent and recent[-1][2] >= late:
            recent.pop()
        recent.append((t_arrival_s, end, late))
        while recent[0][0] < t_arrival_s - self.window_s:
            recent.popleft()
        if elapsed >= self.settle_s:
            (ta, na, _), (tb, nb, _) = self._anchor, recent[0]
            if tb > ta:
                est = (nb - na) / (tb - ta)
                if abs(est / self.nominal_hz - 1.0) <= self.tolerance:
                    self.rate_hz, self.measured = est, True
        t = self.t_next + np.arange(n) / self.rate_hz
        self.t_next = float(self.t_next + n / self.rate_hz)
        self.n = end
        return t


def lost_to_overflow(frames: int, t_arrival_s: float, t_prev_s: float | None, rate_hz: float) -> int:
    """Frames PortAudio lost before a block of ``frames`` that came with its input-overflow flag,
    estimated from the host time since the block before arrived (``t_prev_s``): whole blocks
    beyond the one delivered, none when the blocks came about on time. PortAudio says that input
    was lost, not how much."""
    if t_prev_s is None or frames <= 0:
        return 0
    extra = (t_arrival_s - t_prev_s) * rate_hz / frames - 1.0
    return frames * max(0, int(np.floor(extra + 0.5)))


def audio_loss_note(entry: dict) -> str | None:
    """One line on the audio a recording lost, from its ``streams["audio"]`` entry (or the
    microphone's counters), or None when it lost none. ``lost_s`` is written since lost audio
    became silence in the file; an older recording's dropped blocks are not in its file, so
    the audio after them lies earlier on the timeline by up to their length."""
    def count(key: str) -> int:
        v = finite_float(entry.get(key))
        return int(v) if v is not None and v > 0 else 0

    dropped, overflows = count("dropped_blocks"), count("overflows")
    if not dropped and not overflows:
        return None
    how = " and ".join(x for x in (f"{value_text(dropped)} block{'s' if dropped != 1 else ''} dropped (the "
                                   f"program fell behind)" if dropped else "",
                                   f"{value_text(overflows)} input overflow{'s' if overflows != 1 else ''} (the sound "
                                   f"card's buffer overran)" if overflows else "") if x)
    def span(s: float) -> str:
        return f"{1e3 * s:.0f} ms" if s < 1.0 else f"{s:.1f} s" if s < 1e6 else f"{s:g} s"

    lost = finite_float(entry.get("lost_s"))
    if finite_float(entry.get("rate_delivered_hz")):
        return (f"audio lost while recording: {how}, more than the time that passed: the input delivered "
                f"faster than real time" + (f"; {span(lost)} of silence stands in its place" if lost else ""))
    if lost is not None and lost >= 0:
        return (f"audio lost while recording: {how}, {span(lost)} in all{_lost_where(entry)}; silence stands in "
                f"its place, so the later audio stays in time, but no pop could be heard there")
    return (f"audio lost while recording: {how}; the lost audio is not in the file, so the audio after it "
            f"plays earlier than it happened, by up to {span(dropped * DEFAULT_BLOCK_S)}"
            + (" and more" if overflows else ""))


def _lost_where(entry: dict) -> str:
    """Where the recording's silence for lost audio lies (its ``lost_at_s``), for
    :func:`audio_loss_note`: ``", at 17.85 s"``, ``", in 3 places, the first at 12.30 s"``, or
    nothing when it does not say (an older recording, or the counters while recording)."""
    given = entry.get("lost_at_s")
    starts = sorted(float(p[0]) for p in given if isinstance(p, (list, tuple)) and len(p) == 2
                    and finite_float(p[0]) is not None) if isinstance(given, list) else []
    if not starts:
        return ""
    return f", at {starts[0]:.2f} s" if len(starts) == 1 else f", in {len(starts)} places, the first at {starts[0]:.2f} s"


def delivered_note(got_hz: float, rate_hz: float, who: str = "the audio input") -> str:
    """The words for an input that delivered ``got_hz`` samples a second at its nominal ``rate_hz``
    (:meth:`AudioInput.delivered_far`): ``record`` says them of its file, the trainer of its input."""
    times = f"{got_hz / rate_hz:.{1 if got_hz < 10 * rate_hz else 0}f}"
    return (f"{who} delivered {got_hz:.0f} samples a second, {times} times its {rate_hz:g} Hz (not a live "
            f"microphone?); its sound is not placed in time with the force")


def names_a_file(spec) -> bool:
    """Whether a microphone's name (``--audio``/``--mic DEVICE``) is the path of a file there, a
    sound file given where a live input is asked for: a name with a folder or a suffix
    (``x.flac``, ``takes/a.wav``), not 'default', 'none' or an input's number. A name the disk
    cannot look up (too long for a file's, in a folder not to be read, with a NUL) is no file:
    it is looked for among the inputs."""
    if not isinstance(spec, str) or spec in ("", "default", "none") or spec.lstrip("+-").isdigit():
        return False
    try:
        p = Path(spec).expanduser()
        return ("/" in spec or "\\" in spec or bool(p.suffix)) and p.is_file()
    except (OSError, ValueError, RuntimeError):     # (RuntimeError: ~user whose home is not known)
        return False


def replay_hint(spec: str) -> str:
    """How the sound file ``spec``, given as a microphone (:func:`names_a_file`), is analysed."""
    import shlex
    return f"to analyse a recorded sound give it to replay: gradecoach replay FORCE.csv --audio {shlex.quote(spec)}"


def _why_not(name: str, said: str) -> str:
    """PortAudio's reason for not opening the input named ``name``, in the words of this program
    (sounddevice's "No input device matching 'x'" repeats the name the line starts with)."""
    if said.startswith("No input device matching"):
        return "no input's number or name matches it" if name.lstrip("+-").isdigit() else \
            "no input's name contains it"
    if said.startswith("Multiple input devices found"):
        return "more than one input's name contains it; give its number"
    return said.splitlines()[0]


class AudioInput:
    """A live microphone.

    Parameters
    ----------
    device : "default", int or str
        PortAudio device index or (part of) its name.
    samplerate : float, optional
        Wanted rate; by default the device's own, then 48000, 44100 and 16000 Hz are tried.
    channels : int
    t0_host_s : float, optional
        Host ``time.monotonic()`` that is time 0 of the recording (the force stream's zero);
        by default the moment the stream starts.
    max_blocks : int
        Bound of the callback queue; blocks beyond it are dropped and counted.

    Audio lost on the way keeps its place on the timeline: a block dropped because the queue
    was full (``dropped_blocks``, its length known), and the input PortAudio flags as lost
    (``overflows``, its length estimated by :func:`lost_to_overflow`), come out of ``read()`` as
    silence as long as what was lost (``lost_frames`` in all; a long loss in pieces over several
    reads), so later audio is stamped, written and replayed where it happened, not earlier.
    """

    def __init__(self, device: str | int = "default", samplerate: float | None = None, channels: int = 1,
                 t0_host_s: float | None = None, max_blocks: int = 500,
                 block_s: float = DEFAULT_BLOCK_S) -> None:
        sd = self._sd = _sd()
        self.device = None if device in ("default", None, "") else device
        self.name = str(device)
        self.channels = int(channels)
        try:
            info = sd.query_devices(self.device, kind="input")
        except (ValueError, sd.PortAudioError) as e:
            if names_a_file(device):
                raise DeviceError(f"audio input {self.name!r}: a file, not a microphone; {replay_hint(device)}") from None
            inputs = list_inputs()
            if not inputs:
                raise DeviceError(f"audio input {self.name!r}: this machine has no audio input "
                                  f"(is a microphone plugged in?)") from None
            why = _why_not(device, str(e)) if isinstance(self.device, str) else "no such input"
            names = ", ".join(f"{d['index']} {d['name']!r}" for d in inputs)
            raise DeviceError(f"audio input {self.name!r}: {why} (inputs: {names})") from None
        self.name = str(info["name"])
        self.rate_hz = self._negotiate(samplerate, float(info["default_samplerate"]))
        self.overflows = 0
        self.dropped_blocks = 0
        self.lost_frames = 0             # silence handed out in place of audio lost on the way
        self._silence_placed = 0         # ... and still to be handed out (:attr:`lost_s`)
        self.dropped_frames = 0          # frames of the blocks dropped (audio thread)
        self.overflow_frames = 0         # frames PortAudio lost, as estimated
        self._seen = 0                   # frames PortAudio handed the callback (audio thread)
        self._cb_prev: float | None = None   # when the callback last ran (audio thread)
        self._cb_first: tuple[float, int] | None = None   # when it first ran, and the frames it had then
        self._first_arrival: float | None = None  # the first block's arrival (host time), once placed
        self._placed = 0                 # frames placed so far: blocks and the silence before them
        self.unplaced_frames = 0         # frames lost beyond the time elapsed (a source faster than real time)
        # True: no more silence than the time that passed (a recording's, the trainer's: an input
        # faster than real time, a file played as the microphone, dropped minutes in seconds)
        self.loss_within_time = False
        self._next_seen = 0              # the callback frame the next queued block should start at
        self._owed: deque = deque()      # [arrival, frames of silence still owed before it, block]
        self._q: queue.Queue = queue.Queue(maxsize=max_blocks)
        self._arrived = threading.Event()  # a block was queued (or the stream ended): wait_block
        self._block = max(1, int(round(block_s * self.rate_hz)))
        self._t0_host = t0_host_s
        self._n = 0                      # samples handed out
        self.clock: AudioClock | None = None
        self._gone = False
        self._closed = False
        self.stream = None

    def _negotiate(self, wanted: float | None, default: float) -> float:
        from analysis.cavitation import MIN_RATE_HZ
        sd = self._sd
        if wanted and wanted < MIN_RATE_HZ:
            raise DeviceError(f"audio input {self.name!r}: {wanted:g} Hz asked for; pops are detected in audio "
                              f"at {MIN_RATE_HZ:g} Hz or more")
        # a device whose own rate is lower (a headset's 8 kHz, say) is asked for the usual rates
        rates = [wanted] if wanted else [*([default] if default >= MIN_RATE_HZ else []), *FALLBACK_RATES_HZ]
        tried = []
        for r in dict.fromkeys(rates):
            try:
                sd.check_input_settings(self.device, channels=self.channels, dtype="int16", samplerate=r)
                return float(r)
            except (ValueError, sd.PortAudioError):
                tried.append(f"{r:g}")
        raise DeviceError(f"audio input {self.name!r} refuses {self.channels} channel(s) at {'/'.join(tried)} Hz")

    # -- stream ------------------------------------------------------------------------------
    def _callback(self, indata, frames, t_info, status) -> None:
        # the audio thread: copy and enqueue, nothing else (where each block falls among those
        # PortAudio delivered, so that a block dropped here keeps its place in the timeline)
        now, prev, seen = time.monotonic(), self._cb_prev, self._seen
        self._cb_prev, self._seen = now, seen + frames
        if self._cb_first is None:
            self._cb_first = (now, frames)
        overflow = bool(status and status.input_overflow)
        if overflow:
            self.overflows += 1
        try:
            self._q.put_nowait((now, prev, seen, overflow, indata.copy()))
        except queue.Full:
            self.dropped_blocks += 1
            self.dropped_frames += frames
        self._arrived.set()

    def _finished(self) -> None:
        if not self._closed:
            self._gone = True
        self._arrived.set()

    def start(self) -> "AudioInput":
        sd = self._sd
        try:
            self.stream = sd.InputStream(device=self.device, samplerate=self.rate_hz, channels=self.channels,
                                         dtype="int16", blocksize=self._block, callback=self._callback,
                                         finished_callback=self._finished)
            self.stream.start()
        except sd.PortAudioError as e:
            raise DeviceError(f"audio input {self.name!r}: {str(e).splitlines()[0]}") from None
        now = time.monotonic()
        if self._t0_host is None:
            self._t0_host = now
        self.clock = AudioClock(self.rate_hz, now - self._t0_host)
        return self

    def __enter__(self) -> "AudioInput":
        return self.start() if self.stream is None else self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        if self.stream is not None:
            try:
                self.stream.close()
            except self._sd.PortAudioError:
                pass            # the device is already gone; nothing left to release
            self.stream = None

    def read(self, timeout_s: float = 0.1) -> list[Chunk]:
        """Chunks captured since the last call (waits up to ``timeout_s`` for the first).

        Raises ``DeviceError`` once the device has gone and everything it sent was read.
        """
        if self.stream is None:
            self.start()
        items = []
        try:
            items.append(self._q.get(timeout=0.0 if self._owed else timeout_s))
            while True:
                items.append(self._q.get_nowait())
        except queue.Empty:
            pass
        if not items and not self._owed and (self._gone or not self.stream.active):
            raise DeviceError(f"audio input {self.name!r} stopped delivering audio (unplugged?)")
        self._owed.extend(self._place(*item) for item in items)
        return self._hand_out(int(SILENCE_PER_READ_S * self.rate_hz))

    def waiting(self) -> bool:
        """Whether blocks were captured that ``read()`` has not handed out yet."""
        return not self._q.empty()

    def wait_block(self, timeout_s: float) -> bool:
        """Wait at most ``timeout_s`` for a block not handed out yet (returning as soon as the
        stream delivers one, or ends); whether one is waiting."""
        if self.waiting():
            return True
        self._arrived.clear()
        if self.waiting():              # (one came between the look and the clear)
            return True
        self._arrived.wait(timeout_s)
        return self.waiting()

    def read_pending(self) -> list[Chunk]:
        """Stop the stream (PortAudio delivers what it holds) and return every queued block."""
        if self.stream is not None:
            try:
                self.stream.stop()
            except self._sd.PortAudioError:
                pass            # the device is gone; what it delivered is already queued
        items = []
        while True:
            try:
                items.append(self._q.get_nowait())
            except queue.Empty:
                break
        self._owed.extend(self._place(*item) for item in items)
        return self._hand_out(None)

    def _place(self, t_arrival: float, t_prev: float | None, seen: int, overflow: bool,
               blk: np.ndarray) -> list:
        """``[t_arrival, lost, blk]``: the block and the frames lost before it (blocks dropped
        from the full queue, input PortAudio lost), whose silence goes before it."""
        lost = seen - self._next_seen
        if overflow:
            est = lost_to_overflow(len(blk), t_arrival, t_prev, self.rate_hz)
            self.overflow_frames += est
            lost += est
        self._next_seen = seen + len(blk)
        lost = max(0, lost)
        # silence no longer than the time that passed: a source that delivers faster than real time
        # (a file played as a microphone) drops blocks by the thousand, which never took that long
        if self._first_arrival is None:
            self._first_arrival = t_arrival - len(blk) / self.rate_hz
        room = int((t_arrival - self._first_arrival + LOSS_SLACK_S) * self.rate_hz * (1.0 + RATE_TOLERANCE))
        room = max(0, room - self._placed - len(blk))
        if lost > room and self.loss_within_time:
            self.unplaced_frames += lost - room
            lost = room
        self._placed += lost + len(blk)
        self._silence_placed += lost
        return [t_arrival, lost, blk]

    def _hand_out(self, max_silence: int | None) -> list[Chunk]:
        """The owed blocks as chunks on the timeline, each after the silence of what was lost
        before it, in pieces of at most ``SILENCE_PER_READ_S``; once ``max_silence`` frames of
        silence are out, the rest of it and the blocks after it wait for the next call."""
        piece, out = int(SILENCE_PER_READ_S * self.rate_hz), []
        while self._owed:
            item = self._owed[0]
            t_arrival, _, blk = item
            while item[1] > 0:
                n = min(item[1], piece if max_silence is None else max_silence)
                if n <= 0:
                    return out
                out.append(self._chunk(t_arrival, np.zeros((n, blk.shape[1]), blk.dtype), lost=True))
                self.lost_frames += n
                item[1] -= n
                max_silence = None if max_silence is None else max_silence - n
            out.append(self._chunk(t_arrival, blk))
            self._owed.popleft()
        return out

    def _chunk(self, t_arrival: float, blk: np.ndarray, lost: bool = False) -> Chunk:
        """``blk`` stamped on the timeline; ``lost``: silence standing in for audio lost on the
        way (:data:`analysis.chunk.LOST` in its meta)."""
        n = len(blk)
        t = self.clock.stamp(n, t_arrival - self._t0_host)
        values = blk.astype(np.float32) / 32768.0
        if values.shape[1] == 1:
            values = values[:, 0]
        ch = Chunk(t, values, self._n, "audio", self.rate_hz, meta={LOST: True} if lost else {})
        self._n += n
        return ch

    @property
    def lost_s(self) -> float:
        """Seconds of silence standing in for audio lost on the way (the blocks dropped and what
        PortAudio lost, as estimated), placed once a later block has been read: what the status
        line says and session.json keeps alike. With ``loss_within_time`` no more than the time
        that passed (a faster input's dropped blocks beyond it are ``unplaced_frames``)."""
        return self._silence_placed / self.rate_hz

    def delivered_far(self, after_s: float = 1.0, tolerance: float = RATE_TOLERANCE,
                      excess_s: float = 0.0) -> float | None:
        """:attr:`delivered_hz` when it lies further than ``tolerance`` from the nominal rate
        (a file played as the microphone, faster than real time), and what it delivered differs
        by more than ``excess_s`` of sound from the time that passed, judged after ``after_s`` of
        delivery or more; else None."""
        got, first, last = self.delivered_hz, self._cb_first, self._cb_prev
        if got is None or last - first[0] < after_s or abs(got / self.rate_hz - 1.0) <= tolerance:
            return None
        if abs(got - self.rate_hz) * (last - first[0]) < excess_s * self.rate_hz:
            return None
        return got

    @property
    def delivered_hz(self) -> float | None:
        """Frames the device delivered per second of the host's clock, from its first block to its
        last (whether the program kept them or not); None before 1 s of them."""
        first, last = self._cb_first, self._cb_prev
        if first is None or last is None or last - first[0] < 1.0:
            return None
        return (self._seen - first[1]) / (last - first[0])

    @property
    def rate_estimate_hz(self) -> float:
        """The audio clock's rate measured against the host clock (nominal until settled)."""
        return self.clock.rate_hz if self.clock is not None else self.rate_hz


class FlacWriter:
    """Append audio blocks to a FLAC file (24-bit), flushed to disk at least once a second,
    so a crash loses at most the last second."""

    def __init__(self, path: str | Path, rate: float, channels: int = 1, flush_s: float = 1.0) -> None:
        import soundfile as sf
        self.path = Path(path)
        try:
            self._f = sf.SoundFile(str(self.path), "w", samplerate=int(round(rate)), channels=int(channels),
                                   format="FLAC", subtype="PCM_24")
        except (RuntimeError, sf.LibsndfileError) as e:
            raise DeviceError(f"{self.path}: cannot write audio ({str(e).splitlines()[0]})") from None
        self.flush_s = flush_s
        self._last = time.monotonic()
        self.frames = 0

    def write(self, values: np.ndarray) -> None:
        """``values`` float in [-1, 1], shape (n,) or (n, channels)."""
        self._f.write(np.clip(np.asarray(values, dtype=np.float32), -1.0, 1.0))
        self.frames += len(values)
        now = time.monotonic()
        if now - self._last >= self.flush_s:
            self._f.flush()
            self._last = now

    def close(self) -> None:
        if not self._f.closed:
            self._f.close()

    def __enter__(self) -> "FlacWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class AudioRecorder:
    """The microphone of a recording session: captures, writes ``audio.flac`` into the session
    folder and hands the chunks on for analysis, all on the force stream's timeline.

    ``poll()`` never raises for a device problem: a microphone that cannot be opened or that
    vanishes ends the audio (the FLAC written so far is closed and complete) and leaves a
    one-line ``notice``; the caller carries on with force alone.

    Parameters
    ----------
    folder : path
        Session folder; the file is ``folder / "audio.flac"``.
    device, samplerate, channels, t0_host_s, max_blocks
        As for ``AudioInput``; pass the host ``time.monotonic()`` of the force stream's zero
        as ``t0_host_s`` so both streams share one timeline.
    """

    FILE = "audio.flac"

    def __init__(self, folder: str | Path, device: str | int = "default", samplerate: float | None = None,
                 channels: int = 1, t0_host_s: float | None = None, max_blocks: int = 500) -> None:
        self.path = Path(folder) / self.FILE
        self.notice: str | None = None
        self.mic: AudioInput | None = None
        self.writer: FlacWriter | None = None
        self.t0_s: float | None = None          # recording time of the file's first sample
        self.frames = 0
        self._info: dict = {}
        self._stopped = False                   # stop(): capture ended, the file still open
        self._dead = None                       # the file's flat tops (clipping), as replay finds them
        # the silence written for audio lost on the way (s, on the timeline): session.json's lost_at_s
        self.lost_at: list[tuple[float, float]] = []
        try:
            self.mic = AudioInput(device, samplerate, channels, t0_host_s=t0_host_s, max_blocks=max_blocks)
            self.mic.loss_within_time = True        # (its file: no more silence than the time recorded)
            self.mic.start()
            self.writer = FlacWriter(self.path, self.mic.rate_hz, channels)
        except DeviceError as e:
            self._stop(str(e))

    @property
    def active(self) -> bool:
        return self.mic is not None

    def poll(self, timeout_s: float = 0.0) -> list[Chunk]:
        """Chunks captured since the last call, already written to the FLAC file."""
        if self.mic is None or self._stopped:
            return []
        try:
            chunks = self.mic.read(timeout_s)
        except DeviceError as e:
            self._stop(f"{e}; audio recording stopped at {self.frames / self.mic.rate_hz:.1f} s, force goes on")
            return []
        self._write(chunks)
        return chunks

    def _write(self, chunks: list[Chunk]) -> None:
        for c in chunks:
            if self.t0_s is None:
                self.t0_s = float(c.t_s[0])
            self.writer.write(c.values)
            self.frames += len(c)
            if (span := lost_span(c)) is not None:
                add_span(self.lost_at, *span)
            self._look_for_clipping(c.values)

    def _look_for_clipping(self, values, final: bool = False) -> None:
        """Feed the samples written to the file, in whole frames from its first (as replay reads
        it), to the search for clipping replay runs on the file; ``final``: what is left too."""
        from firmware_bridge.replay.dead_audio import DEAD_FRAME_S, DeadStretches
        if self._dead is None:
            rate = self.mic.rate_hz if self.mic is not None else 0
            if not rate:
                return
            self._dead = DeadStretches(max(1, int(round(DEAD_FRAME_S * rate))))
        x = None
        if values is not None:
            x = np.clip(np.asarray(values, np.float32), -1.0, 1.0)
            x = x.reshape(len(x), -1)
        self._dead.feed_framed(x, final)

    def rate_note(self) -> str | None:
        """Once closed, one line when the input delivered sound at a rate far from its own (a file
        played faster than real time), or None."""
        got, rate = finite_float(self._info.get("rate_delivered_hz")), finite_float(self._info.get("rate_hz"))
        if not got or not rate:
            return None
        return f"{self.path}: {delivered_note(got, rate)}, and session.json has no measured rate for it"

    def unplaced_note(self, who: str = "the audio input") -> str | None:
        """One line once the input is judged to deliver far from its own rate
        (:meth:`AudioInput.delivered_far`: a file played as the microphone), while it records or
        after ``close()``, or None: its sound is not placed in time with the force, so the pops of
        the thrusts are not known. ``who`` names the input."""
        if self.mic is not None:
            got, rate = self.mic.delivered_far(1.0, UNPLACED_SHARE, UNPLACED_EXCESS_S), self.mic.rate_hz
        else:
            got, rate = finite_float(self._info.get("rate_delivered_hz")), finite_float(self._info.get("rate_hz"))
        if not got or not rate or abs(got / rate - 1.0) <= UNPLACED_SHARE:
            return None
        return f"{delivered_note(got, rate, who)}, so the thrusts' pops are unknown"

    def clipping_note(self) -> str | None:
        """The file's clipping in one line (:func:`~firmware_bridge.replay.dead_audio.clipping_warning`),
        once it is closed, or None."""
        from firmware_bridge.replay.dead_audio import clipping_warning
        share = finite_float(self._info.get("clipped_share"))
        return f"{self.path}: {clipping_warning(share)}" if share else None

    def loss_note(self) -> str | None:
        """What audio the recording lost so far, in one line for a status line, or None."""
        return audio_loss_note(self._info if self.mic is None else self._loss(self.mic))

    @staticmethod
    def _loss(mic: AudioInput) -> dict:
        return mic_loss(mic)

    def entry(self) -> dict:
        """The ``streams["audio"]`` entry for session.json as far as known: where the file
        lies on the timeline once its first chunk is written, everything after ``close()``."""
        if self._info:
            return dict(self._info)
        if self.mic is None or self.t0_s is None:
            return {}
        return {"file": self.FILE, "rate_hz": self.mic.rate_hz, "channels": self.mic.channels,
                "t0_s": self.t0_s, "device": self.mic.name}

    def _stop(self, message: str) -> None:
        self.notice = message
        self.close()

    def stop(self) -> list[Chunk]:
        """Stop capturing: what PortAudio still held, written to the file like ``poll()``'s, for
        the analysis to be fed before it finishes. ``close()`` then finishes the file."""
        if self.mic is None or self.writer is None or self._stopped:
            return []
        self._stopped = True
        chunks = self.mic.read_pending()
        self._write(chunks)
        return chunks

    def abandon(self) -> None:
        """Stop capturing after the folder refused a write (a full disk): the microphone closed,
        the file left as the disk holds it, nothing more written to it."""
        mic, self.mic = self.mic, None
        writer, self.writer = self.writer, None
        if mic is not None:
            mic.close()
        if writer is not None:
            try:
                writer.close()
            except RuntimeError:                    # (libsndfile's: the refusal is told already)
                pass

    def close(self) -> dict:
        """Stop capturing, finish the file; returns the ``streams["audio"]`` entry for session.json."""
        if self.mic is not None:
            self.stop()
            mic, self.mic = self.mic, None
            mic.close()
            self._info = {"file": self.FILE, "rate_hz": mic.rate_hz, "channels": mic.channels,
                          "rate_measured_hz": (round(mic.rate_estimate_hz, 4) if mic.clock is not None
                                               and mic.clock.measured else None), "t0_s": self.t0_s,
                          "device": mic.name, **self._loss(mic)}
            if self.lost_at:                    # (where: a thrust's pops there are unknown, not none)
                self._info["lost_at_s"] = [[round(a, 6), round(b, 6)] for a, b in self.lost_at]
            if self._dead is not None:
                self._look_for_clipping(None, final=True)
                share, _ = self._dead.clipping()
                if share:
                    self._info["clipped_share"] = round(share, 6)     # (the file's samples flat at its ceiling)
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        return dict(self._info)


def mic_loss(mic: AudioInput) -> dict:
    """The loss's part of the ``streams["audio"]`` entry, as the status line says it and
    session.json keeps it: one figure (the silence in the file), said the same way; ``record``'s
    and the trainer's recordings alike."""
    out = {"overflows": mic.overflows, "dropped_blocks": mic.dropped_blocks, "lost_s": round(mic.lost_s, 6)}
    got = mic.delivered_far()
    if got is not None:
        out["rate_delivered_hz"] = round(got, 1)    # (not believed: the file is stamped at rate_hz)
    return out
