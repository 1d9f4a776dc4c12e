"""A recording played as a source (``file:PATH``): :class:`FileSource`, the audio it reads in
blocks as playback reaches it (:class:`PlayedAudio`), and the sound beside a data file
(:func:`sound_beside`) with the command that analyses the two (:func:`replay_with_sound`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from analysis.chunk import Chunk
from firmware_bridge.csv_rows import CLOCK_STEPPED_BACK
from firmware_bridge.lost_samples import lost_in_gap
from firmware_bridge.source_base import ArraySource, Pacer


class FileSource(ArraySource):
    """A recording (anything ``replay`` accepts) played at real-time speed, for demos.

    A session folder's stored gaps (``session.json``'s ``gaps``) are told of as playback reaches
    them, as the device told of them live: a ``disconnected`` one as a "disconnected" notice
    once the samples before it are out and a "reconnected" one (with its end) as playback
    reaches its end; any other (``dropped samples``) as a "gap" notice at its end, with the
    samples it lost at the recording's rate; one where the played file's clock stepped back as a
    "clock" notice of its stream (the force's or the IMU's) as playback reaches its end (no sample
    lost: the times run on there)."""

    def __init__(self, path: str, speed: float = 1.0, audio: str | None = None, pacer: Pacer | None = None) -> None:
        from firmware_bridge.replay import load_input, marked_gaps

        self.spec = f"file:{path}"
        self.input = load_input(path, audio)
        streams = {}
        if self.input.force is not None:
            streams["force"] = (self.input.force.t_s, self.input.force.values)
        if self.input.imu is not None:
            streams["imu"] = (self.input.imu.t_s, self.input.imu.values)
        self._audio = None
        if self.input.audio_path is not None:
            # read in blocks as playback reaches it (whole, a two-hour file took gigabytes)
            self._audio = PlayedAudio(self.input)
            streams["audio"] = (self._audio.times, self._audio.samples)
            self.audio_rate_hz = float(self._audio.rate_hz)
        super().__init__(streams, speed=speed, pacer=pacer)
        m = self.input.meta
        # a bare CSV's sound has no place on its timeline until it is given one (replay's --audio,
        # --audio-start): sound beside it, named as it is, is not played, and said so on opening
        self._unplayed = (sound_beside(Path(path)) if m is None and audio is None and self.input.audio_path is None
                          else [])
        # as 'record' and the trainer's status line say it: "recording file s02.csv to …",
        # "reading session anna" (not "recording recording s02 to …")
        where = Path(path)
        self.info.update(name=f"{'session' if m is not None else 'file'} {where.name or where.resolve().name}",
                         rate_hz=self.input.force.rate_hz if self.input.force is not None else 0.0,
                         has_imu=self.input.imu is not None)
        if m is not None and m.r1_n is not None:
            self.info["calibration"] = {"r1_n": m.r1_n, "r2_n": m.r2_n}
        if m is not None and m.target:
            self.info["target"] = m.target
        if m is not None:                           # (one not a force is said on reading, and left out)
            from firmware_bridge.session_scheme import stored_min_amplitude

            self.min_amplitude_n = stored_min_amplitude(m)[0]
        # the stored gaps in the order they start: [start, end, reason, lost told, end told, stream]
        self._gaps = [[g.t_start, g.t_end, g.reason, False, False, g.stream]
                      for g in sorted(marked_gaps(self.input), key=lambda g: g.t_start)]
        self._gap_next = 0                          # the first not told of to its end
        main = self.input.force if self.input.force is not None else self.input.imu
        self._gap_rate_hz = main.rate_hz if main is not None else 0.0
        # the rate its samples come at, as a device's is measured (the status line's "rate 500
        # Hz"): its force's, or a worn IMU's alone; ``info`` gives no rate for a force it lacks
        self.stats.rate_hz = float(self._gap_rate_hz)
        self._main_t = main.t_s if main is not None else np.empty(0)
        # where its bad rows skipped lie in holes of its times (StreamData.skipped_at): rows said as
        # skipped, not samples lost, as replay counts them
        self._main_skipped_at = getattr(main, "skipped_at", None)
        # the device's sequence numbers jumped over the samples it lost, in force and IMU alike, and
        # over those it went on counting while away: per stream, the index of the first sample
        # after each such gap and the numbers skipped by then
        self._seq_jumps = {}
        lost = [(b, self._lost(a, b) if why != "disconnected" else max(1, int(round((b - a) * self._gap_rate_hz))))
                for a, b, why, *_ in self._gaps if self._gap_rate_hz > 0 and why != CLOCK_STEPPED_BACK]
        for name in ("force", "imu"):
            if name in self.streams and lost:
                cuts = np.searchsorted(self.streams[name][0], [b for b, _ in lost], side="right")
                self._seq_jumps[name] = (cuts, np.concatenate([[0], np.cumsum([n for _, n in lost])]))

    def open(self) -> None:
        """Start playing; what reading the recording found (bad rows skipped, audio left out) is
        told first, as ``replay`` warns of it: a recording made from it lacks those rows; and sound
        beside a CSV, which is not played, with the command that analyses the two together."""
        super().open()
        for w in self.read_warnings:
            self.notify("info", w)
        if self._unplayed:
            names = " and ".join(a.name for a in self._unplayed)
            main = self.input.force if self.input.force is not None and len(self.input.force.t_s) else self.input.imu
            start_s = float(main.t_s[0]) if main is not None and len(main.t_s) else 0.0     # (as replay places it)
            command = replay_with_sound(self.spec[len("file:"):], self._unplayed[0], start_s)
            self.notify("info", f"{self.spec}: {names} beside it {'is' if len(self._unplayed) == 1 else 'are'} "
                                f"not played or recorded (a CSV does not say where its sound starts); to analyse "
                                f"them together: {command}")

    @property
    def read_warnings(self) -> list[str]:
        """What reading the recording found (bad rows skipped, audio left out), each as it is told
        on opening, naming the played file: a recording made from it keeps them
        (session.json's ``extra.source_warnings``), as it lacks those rows. A played folder's
        missing session.json is not among them: the recording has its own, with the calibration it
        was made with."""
        from firmware_bridge.session import no_meta_warning

        played = Path(self.spec[len("file:"):])
        return [self._named_once(w) for w in self.input.warnings if w != no_meta_warning(played / "session.json")]

    def sound_range(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The lowest and highest sample of each channel of the sound it plays, when they may lie
        beyond full scale (a float file: libsndfile's FLOAT or DOUBLE), so that a recording can fit
        it to its own file once, from the start; None for any other (integer samples cannot), or
        without sound. The file is read once, in blocks, up to its tear; samples that are no
        numbers are left out (silence, as the analysis reads them)."""
        from analysis.cavitation import MAX_SAMPLE
        from firmware_bridge.replay.audio_file import read_until_torn
        from firmware_bridge.sound_files import open_sound, sound_info
        path = self.input.audio_path
        if path is None or sound_info(path).subtype not in ("FLOAT", "DOUBLE"):
            return None
        lo = hi = None
        with open_sound(path) as f:
            for blk in read_until_torn(f, 10 * f.samplerate):
                ok = np.abs(blk) < MAX_SAMPLE                 # (NaN, inf: not)
                bl, bh = np.where(ok, blk, np.inf).min(axis=0), np.where(ok, blk, -np.inf).max(axis=0)
                lo, hi = (bl, bh) if lo is None else (np.minimum(lo, bl), np.maximum(hi, bh))
        if lo is None:
            return None
        none = ~np.isfinite(lo)                             # (a channel of no numbers: silence)
        lo[none] = hi[none] = 0.0
        return lo.astype(np.float64), hi.astype(np.float64)

    def _named_once(self, warning: str) -> str:
        """A reading warning naming the played file or folder once: one in replay's words that
        begins with its name ("x.csv: 46 samples lost …", "anna: unfinished (still
        recording, or cut off) …") has the spec in its place; one that begins with a file inside the played
        folder ("anna/audio.flac: audio at 8000 Hz …") is said as replay says it, that file
        named in full (after the spec, it named the folder twice); any other after the spec."""
        import os

        given = str(Path(self.spec[len("file:"):]))
        if warning.startswith(given + ":"):
            return self.spec + warning[len(given):]
        if warning.startswith(given + os.sep):
            return warning
        return f"{self.spec}: {warning}"

    def close(self) -> None:
        super().close()
        if self._audio is not None:
            self._audio.close()

    def _lost(self, a: float, b: float) -> int | None:
        """Samples lost in the gap marked from ``a`` to ``b``, at the recording's rate; None when
        it has none: from the samples either side of the hole in the data (:func:`lost_in_gap`),
        as ``replay`` and ``screenshot --replay`` count it (less the bad rows skipped in the hole,
        which are said as such), and from ``a`` and ``b`` (its first and last lost sample) only
        where the data do not show the hole (none after it)."""
        rate = self._gap_rate_hz
        if not rate or rate <= 0:
            return None
        k, n = lost_in_gap(self._main_t, b, rate)
        if n <= 0:
            return int(round((b - a) * rate)) + 1
        if self._main_skipped_at is not None:
            n -= int(np.count_nonzero(self._main_skipped_at == k))
        return max(n, 0)

    @property
    def exhausted(self) -> bool:
        """Played to its end: its data, and the stored gaps told of (one may end after the data)."""
        return super().exhausted and self._gap_next >= len(self._gaps)

    def read(self, timeout_s: float = 0.1) -> list[Chunk]:
        given = self._t_next                        # the data handed out so far reach this time
        out = super().read(timeout_s)
        self._tell_gaps(given, self._t_next)
        return [p for c in out for p in self._numbered(c)]

    def _numbered(self, c: Chunk) -> list[Chunk]:
        """``c`` (``seq0`` its first sample's index) with the device's sequence numbers, which
        jumped over the samples lost in a stored gap: split where they jump, as a device's are."""
        jumps = self._seq_jumps.get(c.stream)
        if jumps is None:
            return [c]
        cuts, lost_by = jumps
        i, j = c.seq0, c.seq0 + len(c)
        starts = [i, *np.unique(cuts[(cuts > i) & (cuts < j)]).tolist()]
        return [Chunk(c.t_s[a - i:b - i], c.values[a - i:b - i],
                      a + int(lost_by[np.searchsorted(cuts, a, side="right")]), c.stream, c.rate_hz)
                for a, b in zip(starts, starts[1:] + [j])]

    def _tell_gaps(self, given: float, upto: float) -> None:
        """Notices of the stored gaps playback has reached: a loss once the samples before it
        are out (``given``: what came after it would otherwise end it early), its end, or a gap of
        dropped samples, once playback reaches its end (``upto``: in the read that hands out the
        samples after it, whose notices come before them)."""
        name = self.info["name"]
        for g in self._gaps[self._gap_next:]:
            a, b, why, lost, done, stream = g
            if a > upto:
                break
            if done:
                continue
            if why == "disconnected":
                if not lost and (given >= a or b <= upto):
                    self.notify("disconnected", f"{name} at {a:.1f} s: the recorded sensor was lost for {b - a:.1f} s",
                                a)
                    g[3] = True
                if b <= upto:
                    self.notify("reconnected", f"{name} at {b:.1f} s: the recorded sensor is back", a, b)
                    g[4] = True
            elif why == CLOCK_STEPPED_BACK:
                if b <= upto:                   # (before the samples from b on: a new run from there)
                    self.notify("clock", f"{name} at {b:.2f} s: the played file's {'IMU ' if stream == 'imu' else ''}"
                                         f"clock stepped back here: the samples from here on are a new run, not "
                                         f"joined to those before", a, b, stream=stream)
                    g[4] = True
            elif b <= upto:
                n = self._lost(a, b)
                if n == 0:                      # (its hole is bad rows skipped, said so: as screenshot)
                    g[4] = True
                    continue
                lost_what = f"{n} sample{'s' if n != 1 else ''}" if n is not None else f"{b - a:.3f} s of samples"
                self.notify("gap", f"{name} at {a:.2f} s: {lost_what} lost in the recording", a, b, n)
                if n is not None:
                    self.stats.dropped += n
                g[4] = True
        while self._gap_next < len(self._gaps) and self._gaps[self._gap_next][4]:
            self._gap_next += 1


class PlayedAudio:
    """A recording's audio file read in blocks as playback reaches it, never whole: its samples
    (float32, (n, channels)) and their timeline times (s, float64, as
    ``ReplayInput.audio_times`` gives them), up to the tear of a torn file as replay reads it.

    ``times`` and ``samples`` stand for the two arrays of an :class:`ArraySource` stream: the
    times take ``len``, an index and ``searchsorted`` (which decodes up to the samples it
    counts, so that a tear found there shortens the stream first), the samples a slice from
    where the last one ended (playback goes forward; one further back is read again). What was
    handed out is let go."""

    def __init__(self, inp, block_s: float = 1.0) -> None:
        from firmware_bridge.replay.audio_file import audio_info

        self.path = inp.audio_path
        self.rate_hz, self.frames, self.channels = audio_info(self.path, count=True)  # (a torn file: fewer, once met)
        self._times_of = lambda k: inp.audio_times(k, self.rate_hz)
        self._per_s = float(inp.audio_rate_hz or self.rate_hz)
        self._t0 = float(inp.audio_t0_s)
        self._block = max(1, int(round(block_s * self.rate_hz)))
        self._file = self._blocks = None
        self._buf = np.zeros((0, self.channels), np.float32)    # decoded from frame _buf0, not let go
        self._buf0 = self._used = 0             # (_used: handed out up to)
        self.times, self.samples = _AudioTimes(self), _AudioSamples(self)

    def time(self, k: int) -> float:
        """The timeline time of sample ``k``, as the whole file's times would hold it."""
        return float(self._times_of(np.int64(k)))

    def count_upto(self, t_s: float) -> int:
        """Samples whose time is ``t_s`` or before (``np.searchsorted(times, t_s, "right")``),
        decoded by then: a torn file's tear met on the way shortens :attr:`frames` first."""
        k = (t_s - self._t0) * self._per_s
        j = int(min(max(np.floor(k) + 1, 0), self.frames)) if np.isfinite(k) else (self.frames if k > 0 else 0)
        while j > 0 and self.time(j - 1) > t_s:       # (the estimate's rounding, put right)
            j -= 1
        while j < self.frames and self.time(j) <= t_s:
            j += 1
        self._decode_to(j)
        return min(j, self.frames)

    def _decode_to(self, j: int) -> None:
        from firmware_bridge.replay.audio_file import read_until_torn
        from firmware_bridge.sound_files import open_sound
        end = self._buf0 + len(self._buf)
        if end >= j:
            return
        if self._blocks is None:
            self._file = open_sound(self.path)
            self._blocks = read_until_torn(self._file, self._block)
        new = [self._buf[self._used - self._buf0:]]         # (what was handed out, let go)
        self._buf0 = self._used
        while end < j:
            blk = next(self._blocks, None)
            if blk is None:                               # its end, or its tear: the stream ends here
                self.frames = end
                break
            new.append(blk)
            end += len(blk)
        self._buf = np.concatenate(new)

    def take(self, i: int, j: int) -> np.ndarray:
        """Samples ``i`` to ``j`` (float32, (j - i, channels)); those before ``j`` are let go."""
        if j <= i:
            return np.zeros((0, self.channels), np.float32)
        if i < self._buf0:                                # (back in the file: read again)
            from firmware_bridge.replay.audio_file import read_span
            from firmware_bridge.sound_files import open_sound
            with open_sound(self.path) as f:
                return read_span(f, i, j - i)
        self._decode_to(j)
        self._used = max(self._used, min(j, self._buf0 + len(self._buf)))
        return self._buf[i - self._buf0:j - self._buf0]

    def close(self) -> None:
        if self._blocks is not None:
            self._blocks.close()
        if self._file is not None:
            self._file.close()
        self._file = self._blocks = None


class _AudioTimes:
    """:class:`PlayedAudio`'s times, as far as a stream's times array is asked for them."""

    def __init__(self, audio: PlayedAudio) -> None:
        self.audio = audio

    def __len__(self) -> int:
        return self.audio.frames

    def __getitem__(self, k):
        a = self.audio
        if isinstance(k, slice):
            return a._times_of(np.arange(*k.indices(a.frames)))
        k = int(k) + (a.frames if k < 0 else 0)
        if not 0 <= k < a.frames:
            raise IndexError(k)
        return a._times_of(np.int64(k))

    def searchsorted(self, t_s: float, side: str = "right") -> int:
        if side != "right":
            raise ValueError("only side='right'")
        return self.audio.count_upto(float(t_s))


class _AudioSamples:
    """:class:`PlayedAudio`'s samples, as far as a stream's values array is asked for them."""

    def __init__(self, audio: PlayedAudio) -> None:
        self.audio = audio

    def __len__(self) -> int:
        return self.audio.frames

    def __getitem__(self, k: slice) -> np.ndarray:
        i, j, _ = k.indices(self.audio.frames)
        return self.audio.take(i, j)


def sound_beside(path: Path) -> list[Path]:
    """The audio files named as the data file ``path`` is (``x.flac``, ``x.wav`` beside
    ``x.csv``), as ``gradecoach simulate --audio`` writes them; a phone's recording too
    (``x.m4a``, ``x.mp4``), when PyAV is there to decode it."""
    from firmware_bridge.session import AUDIO_SUFFIXES, CONVERT_SUFFIXES
    from firmware_bridge.sound_files import decoder_installed

    found = []
    for suffix in AUDIO_SUFFIXES + (CONVERT_SUFFIXES if decoder_installed() else ()):
        for name in (path.stem + suffix, path.stem + suffix.upper()):
            a = path.with_name(name)
            if a != path and a.is_file() and a not in found:
                found.append(a)
    return found


def replay_with_sound(given: str, sound: Path, start_s: float = 0.0) -> str:
    """The command that analyses the data file ``given`` (as it was named) with the ``sound``
    beside it (:func:`sound_beside`), the sound started with the data at their first time
    ``start_s`` (s: a device's clock, ``simulate --t0``), as a sound recorded beside them is:
    "gradecoach replay x.csv --audio x.flac --audio-start 100 (if it began with the data, at 100 s)"."""
    import shlex

    from firmware_bridge.replay.inputs import ms_text

    return (f"gradecoach replay {shlex.quote(given)} --audio {shlex.quote(str(sound))}"
            + (f" --audio-start {ms_text(start_s)} (if it began with the data, at {ms_text(start_s)} s)"
               if start_s else ""))
