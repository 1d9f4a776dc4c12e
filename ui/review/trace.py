"""Traces for display: min/max envelopes, audio envelopes, grade colours.

Nothing here imports Qt. The screen never draws every sample of a long recording: the
overview draws a min/max envelope (each bin's lowest and highest sample, so spikes and thrust
peaks survive), and only the zoomed-in window is drawn at full rate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from firmware_bridge.csv_stream import StreamData
from firmware_bridge.replay.chunks import stream_chunks
from firmware_bridge.session_meta import finite_float
from ui.trainer.palette import ALERT, GRADE_COLOURS, LOUD_SOUND, OKABE_ITO, rgba


# colours by grade, shared by the review window and the HTML report (RGB)
# the trainer's own (Okabe–Ito: no red beside green, the pair colour-blind readers confuse), so a
# grade has one colour on the trainer's screen, in the review and in the report
# (ungraded cycles, and a worn IMU's, keep the review's grey, a shade lighter than the trainer's)
GRADE_COLORS = {**{g: rgba(c, 255)[:3] for g, c in GRADE_COLOURS.items()}, None: (140, 140, 140)}
# a thrust whose preload let up before it (the trainer's alert colour), and one that did not
LETUP_COLOR = rgba(ALERT, 255)[:3]
THRUST_COLOR = rgba(OKABE_ITO["blue"], 255)[:3]


def grade_color(grade: str | None) -> tuple[int, int, int]:
    return GRADE_COLORS.get(grade, GRADE_COLORS[None])


def event_marks(events: list[dict]) -> list[tuple[str, tuple[int, int, int], list[float], list[float]]]:
    """Cycle crests and thrust peaks grouped for drawing: ``(symbol, colour, t_s, force_n)``
    per grade ("o") and for the thrusts ("t"), so a plot holds a few items, not one per event
    (an hour holds thousands of cycles)."""
    groups: dict[tuple, tuple[list, list]] = {}
    for e in events:
        if e.get("type") == "cycle":
            key, t, y = ("o", grade_color(e.get("grade"))), e["t_crest"], e["crest_n"]
        elif e.get("type") == "thrust":
            key, t, y = ("t", grade_color("V")), e["t_peak"], e.get("peak_n") or 0.0   # (an IMU's: no force)
        else:
            continue
        xs, ys = groups.setdefault(key, ([], []))
        xs.append(float(t))
        ys.append(float(y))
    return [(sym, color, xs, ys) for (sym, color), (xs, ys) in groups.items()]


COMMENT_LABEL_CHARS = 30     # a comment's label on a plot is cut to this many characters, "…" ending it
COMMENT_LEVELS, COMMENT_STEP = 4, 0.07     # labels of successive comments at this many heights, this far apart
COMMENT_LABEL_FILL = (255, 255, 255, 210)   # behind a comment's label: readable over R2 or the force (RGBA)


def comment_label(text: str) -> str:
    """A comment's label on a plot (the review's detail plot, the report's force plot): its
    first line, cut with "…" when longer than :data:`COMMENT_LABEL_CHARS` (it was cut mid-word
    with no sign of more)."""
    text = text.strip()
    first = text.splitlines()[0] if text else ""
    if len(first) > COMMENT_LABEL_CHARS:
        return first[:COMMENT_LABEL_CHARS - 1].rstrip() + "…"
    return first + ("…" if first != text else "")


# a pop's star on the force: filled when it belongs to a thrust, else only outlined (RGB)
POP_COLOR, POP_OUTLINE_COLOR = (250, 220, 40), (200, 130, 0)

OFF_SCALE_COLOR = (200, 0, 160)    # the triangles marking force samples off the scale (RGB)


@dataclass(frozen=True)
class ForceScale:
    """The force a plot should span, and the samples far outside it (see :func:`force_scale`)."""

    lo_n: float
    hi_n: float
    off: np.ndarray                  # indices of the samples off the scale, in time order

    def drawn(self, y: np.ndarray) -> np.ndarray:
        """``y`` with the samples off the scale drawn at its edge (``y`` itself when none are)."""
        return np.clip(y, self.lo_n, self.hi_n) if len(self.off) else y

    def note(self, t_s: np.ndarray, y: np.ndarray) -> str | None:
        """One line telling the user about the samples off the scale, or None."""
        n = len(self.off)
        if not n:
            return None
        worst = self.off[int(np.argmax(np.abs(y[self.off])))]
        lone = not np.any(np.diff(self.off) == 1)
        return (f"force: {'a sample' if n == 1 else f'{n} samples'} far outside the rest of the recording "
                f"({'' if n == 1 else 'the furthest '}{y[worst]:.3g} N at {t_s[worst]:.3f} s; the rest "
                f"{round(self.lo_n)} to {round(self.hi_n)} N), most likely a fault in the recording: drawn at the "
                f"edge of the plot, marked by a pink triangle"
                + ("; the analysis leaves out lone samples like " + ("it" if n == 1 else "these") if lone else ""))


# no hand's force: ten times the largest published manual thrust peak (side-posture lumbar,
# 1010.9 N mean; J Chiropr Educ 37(2):73); beyond it a sample is a fault whatever its neighbours are
PLAUSIBLE_FORCE_N = 10_000.0
# A force plot is read from 0 N, and on no less than the trainer's smallest force axis (0-50 N,
# ui/trainer/plots.py): a recording's extent counts from 0 and as at least this, so a light
# recording is not judged by its few newtons
MIN_EXTENT_N = 50.0
# a sample further than this many extents beyond the recording would leave the rest of it less
# than a sixth of the plot's height: drawn at the edge and marked instead
FAR_BEYOND_EXTENTS = 5.0


def force_scale(y: np.ndarray) -> ForceScale:
    """What a force plot should span: every sample but those it cannot sensibly show.

    Off the scale are samples beyond ``PLAUSIBLE_FORCE_N`` (no hand's force: a bus error's
    1e30 N, or not a number) and samples more than ``FAR_BEYOND_EXTENTS`` times the recording's
    extent beyond it. The extent is the range of the force as the analysis reads it (each sample
    the median of itself and its two neighbours, as ``analysis.resample`` removes a lone spike),
    with 0 N, and at least ``MIN_EXTENT_N``. So an electrical spike of 20-200 N on a 10-40 N
    recording is drawn as data (the plot then spans up to it), and only a value that would
    flatten the rest is marked. The review, the compare view and the report all use this.
    """
    y = np.asarray(y, dtype=np.float64)
    wild = ~(np.abs(y) <= PLAUSIBLE_FORCE_N)          # (not a number: wild too)
    rest = y[~wild] if wild.any() else y
    if len(rest) < 3:
        return ForceScale(float(rest.min()) if len(rest) else 0.0, float(rest.max()) if len(rest) else 0.0,
                          np.flatnonzero(wild))
    a, b, c = rest[:-2], rest[1:-1], rest[2:]
    med = np.maximum(np.minimum(a, b), np.minimum(np.maximum(a, b), c))    # median of three
    lo, hi = min(float(med.min()), 0.0), max(float(med.max()), 0.0)
    pad = FAR_BEYOND_EXTENTS * max(hi - lo, MIN_EXTENT_N)
    off = np.flatnonzero(wild | (y < lo - pad) | (y > hi + pad))
    if not len(off):                                  # (the common case: no copy)
        return ForceScale(float(rest.min()), float(rest.max()), off)
    keep = np.delete(y, off)
    return ForceScale(float(keep.min()), float(keep.max()), off)


# the review's plots and the report's draw a signal gap as the trainer does (:func:`gap_region`)
GAP_Z = -10                 # a gap drawn under the trace and the marks
# a sample this close to a gap's start or end is taken as its edge (gaps are written rounded to 1 us,
# and the recorder's and the analysis's marks of one gap differ by about a sample)
GAP_EDGE_S = 5e-4


# the stretches of a recording during which the trainer's screen graded with other settings than
# the recording's own (session.json's ``extra.screen_changes``): hatched in a muted violet, so they
# read apart from the flat tints of the target bands (sky blue, orange, bluish green) and of the
# gaps (vermillion), and from the grades' solid dots (RGB)
SCREEN_COLOR = (110, 80, 150)
SCREEN_HATCH_ALPHA, SCREEN_EDGE_ALPHA = 100, 150    # the hatching's, and the lines at either end's


def screen_stretches(changes, end_s: float) -> list[tuple[float, float, str]]:
    """``(t_start, t_end, label)`` of each stretch the trainer's screen graded with other
    settings than the recording's own, from ``changes`` as ``ui.review.details.screen_changes``
    gives them (``(t_s, settings in words, own)`` in time order): from a change to the next
    change or to ``end_s``, the end of the recording; a change back to the recording's own
    settings ends one. The label is "screen: " and the settings in words."""
    out = []
    for i, (t, words, own) in enumerate(changes):
        b = min(float(changes[i + 1][0]) if i + 1 < len(changes) else end_s, end_s)
        if not own and b > float(t):
            out.append((float(t), b, f"screen: {words}"))
    return out


def screen_region(a: float, b: float, text: str | None):
    """A fixed, hatched region from ``a`` to ``b`` (s) for a stretch of :func:`screen_stretches`,
    under the trace, the marks and the gaps' shading; with ``text`` at its start (and as its
    tooltip, for a stretch begun left of the part in view) unless None. The review's plots and
    the report's force figure draw them alike."""
    import pyqtgraph as pg
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QBrush, QColor
    r = pg.LinearRegionItem((a, b), movable=False,
                            brush=QBrush(QColor(*SCREEN_COLOR, SCREEN_HATCH_ALPHA), Qt.BrushStyle.BDiagPattern),
                            pen=pg.mkPen((*SCREEN_COLOR, SCREEN_EDGE_ALPHA), width=1))
    r.setZValue(-15)
    if text is not None:
        pg.InfLineLabel(r.lines[0], text, position=0.86, anchors=[(0, 0.5), (0, 0.5)], color=SCREEN_COLOR,
                        fill=pg.mkBrush(255, 255, 255, 200))
        r.setToolTip(text)
    return r


