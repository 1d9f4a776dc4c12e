"""Session folders under the library's root: finding them, whether each finished, what marks
a change or the same recording moved, and the index row of each."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from analysis.scheme import GradingScheme
from firmware_bridge.session import STOPPED_EARLY, SessionMeta, describe_stop
from firmware_bridge.session_folders import discover, folder_of_sessions, sessions_inside  # noqa: F401  (re-exported)
from ui.library.schema import INDEX_NAME
from ui.library.stats import session_stats
from ui.library.stored import session_events


def session_as_root(root: str | os.PathLike) -> str | None:
    """The one-line refusal when ``root`` is itself a recorded session's folder, where its
    index would be written (no output goes into a session's folder: a copy of the recording
    would carry it, and the one session is all it would list), naming the folder holding it;
    else None."""
    d = Path(root)
    if not (d / "session.json").is_file():
        return None
    parent = d.parent if d.name not in ("", ".", "..") else d.resolve().parent
    return (f"{root}: a recorded session's folder, not a folder of sessions (no index is written inside a "
            f"session); give the folder holding it ({parent})")


def finished(folder: str | os.PathLike) -> bool:
    """Whether a session folder's session.json says its recording finished (``complete``):
    False while it is being recorded, or when it was cut off (a crash, a copy taken meanwhile),
    as replay and report warn that it "did not finish cleanly"; True when that cannot be read
    (an unreadable session is said otherwise)."""
    try:
        meta = json.loads((Path(folder) / "session.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):      # (bad JSON and bad UTF-8 are ValueErrors; JSON
        return True                                    # nested too deeply a RecursionError)
    return not isinstance(meta, dict) or meta.get("complete") is True


def refused_sessions(root: str | os.PathLike) -> list[str]:
    """One line for each session.json under ``root`` that is not a file the system reads (a
    folder of that name, a link to nothing): "…/session.json: Is a directory". Its folder is
    no session :func:`discover` finds, so ``library list``, ``report --class`` and the review
    window left it out without a word; they leave it out saying why."""
    out = []
    for p in sorted(Path(root).rglob("session.json")):
        if p.is_file():
            continue
        try:
            p.read_bytes()
        except OSError as e:
            out.append(f"{p}: {e.strerror or e}")
    return out


def stopped_early_note(words: str | None) -> str | None:
    """What ``library list`` (and a table of sessions) notes of a recording that stopped early
    because its folder refused a write, from its row's ``stopped_early`` (the review's "stopped
    early" row, :func:`firmware_bridge.session.describe_stop`): "stopped early at 12.3 s: disk
    full, force.csv", or with no time recorded "stopped early: disk full, force.csv"; None for
    one that did not. It says more than "unfinished", which the recording is too."""
    if not words:
        return None
    when = words.startswith(("at ", "before any sample"))
    return f"{STOPPED_EARLY}{' ' if when else ': '}{words}"


def _signature(folder: Path) -> str:
    """Changes whenever any file of the session changes (mtime and size). An index inside the
    folder itself is not part of the session: one ``Library(SESSION)`` makes (the command line
    refuses a session folder as ROOT, see :func:`session_as_root`) changes at every refresh,
    which read the session again each time."""
    parts = []
    for f in sorted(folder.iterdir()):
        if f.is_file() and not f.name.startswith(INDEX_NAME):
            st = f.stat()
            parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def fingerprint(folder: Path, meta: dict) -> str:
    """Identity of a recording that survives moving its folder: creation time, trainee, and
    the first 4 KiB and size of its force data."""
    h = hashlib.sha1(json.dumps([meta.get("created"), meta.get("trainee"), meta.get("technique")]).encode())
    fp = folder / (meta.get("streams", {}).get("force", {}).get("file") or "force.csv")
    if fp.is_file():
        with open(fp, "rb") as fh:
            h.update(fh.read(4096))
        h.update(str(fp.stat().st_size).encode())
    return h.hexdigest()


def index_row(folder: Path, root: Path) -> dict[str, Any]:
    """One library row for a session folder (raises InputError for an unreadable one).

    Its ``signature`` is the folder's as it was before the files were read: a file changed
    meanwhile (a recording finishing) leaves the row signed older than the folder, so the next
    refresh reads it again; signed afterwards, the row kept what was read before the change
    for good (an unfinished session's "0 cycles" beside a finished recording).

    Its ``stopped_early`` says when and why a recording stopped because its folder refused a
    write (session.json's ``extra.stopped``) as the review's details word it ("at 12.3 s: disk
    full, force.csv"); None for one that did not.
    """
    mp = folder / "session.json"
    try:
        signature = _signature(folder)
    except OSError:                                    # (gone or unreadable: said by the reading below)
        signature = None
    events, source, inp = session_events(folder)      # reads session.json: a bad one is one line
    meta = inp.meta or SessionMeta()
    raw = meta.to_dict()                               # checked values only
    scheme = GradingScheme(meta.r1_n, meta.r2_n, alpha=meta.alpha)
    row = {"path": folder.relative_to(root).as_posix(), "fingerprint": fingerprint(folder, raw),
           "signature": signature, "trainee": meta.trainee or "",
           "created": meta.created or time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(mp.stat().st_mtime)),
           "technique": meta.technique or "", "target": meta.target or "", "stats_source": source,
           "stopped_early": describe_stop(meta.extra.get("stopped"), row=True)}
    row.update(session_stats(events, meta.target, scheme))
    return row
