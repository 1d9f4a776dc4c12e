"""Which rows of a CSV stream are kept, and the ``file:line`` messages for the others: cells that do
not read, times out of order (back, or a lone time ahead), repeated times (spread as packet
stamps, or skipped), and force or IMU times under a seconds header that are milliseconds.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from analysis.errors import InputError
from analysis.resample import MAX_GAP_S
from firmware_bridge.csv_dialect import TIME_COLUMNS

# no force sensor samples this slowly (an HX711's slowest is 10 samples a second): whole-number
# times this far apart under a seconds header are milliseconds or µs
SLOWEST_RATE_HZ = 1.0
ROWS_TO_TELL = 60      # fewer rows (a minute at that rate) may be a table typed by hand: not judged
# nor any force sensor this slowly: an HX711's slowest rate, 10 samples a second, with room for its
# clock running slow. Times under a seconds header stepping evenly (each step within
# EVEN_STEPS of the median) this far apart are milliseconds with a fraction (a 2 kHz logger's
# 0,0 0,5 1,0 …). An IMU may sample once a second (a Thingy:52's slowest): not judged so
SLOWEST_FORCE_HZ = 8.0
EVEN_STEPS = 0.2
# no force sensor or IMU samples this fast: times this close under a milliseconds or µs header
# are seconds (or milliseconds under µs)
FASTEST_RATE_HZ = 20000.0
# a larger value is a corrupt cell whose square (near the largest float) overflows the analysis.
# Smaller ones that no sensor reads, such as a float32's extreme (3.4e38) that a faulty logger
# writes, are kept: the analysis leaves out such lone samples and the plots mark them at the edge
LARGEST_VALUE = 1e100
TOO_LARGE = f"value too large to analyse (over {LARGEST_VALUE:g})"
NOT_FINITE = "NaN or infinite value"


def value_problem(vals: list[float]) -> str | None:
    """Why a row's cells (time first, then the values) are unusable, or None."""
    if not all(math.isfinite(v) for v in vals):
        return NOT_FINITE
    if any(abs(v) > LARGEST_VALUE for v in vals[1:]):
        return TOO_LARGE
    return None


def check_seconds(path: Path, t_s: np.ndarray, sensor: str = "force sensor") -> None:
    """A one-line error for force (or IMU: ``sensor``) times in a seconds column that read as
    milliseconds (or µs): whole numbers a median of ``1 / SLOWEST_RATE_HZ`` s or more apart in
    ``ROWS_TO_TELL`` rows or more (a 1 kHz logger's 0, 1, 2 …), or, of a force sensor, the first
    ``ROWS_TO_TELL`` times stepping evenly, slower than :data:`SLOWEST_FORCE_HZ` (a 2 kHz logger's
    0.0, 0.5, 1.0 …), which the analysis would take for a recording a thousand times as long."""
    if len(t_s) < ROWS_TO_TELL:
        return
    step = float(np.median(np.diff(t_s)))
    if step >= 1 / SLOWEST_RATE_HZ and np.array_equal(t_s, np.round(t_s)):
        unit, name, per_s = _unit_of(step)
        raise InputError(f"{path}: times under a seconds header are whole numbers {step:g} s apart (slower than any "
                         f"{sensor}); if they are {name}, name the time column {unit} ({per_s / step:g} samples "
                         f"a second)")
    if sensor != "force sensor":
        return
    steps = np.diff(t_s[:ROWS_TO_TELL])
    first = float(np.median(steps))
    if first > 1 / SLOWEST_FORCE_HZ and np.all(np.abs(steps - first) <= EVEN_STEPS * first):
        unit, name, per_s = _unit_of(first)
        raise InputError(f"{path}: times under a seconds header are {first:g} s apart ({1 / first:.3g} samples a "
                         f"second, slower than any {sensor}); if they are {name}, name the time column {unit} "
                         f"({per_s / first:.6g} samples a second)")


def _unit_of(step: float) -> tuple[str, str, float]:
    """The time column, unit and its count in a second that times ``step`` apart under a
    seconds header would be in: milliseconds, or µs for a step of 1000 or more."""
    return ("t_ms", "milliseconds", 1e3) if step < 1e3 else ("t_us", "microseconds", 1e6)