# stretches of sound that hide pops (the summary's ``loud_s``: a voice, music), on the sound plot:
# a flat grey tint (LOUD_SOUND), apart from the gaps' hatched grey and the screen changes' hatched violet
LOUD_WORDS = "grey on the sound: loud sound, pops mostly missed there"
LOUD_TIP = ("loud sound (grey): pops there are mostly missed (a voice, music, handling noise), so a thrust "
            "whose peak lies there says \"no pop heard (loud sound)\" or \"at least …\"")


def loud_spans_of(summary) -> list[tuple[float, float]]:
    """The stretches of sound that hides pops a stored summary keeps (``loud_s``), each
    ``(start, end)`` in seconds, in order and apart (overlapping ones joined); none in a summary
    written before it kept them, and none that are not two finite numbers in order (a summary
    edited by hand)."""
    from analysis.cavitation_features import joined     # (here: it loads scipy, which `help` does not need)
    out = []
    v = summary.get("loud_s") if isinstance(summary, dict) else None
    for span in v if isinstance(v, list) else ():
        if isinstance(span, (list, tuple)) and len(span) == 2:
            a, b = finite_float(span[0]), finite_float(span[1])
            if a is not None and b is not None and b > a:
                out.append((a, b))
    return joined(out)


def loud_curve(spans):
    """One item tinting every stretch of ``spans`` (``(start, end)`` s, in order, apart) from
    -10 to 10 on the sound plot (its samples lie within ±1): a filled step, in and out of the
    stretches. Add it with ``ignoreBounds``, so the plot's range follows the sound alone. One
    item: an hour of talk keeps about 900 stretches, and a region item each took 1.5 s to open
    the session and a quarter of a second a pan."""
    import pyqtgraph as pg

    from ui.trainer.plots import loud_steps
    c = pg.PlotCurveItem(*loud_steps(spans, -10.0, 10.0), stepMode="center", fillLevel=-10.0,
                         brush=pg.mkBrush(*LOUD_SOUND), pen=pg.mkPen(None))
    c.setZValue(-15)
    return c


