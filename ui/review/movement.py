"""The hand's movement of a session recorded with a hand-worn IMU alone (no force), as the
Session and the Compare tabs draw it: computed from the whole recording on a thread of its own
(seconds for an hour) while the session is already shown, then drawn in mm, its IMU cycles a
row of dots in the ungraded colour above it, its thrusts and pops on it. Around each thrust the
Session tab draws the hand's movement as the thrust's "hand moved" figure is measured (from the
hold before it, ``ImuProcessor.thrust_curve``), computed on the same thread: the band-limited
trace rises under half that figure from a thrust's onset to its peak (docs/imu.md, step 6)."""

from __future__ import annotations

import os
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from analysis.imu import ImuProcessor
from firmware_bridge.replay.chunks import stream_chunks
from firmware_bridge.session import StreamData
from ui.review.data import ReviewSession
from ui.review.trace import gap_spans, grade_color, imu_movement, minmax_envelope, with_gaps

COMPUTING = "computing the hand's movement…"
# movements computed and kept for a session opened again (in the other tab, or shown once more):
# an hour's at 500 Hz is about 30 MB, and while a tab shows it the session holds it anyway
KEPT_MOVEMENTS = 4
# the span of a thrust's movement as measured that is drawn around its onset (s), as the
# trainer's HVLA plot draws it
THRUST_BEFORE_S, THRUST_AFTER_S = 0.3, 0.6


class Movement(tuple):
    """A session's movement as :meth:`MovementWorker.done` gives it: ``(t_s, disp_mm)``, the
    band-limited trace, and ``thrusts``, each thrust's movement as measured (from the hold before
    it, 0 mm at its onset) by its onset: ``{t_onset: (t_s, disp_mm)}``
    (:func:`thrust_curves`)."""

    thrusts: dict

    def __new__(cls, t_s, disp_mm, thrusts: dict | None = None) -> "Movement":
        m = super().__new__(cls, (t_s, disp_mm))
        m.thrusts = dict(thrusts or {})
        return m


def thrust_onsets(rs: ReviewSession) -> tuple[float, ...]:
    """The onsets of ``rs``'s thrusts whose movement the IMU measured (``displacement_mm``)."""
    return tuple(sorted({float(e["t_onset"]) for e in rs.of_type("thrust")
                         if e.get("displacement_mm") is not None and e.get("t_onset") is not None}))


def thrust_curves(imu: StreamData, onsets, chunk_s: float = 10.0) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    """The hand's movement around each thrust of ``onsets`` (s), over ``THRUST_BEFORE_S`` before
    to ``THRUST_AFTER_S`` after it, measured as its ``displacement_mm`` is
    (``ImuProcessor.thrust_curve``, 0 mm at the onset): the stream fed in chunks as
    :func:`ui.review.trace.imu_movement` feeds it, each curve taken once its span has come, up
    to the last thrust's. ``{t_onset: (t_s, disp_mm)}``; a thrust whose hold before it the IMU
    did not record (a gap, the recording's start) or whose units are wrong has none."""
    due, out = sorted(float(t) for t in onsets), {}
    if not due or not len(imu.t_s):
        return out
    p = ImuProcessor(movement_only=True)

    def take(final: bool) -> None:
        while due and (final or p.measured_through(due[0] + THRUST_AFTER_S + 2.0 / p.fs)):
            t_on = due.pop(0)
            t, d = p.thrust_curve(t_on, t_on - THRUST_BEFORE_S, t_on + THRUST_AFTER_S)
            if len(t):
                out[t_on] = (t, d)

    for chunk in stream_chunks(imu, "imu", chunk_s):
        p.feed(chunk)
        take(False)
        if not due:
            return out
    p.finish()
    take(True)
    return out


def measure_movement(imu: StreamData, onsets: tuple[float, ...]) -> Movement:
    """On the worker's thread: the movement drawn and its thrusts' as measured."""
    t, d = imu_movement(imu)
    return Movement(t, d, thrust_curves(imu, onsets) if len(t) else {})


