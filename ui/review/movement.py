"""The hand's movement of a session recorded with a hand-worn IMU alone (no force), as the
Session and the Compare tabs draw it: computed from the whole recording on a thread of its own
(seconds for an hour) while the session is already shown, then drawn in mm, its IMU cycles a
row of dots in the ungraded colour above it, its thrusts and pops on it."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from ui.review.data import ReviewSession
from ui.review.trace import gap_spans, grade_color, imu_movement, minmax_envelope, with_gaps

COMPUTING = "computing the hand's movement…"


class MovementWorker:
    """Computes sessions' movement (:func:`ui.review.trace.imu_movement`) on a thread of its own;
    a view's timer takes those computed with :meth:`done`, on the window's thread. Closing does
    not wait for one being computed."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._jobs: list[tuple[Future, ReviewSession]] = []

    def start(self, rs: ReviewSession) -> None:
        """Compute ``rs``'s movement (``rs.inp.imu``); ``rs`` is not touched on the thread."""
        self._jobs.append((self._pool.submit(imu_movement, rs.inp.imu), rs))

    @property
    def busy(self) -> bool:
        """Whether a movement started is not yet taken (:meth:`done`)."""
        return bool(self._jobs)

    def forget(self) -> None:
        """Drop every movement started: the sessions they are of are no longer shown."""
        for job, _ in self._jobs:
            job.cancel()                    # (one being computed finishes and is ignored)
        self._jobs = []

    def done(self) -> list[tuple[ReviewSession, tuple]]:
        """``(session, (t_s, disp_mm))`` of each movement computed since last asked, in the order
        started; an error computing one (a bug) is raised here."""
        ready, waiting = [], []
        for job, rs in self._jobs:
            (ready if job.done() else waiting).append((job, rs))
        self._jobs = waiting
        return [(rs, job.result()) for job, rs in ready]

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


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
