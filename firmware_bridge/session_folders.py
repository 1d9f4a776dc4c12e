"""Session folders under a folder: finding them, and the words for a folder of them (a class's)
given where one recording is read. The library indexes what :func:`discover` finds; replay,
record, the trainer and report refuse a folder of sessions with :func:`folder_of_sessions`,
and record refuses an --out holding sessions: all find them alike, symbolic links followed."""

from __future__ import annotations

import os
from pathlib import Path


def discover(root: str | os.PathLike) -> list[Path]:
    """Session folders under ``root`` (folders holding a session.json), sorted, symbolic links
    to folders followed: a folder of links to sessions (a teacher's "favourites", a class made
    of links to each station's recordings) is a folder of sessions, and a link inside a root is
    read as the folder it names. Each folder is read once, under its path through the link
    (which the library's index keeps, relative to the root): a folder found both as itself and through a
    link is found as itself; a link back to a folder above it (a loop) or to one already found,
    and a link that loops on itself or names nothing, are passed over."""
    root = Path(root)
    found: list[Path] = []
    seen: set[str] = set()
    trees, links = [root], []
    while trees:
        for top in trees:                              # (the folders themselves before the links)
            try:
                real = os.path.realpath(top)
            except (OSError, ValueError):
                continue
            if real in seen or not os.path.isdir(top):
                continue
            seen.add(real)
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


def sessions_inside(path: str | Path) -> list[Path]:
    """The session folders under ``path`` when it is a folder of sessions (a class's) rather
    than a session itself, else none."""
    d = Path(path)
    return discover(d) if d.is_dir() and not (d / "session.json").exists() else []


def folder_of_sessions(path: str | Path, under: list[Path]) -> str:
    """"PATH: a folder of N session folders, not a session" (the start of a one-line error)."""
    return f"{path}: a folder of {len(under)} session folder{'s' if len(under) != 1 else ''}, not a session"
