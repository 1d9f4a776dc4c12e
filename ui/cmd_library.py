"""``gradecoach library``: index the session folders under a root (SQLite or PostgreSQL)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from pathlib import Path

from analysis.errors import InputError
from firmware_bridge.file_kind import LINK_LOOPS, link_loops
from ui.cli import warn
from ui.library import Library, cycles_shown, nfc, no_such_trainee, stopped_early_note
from ui.library.stats import NO_CYCLE, NO_THRUST, all_cycles, count_cell, dates_shown, score_shown
from ui.library.folders import (listed_again, none_read, row_cut_short_state, row_ending, row_finished,
                                session_as_root)
from ui.options import with_examples


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("library", help="index recorded sessions for review and progress", **with_examples(
        "Keep an index of the session folders under ROOT. The folders stay the source of truth: 'rebuild' "
        "recreates the index from them, 'list' refreshes it (new, changed, moved and deleted folders) and "
        "prints it. The index is only a cache: 'rebuild' moves a damaged one aside (….broken) and makes a "
        "new one; 'list' refuses it in one line. On a read-only share, a full disk, or while another "
        "station has been writing the index too long, 'list' lists what it reads and says the index was "
        "not saved.",
        "gradecoach library rebuild sessions/",
        "gradecoach library list sessions/ --trainee anna",
        "gradecoach library list sessions/ --format jsonl"))
    p.add_argument("action", choices=("rebuild", "list"),
                   help="rebuild: index every session folder anew; list: bring the index up to date and print it")
    p.add_argument("root", nargs="?", default=".", metavar="ROOT", help="folder holding session folders (default .)")
    p.add_argument("--db", metavar="URL", help="postgresql://user@host/db, or an SQLite file "
                                                "(default ROOT/gradecoach-library.sqlite)")
    p.add_argument("--trainee", metavar="NAME",
                   help="list only this trainee's sessions (case, accents, spacing, Unicode form and the kind of "
                        "apostrophe or dash ignored: O’Brien is O'Brien); "
                        "a name no session under ROOT has is an error naming the trainees there")
    p.add_argument("--format", choices=("table", "jsonl"), default="table",
                   help="'list' as a table (default) or as jsonl: one JSON object per session and line (for "
                        "scripts), with the table's fields; trainee is spelt one way for all of a trainee's "
                        "sessions, as the table and the report name them, trainee_typed as typed at that "
                        "recording; the cycles are n_cycles, the force's, and "
                        "n_imu_cycles, a hand-worn IMU's; n_beyond_r2 the cycles beyond R2 (null: not known); n_pops the pops the sound held (null: not known: no sound, or none usable around its thrusts); duration_s is the force's length, as "
                        "the report's sessions CSV gives it, audio_s the sound's (null: none); stopped_early says when and why a recording "
                        "stopped because its folder refused a write (a full disk), else null")
    p.set_defaults(func=run)


# after the path of a session whose recording did not finish: still being recorded, or cut off
# (replay and report warn of it); one that stopped early because its folder refused a write says
# when and why instead, "(stopped early at 12.3 s: disk full, force.csv)" (stopped_early_note)
UNFINISHED = "(unfinished: still recording, or cut off)"
# after the path of a session whose session.json says it finished while a stream file of it ends
# in a torn line (cut short after: a copy, a disk error), which replay warns of and leaves out
CUT_OFF = "(cut off: {}'s last line has no line end)"
# beside the cycles and thrusts of a session whose stream file ends before its stored summary
# recorded (cut short after at a line end: a copy, a disk error), said in a warning: the figures
# are the recording's, as stored, while replay analyses the shorter file
CUT_SHORT = "*"


def _note(r: dict) -> str:
    """What follows a session's path in the table: why it ended early, or that it did not finish."""
    if stopped := stopped_early_note(r.get("stopped_early")):
        return f"  ({stopped})"
    end = row_ending(r)               # (as the index keeps it: the files are not read again)
    if end["finished"]:
        return ""
    cut = end["cut_off"]
    return f"  {CUT_OFF.format(cut) if cut else UNFINISHED}"


# the column of the cycles whose crest went beyond R2 (the trainer's red "beyond R2!")
BEYOND_HEADING = "beyond R2"


# the date column's heading, saying the order (the review window's table is newest first, a
# terminal's list oldest first: the latest session ends it, just above the prompt)
DATE_HEADING = "date (old → new)"     # (as wide as a date: the columns stay where they were)

# the trainee and technique columns: as wide as the longest (at least their headings' room, at
# most this), a longer one cut with "…" (two "Alexandra Kowalska-…" cut alike read as one trainee)
TRAINEE_WIDTH = (16, 30)
TECHNIQUE_WIDTH = (14, 24)


def _cell_width(c: str) -> int:
    """The columns a character takes in a terminal: none for a combining mark, two for a wide or
    full-width one (East Asian Wide or Fullwidth: "李", "Ａ"), else one."""
    if unicodedata.combining(c):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def _seen(text: str | None) -> int:
    """How many columns ``text`` takes, as :func:`_col` shows it (a combining mark takes none, a
    wide character two)."""
    return sum(map(_cell_width, " ".join(nfc(text).split())))


