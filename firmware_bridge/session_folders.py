"""Session folders under a folder: finding them, and the words for a folder of them (a class's)
given where one recording is read. The library indexes what :func:`discover` finds; replay,
record, the trainer and report refuse a folder of sessions with :func:`folder_of_sessions`,
and record refuses an --out holding sessions: all find them alike, symbolic links followed."""

from __future__ import annotations

import os
from pathlib import Path


def discover(root: str | os.PathLike, passed_over: list[str] | None = None) -> list[Path]:
    """Session folders under ``root`` (folders holding a session.json), sorted, symbolic links
    to folders followed: a folder of links to sessions (a teacher's "favourites", a class made
    of links to each station's recordings) is a folder of sessions, and a link inside a root is
    read as the folder it names. Each folder is read once, under its path through the link
    (which the library's index keeps, relative to the root): a folder found both as itself and through a
    link is found as itself; a link to one already found, and a link that loops on itself or
    names nothing, are passed over.

    A link to ``root`` itself or to a folder above it (``ln -s .. up``, ``ln -s / disk``), or
    to a folder above the link itself, is passed over without being read: followed, it listed
    the sessions beside ``root`` as its own, and a link to ``/`` read the whole disk. Each such
    link is said once in ``passed_over`` when given ("ROOT/up: a link to /data, a folder
    holding ROOT: passed over; only the sessions under ROOT are read"), a line the caller can
    print as a warning."""
    root = Path(root)
    found: list[Path] = []
    seen: set[str] = set()
    try:
        root_real = os.path.realpath(root)
    except (OSError, ValueError):
        return found
    walked: list[str] = []                             # (the real paths of the trees read so far)

    def above(link: Path, real: str) -> str | None:
        """Why ``link`` (naming ``real``) is passed over unread, or None to read it."""
        if _holds(real, root_real):
            return (f"{link}: a link back to {root} itself: passed over" if real == root_real else
                    f"{link}: a link to {real}, a folder holding {root}: passed over; only the sessions "
                    f"under {root} are read")
        try:
            here = os.path.realpath(link.parent)
        except (OSError, ValueError):
            return None
        if _holds(real, here):
            return f"{link}: a link to {real}, a folder holding the link itself (a loop): passed over"
        return None

    trees, links = [root], []
    while trees:
        for top in trees:                              # (the folders themselves before the links)
            try:
                real = os.path.realpath(top)
            except (OSError, ValueError):
                continue
            if not os.path.isdir(top):
                continue
            if top is not root:
                if why := above(top, real):
                    if passed_over is not None:
                        passed_over.append(why)
                    continue
                if real in seen or any(_holds(t, real) for t in walked):   # (found already, or inside a tree read)
                    continue
            seen.add(real)
            walked.append(real)
            for folder, dirs, files in os.walk(top):
                for d in list(dirs):
                    sub = os.path.join(folder, d)
                    if os.path.islink(sub):            # (os.walk lists a link to a folder among the folders)
                        links.append(Path(sub))
                        dirs.remove(d)
                    elif (real_sub := os.path.realpath(sub)) in seen:     # (found through another link)
                        dirs.remove(d)
                    else:
                        seen.add(real_sub)
                if "session.json" in files and os.path.isfile(os.path.join(folder, "session.json")):
                    found.append(Path(folder))
        trees, links = sorted(links), []
    return sorted(found)


def _holds(outer: str, inner: str) -> bool:
    """Whether the real path ``outer`` is ``inner`` or a folder above it."""
    try:
        return os.path.commonpath([outer, inner]) == outer
    except ValueError:                                 # (another drive)
        return False


def sessions_inside(path: str | Path) -> list[Path]:
    """The session folders under ``path`` when it is a folder of sessions (a class's) rather
    than a session itself, else none."""
    d = Path(path)
    return discover(d) if d.is_dir() and not (d / "session.json").exists() else []


def folder_of_sessions(path: str | Path, under: list[Path]) -> str:
    """"PATH: a folder of N session folders, not a session" (the start of a one-line error)."""
    return f"{path}: a folder of {len(under)} session folder{'s' if len(under) != 1 else ''}, not a session"