class _Shared:
    """One computation of a recording's movement for every view that shows it: the future of
    each (by :func:`_recording`), how many views wait for it, the last ``KEPT_MOVEMENTS`` kept
    once computed. Used on the window's thread only."""

    def __init__(self) -> None:
        self.jobs: OrderedDict[tuple, Future] = OrderedDict()
        self.users: dict[tuple, int] = {}

    def take(self, key: tuple | None, submit) -> Future:
        job = self.jobs.get(key) if key is not None else None
        if job is None or job.cancelled() or (job.done() and job.exception() is not None):
            job = submit()
            if key is None:
                return job
            self.jobs[key] = job
        self.jobs.move_to_end(key)
        self.users[key] = self.users.get(key, 0) + 1
        for old in list(self.jobs)[:-KEPT_MOVEMENTS]:
            if not self.users.get(old):
                del self.jobs[old]
        return job

    def release(self, key: tuple | None, job: Future) -> None:
        """A view no longer waits for ``job``: cancelled (and forgotten) if no other view does and
        it has not started."""
        if key is None or self.jobs.get(key) is not job:
            job.cancel()
            return
        self.users[key] -= 1
        if not self.users[key]:
            del self.users[key]
            if job.cancel():
                del self.jobs[key]


_SHARED = _Shared()


def _recording(imu: StreamData) -> tuple | None:
    """What tells one IMU recording from another: its file, as it is now (changed, it is read
    anew), and the samples read from it (a file still being written may have grown since);
    None when it is not from a file."""
    if imu.path is None or not len(imu.t_s):
        return None
    try:
        st = os.stat(imu.path)
    except OSError:
        return None
    return (os.path.realpath(imu.path), st.st_mtime_ns, st.st_size, len(imu.t_s),
            float(imu.t_s[0]), float(imu.t_s[-1]))


class MovementWorker:
    """Computes sessions' movement (:func:`ui.review.trace.imu_movement`) on a thread of its own;
    a view's timer takes those computed with :meth:`done`, on the window's thread. A recording
    shown in two views (the Session and the Compare tabs) is computed once for both, and one
    opened again is not computed again. Closing does not wait for one being computed."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._jobs: list[tuple[Future, ReviewSession, tuple | None]] = []

    def start(self, rs: ReviewSession) -> None:
        """Compute ``rs``'s movement (``rs.inp.imu``) and its thrusts' (a :class:`Movement`);
        ``rs`` is not touched on the thread."""
        imu, onsets = rs.inp.imu, thrust_onsets(rs)
        rec = _recording(imu)
        key = None if rec is None else (rec, onsets)
        self._jobs.append((_SHARED.take(key, lambda: self._pool.submit(measure_movement, imu, onsets)), rs, key))

    @property
    def busy(self) -> bool:
        """Whether a movement started is not yet taken (:meth:`done`)."""
        return bool(self._jobs)

    def forget(self) -> None:
        """Drop every movement started: the sessions they are of are no longer shown."""
        for job, _, key in self._jobs:
            _SHARED.release(key, job)       # (one being computed finishes and is ignored)
        self._jobs = []

    def done(self) -> list[tuple[ReviewSession, tuple]]:
        """``(session, movement)`` of each movement computed since last asked, in the order
        started, ``movement`` a :class:`Movement` (``(t_s, disp_mm)``); an error computing one (a
        bug) is raised here."""
        ready, waiting = [], []
        for entry in self._jobs:
            (ready if entry[0].done() else waiting).append(entry)
        self._jobs = waiting
        for job, _, key in ready:
            _SHARED.release(key, job)
        return [(rs, job.result()) for job, rs, _ in ready]

    def close(self) -> None:
        # (one another view waits for is computed all the same: the pool's thread ends after it)
        self.forget()
        self._pool.shutdown(wait=False)


def _imu_gaps(rs: ReviewSession) -> np.ndarray:
    return gap_spans(rs.events, rs.meta.gaps, stream="imu")


def movement_envelope(rs: ReviewSession, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """``rs.movement`` as a min/max envelope of ``n_bins`` (s, mm), broken at the IMU's gaps."""
    t, d = rs.movement
    return minmax_envelope(t, d, n_bins, _imu_gaps(rs))


