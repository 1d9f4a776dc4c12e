"""Audio files as replay reads them: whether a file is audio and its rate, length and channels;
reading one up to where it is torn; where a file was cut (a WAV or AIFF header promising more,
samples past a WAV's data chunk, an Ogg stream without its last page); and audio given through a
pipe (``--audio <(cat clip.wav)``, ``--audio /dev/stdin``), read once into memory."""

from __future__ import annotations

import contextlib
import functools
import os
import shlex
import stat
import sys
from pathlib import Path
from typing import Iterator

import numpy as np

from analysis.errors import InputError
from firmware_bridge.file_kind import own_fd
from firmware_bridge.session import CONVERT_SUFFIXES, audio_to_convert, convert_hint, file_head, is_audio
from firmware_bridge.sound_files import decoded, open_sound, sound_info

# libsndfile's frame count of a FLAC whose header was never finished (the recorder crashed)
UNKNOWN_FRAMES = 2 ** 62


def starts_as_audio(head: bytes) -> bool:
    """Whether a file starting with ``head`` begins as audio does (:func:`is_audio` without the
    file), text in UTF-16 aside: its byte order mark, FF FE, is also an MPEG frame's sync."""
    return is_audio(head) and not head.startswith(b"\xff\xfe")


@contextlib.contextmanager
def quiet_decoder(head: bytes):
    """Around libsndfile opening a file starting with ``head`` that no audio format's magic
    bytes begin (:func:`is_audio` without the file): the decoders libsndfile then tries last
    (libmpg123's) print their own lines on stderr ("Giving up searching valid MPEG header")
    about a file that is no audio, so stderr is /dev/null meanwhile; gradecoach says what the
    file is in its own line. A file that starts as audio is opened as is: its decoder's
    messages may be about the recording."""
    if starts_as_audio(head):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 2)
        finally:
            os.close(null)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def hold_piped_audio(path: Path, raw: bytes | None = None) -> None:
    """Make audio given through a pipe readable as a file: read it once, up to
    :data:`~firmware_bridge.csv_stream.DEVICE_BYTES` (64 MiB, as a CSV through a pipe is), and let
    the descriptor ``path`` names (``/dev/stdin``, ``/dev/fd/63`` of ``<(cat clip.wav)``) hold those
    bytes in memory from then on, so that every reader of the file (its length, each chunk, a
    drawing of it) reads them as it reads a file. ``raw``: the bytes, when the pipe was read
    already. Anything else that is not a file (a named pipe, which a second reader would wait on
    for ever; a device) is a one-line :class:`InputError`; a regular file is left as it is."""
    from firmware_bridge.csv_stream import DEVICE_BYTES
    p = Path(path)
    try:
        st = os.stat(p)
    except OSError:
        return                                      # (said by whoever looks for the file)
    if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode):
        return
    fd = own_fd(p)
    piped = stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode)
    if fd is None and stat.S_ISFIFO(st.st_mode):
        raise InputError(f"{p}: a named pipe (read once, it cannot be read again); give it as "
                         f"<(cat {shlex.quote(str(p))}) or save it to a file")
    if fd is None or not piped:
        if fd is not None and os.isatty(fd):
            raise InputError(f"{p}: a terminal, not audio; send the audio into it (< clip.wav) or give its file")
        raise InputError(f"{p}: a device, not an audio file")
    if raw is None:
        with os.fdopen(os.dup(fd), "rb") as fh:
            raw = fh.read(DEVICE_BYTES + 1)
    if len(raw) > DEVICE_BYTES:
        raise InputError(f"{p}: more than {DEVICE_BYTES >> 20} MiB of audio through a pipe; save it to a "
                         f"file and give that")
    if not raw:
        raise InputError(f"{p}: no audio came through the pipe (0 bytes)")
    if not hasattr(os, "memfd_create"):
        raise InputError(f"{p}: audio through a pipe is read on Linux only; save it to a file and give that")
    mem = os.memfd_create("gradecoach-audio", os.MFD_CLOEXEC)
    try:
        view = memoryview(raw)
        while view:
            view = view[os.write(mem, view):]
        os.dup2(mem, fd, inheritable=os.get_inheritable(fd))
    finally:
        os.close(mem)


