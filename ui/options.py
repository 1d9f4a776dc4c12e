"""Command-line options shared by replay, report, screenshot and record: calibration and target."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.errors import InputError
from analysis.scheme import GradingScheme, ThrustScheme, parse_target
from firmware_bridge.session import SessionMeta


def add_analysis_args(p: argparse.ArgumentParser,
                      default: str = "from the session's session.json") -> None:
    g = p.add_argument_group(f"calibration and target (default: {default})")
    g.add_argument("--r1", type=float, metavar="N", help="first resistance R1 in newtons")
    g.add_argument("--r2", type=float, metavar="N", help="limit of range R2 in newtons")
    g.add_argument("--alpha", type=float, metavar="A", help="large-amplitude ratio (default 0.5)")
    g.add_argument("--target", metavar="GRADE", help="target grade, e.g. III+, IV--, II, or V/HVLA")
    g.add_argument("--pop-window", type=float, metavar="MS",
                   help="a pop belongs to the thrust whose peak is nearest within MS milliseconds (150)")


def build_schemes(args: argparse.Namespace, meta: SessionMeta | None = None) -> tuple[GradingScheme, ThrustScheme]:
    """Flags override the session's calibration and target."""
    r1 = args.r1 if getattr(args, "r1", None) is not None else (meta.r1_n if meta else None)
    r2 = args.r2 if getattr(args, "r2", None) is not None else (meta.r2_n if meta else None)
    alpha = args.alpha if getattr(args, "alpha", None) is not None else (meta.alpha if meta else 0.5)
    target = getattr(args, "target", None) or (meta.target if meta else None)
    if (r1 is None) != (r2 is None):
        raise InputError("give both --r1 and --r2 (or neither)")
    scheme = GradingScheme(r1_n=r1, r2_n=r2, alpha=alpha)
    if target:
        parse_target(target)
        scheme = scheme.with_target(target)
    pw = getattr(args, "pop_window", None)
    if pw is None:
        return scheme, ThrustScheme()
    if not 0 < pw <= 2000:
        raise InputError(f"--pop-window {pw:g}: give 1–2000 ms")
    return scheme, ThrustScheme(pop_window_ms=float(pw))


def output_path(path: str | Path, inputs=(), option: str = "-o") -> Path:
    """Where a command may write: not one of its inputs or a file inside an input folder, nor a
    file inside any recorded session's folder (a recording is never overwritten), not a folder;
    missing folders above it are made.
    Anything else is a one-line :class:`InputError` naming the option and the path."""
    out = Path(path)
    target = out.resolve()
    for i in inputs:
        src = Path(i).resolve()
        if target == src or (src.is_dir() and src in target.parents):
            raise InputError(f"{option} {out}: that is {'inside ' if target != src else ''}the input {i}; "
                             f"choose another file, the recording is kept as it is")
    if out.is_dir():
        raise InputError(f"{option} {out}: a folder is there; give a file name")
    if (out.parent / "session.json").exists():        # another recording's folder
        raise InputError(f"{option} {out}: inside the recorded session {out.parent}; choose another folder, "
                         f"the recording is kept as it is")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{option} {out}: cannot make its folder ({e.strerror or e})") from None
    return out


def open_output(out: Path, option: str = "-o"):
    """``out`` opened for writing text, or a one-line :class:`InputError`."""
    try:
        return open(out, "w", encoding="utf-8", newline="")
    except OSError as e:
        raise InputError(f"{option} {out}: cannot write ({e.strerror or e})") from None


def write_output(out: Path, fill, option: str = "-o"):
    """``fill(file)`` into ``out`` (opened as by :func:`open_output`) and its result; a write
    that fails part way (a full disk) is one line naming the output."""
    try:
        with open_output(out, option) as fh:
            return fill(fh)
    except OSError as e:
        raise InputError(f"{option} {out}: cannot write ({e.strerror or e})") from None