def movement_trace(rs: ReviewSession) -> tuple[np.ndarray, np.ndarray]:
    """``rs.movement`` at full rate (s, mm), broken at the IMU's gaps."""
    t, d = rs.movement
    return with_gaps(t, d, _imu_gaps(rs))


def above_movement(rs: ReviewSession) -> float:
    """A height (mm) just above the hand's movement drawn (0 while none is known yet)."""
    d = rs.movement[1] if rs.movement is not None else ()
    d = np.asarray(d)[np.isfinite(d)] if len(d) else ()
    return float(d.max() + 0.08 * max(np.ptp(d), 1.0)) if len(d) else 0.0


def on_movement(rs: ReviewSession, t_s) -> np.ndarray:
    """The hand's movement (mm) drawn at times ``t_s``; 0 where none is known (yet)."""
    t, d = rs.movement if rs.movement is not None else ((), ())
    return np.interp(t_s, t, d) if len(t) else np.zeros(len(t_s))


def movement_span(rs: ReviewSession) -> tuple[float, float] | None:
    """What a plot of the movement should span (mm): the movement and the row of cycles above
    it; None while the movement is not known."""
    d = np.asarray(rs.movement[1]) if rs.movement is not None else np.empty(0)
    d = d[np.isfinite(d)]
    return (float(d.min()), above_movement(rs)) if len(d) else None


def marks_on_movement(rs: ReviewSession, cycles: list[dict], thrusts: list[dict],
                      pops: list[dict] = ()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Heights (mm) at which events of a session with a worn IMU alone are marked: its IMU
    ``cycles`` in a row just above the movement, at their crests' moments (the trace drawn leads
    the hand, docs/imu.md step 3, so on it they sat on the falling side of its crests); its
    ``thrusts`` (no force: at the movement at their peak) and ``pops`` on the movement."""
    return (np.full(len(cycles), above_movement(rs)), on_movement(rs, [e["t_peak"] for e in thrusts]),
            on_movement(rs, [p["t"] for p in pops]))


def movement_marks(rs: ReviewSession) -> list[tuple[str, tuple[int, int, int], list[float], list[float]]]:
    """The IMU cycles and thrusts of a session with a worn IMU alone grouped for drawing, as
    :func:`ui.review.trace.event_marks` groups a force's: ``(symbol, colour, t_s, mm)``, cycles
    ("o", ungraded) and thrusts ("t")."""
    cyc, thr = rs.of_type("imu_cycle"), rs.of_type("thrust")
    cyc_y, thr_y, _ = marks_on_movement(rs, cyc, thr)
    out = []
    if cyc:
        out.append(("o", grade_color(None), [float(e["t_crest"]) for e in cyc], [float(y) for y in cyc_y]))
    if thr:
        out.append(("t", grade_color("V"), [float(e["t_peak"]) for e in thr], [float(y) for y in thr_y]))
    return out


def thrust_overlays(rs: ReviewSession) -> list[tuple[dict, np.ndarray, np.ndarray]]:
    """Each thrust of ``rs`` whose movement was measured (``rs.movement.thrusts``), as the Session
    tab draws it over the movement: ``(thrust, t_s, mm)``, the curve raised to sit on the movement
    drawn at the thrust's onset, so its rise from the onset to the thrust's peak is the thrust's
    "hand moved" figure. Empty while the movement is not known, and with force."""
    curves = getattr(rs.movement, "thrusts", None) if rs.imu_only else None
    if not curves:
        return []
    out = []
    for e in rs.of_type("thrust"):
        c = curves.get(float(e["t_onset"])) if e.get("t_onset") is not None else None
        if c is not None:
            out.append((e, c[0], c[1] + float(on_movement(rs, [float(e["t_onset"])])[0])))
    return out