def _width(texts, bounds: tuple[int, int]) -> int:
    """A column's width for ``texts``: the longest, within ``bounds``."""
    return max(bounds[0], min(bounds[1], max((_seen(t) for t in texts), default=0)))


def _col(text: str | None, width: int) -> str:
    """``text`` in NFC, its spacing made single spaces, padded to ``width`` columns, counting
    what is seen (a name copied from a Mac, NFD, "C" and a combining cedilla, or typed with
    spaces around it, " ANNA ", shifted the columns after it; so did a name in Chinese
    characters, each two columns wide); a longer one cut to ``width`` with "…" as its last."""
    text = " ".join(nfc(text).split())
    if _seen(text) > width:
        room, end = width - 1, 0               # (the "…" takes one)
        for i, c in enumerate(text):
            room -= _cell_width(c)
            if room < 0:
                break
            end = i + 1
        text = text[:end].rstrip() + "…"
    return text + " " * max(0, width - _seen(text))


def run(args: argparse.Namespace) -> int:
    from ui.cmd_report import Progress

    bar = Progress("reading") if sys.stderr.isatty() else None       # (logs and pipes: quiet)

    def progress(i: int, n: int, name: str) -> None:
        if bar is not None and n:                  # (nothing new to read: no bar)
            bar(i, n, name)

    if link_loops(args.root):                   # (before its index's name is made from it)
        raise InputError(f"{args.root}: {LINK_LOOPS}")
    if os.path.exists(args.root) and not os.path.isdir(args.root):
        raise InputError(f"{args.root}: a file, not a folder of sessions; give the folder holding the session folders")
    if args.db is None and (why := session_as_root(args.root)):      # (its index would go inside it)
        raise InputError(why)
    listing = args.action == "list"
    if args.format != "table" and not listing:
        raise InputError(f"--format {args.format}: only 'list' prints the sessions; 'rebuild' says how many it indexed")
    if args.trainee is not None and not listing:    # (rebuild indexes every session: it never filtered)
        raise InputError(f"--trainee {args.trainee}: only 'list' picks a trainee's sessions; 'rebuild' indexes "
                         f"every session under ROOT")
    if args.trainee is not None and not nfc(args.trainee).strip():
        raise InputError("--trainee: give a trainee's name, e.g. --trainee Anna (or leave it out for everyone)")
    # an index that cannot be written (a read-only share) is listed from a copy kept in memory
    with Library(args.root, args.db, repair=not listing, memory_if_read_only=listing) as lib:
        res = lib.write_or_keep_in_memory(lambda: lib.refresh(progress)) if listing else lib.rebuild(progress)
        for note in lib.notes:
            warn(note)
        if lib.unsaved:
            warn(f"index not saved: {lib.unsaved}")
        for msg in res.failed:
            warn(msg)
        for paths in lib.copies():
            warn(listed_again(paths, lib.root))
        if args.action == "rebuild":
            n = len(lib.rows())
            print(f"indexed {n} session{'' if n == 1 else 's'} under {lib.root} ({res})")
            return 0
        rows = lib.rows(args.trainee)
        # (the stored figures are the whole recording's unless a re-analysis of the files was saved)
        cut = {r["path"]: (state[0], r["stats_source"] == "stored" and state[1]) for r in rows
               if (state := row_cut_short_state(r))}
        for note, stored in cut.values():
            if stored:
                warn(f"{note}; listed{'' if args.format == 'jsonl' else f' ({CUT_SHORT})'} with the whole "
                     f"recording's figures, as stored; replay analyses what is there")
            else:               # (its stored events not used, as for another calibration: the file's)
                warn(f"{note}; listed with what the file holds, analysed again, as replay does")
        # (marked: figures that are not the file's)
        short = {p for p, (_, stored) in cut.items() if stored}
        names = lib.trainees() if not rows else []      # (a header alone reads as a broken index)
        if not rows and not names and args.trainee is not None:
            # a name picked from no sessions at all: one line, exit 2, as 'report --class --trainee'
            raise InputError(none_read(Path(args.root), len(res.failed)))    # (each said above, in a warning)
        if not rows and not names and res.failed:        # (each said above, in a warning)
            n = len(res.failed)
            print(f"gradecoach: the one session folder under {lib.root} could not be read" if n == 1 else
                  f"gradecoach: none of the {n} session folders under {lib.root} could be read", file=sys.stderr)
        elif not rows and not names:
            print(f"gradecoach: no session folders (with session.json) under {lib.root}", file=sys.stderr)
        elif not rows:
            # a name no session has (a typo, a first name alone): one line naming those likeliest
            # meant and every trainee there, exit 2, as 'report --class --trainee' says it; no
            # header alone, nor an empty jsonl a script takes for a trainee without sessions
            raise InputError(no_such_trainee(Path(args.root), args.trainee, names))
        if args.format == "jsonl":
            for r in rows:
                print(json.dumps(session_record(r), ensure_ascii=False))
            return 0
        # the cycles as the review window counts them: an IMU worn alone's said to be its ("16 (IMU)")
        mark = (lambda r: CUT_SHORT if r["path"] in short else " ") if short else (lambda r: "")
        cycles = [cycles_shown(r["n_cycles"], r["n_imu_cycles"]) + mark(r) for r in rows]
        wide = max([len("cycles")] + [len(c) for c in cycles])
        # (a safety matter: the cycles whose crest went beyond R2; "–" where it is not known)
        beyond = [count_cell(r.get("n_beyond_r2")) for r in rows]
        bw = max([len(BEYOND_HEADING)] + [len(b) for b in beyond])
        # (the pops the sound held; "–" where not known: no sound, or none usable at the thrusts)
        pops = [count_cell(r.get("n_pops")) for r in rows]
        who = [r["trainee"] if (r["trainee"] or "").strip() else "no trainee" for r in rows]
        tw, kw = _width(who, TRAINEE_WIDTH), _width((r["technique"] for r in rows), TECHNIQUE_WIDTH)
        # ("no thrust": a V session in which none was done; "–": a score that cannot be given)
        scores = [s if s in ("–", NO_THRUST, NO_CYCLE) else f"{s} %"
                  for s in (score_shown(r["score_pct"], r["target"], r["n_thrusts"], n_cycles=all_cycles(r))
                            for r in rows)]
        sw = max([len("score")] + [len(s) for s in scores])
        # (with its seconds where two share a minute: one recorded after the other read alike)
        whens = [d or "–" for d in dates_shown([r["created"] for r in rows])]
        dw = max([len(DATE_HEADING)] + [len(d) for d in whens])
        print(f"{DATE_HEADING:<{dw}}  {'trainee':<{tw}}  {'technique':<{kw}}  {'target':<6}  {'score':>{sw}}  "
              f"{BEYOND_HEADING:>{bw}}  {'pops':>4}  {'cycles':>{wide}}  {'thrusts':>7}  path")
        for r, n, name, score, when, far, pop in zip(rows, cycles, who, scores, whens, beyond, pops):
            print(f"{when:<{dw}}  {_col(name, tw)}  {_col(r['technique'], kw)}  "
                  f"{r['target'] or '–':<6}  {score:>{sw}}  {far:>{bw}}  {pop:>4}  "
                  f"{n:>{wide}}  {str(r['n_thrusts']) + mark(r):>7}  {r['path']}{_note(r)}")
    return 0


