"""``gradecoach report``: one self-contained HTML page (and optionally a CSV) for recordings."""

from __future__ import annotations

import argparse
import math
import os
import re
import secrets
import sys
import time
from pathlib import Path

from analysis.errors import InputError
from firmware_bridge import json_text
from firmware_bridge.file_kind import resolved
from firmware_bridge.session import SessionMeta
from ui.cli import check_interrupted, interrupts_held, warn
from ui.library import discover, folder_of_sessions, name_key, nfc, no_such_trainee, sessions_inside, spellings
from ui.library.folders import none_read, refused_sessions
from ui.library.names import tidy_name
from ui.library.schema import INDEX_NAME
from ui.options import add_analysis_args, add_audio_timeline_args, output_path, refuse_session_notes, write_output


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="write an HTML report (and CSV of events) for recordings",
                       description="Write one self-contained HTML page with plots, tables per set and "
                                   "per thrust, grade histograms and comments. INPUT is anything "
                                   "'replay' accepts.")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="session folder, .csv or audio file")
    p.add_argument("-o", "--output", required=True, metavar="FILE.html")
    p.add_argument("--csv", metavar="FILE", help="also write all events to this CSV (-: to standard output)")
    p.add_argument("--sessions-csv", metavar="FILE",
                   help="also write one row a recording to this CSV: trainee, date, target, score, cycles, thrusts, "
                        "thrusts on target, let-ups, pops (all heard, and those with a thrust), duration (the "
                        "force's, and the sound's) and warnings")
    p.add_argument("--decimal-comma", action="store_true",
                   help="write the CSVs as a spreadsheet set to a decimal comma opens them (German, French, "
                        "Dutch Excel): cells between semicolons, 1,5 for 1.5")
    p.add_argument("--class", dest="group", metavar="FOLDER",
                   help="report on every session folder under FOLDER (a class or group)")
    p.add_argument("--trainee", metavar="NAME",
                   help="with --class: only this trainee's sessions (case, accents, spacing and Unicode form "
                        "ignored: 'emile dubois' is 'Émile Dubois')")
    p.add_argument("--audio", metavar="FILE", help="audio to pair with a bare CSV INPUT")
    add_audio_timeline_args(p)
    p.add_argument("--title", help="page title")
    add_analysis_args(p)
    p.set_defaults(func=run)


class Progress:
    """A progress bar on a terminal; plain lines otherwise (logs, pipes): the first and the last
    item, and between them at most one line every ``every_s`` seconds, so a class of 30 does not
    fill a log with 60 lines."""

    def __init__(self, label: str, stream=None, every_s: float = 5.0) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.label = label
        self.every_s = every_s
        self.t_line: float | None = None

    def __call__(self, i: int, n: int, name: str) -> None:
        if self.tty:
            width = 30
            done = int(width * i / max(n, 1))
            self.stream.write(f"\r{self.label} [{'#' * done}{'.' * (width - done)}] {i}/{n} {Path(name).name[:30]:<30}")
            if i >= n:
                self.stream.write("\n")
        elif i < n:
            now = time.monotonic()
            if self.t_line is None or i == n - 1 or now - self.t_line >= self.every_s:
                self.stream.write(f"{self.label}: {i + 1}/{n} {name}\n")
                self.t_line = now
        self.stream.flush()


def check_analysis_options(args: argparse.Namespace) -> None:
    """The calibration and target options checked once, before any recording is read: each
    recording of a class was left out for the same bad option (64 lines saying R1 must be below
    R2), then the report stopped as if none could be read. A lone --r1 or --r2 is paired with
    each session's own other value, so only its sign is checked here."""
    from ui.options import build_schemes
    r1, r2 = args.r1, args.r2
    if (r1 is None) != (r2 is None):
        name, v = ("--r1", r1) if r1 is not None else ("--r2", r2)
        if not 0 < v < math.inf:                        # (nan fails too)
            raise InputError(f"{name} {v:g}: give a positive force in N")
        r1 = r2 = None
    build_schemes(argparse.Namespace(r1=r1, r2=r2, alpha=args.alpha, target=args.target,
                                     pop_window=args.pop_window, min_amplitude=args.min_amplitude))


