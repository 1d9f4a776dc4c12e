"""What a file holds, told by its suffix and its first bytes: audio libsndfile reads, audio to
convert first (a phone's, a camera's), or text in UTF-16; and the one-line message with the
``ffmpeg`` command for audio that is not read.
"""

from __future__ import annotations

import errno
import os
import re
import shlex
import stat
from pathlib import Path

from analysis.errors import InputError

# what soundfile (libsndfile) reads; MP3 needs libsndfile 1.1 or later (the soundfile wheel has it)
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".caf", ".w64", ".rf64")
# what phones, video cameras and other programs record, and libsndfile does not read
CONVERT_SUFFIXES = (".m4a", ".aac", ".mp4", ".m4v", ".mov", ".3gp", ".amr", ".wma", ".webm", ".mkv",
                    ".mts", ".m2ts", ".avi", ".flv", ".mpg", ".mpeg")   # (.ts: TypeScript too; known by content)


# how audio files begin, whatever their names: WAV/RF64/Wave64/AIFF/CAF, FLAC, Ogg, MP3 (a tag or a
# frame), an MPEG-4 (phone, .m4a), Matroska/WebM, AMR and ASF (WMA) recording (and the others
# audio_to_convert knows)
AUDIO_MAGIC = (b"RIFF", b"RIFX", b"RF64", b"riff", b"FORM", b"caff", b"fLaC", b"OggS", b"ID3",
               b"\x1aE\xdf\xa3", b"#!AMR", b"\x30\x26\xb2\x75")
# of those, the containers libsndfile does not read, by what they are called
_TO_CONVERT = {b"\x1aE\xdf\xa3": "Matroska/WebM", b"#!AMR": "AMR", b"\x30\x26\xb2\x75": "WMA", b"FLV\x01": "FLV",
               b"\x00\x00\x01\xba": "MPEG program stream"}
# the codecs of a CAF (Core Audio Format, an iPhone app's recording) libsndfile decodes, by its
# 'desc' chunk's format ID (ALAC too, but not as FFmpeg writes it: PyAV decodes both)
_CAF_OWN = (b"lpcm", b"ulaw", b"alaw")
# an MPEG transport stream's packets (a camcorder's .mts/.m2ts: 192 bytes, a time code before each)
_TS_PACKETS = ((0, 188), (4, 192))
HEAD_BYTES = 4096                        # what is read of a file's start to tell what it holds
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")     # little- and big-endian


# a process's own descriptors by name: /dev/stdin, /dev/fd/N, /proc/self/fd/N (a shell's <(…) is one)
OWN_FD = re.compile(r"/dev/stdin|/dev/fd/(\d+)|/proc/(?:self|thread-self|(\d+))/fd/(\d+)")


def own_fd(path: Path) -> int | None:
    """The descriptor of this process that ``path`` names (``/dev/stdin`` is 0), or None."""
    m = OWN_FD.fullmatch(os.path.normpath(str(path)))
    if m is None or (m.group(2) is not None and int(m.group(2)) != os.getpid()):
        return None
    fd = int(m.group(1) or m.group(3) or 0)
    try:
        return fd if os.path.samestat(os.fstat(fd), os.stat(path)) else None
    except OSError:
        return None


# what a symbolic link that leads back to itself (``ln -s x.csv x.csv``), or through others to
# itself, is called in a message: the system gives up following it
LINK_LOOPS = "a symbolic link that loops"


def link_loops(path: str | os.PathLike) -> bool:
    """Whether ``path``, or a folder on the way to it, is a symbolic link that loops (the
    system gives up following it): ``Path.exists`` says False, as for nothing there, and
    ``Path.resolve`` raises ``RuntimeError``."""
    try:
        os.stat(path)
    except OSError as e:
        return e.errno == errno.ELOOP
    except ValueError:                      # (a NUL byte in it: no such file, said by its reader)
        return False
    return False


def resolved(path: str | os.PathLike, prefix: str = "") -> Path:
    """``path`` made absolute with its links followed (``Path.resolve``), or the one-line
    :class:`InputError` "PREFIXPATH: a symbolic link that loops"; ``prefix`` starts the line
    (the option that named it, "-o ")."""
    p = Path(path)
    try:
        real = None if link_loops(p) else p.resolve()
    except RuntimeError:                    # ("Symlink loop from …", before Python 3.13)
        real = None
    if real is None:
        raise InputError(f"{prefix}{path}: {LINK_LOOPS}")
    return real