def session_record(r: dict) -> dict:
    """One library row as ``list --format jsonl`` writes it: the table's columns, unshortened
    (the creation time as recorded, the score unrounded), a name's spacing and Unicode form as
    the table shows it, and None where the table shows "–" or "no trainee". ``trainee`` is the
    trainee as the table and the report name them, one spelling for all their sessions
    (:meth:`ui.library.Library.rows`), so a script grouping by it counts each trainee once;
    ``trainee_typed`` the name as typed at that recording ("fatima " among "Fatima"'s sessions,
    spaced as a name is: "fatima"). ``n_cycles`` is the
    force's cycles, ``n_imu_cycles`` a hand-worn IMU's (the table shows those when the force has
    none: "16 (IMU)"). ``n_beyond_r2`` the cycles whose crest went beyond R2, None where that is
    not known (no R2 to check against). ``n_pops`` the pops the sound held, None where that is not
    known (no sound, or none usable around its thrusts). ``stopped_early`` says when and why a recording stopped because its folder
    refused a write ("at 12.3 s: disk full, force.csv", as the review's details say it), None
    for one that did not. Before those two, the figures Progress follows over a term, as the review's
    details give them: the length (s: the force's, as the report's sessions CSV gives it) and the
    sound's (``audio_s``, None without sound), the sets' frequency and amplitude CV (%, weighted by the
    sets' cycles), the thrusts' peak (N) and time to peak (ms), mean and SD; None where there
    are none."""
    def text(v: str | None) -> str | None:
        return " ".join(nfc(v).split()) or None

    return {"created": r["created"] or None, "trainee": text(r["trainee"]),
            "trainee_typed": text(r.get("trainee_typed", r["trainee"])), "technique": text(r["technique"]),
            "target": r["target"] or None, "score_pct": r["score_pct"], "n_cycles": r["n_cycles"],
            "n_imu_cycles": r["n_imu_cycles"], "n_beyond_r2": r.get("n_beyond_r2"), "n_thrusts": r["n_thrusts"],
            "n_pops": r.get("n_pops"),
            "path": r["path"],
            **{k: r.get(k) for k in PROGRESS_FIGURES},
            "finished": row_finished(r), "stopped_early": r["stopped_early"]}


# the figures of a session Progress follows, as ``list --format jsonl`` gives them (a script
# checking a trainee's progress from the command line needed the report or the review for them)
PROGRESS_FIGURES = ("duration_s", "audio_s", "freq_cv_pct", "amplitude_cv_pct", "peak_mean_n", "peak_sd_n",
                    "ttp_mean_ms", "ttp_sd_ms")