def audio_info(path: Path, count: bool = False) -> tuple[int, int, int]:
    """(sample rate, frames, channels) of an audio file, or a one-line InputError. A FLAC whose
    recording was cut by a crash has no length in its header: with ``count`` its frames are
    counted (it is decoded once), else they are :data:`UNKNOWN_FRAMES`. Audio through a pipe is
    read once into memory first (:func:`hold_piped_audio`)."""
    import soundfile as sf
    if Path(path).is_dir():                     # (libsndfile: "Format not recognised")
        raise InputError(f"{path}: a folder, not an audio file")
    hold_piped_audio(path)
    head = file_head(path)
    if not head and Path(path).is_file() and Path(path).stat().st_size == 0:
        raise InputError(f"{path}: unreadable audio (an empty file, 0 bytes)")
    try:
        with quiet_decoder(head):
            i = sound_info(path)
    except (RuntimeError, sf.LibsndfileError) as e:
        if decoded(path):                           # (a phone's recording PyAV could not decode)
            raise InputError(f"{path}: unreadable audio ({str(e).splitlines()[0]})") from None
        if Path(path).suffix.lower() in CONVERT_SUFFIXES or audio_to_convert(head):
            raise InputError(convert_hint(path)) from None
        if head and not starts_as_audio(head):
            # (libsndfile says "File does not exist or is not a regular file" of a file it finds
            # no decoder for, which exists)
            raise InputError(f"{path}: unreadable audio (its content is not WAV, FLAC, OGG, Opus, MP3 "
                             f"or AIFF)") from None
        # (libsndfile's words begin "Error opening '<the path>': ", which the line gives already)
        why = str(e).splitlines()[0].removeprefix(f"Error opening {str(path)!r}: ")
        raise InputError(f"{path}: unreadable audio ({why})") from None
    frames = int(i.frames)
    if frames >= UNKNOWN_FRAMES and count:
        st = path.stat()
        frames = _counted_frames(str(path), st.st_size, st.st_mtime_ns)
    if frames <= 0:
        past = wav_past_data(path)
        if past:
            raise InputError(f"{path}: audio file is empty by its header, yet {past[0] // past[1] / i.samplerate:.2f} "
                             f"s of audio follow it (its recorder did not finish the header?)")
        # ("an empty file" is one of 0 bytes: this one has a header and no sample)
        raise InputError(f"{path}: audio file is empty but for its header: it holds no samples")
    return int(i.samplerate), frames, int(i.channels)


@functools.lru_cache(maxsize=32)
def _counted_frames(path: str, size: int, mtime_ns: int) -> int:
    """Frames that decode from the start of ``path`` (the file's size and time key the cache)."""
    import soundfile as sf
    try:
        with open_sound(path) as f:
            return sum(len(b) for b in read_until_torn(f, 10 * f.samplerate))
    except (RuntimeError, sf.LibsndfileError):
        return 0


def audio_problem(path: Path) -> tuple[str | None, bool]:
    """Why the pops in an audio file cannot be analysed (one line naming the file), or None;
    and whether the file can still be read (to be drawn and played)."""
    from analysis.cavitation import MIN_RATE_HZ
    if not path.exists():
        return f"{path}: no such audio file", False
    try:
        sr, _, _ = audio_info(path)
    except InputError as e:
        return str(e), False
    if sr < MIN_RATE_HZ:
        return f"{path}: audio at {sr} Hz; pops are detected in audio at {MIN_RATE_HZ:g} Hz or more", True
    return None, True



def read_until_torn(f, block: int, small: int | None = None, errors: list[str] | None = None,
                    frames: int | None = None) -> Iterator[np.ndarray]:
    """Blocks of ``block`` frames (float32, 2-D) from the open ``soundfile.SoundFile`` ``f``, to
    its end or for ``frames`` frames. A file torn part way (a crash while recording) fails to
    decode a block: that block is read again in steps of ``small`` frames (default 50 ms), up to
    the tear, and the decoder's message is appended to ``errors``. A failed read leaves
    libsndfile's handle unusable, so the steps read from a fresh handle of the same file. A
    phone's recording read through PyAV has handed out all its sound before the damage when
    its read fails: no steps (each would decode it again from its start)."""
    import soundfile as sf
    small = small or max(1, int(round(0.05 * f.samplerate)))
    n, step = f.tell(), block
    end = None if frames is None else n + frames
    g, fresh = f, None
    try:
        while end is None or n < end:
            try:
                blk = g.read(step if end is None else min(step, end - n), dtype="float32", always_2d=True)
            except (RuntimeError, sf.LibsndfileError) as e:
                if step > small and not hands_out_to_damage(f):
                    try:
                        g = fresh = open_sound(f.name)
                        g.seek(n)
                        step = small
                        continue
                    except (RuntimeError, sf.LibsndfileError, TypeError, OSError):
                        pass
                if errors is not None:
                    errors.append(str(e).splitlines()[0])
                return
            if not len(blk):
                return
            yield blk
            n += len(blk)
    finally:
        if fresh is not None:
            fresh.close()


def hands_out_to_damage(f) -> bool:
    """Whether the open sound file ``f`` hands out all its sound before damage before a read of
    it fails (a :class:`~firmware_bridge.sound_files.DecodedSound`), not libsndfile's, whose
    failed read loses the block it was reading."""
    from firmware_bridge.sound_files import DecodedSound
    return isinstance(f, DecodedSound)