def _trainee_of(folder: Path) -> tuple[str, str] | None:
    """The trainee named in a session folder's session.json ("" for none) and when it was
    recorded; None where it cannot be read (the folder is then read as any other, and left out
    with its reason). Read as 'replay' and the library read it, a byte order mark allowed (a
    file saved by Windows Notepad): one taken for unreadable was in every trainee's report."""
    try:
        m = SessionMeta.from_dict(json_text.loads((folder / "session.json").read_text(encoding="utf-8-sig")))
    except (OSError, ValueError, RecursionError, InputError):   # (bad JSON and bad UTF-8 are ValueErrors;
        return None                                             # JSON nested too deeply a RecursionError)
    return m.trainee or "", m.created or ""


def _unreadable(folder: Path) -> str:
    """Why a session folder whose trainee cannot be read (:func:`_trainee_of`) cannot be, as
    reading it says it: "FOLDER/session.json:1: not valid JSON (…)"."""
    from firmware_bridge.session import open_session
    try:
        open_session(folder)                            # (stops at its session.json)
    except InputError as e:
        return str(e)
    return f"{folder / 'session.json'}: its trainee cannot be read"


def of_trainee(group: Path, found: list[Path], trainee: str) -> tuple[list[Path], str]:
    """The session folders of ``trainee`` among ``found`` (and those whose trainee cannot be
    read), matched as names sort (:func:`ui.library.name_key`: case, accents, spacing and
    Unicode form aside), and the name as most of them spell it (:func:`ui.library.spellings`,
    as ``library list`` names them, tidied: :func:`ui.library.names.tidy_name`); an InputError
    naming the trainees there when none is theirs."""
    want = name_key(trainee)
    names = {f: _trainee_of(f) for f in found}
    mine = [f for f, n in names.items() if n is None or name_key(n[0]) == want]
    spelt = spellings(n for n in names.values() if n is not None)
    if want not in spelt:                               # (as 'library list --trainee' says it)
        unread = [f for f, n in names.items() if n is None]
        for f in unread:                                # (each with its reason, as 'list' warns of it)
            warn(f"left out: {_unreadable(f)}")
        if not spelt:                                   # (not "trainees: " and nothing; as 'list' says it)
            raise InputError(none_read(group, len(unread)))
        raise InputError(no_such_trainee(group, trainee, spelt.values()))
    return mine, tidy_name(spelt[want])             # (as the page's sections and CSV name them)


# the library's index and the files SQLite and a rebuild keep beside it (its journal, a damaged
# one moved aside): what a shell's glob of a class's folder names with its session folders
_INDEX_FILE = re.compile(re.escape(INDEX_NAME) + r"(-journal|-wal|-shm|\.broken(-\d+)?)?")


def library_index(path: str | os.PathLike) -> bool:
    """Whether ``path`` is the library's index of the sessions beside it (or a file SQLite keeps
    with it), which gradecoach writes into a class's folder: ``report sessions/*`` names it."""
    p = Path(path)
    return _INDEX_FILE.fullmatch(p.name) is not None and not p.is_dir()


def without_library_index(inputs: list[str], group: str | None) -> list[str]:
    """``inputs`` without the library's index (:func:`library_index`), passed over unsaid where
    they name anything else (``sessions/*``); named alone, an InputError saying to give its folder
    with --class."""
    kept = [i for i in inputs if not library_index(i)]
    if not kept and inputs and not group:
        folder = Path(inputs[0]).parent
        raise InputError(f"{inputs[0]}: the library's index of the sessions in {folder}, not a recording; "
                         f"report on them all with --class {folder}")
    return kept


