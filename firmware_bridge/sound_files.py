"""Sound files opened for reading, whatever their format: what libsndfile reads (WAV, FLAC, OGG,
MP3, AIFF …) through soundfile, and a phone's or a camera's recording, which it does not (MPEG-4
audio or video: .m4a, .mp4, .mov, .3gp; AAC; WebM/Matroska; AMR; WMA), through PyAV (FFmpeg's
decoders).

:func:`open_sound` gives a ``soundfile.SoundFile`` or a :class:`DecodedSound`, which reads as one
does (``samplerate``, ``channels``, ``frames``, ``read``, ``seek``, ``tell``, ``name``), so that
every reader of audio (replay, the report, the review) reads either alike; :func:`sound_info` is
``soundfile.info`` for both. A :class:`DecodedSound` is decoded as it is read, not held whole.
Its decoder's start-up samples (an AAC encoder's priming, given in the file) are left out, as
FFmpeg leaves them out, and so are those past the length the file gives (the last frame's
padding): its sound lies on its own timeline as its recorder made it. Its length is the one the
file gives (MPEG-4 gives it in samples), else it is counted by decoding the file once (kept for
the file's size and time). Errors are ``RuntimeError`` (as libsndfile's are), their first line
FFmpeg's words.

A recording damaged part way (bytes overwritten or lost inside its sound) has packets its decoder
refuses: a read hands out the sound before them, the next read raises, and
:meth:`DecodedSound.resume` goes on where the sound decodes again, its place on the timeline the
file gives it (a FLAC file damaged so is read alike: ``firmware_bridge.replay.chunks``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np

from firmware_bridge.file_kind import CONVERT_SUFFIXES, audio_to_convert, file_head


# a frame's time stamp this much (s) past the end of the sound before it: sound is missing there
# (time stamps' own rounding is under a millisecond; a lost AAC frame is 21 ms at 48 kHz)
GAP_S = 0.002

# a seek in an MPEG-4 file further than this (s) goes through its index, not by decoding all the
# way (from the start, backward): decoding a phone's AAC runs at a few hundred times real time, so
# the review's 2 s window 590 s into a 10-minute .m4a took 1.26 s to read so. It lands this far
# (s) before its target, and decodes on from there
JUMP_S = 1.0
JUMP_BACK_S = 0.2

# packets of streams its header does not name (:meth:`DecodedSound._frames`) passed over before
# the file is taken as unreadable from there
MAX_STRAYS = 100000
MAX_FRESH = 32          # fresh decoders after damage before a track is taken as it decodes


class DecodeError(RuntimeError):
    """A sound file PyAV could not open or decode (FFmpeg's words)."""


def decoder_installed() -> bool:
    """Whether PyAV is there to decode what libsndfile does not read: found, not imported (its
    FFmpeg libraries take 50 ms and 29 MB to load, which a file libsndfile reads does not need)."""
    import importlib.util
    import sys
    if "av" in sys.modules:
        return sys.modules["av"] is not None          # (None: an import of it is to fail)
    try:
        return importlib.util.find_spec("av") is not None
    except (ImportError, ValueError):
        return False


def decoded(path) -> bool:
    """Whether ``path`` is a recording libsndfile does not read (by its name, or by its content
    under another name: :func:`~firmware_bridge.file_kind.audio_to_convert`), to be decoded by
    PyAV, and PyAV is installed."""
    p = Path(path)
    return ((p.suffix.lower() in CONVERT_SUFFIXES or audio_to_convert(file_head(p)) is not None)
            and decoder_installed())


def open_sound(path):
    """The sound file ``path`` opened for reading: a ``soundfile.SoundFile``, or a
    :class:`DecodedSound` for what libsndfile does not read (:func:`decoded`)."""
    if decoded(path):
        return DecodedSound(path)
    import soundfile as sf
    try:
        f = sf.SoundFile(str(path))
    except TypeError:                       # (libsndfile's RAW, by a .raw name: no rate in it)
        raise RuntimeError(NO_HEADER) from None
    return f if f.seekable() else InOrder(f)


# what libsndfile's RAW format (a .raw file's) is said as: samples with no header to give their
# rate, width or channels, which soundfile then asks for (a TypeError)
NO_HEADER = "samples without a header: no sample rate, sample format or channel count in it"


class InOrder:
    """A ``soundfile.SoundFile`` of a codec libsndfile reads only in order (G.721 and G.723
    ADPCM, GSM 6.10, NMS ADPCM: an old dictaphone's or telephone system's WAV, AU or AIFF), whose
    ``seek`` and ``tell`` libsndfile refuses: read as one that seeks. Its place is counted; a seek
    forward reads up to it, one backward opens the file again and reads up to it."""

    def __init__(self, f) -> None:
        self._f, self._at = f, 0

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._f.close()

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._at

    def read(self, frames: int = -1, *args, **kwargs):
        # (libsndfile asks how many of an unseekable file: the rest, by the length it gives)
        out = self._f.read(self._f.frames - self._at if frames < 0 else frames, *args, **kwargs)
        self._at += len(out)
        return out

    def seek(self, frames: int, whence: int = os.SEEK_SET) -> int:
        import soundfile as sf
        to = {os.SEEK_SET: 0, os.SEEK_CUR: self._at, os.SEEK_END: self._f.frames}[whence] + int(frames)
        if to < 0 or to > self._f.frames:
            raise RuntimeError(f"seek to frame {to}, outside its {self._f.frames} frames")
        if to < self._at:
            g = sf.SoundFile(self._f.name)
            self._f.close()
            self._f, self._at = g, 0
        while self._at < to:
            got = len(self._f.read(min(to - self._at, 1 << 16), dtype="float32"))
            if not got:
                break
            self._at += got
        return self._at


class SoundInfo:
    """What readers ask of ``soundfile.info`` for a decoded file: rate, frames, channels, its codec."""

    def __init__(self, samplerate: int, frames: int, channels: int, subtype: str) -> None:
        self.samplerate, self.frames, self.channels, self.subtype = samplerate, frames, channels, subtype


# the containers that do not give how many start-up samples a lossy encoder put before the sound
# (an MPEG-4's edit list, a Matroska's codec delay, an Ogg Opus's pre-skip do), by FFmpeg's name
# of their demuxer. The sound's first sample is the decoder's first: the fixture's sound lies
# late by 1024 samples from FFmpeg's AAC encoder (64 ms at 16 kHz) in an MPEG transport stream, an
# FLV file and a raw AAC stream, by 1105 from LAME's MP3 (its 576 and the decoder's 529) in an
# MPEG transport stream and an AVI file, by 481 from FFmpeg's MP2 in an MPEG program stream, by
# 312 at 48 kHz from libopus and by 256 from FFmpeg's AC-3 (a camcorder's codec) in an MPEG
# transport stream
_UNSTATED = {"mpegts": "an MPEG transport stream", "flv": "an FLV file", "avi": "an AVI file",
             "mpeg": "an MPEG program stream", "aac": "a raw stream (ADTS)"}
_CODEC_NAMES = {"aac": "AAC", "mp3float": "MP3", "mp3": "MP3", "mp2float": "MP2", "mp2": "MP2", "opus": "Opus",
                "libopus": "Opus", "ac3": "AC-3", "eac3": "E-AC-3", "vorbis": "Vorbis", "libvorbis": "Vorbis"}
_LOSSLESS = ("pcm_", "flac", "alac", "wavpack", "tta", "truehd", "mlp")


def unstated_start(path) -> tuple[str, int] | None:
    """What the sound of ``path`` is ("AAC in an MPEG transport stream") and its sample rate, when
    a lossy encoder's start-up samples before it are not given by its file and so are not left
    out: its sound, and its pops, lie late by them (1024 samples from FFmpeg's AAC encoder;
    :data:`_UNSTATED`); None for any other. MPEG layer I or II audio read by libsndfile (an .mp2)
    is such too."""
    if decoded(path):
        try:
            with DecodedSound(path, count=False) as f:
                return (f.start_unstated, f.samplerate) if f.start_unstated else None
        except RuntimeError:
            return None
    import soundfile as sf
    try:
        i = sf.info(str(path))
    except (RuntimeError, sf.LibsndfileError, TypeError):
        return None
    if i.subtype not in ("MPEG_LAYER_I", "MPEG_LAYER_II"):
        return None
    return f"MPEG layer {i.subtype[-2:].strip('_')} audio", int(i.samplerate)


def sound_info(path):
    """``soundfile.info(path)``, or the same facts of a file :func:`decoded` reads."""
    if decoded(path):
        with DecodedSound(path) as f:
            return SoundInfo(f.samplerate, f.frames, f.channels, f.subtype)
    import soundfile as sf
    try:
        return sf.info(str(path))
    except TypeError:
        raise RuntimeError(NO_HEADER) from None


def aac_channels(config: bytes | None) -> int | None:
    """The number of channels an MPEG-4 AudioSpecificConfig (an AAC track's set-up in its
    container) states, or None where it states none (a channel configuration of 0, or one past 7:
    the stream itself says) or is too short to tell."""
    if not config:
        return None
    bits = int.from_bytes(bytes(config[:6]), "big")
    left = 8 * min(len(config), 6)

    def take(n: int) -> int | None:
        nonlocal left
        if left < n:
            return None
        left -= n
        return (bits >> left) & ((1 << n) - 1)

    kind = take(5)
    if kind == 31:                                  # (an escaped object type)
        kind = take(6)
    rate = take(4) if kind is not None else None
    if rate == 15:                                  # (a rate given in 24 bits)
        rate = take(24)
    cfg = take(4) if rate is not None else None
    return {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 8}.get(cfg) if cfg is not None else None


def _ffmpeg_words(e: Exception) -> str:
    """The first line of an FFmpeg error, without the file's name PyAV puts in it."""
    text = str(getattr(e, "strerror", None) or e).splitlines()[0] if str(e) else type(e).__name__
    return text.split("; last error log:")[0].strip() or type(e).__name__


def _mp4_cut(path: str) -> str | None:
    """Why an MPEG-4 file (a phone's .m4a, .mp4, .mov) cannot be opened when its recording was cut
    before it was finished (the app or the phone stopped): its index, the 'moov' box, is written
    last, and without it nothing in the file can be found; None when the file is not MPEG-4 or
    has one. Its top-level boxes are walked (size, type), no sample read."""
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            pos, seen, broken = 0, [], False
            while pos + 8 <= size and len(seen) < 10000:
                fh.seek(pos)
                hdr = fh.read(16)
                n, kind = int.from_bytes(hdr[:4], "big"), hdr[4:8]
                if n == 1 and len(hdr) == 16:
                    n = int.from_bytes(hdr[8:16], "big")
                elif n == 0:
                    n = size - pos
                if n < 8 or not kind.isalnum():
                    broken = True                       # (no box there: damaged, not cut)
                    break
                seen.append(kind)
                pos += n
    except OSError:
        return None
    if broken or not seen or seen[0] != b"ftyp" or b"moov" in seen:
        return None
    return ("its recording was cut before it was finished: the index an MPEG-4 file ends with "
            "(its 'moov' box) is missing, and without it its sound cannot be found")


class DecodedSound:
    """A recording libsndfile does not read, read through PyAV as a ``soundfile.SoundFile`` is
    (mode "r"): its first audio track, as float samples (n, channels)."""

    def __init__(self, path, count: bool = True) -> None:
        self.name = str(path)
        self.closed = False
        self._open()
        st = self._stream
        cc = st.codec_context
        self.samplerate = int(cc.sample_rate)
        self.subtype = (cc.name or "unknown").upper()
        # the samples an MPEG-4 file says it holds (its edit list's length, priming left out); others'
        # durations are estimates (an AMR's from its size: 8423 samples for one that decodes to 8160)
        # or count what is not sound (an Ogg Opus's, its pre-skip)
        tb = st.time_base
        self._said = (int(st.duration) if st.duration and tb is not None and tb.numerator == 1
                      and tb.denominator == self.samplerate and "mp4" in self._box.format.name.split(",")
                      else None)
        # how long a WebM/Matroska file of sound alone says it is (s), or None: its sound may end
        # short of it where the file was cut (a download or a copy broken off), which its reading
        # does not notice (its demuxer stops at the last whole block)
        box = self._box
        self.stated_s = (box.duration / 1e6 if box.duration and "matroska" in box.format.name.split(",")
                         and not box.streams.video else None)
        # what its sound is, when its container does not give the start-up samples its encoder put
        # before it, which therefore are not left out (:func:`unstated_start`)
        kind = _UNSTATED.get(box.format.name.split(",")[0])
        self.start_unstated = (f"{_CODEC_NAMES.get(cc.name, self.subtype)} in {kind}"
                               if kind and cc.name and not cc.name.startswith(_LOSSLESS) else None)
        if self._said is not None or not count:      # (MPEG-4 says it exactly: no decoding to count)
            self.frames = self._said or 0
        else:
            st_ = os.stat(self.name)
            self.frames = _count(self.name, st_.st_size, st_.st_mtime_ns)

    def _open(self) -> None:
        import av
        try:
            self._box = av.open(self.name, "r")
        except (av.FFmpegError, OSError, ValueError) as e:
            raise DecodeError(_mp4_cut(self.name) or _ffmpeg_words(e)) from None
        tracks = self._box.streams.audio
        if not tracks:
            self._box.close()
            raise DecodeError("no audio track in it")
        self._stream = tracks[0]
        cc = self._stream.codec_context
        if cc is None:                                  # (its codec's description damaged)
            self._box.close()
            raise DecodeError("its audio track names no decoder that can be opened")
        if not cc.sample_rate:
            self._box.close()
            raise DecodeError("its audio track gives no sample rate")
        self._frames_it = None
        n = len(cc.layout.channels) or int(getattr(cc, "channels", 0) or 0) or 1
        # (a track whose channels have no layout named: FFmpeg's default one for their number)
        layout = cc.layout if len(cc.layout.channels) else {1: "mono", 2: "stereo"}.get(n, f"{n}c")
        # an AAC track's channels as its set-up in the container states them: FFmpeg takes them from
        # decoding its first packets, and damaged bytes there may read as a channel setting (35
        # channels from a mono track's first packet overwritten with noise), which every frame then
        # decodes to; the frames unlike the track are then decoded again (_frames)
        said = aac_channels(cc.extradata) if cc.name == "aac" else None
        if said is not None and said != n:
            n, layout = said, {1: "mono", 2: "stereo"}.get(said, f"{said}c")
        self._resample_to = dict(format="flt", layout=layout, rate=cc.sample_rate)
        try:
            self._resampler = av.AudioResampler(**self._resample_to)
        except (av.FFmpegError, ValueError, TypeError) as e:
            self._box.close()
            raise DecodeError(f"its {n} channels cannot be read ({_ffmpeg_words(e)})") from None
        self.channels = n
        self._buf = np.zeros((0, n), np.float32)
        self._pos = 0                               # samples handed out (the buffer follows them)
        self._decoded = 0                           # the timeline's samples so far (skipped ones too)
        self._ended = False
        self._pending = None                        # damage met while samples before it were left
        self._offset = None                         # a frame's first sample less its time stamp's sample
        self._lost = 0                              # samples of the packets refused since the last good frame
        self._held = None                           # a frame after missing sound, for resume()
        self._form = None                           # the frames' (format, layout, rate): the first's
        self.cut = False                            # its last packet broken off where the file ends
        try:
            self._size = os.path.getsize(self.name)
        except OSError:
            self._size = None

    @property
    def _buf(self) -> np.ndarray:
        """The samples decoded and not yet handed out, (n, channels), joined into one array."""
        if len(self._parts) != 1:
            self._parts = [np.concatenate(self._parts) if self._parts
                           else np.zeros((0, self.channels), np.float32)]
        return self._parts[0]

    @_buf.setter
    def _buf(self, v: np.ndarray) -> None:
        self._parts, self._n = [v], len(v)

    def _frames(self):
        """The track's frames in order; a packet its decoder refuses gives a :class:`DecodeError`
        in their place (its samples counted in ``_lost`` when the packet says how many), and
        decoding goes on with the next packet; so does a frame unlike the first (damaged bytes
        that decoded as another sample rate or channels). The demuxer's own failure ends the track.
        A packet of a stream that appears part way (an MPEG transport stream may add one; damaged
        bytes may seem to) is passed over: PyAV's demuxer, which does not know it, raises an
        IndexError for it, and demuxing goes on after it."""
        import av
        st = self._stream
        packets = self._box.demux(st)
        strays = 0
        damaged = False                                 # (a packet refused since the decoder was opened)
        layout = self._resample_to["layout"]           # (the track's channels and rate, as it says)
        declared = (getattr(layout, "name", layout), int(self._resample_to["rate"]))
        after = None                                    # (a fresh decoder's: packets before this left out)
        fresh = 0                                       # (fresh decoders since the last frame as it should be)
        while True:
            try:
                pkt = next(packets, None)
            except (av.FFmpegError, ValueError) as e:
                yield DecodeError(_ffmpeg_words(e))
                return
            except IndexError:                          # (the stray packet is read: on after it)
                strays += 1
                if strays > MAX_STRAYS:
                    yield DecodeError(f"over {MAX_STRAYS} packets of streams not in its header")
                    return
                packets = self._box.demux(st)
                continue
            if pkt is None:
                return
            if after is not None and pkt.pts is not None and pkt.pts <= after:
                continue
            ends_file = pkt.pos is not None and self._size is not None and pkt.pos + pkt.size >= self._size
            if pkt.is_corrupt and ends_file:
                self.cut = True                         # (the file was cut: its bytes run out in it)
            try:
                frames = pkt.decode()
            except av.EOFError:                         # (flushed already: a demuxing begun again ends)
                return
            except (av.FFmpegError, ValueError) as e:
                self.cut = self.cut or ends_file        # (a raw stream's last frame cut short: refused)
                tb = pkt.time_base or st.time_base
                if pkt.duration and tb is not None:
                    self._lost += int(round(pkt.duration * tb * self.samplerate))
                damaged = True
                yield DecodeError(_ffmpeg_words(e))
                continue
            for fr in frames:
                like = (fr.layout.name, fr.sample_rate) == (self._form[1:] if self._form else declared)
                if (damaged or self._form is not None) and not like and fresh < MAX_FRESH:
                    # refused packets left the decoder set up otherwise than the track says, or a
                    # damaged packet it did not refuse set it up otherwise than its frames so far
                    # (AAC's channels: damaged bytes read as a channel setting, 27 channels from a
                    # mono track's zeroed bytes): the sound from here on would all decode wrong
                    # (each frame refused as unlike the rest). A fresh decoder goes on from the
                    # packet after this frame's (which may be damaged too); its first frame is left
                    # out as after any damage (resume). (A track that decodes otherwise than it
                    # says, its first packets damaged, is taken as it decodes after MAX_FRESH of
                    # them)
                    if fr.pts is None:                  # (no place to start from: the next frame's)
                        fresh += 1
                        self._lost += fr.samples
                        yield DecodeError(f"a frame unlike the rest ({fr.sample_rate} Hz, {fr.layout.name})")
                        continue
                    fresh, after = fresh + 1, fr.pts
                    packets = self._fresh_decoder(fr.pts)
                    if packets is None:
                        yield DecodeError("damage threw its decoder off, and it could not be started anew")
                        return
                    st = self._stream
                    yield DecodeError(f"damage threw its decoder off ({fr.layout.name}, {fr.sample_rate} Hz "
                                      f"amid {declared[0]}, {declared[1]} Hz): started anew")
                    break
                if like:
                    damaged, fresh = False, 0
                form = (fr.format.name, fr.layout.name, fr.sample_rate)
                if self._form is None:
                    self._form = form
                elif form != self._form:                # (damaged bytes decoded as another codec setup)
                    self._lost += fr.samples
                    yield DecodeError(f"a frame unlike the rest ({fr.sample_rate} Hz, {fr.layout.name}, "
                                      f"amid {self._form[2]} Hz, {self._form[1]})")
                    continue
                yield fr

    def _fresh_decoder(self, pts: int):
        """The file opened anew, a fresh decoder, at the packet of time stamp ``pts`` (or one
        before it): its packets from there, or None when it cannot be opened or sought again."""
        import av
        try:
            self._box.close()
            self._box = av.open(self.name, "r")
            self._stream = self._box.streams.audio[0]
            self._box.seek(pts, stream=self._stream, backward=True)
            self._resampler = av.AudioResampler(**self._resample_to)
            return self._box.demux(self._stream)
        except (av.FFmpegError, OSError, ValueError, IndexError):
            return None

    def _place(self, fr) -> int | None:
        """The timeline's sample ``fr`` starts at, from its time stamp (None without one)."""
        tb = fr.time_base or self._stream.time_base
        if fr.pts is None or tb is None:
            return None
        return int(round(fr.pts * tb * self.samplerate))

    def _more(self) -> bool:
        """Decode the next frame into the buffer; False at the end. A refused packet raises
        :class:`DecodeError` (:meth:`resume` goes on past it)."""
        if self._ended:
            return False
        if self._frames_it is None:
            self._frames_it = self._frames()
        fr = self._next()
        if isinstance(fr, DecodeError):
            raise fr
        at = None if fr is None else self._place(fr)
        gap = self._gap(at)
        if gap:                                     # (packets lost: the demuxer passed them over)
            self._held = fr
            raise DecodeError(f"its time stamps jump {gap / self.samplerate:.3f} s: sound missing there")
        self._take(fr, at)
        return not self._ended or self._n > 0

    def _next(self):
        """The next frame, refused packet's error, or None at the end (a frame held back first)."""
        if self._held is not None:
            fr, self._held = self._held, None
            return fr
        return next(self._frames_it, None)

    def _gap(self, at: int | None) -> int:
        """Samples missing before a frame placed at ``at`` (:meth:`_place`): its time stamp past
        where the sound so far ends, by more than time stamps' rounding (WebM's are in
        milliseconds); 0 when none is (or it has no time stamp)."""
        if at is None or self._offset is None:
            return 0
        gap = at + self._offset - self._decoded
        return gap if gap > GAP_S * self.samplerate else 0

    def _take(self, fr, at: int | None) -> int:
        """Frame ``fr`` (None: the end), placed at ``at`` (:meth:`_place`), into the buffer; its samples."""
        import av
        ch = self.channels
        try:
            out = self._resampler.resample(fr)
        except (av.FFmpegError, ValueError) as e:
            self._ended = True
            raise DecodeError(_ffmpeg_words(e)) from None
        if fr is None:
            self._ended = True
        elif at is not None:
            self._offset = self._decoded - at
        parts = [g.to_ndarray().reshape(-1, ch) for g in out]
        got = np.concatenate(parts) if parts else np.zeros((0, ch), np.float32)
        if self._said is not None:                  # (the last frame's padding: not sound)
            got = got[:max(0, self._said - self._decoded)]
        self._decoded += len(got)
        self._lost = 0
        if len(got):
            self._parts.append(got)                 # (joined when read: not once a frame, which
            self._n += len(got)                     # made a whole file's read quadratic)
        return len(got)

    def resume(self) -> int | None:
        """After a read raised at damage: go on where the sound decodes again, and return that
        sample of the timeline (where reading goes on), or None when none decodes after it. The
        first frame that decodes after refused packets is skipped too: its decoder lacks the
        sound before it, which it overlaps (AAC's frames do), and gives a glitch there (after
        packets the demuxer passed over, too: their sound missing between time stamps). What was
        left to read before the damage is dropped: it is called once a read has raised."""
        self._pending = None
        if self._frames_it is None:
            return None
        skipped = 0                                 # (samples of frames decoded but left out)
        glitch = True
        while True:
            fr = self._next()
            if fr is None:
                self._ended = True
                return None
            if isinstance(fr, DecodeError):
                skipped, glitch = skipped + self._lost, True
                self._lost = 0
                continue
            at = self._place(fr)
            # (damage before any frame decoded: its time stamps from 0, as MPEG-4's and WebM's are)
            start = (at + (self._offset or 0) if at is not None
                     else self._decoded + skipped + self._lost)
            if glitch:
                glitch = False
                skipped = max(skipped, start - self._decoded) + fr.samples
                self._lost = 0
                continue
            start = max(start, self._decoded)
            if self._said is not None and start >= self._said:
                self._ended = True
                return None
            self._buf = self._buf[:0]
            self._decoded = self._pos = start
            try:
                self._take(fr, at)
            except DecodeError:
                return None
            return start

    def read(self, frames: int = -1, dtype: str = "float64", always_2d: bool = False) -> np.ndarray:
        """Up to ``frames`` samples from where it is (all that is left for -1)."""
        want = None if frames is None or frames < 0 else int(frames)
        if self._pending is not None and not self._n:
            e, self._pending = self._pending, None
            raise e
        while (want is None or self._n < want) and self._pending is None:
            try:
                if not self._more():
                    break
            except DecodeError as e:                # (the sound before the damage first)
                if not self._n:
                    raise
                self._pending = e
                break
        n = len(self._buf) if want is None else min(want, len(self._buf))
        out, self._buf = self._buf[:n], self._buf[n:]
        self._pos += n
        out = out.astype(dtype, copy=False)
        return out if always_2d or self.channels > 1 else out[:, 0]

    def seek(self, frames: int, whence: int = os.SEEK_SET) -> int:
        """Move to sample ``frames`` (from the start, ``whence`` 0; from here, 1; from the end,
        2): forward by decoding, backward by decoding again from the start; in an MPEG-4 file
        further than ``JUMP_S`` either way, by its index (:meth:`_jump`)."""
        target = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self.frames}[whence] + int(frames)
        target = max(0, target)
        if (self._said is not None and abs(target - self._pos) > JUMP_S * self.samplerate
                and JUMP_S * self.samplerate < target < self._said and self._jump(target)):
            pass                                    # (just before it: decoded on to it below)
        elif target < self._pos:
            self._box.close()
            self._open()
        while self._pos < target:
            try:
                got = self.read(min(target - self._pos, 1 << 16), dtype="float32", always_2d=True)
            except DecodeError:                     # (damage on the way: past it)
                if self.resume() is None:
                    break
                continue
            if not len(got):
                break
        return self._pos

    def _jump(self, target: int) -> bool:
        """Go towards sample ``target`` through the file's index: to a packet some frames before
        it, then on as past damage (:meth:`resume`: the first frame decoded there left out, its
        decoder lacking the sound it overlaps), so that what is read from there is what reading
        from the start gives, sample for sample (but where AAC's noise substitution draws noise
        from a state that runs on from the file's start). True when it is then at or before
        ``target`` (the caller decodes on to it); False, the file at its start, where that cannot
        be done: no frame placed yet to tie time stamps to samples, the index refuses, or the
        sound found after it does not reach back to ``target``."""
        import av
        if self._offset is None:                    # (a fresh file: its first frame ties them)
            if self._pos != 0 or self._ended:
                return False
            try:
                self._more()
            except DecodeError:
                return False
            if self._offset is None:
                return False
        tb = self._stream.time_base
        if tb is None or tb.numerator != 1:
            return False
        back = JUMP_BACK_S * self.samplerate        # (a few frames before: one to drop, some to spare)
        ts = int((target - back - self._offset) * tb.denominator / self.samplerate)
        try:
            self._box.seek(max(ts, 0), stream=self._stream, backward=True)
        except (av.FFmpegError, ValueError, OSError):
            self._reopen_at_start()
            return False
        self._frames_it = self._frames()
        self._resampler = av.AudioResampler(**self._resample_to)   # (one flushed at the end takes no more)
        self._held, self._lost, self._ended, self._decoded = None, 0, False, 0
        start = self.resume()
        if start is None or start > target:
            self._reopen_at_start()
            return False
        return True

    def _reopen_at_start(self) -> None:
        """Back to sample 0, the file opened anew (after a jump that could not be made)."""
        self._box.close()
        self._open()

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        if not self.closed:
            self._box.close()
            self.closed = True

    def __enter__(self) -> "DecodedSound":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@functools.lru_cache(maxsize=32)
def _count(path: str, size: int, mtime_ns: int) -> int:
    """The samples of ``path``'s timeline (its size and time key the cache): to the last that
    decodes, damaged stretches before it counted."""
    f = DecodedSound(path, count=False)
    try:
        while True:
            try:
                while f._more():
                    f._buf = f._buf[:0]         # (nothing kept: counted only)
            except DecodeError:
                if f.resume() is not None:          # (damage part way: the sound after it counts)
                    continue
            return f._decoded
    finally:
        f.close()