def not_a_file(path: str | os.PathLike) -> str | None:
    """Why ``path``, where a file of its own is read (a session folder's session.json, stream
    or events, a library's entry), is none to read, in a few words: a symbolic link that loops,
    a named pipe (opened, it waits for a writer that may never come), a socket, or a device
    (one may give data without end). None for a file, a folder and for nothing there (said by
    whoever reads it)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        return LINK_LOOPS if e.errno == errno.ELOOP else None
    except ValueError:
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    return None


# how long a named pipe given by its name (``mkfifo f.csv``) is waited on for what a program
# writes into it: one nobody writes into, opened as a file is, waited for ever
NAMED_PIPE_WAIT_S = 10.0


def read_named_pipe(path: str | os.PathLike, limit: int, wait_s: float | None = None) -> bytes:
    """What a program writes into the named pipe ``path`` (``gradecoach replay f.csv`` with
    ``… > f.csv`` beside it), read once until it closes, up to ``limit + 1`` bytes (more than
    ``limit`` is for the caller to refuse). Nothing written within ``wait_s`` seconds
    (:data:`NAMED_PIPE_WAIT_S` when None), at first or between writes while the writer keeps it
    open, is a one-line :class:`InputError` ("PATH: a named pipe nothing was written into in 10 s;
    …"); one the system refuses, "PATH: cannot read (…)"."""
    import select
    wait_s = NAMED_PIPE_WAIT_S if wait_s is None else wait_s
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)       # (opened at once, writer or none)
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    try:
        chunks, n = [], 0
        while n <= limit:
            if not select.select([fd], [], [], wait_s)[0]:
                if not chunks:
                    raise InputError(f"{path}: a named pipe nothing was written into in {wait_s:g} s; start the "
                                     f"program that writes into it first, or give a file")
                raise InputError(f"{path}: a named pipe nothing more was written into in {wait_s:g} s, and its "
                                 f"writer has not closed it; give a file")
            try:
                b = os.read(fd, min(1 << 20, limit + 1 - n))
            except BlockingIOError:                 # (readable said, nothing there yet)
                continue
            if not b:                               # the writer closed it
                break
            chunks.append(b)
            n += len(b)
        return b"".join(chunks)
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    finally:
        os.close(fd)