def to_seconds(path: Path, t: np.ndarray, t_col: str) -> np.ndarray:
    """Times ``t`` of the column ``t_col`` (``t_s``, ``t_ms``, ``t_us``) in seconds; a one-line error
    when, in ``ROWS_TO_TELL`` rows or more, they are a median of less than ``1 / FASTEST_RATE_HZ``
    apart once converted: seconds under a milliseconds header (a 1 kHz logger's 0.001, 0.002 …),
    which the analysis would take for a recording a thousand times as short."""
    per = TIME_COLUMNS[t_col]
    t_s = t * per if per != 1.0 else t
    if per == 1.0 or len(t_s) < ROWS_TO_TELL:
        return t_s
    step = float(np.median(np.diff(t_s)))
    if not 0 < step < 1 / FASTEST_RATE_HZ:
        return t_s
    raw = step / per                                # the step as written
    # under µs, a step of 0.05 or more is milliseconds (20 kHz or slower), a smaller one seconds
    unit, per_s, what = (("t_ms", 1e3, "milliseconds") if t_col == "t_us" and raw >= 0.05 else
                         ("t_s", 1.0, "seconds"))
    raise InputError(f"{path}: times under {t_col} are {raw:g} apart: {1 / step:.3g} samples a second, faster than "
                     f"any force sensor or IMU; if they are {what}, name the time column {unit} "
                     f"({per_s / raw:.6g} samples a second)")


def _cells(line: str, idx: list[int], ncols: int) -> list[float] | str:
    """The wanted cells of one line (without its line end) as floats, or why the row is bad.
    Quoting as in pyarrow's reader: a cell may be in double quotes, with commas and "" inside."""
    cells = split_cells(line)
    if cells is None:
        return "unreadable quoted cell"
    if len(cells) < max(idx) + 1:
        return f"expected {ncols} columns, found {len(cells)}"
    vals = []
    for j in idx:
        try:
            vals.append(float(cells[j]))
        except ValueError:
            return non_numeric(cells[j])
    return vals


NON_NUMERIC = "non-numeric cell "


def non_numeric(cell: str) -> str:
    """Why a row whose ``cell`` does not read is bad: the cell quoted, cut to 20 characters."""
    return NON_NUMERIC + repr(cell if len(cell) <= 20 else cell[:17] + "...")


def _backwards(t: float, before: float) -> str:
    return f"time {'does not advance' if t == before else 'goes backwards'} ({t} after {before})"


def _ahead(t: float, after: float) -> str:
    return f"time jumps ahead of the rows after it ({t}, then {after})"


