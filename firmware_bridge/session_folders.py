"""Session folders under a folder: finding them, and the words for a folder of them (a class's)
given where one recording is read. The library indexes what :func:`discover` finds; replay,
record, the trainer and report refuse a folder of sessions with :func:`folder_of_sessions`."""

from __future__ import annotations

from pathlib import Path


def discover(root: Path) -> list[Path]:
    """Session folders under ``root`` (folders holding a session.json), sorted."""
    return sorted(p.parent for p in Path(root).rglob("session.json") if p.is_file())


def sessions_inside(path: str | Path) -> list[Path]:
    """The session folders under ``path`` when it is a folder of sessions (a class's) rather
    than a session itself, else none."""
    d = Path(path)
    return discover(d) if d.is_dir() and not (d / "session.json").exists() else []


def folder_of_sessions(path: str | Path, under: list[Path]) -> str:
    """"PATH: a folder of N session folders, not a session" (the start of a one-line error)."""
    return f"{path}: a folder of {len(under)} session folder{'s' if len(under) != 1 else ''}, not a session"