def check_writable(out: Path, option: str = "-o") -> None:
    """A one-line :class:`InputError` now, before any recording is read, when ``out`` cannot be
    written (a read-only folder or share): a class of 40 was read and drawn for seconds first,
    its progress lines and warnings printed, and only then refused. Probed as
    :func:`ui.options.write_output` writes: a new file beside it, or the file itself in place."""
    real = Path(os.path.realpath(out))
    if real.exists() and not real.is_file():          # (a device or a pipe: written in place)
        return
    probe = real.with_name(f".{real.name}.{secrets.token_hex(4)}.part")
    try:
        with open(probe, "x"):
            pass
    except PermissionError as e:
        if real.is_file() and os.access(real, os.W_OK):
            return
        raise InputError(f"{option} {out}: cannot write ({e.strerror or e})") from None
    except OSError as e:
        raise InputError(f"{option} {out}: cannot write ({e.strerror or e})") from None
    os.unlink(probe)


def copies_of_class(group: str | os.PathLike, items) -> list[str]:
    """The recordings of a class's report found in several of its folders (a folder copied by
    hand, a backup kept under the class), one line each, as ``library list`` and the review say
    it: "anna-1 and anna-copy under CLASS hold the same recording (a copy?): it is listed
    twice". Told apart as the library tells them (:func:`ui.library.fingerprint`); each is
    listed and counted, as the library lists it."""
    from ui.library import fingerprint
    from ui.library.folders import listed_again
    root = Path(group).resolve()
    by: dict[str, list[str]] = {}
    for it in items:
        folder = Path(it.name).resolve()
        if it.inp.meta is None or not folder.is_dir() or not folder.is_relative_to(root):
            continue
        by.setdefault(fingerprint(folder, it.inp.meta.to_dict()), []).append(folder.relative_to(root).as_posix())
    return [listed_again(paths, root) for paths in sorted(sorted(p) for p in by.values() if len(p) > 1)]