def time_order(t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Which of a stream's readable rows (their times ``t``, in file order) are out of time order:
    ``ahead``, a lone row whose time is after the two rows that follow it while they go on from
    the row before it (a glitch, or one of two swapped rows: it alone is left out, not all the
    rows it is ahead of); ``back``, a time before the last kept row's (``before``: of two
    neighbouring rows swapped, the second); ``tie``, a time
    equal to it. Masks over all rows; ``before`` is -inf for ``ahead`` rows. A file of two
    recordings one after the other goes back at the second's first row and keeps going back: its
    rows are ``back`` rows, as before."""
    n = len(t)
    ahead = np.zeros(n, bool)
    if n < 2 or bool((t[1:] > t[:-1]).all()):           # (in order: most files, read at once)
        before = np.full(n, -math.inf)
        before[1:] = t[:-1]
        return ahead, ahead, ahead, before
    if n >= 3:
        prev = np.concatenate(([-math.inf], t[:-3]))
        ahead[:-2] = (t[:-2] > t[1:-1]) & (t[:-2] > t[2:]) & (prev <= t[1:-1])
    keep = np.flatnonzero(~ahead)
    tk = t[keep]
    b = np.empty_like(tk)
    if len(tk):
        b[0] = -math.inf
        np.maximum.accumulate(tk[:-1], out=b[1:])
    before = np.full(n, -math.inf)
    before[keep] = b
    back, tie = np.zeros(n, bool), np.zeros(n, bool)
    back[keep], tie[keep] = tk < b, tk == b
    return ahead, back, tie, before


def holes_of_dropped(t: np.ndarray, out: np.ndarray, drop: np.ndarray) -> np.ndarray:
    """Where the rows left out for being out of order (``out``, over the times ``t``) belonged
    among the rows kept (``~drop``, all rows left out: those and any repeated times skipped): for
    each, the index (into the kept rows) of the first kept row after its time, so that the hole it
    leaves there is said as that row, not as samples the file lacks."""
    k = np.searchsorted(t[~drop], t[out])
    return k[(k > 0) & (k < np.count_nonzero(~drop))].astype(np.int64)


# the reason of the gap marked where a logger's clock stepped back (clock_steps): the analysis
# restarts there, as after a dropout
CLOCK_STEPPED_BACK = "clock stepped back"


def clock_steps(t: np.ndarray, back: np.ndarray, drop: np.ndarray,
                max_gap_s: float = MAX_GAP_S) -> list[tuple[int, int, float, float, float]]:
    """Where a logger's clock stepped back and went on from there: of the stream's readable rows
    (times ``t``, file order), each run of rows left out (``drop``) holding one whose time went
    back (``back``) that stands for more time (its rows at the median step) than the step between
    the kept rows around it leaves room for, by more than ``max_gap_s`` (the longest pause the
    analysis bridges; in the times' unit). The kept times run on there as if the two were one
    stretch; the rows after it are a new run. Each as (its first row, the first kept row after
    it, how far back the clock stepped, the latest kept time before it, the time its rows stand
    for beyond that step); a lone row out of order, or two swapped, is none."""
    n = len(t)
    if not back.any() or n < 3:
        return []
    edges = np.diff(np.concatenate(([0], drop.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    inside = (starts > 0) & (ends < n)
    starts, ends = starts[inside], ends[inside]
    kept = t[~drop]
    if not len(starts) or len(kept) < 2:
        return []
    step = float(np.median(np.diff(kept)))
    if not step > 0:
        return []
    had = np.add.reduceat(back.astype(np.int64), starts) if len(starts) else np.empty(0)
    # (reduceat sums up to the next start: the kept rows between runs hold no back row)
    left = (ends - starts) * step - (t[ends] - t[starts - 1] - step)
    ahead_of = np.maximum.accumulate(np.where(drop, -np.inf, t))        # the latest kept time so far
    return [(int(a), int(b), float(ahead_of[a - 1] - t[a] + step), float(ahead_of[a - 1]), float(over))
            for a, b, h, over in zip(starts, ends, had, left) if h and over > max_gap_s]


def explained_holes(t: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """Of ``marks`` (indices into the kept rows' times ``t``, one for each row skipped there: the
    first kept row after it), those whose hole in the times the rows skipped there account for,
    each once: a step of no more sample periods (the median step) than one plus the rows skipped.
    A larger hole lost samples besides (a dropout right after a bad row), and is left to be
    found and said as one."""
    k, rows = np.unique(np.asarray(marks, dtype=np.int64), return_counts=True)
    if not len(k) or len(t) < 2:
        return k
    step = float(np.median(np.diff(t)))
    if not step > 0:
        return k
    missing = np.round((t[k] - t[k - 1]) / step) - 1
    return k[missing <= rows]


def order_problems(t: np.ndarray, ahead: np.ndarray, back: np.ndarray, tie: np.ndarray,
                   before: np.ndarray, limit: int = 5) -> list[tuple[int, str]]:
    """The first ``limit`` rows out of time order (``tie`` ones included), as (row, why)."""
    rows = np.flatnonzero(ahead | back | tie)[:limit]
    return [(int(j), _ahead(float(t[j]), float(t[j + 1])) if ahead[j] else _backwards(float(t[j]), float(before[j])))
            for j in rows]


# a file whose times go down in this share of its steps or more was sorted newest first (a
# spreadsheet's or a database's export): not bad rows to skip, all but one
BACKWARDS_SHARE = 0.9


def runs_backwards(path: Path, t: np.ndarray, lines) -> None:
    """A one-line error for a stream whose readable rows' times ``t`` (file order; ``lines(j)``
    the file's line of row ``j``) run backwards nearly throughout (:data:`BACKWARDS_SHARE` of its
    steps or more): sorted newest first, every row but one would be out of time order."""
    steps = np.diff(t)
    down = steps < 0
    if len(steps) < 2 or np.count_nonzero(down) < BACKWARDS_SHARE * len(steps):
        return
    j = int(np.argmax(down))
    raise InputError(f"{path}:{lines(j + 1)}: its times run backwards ({float(t[j])}, then {float(t[j + 1])}: newest first?): "
                     f"sort it by time")


# a time falling back this many sample periods or less from the first row's, with the rows after
# it going on from it (this many, or all there are), is a second recording's start
RESTART_STEPS = 10
RESTART_ROWS = 3


def restarts(path: Path, t: np.ndarray, lines) -> None:
    """A one-line error for a stream whose readable rows' times ``t`` (file order; ``lines(j)`` the
    file's line of row ``j``) start again part way: two recordings one after the other in one file.
    Told by a time falling back to within :data:`RESTART_STEPS` sample periods of the earliest
    before it (or before that), after :data:`RESTART_ROWS` rows or more, and the next ones (2 at
    least) going on from it, still before the time it fell from; a lone row so (a logger's
    glitch) stays a bad row."""
    n = len(t)
    if n < 3:
        return
    with np.errstate(invalid="ignore"):
        fell = np.flatnonzero(t[1:] < t[:-1]) + 1
        if not len(fell):
            return
        step = float(np.median(np.diff(t)))
    lowest = np.minimum.accumulate(t)               # (a first row far ahead, a glitch, is not the start)
    fell = fell[(fell >= RESTART_ROWS) & (t[fell] <= lowest[fell - 1] + RESTART_STEPS * max(step, 0.0))]
    for j in fell:
        after = t[j:j + 1 + RESTART_ROWS]
        if len(after) >= 3 and bool(np.all(np.diff(after) > 0)) and after[-1] < t[j - 1]:
            raise InputError(f"{path}:{lines(int(j))}: time restarts at {float(t[j]):g} after {float(t[j - 1]):g}: "
                             f"two recordings in one file? split them")


_TIE_SHARE = 0.01   # repeated times in this share of the rows or more are how the file was stamped


def spread_ties(t: np.ndarray, tie: np.ndarray, total: int) -> np.ndarray | None:
    """``t`` (non-decreasing) with each run of equal times spread evenly up to the next time, the
    last run at the median interval; ``tie`` marks the rows whose time equals the row before.
    Times rounded coarser than the samples (:func:`rounded_to`) are spaced evenly within that
    rounding instead (:func:`on_grid`): spread from each written time up, they kept its jitter,
    said as samples lost.

    None (the ties stay bad rows) for fewer than 2 ties or under ``_TIE_SHARE`` of ``total`` rows:
    then the repeat is more likely a line written twice than a packet's stamp, and skipping it
    loses at most a sample and names its line, where spreading would give the copy a time of its
    own and move its neighbour. Also None for one time only, or times too close to spread.
    """
    n_tie = int(np.count_nonzero(tie))
    if n_tie < 2 or n_tie < _TIE_SHARE * total:
        return None
    starts = np.flatnonzero(~tie)
    if len(starts) < 2:
        return None
    with np.errstate(all="ignore"):
        out = on_grid(t, res) if (res := rounded_to(t)) is not None else _spread_evenly(t)
        if not (np.isfinite(out).all() and (np.diff(out) > 0).all()):
            return None
    return out


def spread_note(path: Path, ties: int, total: int, t: np.ndarray | None = None) -> str:
    """What was done to the rows sharing their time with the row before (``t``, the times as read)."""
    if t is not None and (res := rounded_to(t)) is not None:
        return (f"{path}: {ties} of {total} rows share their time with the row before (times rounded to {res:g} s, "
                f"coarser than the samples); spaced evenly within that rounding")
    return (f"{path}: {ties} of {total} rows share their time with the row before (packet stamps?); "
            f"spread evenly between them")


ROUNDING_SLACK = 0.01


def rounded_to(t: np.ndarray) -> float | None:
    """The step (a power of ten, s) the times ``t`` (non-decreasing) were rounded to when their
    repeats are rounding coarser than the samples (a spreadsheet's 3 decimals at 2 kHz: 0.000,
    0.001, 0.001, 0.002 …): every time a multiple of it and the times that differ a median of one
    such step apart. None otherwise (packet stamps: times a packet's period apart)."""
    distinct = np.unique(t)
    if len(distinct) < 3:
        return None
    step = float(np.median(np.diff(distinct)))
    if not step > 0:
        return None
    res = 10.0 ** round(math.log10(step))
    if abs(step - res) > 1e-6 * res or not np.all(np.abs(t / res - np.round(t / res)) < 1e-6):
        return None
    return res


def on_grid(w: np.ndarray, res: float) -> np.ndarray:
    """Evenly spaced times for the times ``w`` rounded to ``res`` (:func:`rounded_to`), each within
    ``res / 2`` of its own (and twice :data:`ROUNDING_SLACK` of ``res``): one sample period apart from start
    to end of each stretch between steps of two rounding steps or more, which are holes of samples
    lost, kept. A stretch no even spacing fits keeps its times spread evenly between each time's
    first row and the next time's."""
    n = len(w)
    cut = np.flatnonzero(np.diff(w) > 1.5 * res) + 1            # holes: a step rounding alone does not make
    bounds = np.concatenate(([0], cut, [n]))
    # the period: one least-squares slope of time over row for all stretches, each its own start
    # (the rounding errors average out: a 2 kHz file of 8000 rows drifts a hundredth of a step)
    k = np.arange(n, dtype=np.float64)
    dk, dw = k.copy(), w.astype(np.float64)
    for a, b in zip(bounds[:-1], bounds[1:]):
        dk[a:b] -= dk[a:b].mean()
        dw[a:b] -= dw[a:b].mean()
    if not float(dk @ dk) > 0:
        return _spread_evenly(w)
    period = float(dk @ dw) / float(dk @ dk)
    out = np.empty(n)
    for a, b in zip(bounds[:-1], bounds[1:]):
        at = np.arange(b - a) * period
        lo, hi = float(np.max(w[a:b] - at)) - res / 2, float(np.min(w[a:b] - at)) + res / 2
        # (a time rounded from exactly half a step lies on the bound: a hundredth of a step is allowed).
        # Its first time as written where the stretch allows it (a recording starting at 0 still does)
        slack = ROUNDING_SLACK * res
        start = min(max(float(w[a]), min(lo, hi) - slack), max(lo, hi) + slack)
        out[a:b] = start + at if lo <= hi + slack else _spread_evenly(w)[a:b]
    return out if period > 0 and bool(np.all(np.diff(out) > 0)) else _spread_evenly(w)


def _spread_evenly(t: np.ndarray) -> np.ndarray:
    """``t`` (non-decreasing, two times or more) with each run of equal times spread evenly up to
    the next time, the last run at the median interval (packet stamps, :func:`spread_ties`)."""
    tie = np.zeros(len(t), bool)
    tie[1:] = t[1:] == t[:-1]
    starts = np.flatnonzero(~tie)
    k = np.diff(np.append(starts, len(t)))
    run = np.cumsum(~tie) - 1
    pos = np.arange(len(t)) - starts[run]
    step = np.zeros(len(starts))
    step[:-1] = np.diff(t[starts]) / k[:-1]
    out = t + pos * step[run]
    last = starts[-1]
    out[last:] = t[last] + pos[last:] * np.median(np.diff(out[:last + 1]))
    return out


def split_cells(line: str) -> list[str] | None:
    """The cells of one line, or None if its quoting cannot be read (a lone CR in a quoted line)."""
    if '"' in line:
        try:
            return next(csv.reader([line]))
        except csv.Error:
            return None
    return line.split(",")
