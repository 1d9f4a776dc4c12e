"""Writing files others write too: a session folder in a library several stations share.

A recorder and review stations (other processes, other users) change one ``session.json``.
Each change is read, made and written under the folder's lock (:func:`folder_lock`), through
a file of its own beside it (:func:`write_beside`) moved over the old one, so no station
rewrites it from a copy older than another's save, and none moves another's half-written file.
A new recording claims its folder with :func:`claim`: of two given one folder at once, one
gets it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:                     # (Windows: no flock; saves go on unlocked)
    fcntl = None


@contextmanager
def folder_lock(folder: str | os.PathLike) -> Iterator[bool]:
    """Hold ``folder``'s lock (``flock(2)`` on the folder itself, so no file is made in it) for
    a read-change-write of a file in it; yields whether it is held. Where it cannot be taken
    (no flock on this system, a network share that does not lock folders, no folder) the work
    goes on unlocked, as before: a folder that cannot be written still fails where it writes,
    in one line."""
    fd = None
    if fcntl is not None:
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            if fd is not None:
                os.close(fd)
            fd = None
    try:
        yield fd is not None
    finally:
        if fd is not None:
            os.close(fd)                # (which releases the lock)


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


def replace_text(path: str | os.PathLike, text: str) -> None:
    """``path`` replaced by ``text`` at once (readers see the old file or the new one, whole);
    ``OSError`` if it cannot be, with nothing of it left beside ``path``."""
    tmp = write_beside(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