def read_span(f, start: int, frames: int | None = None) -> np.ndarray:
    """``frames`` frames (or all) from frame ``start`` of the open ``soundfile.SoundFile`` ``f``,
    float32 (n, channels), up to the tear of a torn file; none when ``start`` lies past it."""
    import soundfile as sf
    try:
        f.seek(start)
    except (RuntimeError, sf.LibsndfileError):
        return np.zeros((0, f.channels), np.float32)
    parts = list(read_until_torn(f, frames or 10 * f.samplerate, frames=frames))
    return np.concatenate(parts) if parts else np.zeros((0, f.channels), np.float32)


# the sample chunk's length a recorder writes before it knows it (one that streams, or one cut
# before it went back to fill it in): no length, not a length the file falls short of
UNKNOWN_SIZES = (0xFFFFFFFF, 0x7FFFFFFF)


def wav_past_data(path: Path) -> tuple[int, int] | None:
    """(bytes, bytes per frame) of samples a WAV file holds past the end its ``data`` chunk's
    header gives — a recorder that wrote a length and then went on writing, which libsndfile
    does not read — or None (no such bytes, only other chunks after it, or not a WAV)."""
    def printable(cid: bytes) -> bool:
        return len(cid) == 4 and all(0x20 <= c <= 0x7E for c in cid)

    try:
        with open(path, "rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(0)
            head = fh.read(12)
            if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            pos, align = 12, None
            while pos + 8 <= size:
                fh.seek(pos)
                hdr = fh.read(8)
                cid, n = hdr[:4], int.from_bytes(hdr[4:8], "little")
                if cid == b"fmt ":
                    align = int.from_bytes(fh.read(14)[12:14], "little") or None
                if cid == b"data":
                    end = pos + 8 + n
                    if n in UNKNOWN_SIZES or end >= size or align is None:
                        return None
                    q = end + (n & 1)
                    while q + 8 <= size:                   # LIST, id3 … chunks after the samples
                        fh.seek(q)
                        h = fh.read(8)
                        if not printable(h[:4]):
                            break
                        m = int.from_bytes(h[4:8], "little")
                        q += 8 + m + (m & 1)
                    else:
                        if q <= size:                      # whole chunks up to the end (a pad byte at most)
                            return None
                    extra = size - end
                    return (extra, align) if extra >= align else None
                if not printable(cid):
                    return None
                pos += 8 + n + (n & 1)
    except OSError:
        return None
    return None


def _header_frames(path: Path, frames: int) -> int | None:
    """Frames the header of a WAV or AIFF file cut short gives, when more than the ``frames``
    in it: libsndfile reads such a file to its end and notes the sample chunk's length as
    "data : CLAIMED (should be ACTUAL)" (bytes)."""
    import re

    import soundfile as sf
    try:
        m = re.search(r"^(?:data|SSND)\s*: (\d+) \(should be (\d+)\)", sf.info(str(path)).extra_info, re.M)
    except (RuntimeError, sf.LibsndfileError):
        return None
    if m is None or int(m.group(2)) <= 0 or int(m.group(1)) <= int(m.group(2)) or int(m.group(1)) in UNKNOWN_SIZES:
        return None
    return int(frames * int(m.group(1)) / int(m.group(2)))


# an Ogg page: "OggS", version 0, flags, ..., the number of segments at byte 26, their lengths
# after it; the longest is 27 + 255 + 255 * 255 bytes
OGG_PAGE_MAX = 27 + 255 + 255 * 255
OGG_EOS = 0x04                # the flag of a stream's last page


def _ogg_cut(path: Path) -> str | None:
    """Why an Ogg file (Vorbis, Opus, FLAC in Ogg) stops before its stream's end, in a few
    words, or None (not Ogg, or whole). libsndfile reads a torn one to its last whole page and
    says nothing: the file either ends inside a page, or its last page lacks the end-of-stream
    flag every Ogg writer sets on closing."""
    try:
        with open(path, "rb") as fh:
            if fh.read(4) != b"OggS":
                return None
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - OGG_PAGE_MAX))
            tail = fh.read()
    except OSError:
        return None
    at = len(tail)
    while (at := tail.rfind(b"OggS", 0, at)) >= 0:       # the last page that ends where the file does
        if len(tail) < at + 27 or tail[at + 4] != 0:
            continue
        segs = tail[at + 27:at + 27 + tail[at + 26]]
        if len(segs) == tail[at + 26] and at + 27 + len(segs) + sum(segs) == len(tail):
            return None if tail[at + 5] & OGG_EOS else "its last Ogg page has no end-of-stream mark"
    return "its last Ogg page is cut off"
