"""The report's CSVs, at full precision: every event of its recordings, one a row (``--csv``,
:func:`write_csv`), and one row a recording, as the overview lists them (``--sessions-csv``,
:func:`write_sessions_csv`)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge.csv_dialect import EVENTS_CSV_COLUMNS
from ui.cmd_replay import warnings_not_given
from ui.library import is_hvla
from ui.report.counts import (_thrusts_pops, letups_cell, pops_heard, pops_masked, pops_partly_heard,
                              thrust_pops)
from ui.report.recordings import ReportItem, _meta_gaps, csv_dates, spell_trainees
from ui.review.data import distinct_names
from ui.review.trace import gap_reasons
from ui.table import imu_thrust, number_or_none, pct_text, recording_lengths


# what a spreadsheet takes for the start of a formula in a cell (``=HYPERLINK(…)`` typed as a
# trainee's name would run on opening the CSV)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as written: one it would take for a formula
    gets a leading apostrophe, which Excel and LibreOffice read as "text follows"."""
    return "'" + text if text.startswith(_FORMULA_START) else text


# a thrust's pops in the CSV, after the columns it had before them (blank: unknown)
POP_COLS = ("pops", "first_pop_ms_from_peak", "pops_partly_heard", "pops_masked")
# after recording and type, what each row's recording is, the same on each of its rows: its trainee,
# its name as the page's sections and overview name it, when it was recorded (to the second,
# :func:`csv_dates`), its target and its calibration (a spreadsheet pivots a term's rows by week, target or trainee)
RECORDING_COLS = ("trainee", "name", "date", "target", "r1_n", "r2_n", "alpha")
# the set and the thrust numbered from 1, as the page's tables number them (the events' own
# set_index, index and thrust count from 0), and whether the cycle or thrust was on the target
# and, where not, what missed, as the thrusts table says it
NUMBER_COLS = ("set_number", "thrust_number")
VERDICT_COLS = ("on_target", "missed")
# every event type's fields (docs/format.md), in one order whatever the recordings hold: times,
# a cycle's, a thrust's, a pop's, a gap's and a warning's, then those several share
EVENT_COLS = ("t_start", "t_end", "t_crest", "t_onset", "t_peak", "t",
              "grade", "modifier", "trough_n", "crest_n", "amplitude_n", "freq_hz", "beyond_r2", "crest_pct",
              "crest_dwell_pct", "set_index",
              "preload_n", "peak_n", "time_to_peak_ms", "duration_ms", "rate_n_per_s", "max_rate_n_per_s",
              "letup_n", "letup", "index", "source",
              "level_db", "confidence", "peak_hz", "thrust", "reason",
              "stream", "message",
              "t_detect_s", "displacement_mm", "loop")
CSV_COLUMNS = (*EVENTS_CSV_COLUMNS, *RECORDING_COLS, *NUMBER_COLS, *VERDICT_COLS, *EVENT_COLS, *POP_COLS)


def _number(v) -> int | None:
    """An event's index counted from 0 (``set_index``, ``index``, ``thrust``) as the page numbers
    it, from 1; None for none (a pop tied to no thrust) or one edited by hand into no index."""
    return v + 1 if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None


def _verdict(e: dict, item: ReportItem, scheme: GradingScheme | None) -> tuple[str, str]:
    """A row's ``on_target`` and ``missed``: a thrust against a V/HVLA target as the thrusts
    table judges it ("no", "peak 702 N above 400–650 N"); a cycle against a mobilisation target
    as the sets' "on target (%)" counts it ("no", "grade III- (target III+)", or "beyond R2");
    blank where nothing is judged (no target, an ungraded cycle, an IMU's thrust: no forces)."""
    from ui.trainer.target import MISS_SEP, thrust_misses
    if e.get("type") == "thrust" and item.aim is not None:
        misses = thrust_misses(e, item.aim)
        if misses is None:
            return "", ""
        return ("no", MISS_SEP.join(misses)) if misses else ("yes", "")
    if e.get("type") == "cycle" and scheme is not None:
        on = scheme.on_target(e.get("grade"), e.get("modifier"), bool(e.get("beyond_r2")))
        if on is None:
            return "", ""
        if on:
            return "yes", ""
        grade = f"{e.get('grade')}{e.get('modifier') or ''}"
        return "no", "beyond R2" if e.get("beyond_r2") else f"grade {grade} (target {item.target})"
    return "", ""


