"""Writing files others write too: a session folder in a library several stations share.

A new recording claims its folder with :func:`claim`: of two given one folder at once, one
gets it; what it writes first is written beside it (:func:`write_beside`).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_beside(path: str | os.PathLike, text: str) -> Path:
    """``text`` (UTF-8, ``\\n`` line ends) in a new file beside ``path``, of a name no other
    writer uses, to be moved over ``path`` (``os.replace``) or linked to it; made as
    ``open(..., "w")`` makes files (its mode from the umask). A part written before a failure
    (a full disk) is removed and the ``OSError`` raised."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def claim(path: str | os.PathLike, text: str) -> None:
    """Make ``path`` holding ``text``, only if nothing is there: ``FileExistsError`` (and
    nothing touched) when something is, even made a moment ago by another process doing the
    same. Readers see it whole: it is written beside it first and linked in; where the file
    system has no hard links (a FAT memory stick, some shares), it is made and written at once."""
    tmp = write_beside(path, text)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            fh = open(path, "x", encoding="utf-8", newline="\n")
            try:
                with fh:
                    fh.write(text)
            except BaseException:
                Path(path).unlink(missing_ok=True)          # (ours: made just now)
                raise
    finally:
        tmp.unlink(missing_ok=True)