def utf16_text(head: bytes) -> bool:
    """Whether a file starting with ``head`` is text in UTF-16 with its byte-order mark (as Windows
    Notepad and some spreadsheets save "Unicode" text): printable characters and line ends only.
    (Its mark FF FE is also an MPEG audio frame's sync; its ASCII characters hold NUL bytes.)"""
    if not head.startswith(UTF16_BOMS):
        return False
    text = head[:len(head) // 2 * 2].decode("utf-16", "replace")
    if text.endswith("\ufffd"):                    # (a character cut where ``head`` ends)
        text = text[:-1]
    return all(c.isprintable() or c in "\r\n\t" for c in text)


def is_audio(head: bytes, path: Path | None = None) -> bool:
    """Whether a file starting with ``head`` is audio, by its content (a recording saved
    without a suffix, or under another name): its magic bytes, an MPEG audio frame's sync, an
    MPEG-4 ``ftyp`` box, or, for other binary content, libsndfile reading it. UTF-16 text
    (:func:`utf16_text`) is none."""
    if utf16_text(head):
        return False
    if head.startswith(AUDIO_MAGIC) or head[4:8] == b"ftyp" or audio_to_convert(head):
        return True
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:      # MPEG/ADTS frame sync
        return True
    if path is None or not head or b"\0" not in head[:512]:                # text is no audio
        return False
    import soundfile as sf
    try:
        return sf.info(str(path)).frames > 0
    except (RuntimeError, sf.LibsndfileError, TypeError):   # (TypeError: a .raw file's, no rate)
        return False


def audio_to_convert(head: bytes) -> str | None:
    """What audio a file starting with ``head`` holds when libsndfile does not read it (a phone's
    MPEG-4, AAC, Matroska/WebM, AMR, WMA), or None."""
    if head[4:8] == b"ftyp":
        return "MPEG-4"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:      # ADTS: MPEG sync, layer 0
        return "AAC"
    if head.startswith(b"caff") and head[8:12] == b"desc" and len(head) >= 32 and head[28:32] not in _CAF_OWN:
        return f"CAF ({head[28:32].decode('latin-1').strip()})"
    if head.startswith(b"OggS") and b"\x7fFLAC" in head[28:64]:
        return "Ogg FLAC"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "AVI"
    # (0x47 is "G": text has no NUL where a stream's first packets have several)
    if b"\0" in head[:200] and any(len(head) > at + 2 * size and all(head[at + i * size] == 0x47 for i in range(3))
                                   for at, size in _TS_PACKETS):
        return "MPEG transport stream"
    return next((name for magic, name in _TO_CONVERT.items() if head.startswith(magic)), None)


# how compressed files begin, and the command that decompresses each
_COMPRESSED = {b"\x1f\x8b": ("gzip", "gunzip"), b"BZh": ("bzip2", "bunzip2"), b"\xfd7zXZ\0": ("xz", "unxz"),
               b"\x28\xb5\x2f\xfd": ("zstd", "unzstd")}
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")       # a zip archive (also an .xlsx or .ods workbook), or an empty one
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"    # an old Office file (an .xls workbook, a .doc)


def packed_kind(head: bytes) -> str | None:
    """What a file starting with ``head`` is when it is compressed or a spreadsheet's own
    format rather than text, and what to do, for a message ("compressed (gzip): decompress it
    first (gunzip)", "a spreadsheet workbook (.xlsx): save it as CSV"); None for anything else."""
    for magic, (name, command) in _COMPRESSED.items():
        if head.startswith(magic) and (magic != b"BZh" or head[3:4].isdigit()):
            return f"compressed ({name}): decompress it first ({command})"
    if head.startswith(_ZIP):
        # the names of a zip's first entries stand uncompressed in it: an .xlsx's under xl/, an
        # .ods's first entry "mimetype" naming what it is
        if b"xl/" in head:
            return "a spreadsheet workbook (.xlsx): save it as CSV"
        if b"opendocument.spreadsheet" in head:
            return "a spreadsheet (.ods): save it as CSV"
        if b"[Content_Types].xml" in head:           # (an Office file's first entry)
            return "an Office document (an .xlsx workbook?): save it as CSV"
        return "a zip archive: unpack it first (unzip)"
    if head.startswith(_OLE2):
        return "an Office file (an .xls workbook?): save it as CSV"
    return None


def file_head(path: str | os.PathLike, n: int = HEAD_BYTES) -> bytes:
    """The first ``n`` bytes of a regular file; none for anything else (a pipe is not read
    ahead of its reader) or a file that cannot be read."""
    try:
        if not Path(path).is_file():
            return b""
        with open(path, "rb") as fh:
            return fh.read(n)
    except OSError:
        return b""


def piped_convert_hint(path, kind: str) -> str:
    """:func:`convert_hint` for audio through a pipe, which has no file an ``ffmpeg`` command could name."""
    return (f"{path}: {kind} audio is not read (WAV, FLAC, OGG, Opus, MP3 and AIFF are); convert it to one "
            f"of them first (e.g. with ffmpeg) and give that")


def convert_hint(path) -> str:
    """The one-line error for an audio or video file in a format libsndfile does not read (by its
    suffix, or by its content under another name), with the ``ffmpeg`` command that converts it:
    its paths as given (so it runs from the folder the command was), quoted for the shell."""
    p = Path(path)
    kind = p.suffix.lower() if p.suffix.lower() in CONVERT_SUFFIXES else None
    kind = kind or audio_to_convert(file_head(p)) or p.suffix.lower()
    out = p.with_suffix(".flac")
    if out == p:                                       # (an MP4 saved as .flac)
        out = p.with_name(p.stem + ".converted.flac")
    if own_fd(p) is not None:                          # (through a pipe: /dev/fd/63 names nothing to convert)
        return piped_convert_hint(p, kind)
    return (f"{p}: {kind} audio is not read (WAV, FLAC, OGG, Opus, MP3 and AIFF are); "
            f"convert it first, for example: ffmpeg -i {shlex.quote(str(p))} {shlex.quote(str(out))}")
