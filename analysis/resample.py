"""Streaming despike + resample of an irregular force stream onto a uniform grid.

BLE and hobby boards deliver irregular, jittered timestamps at 50 Hz–2 kHz. The detectors work
on a uniform grid at ``rate_hz`` (default 1 kHz): a single-sample spike is removed first by a
median of three input samples (one sample of look-ahead), then the despiked samples are
linearly interpolated onto grid times ``t0 + k/rate_hz``. Grid times come from the integer
``k``, so the output does not depend on how the input was chunked.

A pause longer than ``max_gap_s`` is a dropout: the grid restarts after it and the caller is
told, so no cycle is stitched across missing data. A caller that knows of a join the times do not
show (a logger's clock that stepped back, the rows between skipped) registers it with
:meth:`Resampler.cut_before`: the grid restarts there as after a dropout.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# a pause longer than this (s) is a dropout: the grid restarts after it (a sensor's slowest rate,
# an HX711's 10 samples a second, steps 0.1 s)
MAX_GAP_S = 0.25


@dataclass
class Segment:
    """Uniform samples ``x`` (rows, if fed rows) at grid indices ``k0 .. k0+len(x)-1``; ``new``
    marks a restart."""

    k0: int
    t_s: np.ndarray
    x: np.ndarray
    new: bool


def median3(prev: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Median of each sample with its neighbours; ``prev`` holds the two samples before ``x``.

    Returns ``len(x)`` values centred on ``[prev[-1], x[0], ..., x[-2]]``.
    """
    a = np.concatenate([prev, x])
    p, c, n = a[:-2], a[1:-1], a[2:]
    return np.maximum(np.minimum(p, c), np.minimum(np.maximum(p, c), n))