def gap_region(a: float, b: float):
    """A signal gap from ``a`` to ``b`` (s) drawn as the trainer draws one (its ``GapRegion``):
    hatched grey, "no data" at its foot wherever the plot is panned or zoomed to; under the
    trace and the marks."""
    from ui.trainer.plots import GapRegion
    r = GapRegion((float(a), float(b)), labelled=True)
    r.setZValue(GAP_Z)
    return r


def _gap_marks(events: list[dict], meta_gaps=(), stream: str | None = None) -> list[tuple[float, float, str]]:
    """``(t_start, t_end, reason)`` of each usable gap mark, in the order given."""
    marks = []
    for g in list(events) + list(meta_gaps or ()):
        if not isinstance(g, dict) or (g.get("type", "gap") != "gap"):
            continue
        if stream is not None and g.get("stream", stream) != stream:
            continue
        a, b = finite_float(g.get("t_start")), finite_float(g.get("t_end"))
        if a is not None and b is not None and b > a:
            marks.append((a, b, str(g.get("reason") or "no reason given")))
    return marks


def describe_gaps(events: list[dict], meta_gaps=()) -> str | None:
    """The signal gaps in words, as ``replay``'s table gives them after "gaps: ": how many (the
    marks of one gap merged, :func:`gap_spans`), why, and how long was without data, e.g.
    "1 (disconnected: 1), 5.1 s without data"; None without gaps. A gap's reason is that of
    its first mark, the recorder's (in session.json, as replay reads it) before the events'."""
    spans, reasons = gap_reasons(events, meta_gaps)
    if not len(spans):
        return None
    why = Counter(reasons)
    return (f"{len(spans)} ({', '.join(f'{r}: {n}' for r, n in why.items())}), "
            f"{float(np.sum(spans[:, 1] - spans[:, 0])):.1f} s without data")