def run(args: argparse.Namespace) -> int:
    from ui.qt_check import require_qt
    require_qt()                                  # its figures are drawn with Qt
    from ui.report import class_order, load_item, render_html, write_csv, write_sessions_csv

    check_analysis_options(args)
    named_inputs = without_library_index(args.inputs, args.group)
    inputs = list(named_inputs)
    if args.trainee is not None and not args.group:
        raise InputError("--trainee picks a trainee's sessions of a class: give --class FOLDER")
    if args.trainee is not None and not nfc(args.trainee).strip():      # (as 'library list' says it)
        raise InputError("--trainee: give a trainee's name, e.g. --trainee Anna (or leave it out for everyone)")
    who, refused = None, []
    if args.group:
        g = Path(args.group)
        if not g.is_dir():
            raise InputError(f"--class {g}: " + ("a file, not a folder of sessions; give the folder holding the "
                                                 "session folders" if g.exists() else "no such folder"))
        passed_over: list[str] = []
        found, refused = discover(g, passed_over), refused_sessions(g)   # (a session.json the system refuses: left out)
        for why in passed_over:
            warn(why)
        if not found and not refused:
            raise InputError(none_read(g, 0))
        if not found:
            for why in refused:
                warn(f"left out: {why}")
            raise InputError(none_read(g, len(refused)))
        if args.trainee is not None:
            try:
                found, who = of_trainee(g, found, args.trainee)
            except InputError:                          # (those the system refuses said too, as 'list' does)
                for why in refused:
                    warn(f"left out: {why}")
                raise
        inputs += [str(f) for f in found]
    if not inputs:
        raise InputError("report needs an INPUT or --class FOLDER")
    # each recording once: one named and found in the class too (an instructor's demonstration
    # kept with the class), or named twice, under whatever path
    seen: set[Path] = set()
    inputs = [i for i in inputs if not (resolved(i) in seen or seen.add(resolved(i)))]   # (a loop: one line)
    for path in named_inputs:                           # a class's folder given as one session
        refuse_session_notes(path)
        under = sessions_inside(path)
        if under:
            raise InputError(f"{folder_of_sessions(path, under)}; report on them all with --class {path}")
    if args.audio and len(inputs) != 1:
        raise InputError("--audio pairs with exactly one bare CSV INPUT")
    if Path(args.output).suffix.lower() not in (".html", ".htm"):
        raise InputError(f"{args.output}: the report must end in .html")
    # the recordings (the class's session folders among them), not the class's folder: a
    # report filed beside the sessions, in that folder, writes over nothing recorded
    given = inputs + ([args.audio] if args.audio else [])
    out = output_path(args.output, given)
    # --csv -: the events to standard output, as a pipeline expects (replay -o - is alike)
    to_stdout = args.csv == "-"
    csv_out = output_path(args.csv, given, "--csv", standard_output=True) if args.csv else None
    if csv_out is not None and csv_out.resolve() == out.resolve():
        raise InputError(f"--csv {args.csv}: the same file as the report")
    sessions_out = output_path(args.sessions_csv, given, "--sessions-csv") if args.sessions_csv else None
    if sessions_out is not None:
        for other, what in ((out, "the report"), (csv_out, "--csv")):
            if other is not None and sessions_out.resolve() == other.resolve():
                raise InputError(f"--sessions-csv {args.sessions_csv}: the same file as {what}")
    check_writable(out)
    if csv_out is not None:
        check_writable(csv_out, "--csv")
    if sessions_out is not None:
        check_writable(sessions_out, "--sessions-csv")
    items, skipped = [], list(refused)
    read = Progress("reading") if len(inputs) > 1 else (lambda i, n, name: None)
    for i, path in enumerate(inputs):
        check_interrupted()                             # (a Ctrl-C Python swallowed meanwhile)
        read(i, len(inputs), path)
        try:
            items.append(load_item(path, args.audio, args.r1, args.r2, args.alpha, args.target, args.pop_window,
                                   args.min_amplitude, args.audio_start, args.audio_rate))
        except InputError as e:
            if path in named_inputs:                    # named on the command line: its problem is the answer
                raise
            skipped.append(str(e))                      # one broken folder of a class: the rest is reported
    read(len(inputs), len(inputs), "")
    for why in skipped:
        warn(f"left out: {why}")
    if not items:
        raise InputError(none_read(args.group, len(inputs) + len(refused)))
    # the recordings named in the order given; a class's after them, each trainee's together by date
    named = set(named_inputs)
    items = [it for it in items if it.name in named] + sorted((it for it in items if it.name not in named),
                                                              key=class_order)
    copies = copies_of_class(args.group, items) if args.group else []
    for line in copies:
        warn(line)
    for it in items:
        note = it.force_note()                          # (a 1e30 N sample, drawn at the plot's edge)
        for w in list(it.inp.warnings) + ([note] if note else []):   # named once: most begin with the file
            warn(f"{w if w.startswith(it.name) else f'{it.name}: {w}'}")
    title = args.title or (f"gradecoach report: {Path(args.group).name}" + (f", {who or 'no trainee'}"
                                                                            if who is not None else "")
                           if args.group else "gradecoach report")
    drawing = Progress("drawing") if len(items) > 1 else None

    def drawn(i: int, n: int, name: str) -> None:
        check_interrupted()
        if drawing is not None:
            drawing(i, n, name)

    page = render_html(items, title, drawn, skipped, copies)
    check_interrupted()
    # written whole or not begun: a Ctrl-C meanwhile stops the command once the files are complete
    with interrupts_held():
        write_output(out, lambda fh: fh.write(page))
        msg = f"wrote {out} ({len(items)} recording{'s' if len(items) != 1 else ''})"
        if csv_out is not None:
            n = write_output(csv_out, lambda fh: write_csv(items, fh, decimal_comma=args.decimal_comma), "--csv")
            msg += f" and {args.csv} ({n} event{'s' if n != 1 else ''})"
        elif to_stdout:
            n = write_csv(items, sys.stdout, bom=False, decimal_comma=args.decimal_comma)
            msg += f" and its {n} event{'s' if n != 1 else ''} to standard output"
        if sessions_out is not None:
            n = write_output(sessions_out, lambda fh: write_sessions_csv(items, fh, args.decimal_comma), "--sessions-csv")
            msg += f" and {args.sessions_csv} ({n} session{'s' if n != 1 else ''})"
    print(msg, file=sys.stderr if to_stdout else sys.stdout)     # (not into the events)
    return 0