class Resampler:
    """Despike and resample; see module docstring.

    ``feed(t_s, x)`` returns a list of :class:`Segment`; ``x`` holds a value per time, or a row of
    values (each column despiked and resampled as on its own). ``dropped_backwards`` counts samples
    whose time did not advance (they are skipped); ``gaps`` lists ``(t_from, t_to)`` dropouts and
    the joins registered with :meth:`cut_before`.
    """

    def __init__(self, rate_hz: float = 1000.0, max_gap_s: float = MAX_GAP_S,
                 despike_max_step_s: float = np.inf) -> None:
        self.rate_hz = float(rate_hz)
        self.max_gap_s = float(max_gap_s)
        # a sample whose neighbours lie further than this from it in time is kept as it is:
        # where three samples span as long as the signal's own fastest change (an IMU's thrust
        # at 50 Hz), a one-sample peak is real and the median would cut it
        self.despike_max_step_s = float(despike_max_step_s)
        self.dropped_backwards = 0
        self.gaps: list[tuple[float, float]] = []
        self._raw_t: np.ndarray = np.empty(0)   # last input samples awaiting their median
        self._raw_x: np.ndarray = np.empty(0)
        self._last_t = -np.inf                  # last despiked sample (left end for interp)
        self._last_x = np.empty(0)
        self._t0: float | None = None           # grid anchor of the current run
        self._k_base = 0                        # global grid index of k=0 of this run
        self._k_next = 0                        # next grid index (relative to the run)
        self._started = False
        self._cuts: list[float] = []            # times before which the grid restarts, not yet reached

    def cut_before(self, t_s: float) -> None:
        """Restart the grid at the first sample at or after ``t_s`` (s), as after a dropout: the
        gap from the sample before it is in ``gaps``, and nothing is stitched across it. Register
        it before feeding the samples around it; the split is made between those samples, so the
        output does not depend on how they were chunked. A time before every sample fed so far
        but the last is past, and ignored (the first sample starts a run anyway)."""
        self._cuts = sorted([*self._cuts, float(t_s)])

    @property
    def k_next_global(self) -> int:
        return self._k_base + self._k_next

    def feed(self, t_s: np.ndarray, x: np.ndarray) -> list[Segment]:
        t_s = np.asarray(t_s, dtype=np.float64)
        x = np.asarray(x, dtype=np.float64)
        if len(t_s) == 0:
            return []
        # drop samples whose time does not advance past the last accepted one
        last = self._raw_t[-1] if len(self._raw_t) else self._last_t
        keep = t_s > np.maximum.accumulate(np.concatenate([[last], t_s]))[:-1]
        if not keep.all():
            self.dropped_backwards += int((~keep).sum())
            t_s, x = t_s[keep], x[keep]
            if len(t_s) == 0:
                return []
        rt = np.concatenate([self._raw_t, t_s])
        rx = np.concatenate([self._raw_x.reshape((-1,) + x.shape[1:]), x])
        # split at dropouts and registered joins so the median never mixes samples across a gap
        out: list[Segment] = []
        gap_at = np.nonzero(np.diff(rt) > self.max_gap_s)[0]
        if self._cuts:
            at = np.searchsorted(rt, self._cuts, side="left")      # the first sample at or after each
            self._cuts = [c for c, i in zip(self._cuts, at) if i >= len(rt)]
            at = at[(at > 0) & (at < len(rt))] - 1
            gap_at = np.union1d(gap_at, at).astype(np.int64)
        start = 0
        for g in list(gap_at) + [None]:
            end = len(rt) if g is None else g + 1
            final = g is not None
            out.extend(self._run(rt[start:end], rx[start:end], final))
            if g is not None:
                self.gaps.append((float(rt[g]), float(rt[g + 1])))
                self._t0 = None          # restart the grid at the next sample
                self._last_t = -np.inf
            start = end
        return out

    def _run(self, rt: np.ndarray, rx: np.ndarray, final: bool) -> list[Segment]:
        """Despike and grid one contiguous run; keep the tail as look-ahead unless ``final``."""
        if self._t0 is None:
            if len(rt) == 0:
                return []
            self._t0 = float(rt[0])
            self._k_base += self._k_next + (1 if self._started else 0)
            self._k_next = 0
            self._new_pending = True
            self._started = True
            # pad the start with the first sample so median3 has a left neighbour
            self._pad = rx[:1]
        n = len(rt)
        if n == 0:
            return []
        if final:
            # the last sample has no right neighbour: repeat it
            xs = np.concatenate([self._pad, rx, rx[-1:]])
            med = median3(xs[:1], xs[1:])[: n]
            mt = rt
            if np.isfinite(self.despike_max_step_s):
                med = self._keep_slow(rt, rx, med, rt[-1])
            self._raw_t, self._raw_x = np.empty(0), np.empty(0)
        else:
            if n < 2:
                self._raw_t, self._raw_x = rt, rx
                return []
            xs = np.concatenate([self._pad, rx])
            med = median3(xs[:1], xs[1:])[: n - 1]
            mt = rt[: n - 1]
            if np.isfinite(self.despike_max_step_s):
                med = self._keep_slow(mt, rx[: n - 1], med, rt[n - 1])
            self._raw_t, self._raw_x = rt[-1:], rx[-1:]
            self._pad = rx[-2:-1]
        return self._grid(mt, med)

    def _keep_slow(self, t: np.ndarray, x: np.ndarray, med: np.ndarray, t_next: float) -> np.ndarray:
        """``x`` where its neighbours are further than ``despike_max_step_s`` on average, else
        its median of three ``med``."""
        t_prev = self._last_t if np.isfinite(self._last_t) else t[0]
        tt = np.concatenate([[t_prev], t, [t_next]])
        slow = 0.5 * (tt[2:] - tt[:-2]) > self.despike_max_step_s
        return np.where(slow.reshape((-1,) + (1,) * (x.ndim - 1)), x, med)

    def _grid(self, mt: np.ndarray, med: np.ndarray) -> list[Segment]:
        if len(mt) == 0:
            return []
        t0, fs = self._t0, self.rate_hz
        k_end = int(np.floor((mt[-1] - t0) * fs + 1e-9))
        k = np.arange(self._k_next, k_end + 1)
        if np.isfinite(self._last_t):
            xp_t = np.concatenate([[self._last_t], mt])
            xp_x = np.concatenate([self._last_x, med])
        else:
            xp_t, xp_x = mt, med
        self._last_t, self._last_x = float(mt[-1]), med[-1:]
        if len(k) == 0:
            return []
        tg = t0 + k / fs
        xg = (np.interp(tg, xp_t, xp_x) if xp_x.ndim == 1 else
              np.stack([np.interp(tg, xp_t, col) for col in xp_x.T], axis=1))
        seg = Segment(self._k_base + int(k[0]), tg, xg, self._new_pending)
        self._new_pending = False
        self._k_next = int(k[-1]) + 1
        return [seg]