def gap_reasons(events: list[dict], meta_gaps=()) -> tuple[np.ndarray, list[str]]:
    """The signal gaps (:func:`gap_spans`) and the reason of each, that of its first mark, the
    recorder's (in session.json, as replay reads it) before the events'."""
    spans = gap_spans(events, meta_gaps)
    marks = sorted(_gap_marks((), meta_gaps) + _gap_marks(events), key=lambda m: m[0])
    return spans, [next((r for a, b, r in marks if a >= g0 - GAP_EDGE_S and b <= g1 + GAP_EDGE_S), "no reason given")
                   for g0, g1 in spans]


def gap_spans(events: list[dict], meta_gaps=(), stream: str | None = None) -> np.ndarray:
    """The signal gaps of a recording as ``(k, 2)`` spans ``[t_start, t_end]`` in seconds, in
    time order, overlapping ones merged: the gap events (of ``stream`` only, when given) with
    the gaps ``session.json`` lists. A disconnect is often marked twice, by the recorder
    ("disconnected") and by the analysis ("dropout"), over nearly the same span: it is one gap.
    """
    spans = [(a, b) for a, b, _ in _gap_marks(events, meta_gaps, stream)]
    if not spans:
        return np.zeros((0, 2))
    spans.sort()
    merged = [list(spans[0])]
    for a, b in spans[1:]:
        if a <= merged[-1][1] + GAP_EDGE_S:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return np.array(merged, dtype=np.float64)