def _cycle_scheme(item: ReportItem) -> GradingScheme | None:
    """What a recording's cycles are judged on target by (its target, as its score judges them),
    or None (no target, a V/HVLA one, or one that is no grade)."""
    from analysis.errors import InputError
    if not item.target or is_hvla(item.target):
        return None
    try:
        return GradingScheme().with_target(item.target)
    except (InputError, ValueError):
        return None


def _cell(v):
    """An event's field as the CSV writes it: a list or object as JSON, a whether (``beyond_r2``,
    ``letup``) ``yes`` or ``no`` as ``on_target`` is (a spreadsheet's filter listed True and False
    beside yes and no), anything else as it is."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    return json.dumps(v) if isinstance(v, (list, dict)) else v


def write_csv(items: list[ReportItem], path, bom: bool = True, decimal_comma: bool = False) -> int:
    """All events (not the summaries) of all items, one row each, to ``path`` (a file name, or
    a UTF-8 text file opened with ``newline=""``); returns the row count. The file begins with a
    byte-order mark, by which Excel knows it for UTF-8 (without, it showed "Ã‰mile" for Émile);
    ``bom`` False leaves it out (standard output, read by a program); ``decimal_comma`` writes
    it as a spreadsheet set to a decimal comma reads it (:func:`_csv_rows`).

    The columns are :data:`CSV_COLUMNS` whatever the recordings (a key no event type has, from a
    newer file, after them, before the pops): each row names its recording and the event's
    type, then the recording's trainee (blank for none: a bare file), name as the page names it,
    date, target and calibration, by which a class's rows are told apart and pivoted; then the
    set and thrust numbered as the page numbers them, and the row's verdict on the target; then
    the event's fields, a whether ``yes`` or ``no`` (a thrust seen by a hand-worn IMU alone has its ``letup`` blank, unknown,
    as its forces are; its ``duration_ms`` is the acceleration burst). A thrust's row ends with its pops (:data:`POP_COLS`), as the report's
    thrusts table gives them: blank when unknown (no sound, a muted microphone), 0 when heard
    and none. A warning the summary keeps and no warning row gives (one found at the end of the
    analysis: audio with no usable sound) is a warning row before the next recording's, as
    replay writes it; after them, one for each warning reading the recording gave (rows of its
    force.csv skipped, a sample far off the scale), its time blank, as that of a stored one
    is (:func:`_reading_warnings`: an older analysis stored it at 0.0)."""
    rows: list[dict[str, Any]] = []
    spell_trainees(items)
    ours = set(EVENTS_CSV_COLUMNS + RECORDING_COLS + NUMBER_COLS + VERDICT_COLS + POP_COLS)
    for it, label, when in zip(items, distinct_names([it.name for it in items]), csv_dates(items)):
        summary = it.summary
        about = {"recording": it.name, "trainee": spreadsheet_text(it.trainee),
                 "name": spreadsheet_text(label), "date": when,
                 "target": spreadsheet_text(it.target or ""),
                 **{k: summary.get(k) for k in ("r1_n", "r2_n", "alpha")}}
        scheme = _cycle_scheme(it)
        # (each thrust event's row in the summary: by its index, and its peak where two share one)
        thrusts: dict = {}
        for t in (t for t in summary.get("thrusts", []) if isinstance(t, dict)):
            thrusts.setdefault(t.get("index"), t)
            thrusts[(t.get("index"), t.get("t_peak"))] = t
        # (a pop tied to no thrust: the set it fell in, as the page's "during set")
        free = {p.get("t"): p.get("set_index") for p in summary.get("pops_outside_thrusts", []) if isinstance(p, dict)}
        said = set()
        read_then = _reading_warnings(it)
        for e in it.events:
            if e.get("type") == "warning":
                said.add(e.get("message"))
            if e.get("type") != "summary":
                row = {"type": e.get("type"), **about, **{k: _cell(v) for k, v in e.items() if k not in ours}}
                kind = e.get("type")
                row["set_number"] = _number(e.get("set_index") if kind == "cycle" else
                                            free.get(e.get("t")) if kind == "cavitation" else None)
                row["thrust_number"] = _number(e.get("index") if kind == "thrust" else
                                               e.get("thrust") if kind == "cavitation" else None)
                row.update(zip(VERDICT_COLS, _verdict(e, it, scheme)))
                if id(e) in read_then:
                    row["t_detect_s"] = None        # (found on reading it, at no time: as replay gives it now)
                if kind == "cycle" and number_or_none(summary.get("r2_n")) is None:
                    row["beyond_r2"] = None         # (no R2: not checked, "–" on the page, not "no")
                if kind == "thrust":
                    if imu_thrust(e):               # (no force: its let-up unknown, "–" on the page, not False)
                        row["letup"] = None
                    t = thrusts.get((e.get("index"), e.get("t_peak")), thrusts.get(e.get("index")))
                    n, first = thrust_pops(t, it.has_audio)
                    row.update(zip(POP_COLS, (n, first, *((None, None) if n is None else
                                                          (_cell(pops_partly_heard(t)), _cell(pops_masked(t)))))))
                rows.append(row)
        left, t_end = warnings_not_given(summary.get("warnings"), summary.get("spans_s"), said)
        rows += [{"type": "warning", **about, "message": w, "t_detect_s": t_end} for w in left]
        # (what reading it found, as the terminal and the page say it: rows of force.csv skipped,
        # a sample far off the scale; at no time of the recording)
        note = it.force_note()
        read, _ = warnings_not_given([*it.inp.warnings, *([note] if note else [])], None, said)
        rows += [{"type": "warning", **about, "message": w} for w in read]
    # (replay and the output check know it by its first two columns; the pops last, a
    # spreadsheet reading them by place)
    cols = list(CSV_COLUMNS[:-len(POP_COLS)])
    for r in rows:
        cols.extend(k for k in r if k not in cols and k not in POP_COLS)
    cols.extend(POP_COLS)
    if hasattr(path, "write"):
        if bom:                                     # (not into a pipeline: standard output, --csv -)
            path.write("\ufeff")
        _csv_rows(path, cols, rows, decimal_comma)
    else:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            _csv_rows(fh, cols, rows, decimal_comma)
    return len(rows)


def _reading_warnings(item: ReportItem) -> set[int]:
    """The ``id`` of each stored warning event of ``item`` that reading the recording gave, at
    no time of the data, which an analysis stored before gave the time 0.0 (now null): one at
    0.0 that the analysis wrote first, before any event of the data (``start_events``), or one
    the session keeps as found reading its source (session.json's ``extra.source_warnings``).
    None for a fresh analysis, whose warnings say so themselves."""
    from firmware_bridge.session import source_warnings
    if item.source != "stored":
        return set()
    kept = set(source_warnings(item.inp.meta)) if item.inp.meta is not None else set()
    out, first = set(), True
    for e in item.events:
        if e.get("type") != "warning":
            first = False
            continue
        t = e.get("t_detect_s")
        if isinstance(t, (int, float)) and not isinstance(t, bool) and t == 0.0 and (first or e.get("message") in kept):
            out.add(id(e))
    return out


def _csv_rows(fh, cols: list[str], rows: list[dict], decimal_comma: bool = False) -> None:
    """The rows under their header; ``decimal_comma``: as a spreadsheet set to a decimal comma
    (German, French, Dutch Excel) opens a CSV: cells between semicolons, a number's decimal
    point a comma (1,5); text as it is."""
    if decimal_comma:
        rows = [{k: (repr(float(v)).replace(".", ",") if isinstance(v, float) else v) for k, v in r.items()} for r in rows]
    w = csv.DictWriter(fh, fieldnames=cols, delimiter=";" if decimal_comma else ",")
    w.writeheader()
    w.writerows(rows)


# report --sessions-csv: one row a recording, as the overview lists them; what its page says of its
# gaps, thrusts with unknown pops, ending and skipped rows after them (a script reading the
# columns before by place goes on working)
SESSIONS_CSV_COLUMNS = ("recording", "name", "trainee", "date", "target", "score_pct", "n_cycles", "n_beyond_r2",
                        "n_thrusts", "thrusts_on_target", "letups", "pops", "pops_with_thrust", "duration_s", "audio_s",
                        "warnings", "gaps", "s_without_data", "clock_steps", "thrusts_pops_unknown", "finished",
                        "rows_skipped")
# the columns sessions CSVs were written with before: such a file is gradecoach's, replaced as it is
SESSIONS_CSV_EARLIER_COLUMNS = (("recording", "name", "trainee", "date", "target", "score_pct", "n_cycles",
                                 "n_thrusts", "thrusts_on_target", "letups", "pops", "duration_s", "warnings"),
                                ("recording", "name", "trainee", "date", "target", "score_pct", "n_cycles",
                                 "n_thrusts", "thrusts_on_target", "letups", "pops", "pops_with_thrust", "duration_s",
                                 "audio_s", "warnings"),
                                SESSIONS_CSV_COLUMNS[:SESSIONS_CSV_COLUMNS.index("warnings") + 1])
# the reason of a gap where the logger's clock stepped back (its rows after a new run)
CLOCK_STEPPED_BACK = "clock stepped back"


def _tenth(pct: float | None) -> float | None:
    """A percentage for the sessions CSV: to a tenth, half up as the page rounds (41.7 of 5 in 12,
    not 41.666666666666664)."""
    return None if pct is None else float(pct_text(pct, 1))


def gap_figures(item: ReportItem) -> tuple[int, float, int]:
    """A recording's gaps as its page counts them (:func:`ui.review.trace.describe_gaps`: "gaps 3
    (dropped samples: 3), 0.2 s without data"): how many, the seconds without data (to the ms),
    and how many of them are where the logger's clock stepped back (a gap's reason is its first
    mark's, the recorder's before the events')."""
    spans, why = gap_reasons(item.events, _meta_gaps(item))
    return (len(spans), round(float(np.sum(spans[:, 1] - spans[:, 0])), 3) if len(spans) else 0.0,
            sum(r == CLOCK_STEPPED_BACK for r in why))


def _finished(item: ReportItem) -> bool | None:
    """Whether a session folder's recording finished, as ``library list`` says it
    (:func:`ui.library.finished`: its page warns "unfinished (still recording, or cut off)" or of
    a last line cut off where not); None for a bare file, of which nothing says."""
    from ui.library import finished
    if item.inp.meta is None or not Path(item.name).is_dir():
        return None
    return finished(item.name)


def _warnings_of(item: ReportItem) -> list[str]:
    """Every warning of a recording, once each: its warning events, its summary's, and those
    reading it gave (rows of force.csv skipped, a sample far off the scale), as the events CSV
    has a row for each."""
    note = item.force_note()
    said = [e.get("message") for e in item.events if e.get("type") == "warning"]
    summary = item.summary.get("warnings")
    return list(dict.fromkeys(str(w) for w in [*said, *(summary if isinstance(summary, list) else []),
                                               *item.inp.warnings, *([note] if note else [])]))


def _on_target(item: ReportItem) -> int | None:
    """How many of a recording's thrusts were on its V/HVLA target, as the thrusts table judges
    them; None with no such target or no thrust that can be judged (an IMU's alone)."""
    from ui.trainer.target import thrust_misses
    if item.aim is None:
        return None
    judged = [thrust_misses(e, item.aim) for e in item.events if e.get("type") == "thrust"]
    judged = [m for m in judged if m is not None]
    return sum(not m for m in judged) if judged else None


def _length_s(item: ReportItem, stats: dict) -> float | None:
    """A recording's length for the sessions CSV, as its page gives it (the force's, not its
    longer sound's: a term's practice time), to the ms; the stored figure when it has no summary."""
    if not isinstance(item.summary, dict) or not item.summary:
        return stats.get("duration_s")
    return round(recording_lengths(item.summary)[0], 3)


def _audio_length_s(item: ReportItem) -> float | None:
    """The length of a recording's sound (s), as its page gives it beside the force's ("75.7 s
    (audio 76.2 s)"), to the ms; of sound recorded alone, its length; None without sound."""
    span = (item.summary.get("spans_s") or {}).get("audio") if item.inp.audio_path is not None else None
    if not isinstance(span, (list, tuple)) or len(span) != 2:
        return None
    return round(float(span[1]) - float(span[0]), 3)


def write_sessions_csv(items: list[ReportItem], fh, decimal_comma: bool = False) -> int:
    """One row a recording (:data:`SESSIONS_CSV_COLUMNS`) to the UTF-8 text file ``fh`` (opened
    with ``newline=""``), after a byte-order mark as the events CSV; returns the row count. Its
    trainee as the overview spells them, its date to the second (:func:`csv_dates`), its score (blank:
    none), cycles, those beyond R2 (blank: not known, no R2) and thrusts, thrusts on a V target (blank: no V target, or none judged), thrusts
    with a let-up (blank: no thrusts, or none known), every pop heard as the page's "pops" line
    and replay count them (blank: sound not analysed, or its pops unknown) and those tied to its
    thrusts (blank: none known), its duration (s: the force's, as its page gives it), its sound's
    (blank: none) and how many warnings it has; a spreadsheet sums a term's sessions by trainee.
    After those, what its page says of it: its gaps, the seconds without data and those where the
    clock stepped back (:func:`gap_figures`), how many of its thrusts have unknown pops (the
    overview's "3 (unknown at 1)"; every thrust's without sound; blank: no thrusts), whether it
    finished (``yes``/``no``, :func:`_finished`; blank: a bare file) and how many rows of its
    files reading them skipped. ``decimal_comma``: as :func:`write_csv`."""
    spell_trainees(items)
    rows = []
    for it, label, when in zip(items, distinct_names([it.name for it in items]), csv_dates(items)):
        st = it.stats
        letups, heard, (tied, unknown) = letups_cell(it), pops_heard(it), _thrusts_pops(it)
        n_gaps, without_s, steps = gap_figures(it)
        ended = _finished(it)
        rows.append({"recording": it.name, "name": spreadsheet_text(label), "trainee": spreadsheet_text(it.trainee),
                     "date": when, "target": spreadsheet_text(it.target or ""),
                     "score_pct": _tenth(st.get("score_pct")), "n_cycles": st.get("n_cycles"),
                     "n_beyond_r2": st.get("n_beyond_r2"), "n_thrusts": st.get("n_thrusts"),
                     "thrusts_on_target": _on_target(it), "letups": letups if letups.isdigit() else None,
                     "pops": heard,
                     # (a recording without thrusts, its sound heard, has none tied: 0, as its page says)
                     "pops_with_thrust": sum(tied) if st.get("n_thrusts") and tied else
                     0 if heard is not None and not st.get("n_thrusts") else None,
                     "duration_s": _length_s(it, st), "audio_s": _audio_length_s(it),
                     "warnings": len(_warnings_of(it)),
                     "gaps": n_gaps, "s_without_data": without_s, "clock_steps": steps,
                     "thrusts_pops_unknown": unknown if st.get("n_thrusts") else None,
                     "finished": None if ended is None else _cell(ended), "rows_skipped": it.inp.skipped_rows})
    fh.write("\ufeff")
    _csv_rows(fh, list(SESSIONS_CSV_COLUMNS), rows, decimal_comma)
    return len(rows)