def _break_points(t_s: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """Indices before which a line through ``t_s`` is broken: at the start and the end of each
    gap span (once where no sample lies inside it), never at either end of the data."""
    if not len(spans) or len(t_s) < 2:
        return np.zeros(0, dtype=np.intp)
    i = np.searchsorted(t_s, spans[:, 0] + GAP_EDGE_S, side="right")     # first sample after the start
    j = np.searchsorted(t_s, spans[:, 1] - GAP_EDGE_S, side="left")      # first sample at the end
    at = np.unique(np.concatenate([i, j]))
    return at[(at > 0) & (at < len(t_s))]


def with_gaps(t_s: np.ndarray, y: np.ndarray, spans: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(t, y)`` as float64 with a NaN force put in at each gap, so that a line drawn with
    pyqtgraph (its default breaks a line at a NaN) stops at the gap instead of ramping across it; ``t`` stays in order.
    Without gaps, the arrays themselves (no copy of an hour's samples)."""
    t_s = np.asarray(t_s, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    at = _break_points(t_s, spans)
    if not len(at):
        return t_s, y
    return np.insert(t_s, at, t_s[at - 1]), np.insert(y, at, np.nan)


def minmax_envelope(t_s: np.ndarray, y: np.ndarray, n_bins: int,
                    gaps: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Min/max envelope of ``y`` in ``n_bins`` bins of equal count (to one sample).

    Returns ``(t, v)`` of about ``2 * n_bins`` points (fewer for short input): each bin's
    minimum and maximum at the times of those samples, in time order, with the first and the
    last sample, so a line through them spans the whole recording and draws every extreme at
    its own time. Input shorter than ``2 * n_bins`` is returned unchanged (as float64). With
    ``gaps`` (spans from :func:`gap_spans`) no bin holds samples from both sides of a gap, and
    a NaN between the two sides breaks the line there, as :func:`with_gaps` does.
    """
    t_s = np.asarray(t_s, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    at = _break_points(t_s, gaps) if gaps is not None else ()
    if len(at):
        bounds = [0, *at.tolist(), len(y)]
        ts, vs = [], []
        for a, b in zip(bounds, bounds[1:]):
            if b <= a:
                continue
            tt, vv = minmax_envelope(t_s[a:b], y[a:b], max(1, int(round(n_bins * (b - a) / len(y)))))
            if ts:                                   # the break
                ts.append(tt[:1])
                vs.append(np.array([np.nan]))
            ts.append(tt)
            vs.append(vv)
        return np.concatenate(ts), np.concatenate(vs)
    n = len(y)
    if n <= 2 * n_bins:
        return t_s.copy(), y.copy()
    # the first bins hold ``per`` samples, the last ``extra`` one more: every sample in a bin
    per, extra = divmod(n, n_bins)
    split = (n_bins - extra) * per
    idx = []
    for a, b, size in ((0, split, per), (split, n, per + 1)):
        if b > a:
            blocks = y[a:b].reshape(-1, size)
            start = a + size * np.arange(len(blocks))
            i, j = start + blocks.argmin(axis=1), start + blocks.argmax(axis=1)   # (a NaN: its index)
            idx.append(np.column_stack([np.minimum(i, j), np.maximum(i, j)]).ravel())
    k = np.concatenate(idx)
    k = np.concatenate([[0] if k[0] else [], k, [n - 1] if k[-1] != n - 1 else []]).astype(np.intp)
    return t_s[k], y[k]


def audio_envelope(path: Path, bin_s: float = 0.005, block_s: float = 30.0, cancel=None,
                   t0_s: float = 0.0, rate_hz: float | None = None) -> tuple[np.ndarray, np.ndarray, int]:
    """Min/max envelope of an audio file in bins of ``bin_s`` seconds, read block by block.
    The file's first sample is at ``t0_s`` and it runs at ``rate_hz`` samples per second of
    the recording's timeline (default: its nominal rate).

    Returns ``(t_s, v, rate_hz)`` like :func:`minmax_envelope` (over all channels); where a
    damaged stretch was skipped (as replay skips it), a bin of NaN at its start breaks the line.
    ``cancel()`` returning True stops early with what was read so far.
    """
    from firmware_bridge.replay.chunks import PastDamage
    from firmware_bridge.sound_files import open_sound
    with open_sound(path) as f:
        sr = f.samplerate
        per = max(1, int(round(bin_s * sr)))
        block = per * max(1, int(block_s / bin_s))
        los, his, starts = [], [], []
        # a file torn part way is drawn up to the tear; a stretch of it damaged, around it (a gap)
        end = 0
        for at, blk in PastDamage(f, path, block, per * max(1, int(round(0.05 / bin_s)))):
            if at != end and los:                      # (past a damaged stretch: a gap in the line)
                los.append(np.array([np.nan], np.float32))
                his.append(np.array([np.nan], np.float32))
                starts.append(np.array([end]))
            x = blk                                    # every channel: a pop may be heard on one only
            k = len(x) // per
            if k:
                b = x[:k * per].reshape(k, per * x.shape[1])
                los.append(b.min(axis=1))
                his.append(b.max(axis=1))
            if len(x) > k * per:                       # a run's last, partial bin
                los.append(np.array([x[k * per:].min()], dtype=x.dtype))
                his.append(np.array([x[k * per:].max()], dtype=x.dtype))
            starts.append(at + per * np.arange(k + (len(x) > k * per)))
            end = at + len(x)
            if cancel is not None and cancel():
                break
    lo = np.concatenate(los) if los else np.zeros(0, np.float32)
    hi = np.concatenate(his) if his else np.zeros(0, np.float32)
    at = np.concatenate(starts) if starts else np.zeros(0)
    t = t0_s + at.astype(np.float64) / (rate_hz or sr)
    return np.repeat(t, 2), np.column_stack([lo, hi]).ravel().astype(np.float64), sr


def read_audio_window(path: Path, t0_s: float, t1_s: float, start_s: float = 0.0,
                      rate_hz: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Samples of the loudest channel between ``t0_s`` and ``t1_s`` at full rate: ``(t_s, x)``;
    the file starts at ``start_s`` and runs at ``rate_hz`` as in :func:`audio_envelope`."""
    from firmware_bridge.replay import read_span
    from firmware_bridge.sound_files import open_sound
    with open_sound(path) as f:
        sr = rate_hz or f.samplerate
        a = max(0, int((t0_s - start_s) * sr))
        b = min(f.frames, int(np.ceil((t1_s - start_s) * sr)))
        if b <= a:
            return np.zeros(0), np.zeros(0)
        x = read_span(f, a, b - a)                     # up to the tear of a torn file
        x = x[:, int(np.argmax(np.sum(np.square(x, dtype=np.float64), axis=0)))] if x.shape[1] > 1 else x[:, 0]
    return start_s + (a + np.arange(len(x), dtype=np.float64)) / sr, x.astype(np.float64)


def imu_movement(imu: StreamData, chunk_s: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """The hand's movement into the tissue over a whole IMU stream, as the trainer draws it: the
    stream fed in chunks of ``chunk_s``, as replay feeds it, to a processor with the analysis's
    settings, its band-limited movement taken after each (its history keeps only ``history_s``).
    The processor looks for no cycles or thrusts (the session's events are known): the same
    movement, sample for sample, in a quarter of the time.
    Returns ``(t_s, disp_mm)`` on the processor's grid; empty when no movement can be measured
    (too little data, units known wrong)."""
    from analysis.imu import ImuProcessor, movement_drawn   # (scipy.signal: half a second, not for every importer)

    return movement_drawn(ImuProcessor(movement_only=True), stream_chunks(imu, "imu", chunk_s))
