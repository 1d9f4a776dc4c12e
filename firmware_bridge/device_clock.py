"""A sensor's own clock mapped onto the host timeline: offset and drift from the earliest arrivals.

A block of samples arrives some time after its last sample was taken: USB polling, the OS and
the reader add a delay that is never negative and often jittery. So ``t_arrival − t_device`` of
each block lies *above* the true offset; its lower envelope is the offset plus the smallest
delay. :class:`DeviceClock` keeps that envelope per window of device time, fits a line through
the windows' minima (``offset + drift · t_device``, drift bounded to a crystal's plausible range
with a wide margin; a window the others show was delayed all through, such as a backlog sent at
connect, is left out) and maps device times through it.

The mapping a caller sees is continuous and never runs backwards: when the fit moves, the
applied offset follows it at a bounded slew rate (``max_slew``, seconds per second of device
time), and a sample is never placed before the previous one. Pure computation: the caller
passes the arrival times; nothing here reads a clock.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from scipy.stats import theilslopes

WINDOW_S = 1.0            # device seconds per envelope point
FIT_WINDOWS = 120         # two minutes of envelope points in the fit
MIN_FIT_WINDOWS = 10      # fit a drift only after ten seconds
MAX_DRIFT = 5e-3          # ±0.5 %: crystals are off by tens of ppm, ceramic resonators by ~0.1 %
MAX_SLEW = 0.02           # applied offset moves at most 20 ms per device second
FAR_OFF = 0.03            # a clock 3 % off the host's (six times MAX_DRIFT) is no crystal's
RATIO_PARTS = 3           # host-time parts whose device-per-host slopes must agree ...
RATIO_PART_S = 0.25       # ... each this long: decided within the first second (the warm-up)
RATIO_AGREE = 0.02        # ... within 2 % of their median (a backlog or a stall makes them differ)
RATIO_POINTS = 200        # arrivals per part at most in the (quadratic) robust slope
RATIO_WATCH_S = 3.0       # watched for in the first seconds after the first arrival only: later, a
                          # backlog drained after a stall must not switch a crystal's clock over


class DeviceClock:
    """Map device seconds (monotonic, unwrapped) to host seconds; see the module docstring.

    Parameters
    ----------
    max_slew : float
        Largest change of the applied offset per second of device time.
    """

    def __init__(self, max_slew: float = MAX_SLEW) -> None:
        self.max_slew = max_slew
        self.reset()

    def reset(self, not_before_s: float = -np.inf) -> None:
        """Forget the fit (device restarted or reconnected); mapped times stay after ``not_before_s``."""
        self._points: deque[tuple[float, float]] = deque(maxlen=FIT_WINDOWS)
        self._win_start: float | None = None
        self._win_min: tuple[float, float] | None = None
        self._applied: float | None = None
        self._last_dev: float | None = None
        self._not_before = not_before_s
        self._line = (0.0, 0.0)          # (device time, offset there) of the fitted envelope
        self.drift = 0.0
        self.ratio: float | None = None  # device seconds per host second, when no crystal's
        self._recent: deque[tuple[float, float]] = deque()   # (arrival, device time), last parts
        self._first_arrival: float | None = None
        self._ratio_checked = -np.inf

    @property
    def anchored(self) -> bool:
        return self._applied is not None

    def observe(self, t_dev_last: float, t_arrival: float) -> None:
        """Note that the sample taken at device time ``t_dev_last`` had arrived by ``t_arrival``."""
        off = t_arrival - t_dev_last
        if self.ratio is None and (self._first_arrival is None or t_arrival - self._first_arrival <= RATIO_WATCH_S):
            self._watch_ratio(t_dev_last, t_arrival)
        if self.ratio is not None:                 # its own time base: no envelope to fit
            return
        if self._win_start is None:
            self._win_start = t_dev_last
        if t_dev_last - self._win_start >= WINDOW_S and self._win_min is not None:
            self._points.append(self._win_min)
            self._win_start, self._win_min = t_dev_last, None
            self._fit()
        if self._win_min is None or off < self._win_min[1]:
            self._win_min = (t_dev_last, off)
            if len(self._points) < MIN_FIT_WINDOWS:
                self._fit()

    def _watch_ratio(self, t_dev: float, t_arrival: float) -> None:
        """Tell a clock no crystal could run (see the module docstring) from the arrivals of the
        last ``RATIO_PARTS`` parts of host time: each part's robust slope of device time against
        arrival, all far from 1 and agreeing. Then the offset starts the device's samples of the
        moment where they arrived, at the first arrival."""
        if self._first_arrival is None:
            self._first_arrival = t_arrival
        self._recent.append((t_arrival, t_dev))
        span = RATIO_PARTS * RATIO_PART_S
        while self._recent[0][0] < t_arrival - span:
            self._recent.popleft()
        if t_arrival - self._first_arrival < span or t_arrival - self._ratio_checked < RATIO_PART_S:
            return
        self._ratio_checked = t_arrival
        h, t = np.array(self._recent).T
        slopes = []
        for k in range(RATIO_PARTS):
            part = (h >= t_arrival - span + k * RATIO_PART_S) & (h < t_arrival - span + (k + 1) * RATIO_PART_S + 1e-9)
            hp, tp = h[part], t[part]
            if len(hp) < 3 or np.ptp(hp) <= 0:
                return
            step = -(-len(hp) // RATIO_POINTS)
            slopes.append(theilslopes(tp[::step], hp[::step])[0])
        r = float(np.median(slopes))
        if not r > 0 or abs(np.log(r)) < np.log1p(FAR_OFF):
            return
        if np.abs(np.array(slopes) / r - 1).max() > RATIO_AGREE:
            return
        self.ratio, self.drift = r, 0.0
        c = float((h - t / r).min())               # host time of device time 0, least delayed
        t_first = r * (self._first_arrival - c)    # device time when the first block arrived
        self._line = (0.0, self._first_arrival - t_first)

    def _fit(self) -> None:
        """Refit when the envelope changes (once a window, or on a new minimum before the drift fit)."""
        pts = list(self._points) + ([self._win_min] if self._win_min is not None else [])
        t = np.array([p[0] for p in pts])
        off = np.array([p[1] for p in pts])
        # A window whose least offset lies above another's by more than the largest drift could
        # move it was delayed all through (a backlog sent at connect, a burst after a stall): it
        # is no point of the envelope, and fitted it would tilt the drift (the emulator's backlog,
        # 11 s old at connect, set it to the 0.5 % limit: a timeline 0.5 % short while in the fit).
        cone = off[:, None] - off[None, :] - MAX_DRIFT * np.abs(t[:, None] - t[None, :])
        keep = (cone <= 1e-9).all(axis=1)
        t, off = t[keep], off[keep]
        if len(self._points) < MIN_FIT_WINDOWS or len(t) < MIN_FIT_WINDOWS:
            self.drift, self._line = 0.0, (0.0, float(off.min()))
            return
        slope, icpt = np.polyfit(t - t[-1], off, 1)
        self.drift = float(np.clip(slope, -MAX_DRIFT, MAX_DRIFT))
        # the line through the minima, lowered onto the lowest of them (it is an envelope)
        resid = off - (icpt + self.drift * (t - t[-1]))
        self._line = (float(t[-1]), float(icpt + resid.min()))

    def target_offset(self, t_dev: float) -> float:
        """The fitted offset (host − device seconds) at device time ``t_dev``."""
        t_ref, off_ref = self._line
        return off_ref + self.drift * (t_dev - t_ref) if self.drift else off_ref

    def map(self, t_dev: np.ndarray, t_arrival: float | None) -> np.ndarray:
        """Host times for one block of device times ``t_dev`` (s) that arrived at ``t_arrival`` (s).

        ``t_arrival=None`` maps a block already passed to :meth:`observe` (held back while
        the first arrivals are collected, so a start-up burst does not set the offset).
        """
        t_dev = np.asarray(t_dev, np.float64)
        if t_arrival is not None:
            self.observe(float(t_dev[-1]), t_arrival)
        target = self.target_offset(float(t_dev[-1]))
        if self.ratio is not None and self._applied is not None:
            target = self._applied               # its own time base: the offset stays
        if self._applied is None:
            start = self._not_before - float(t_dev[0]) + 1e-6
            self._applied = max(target, start)
            off0 = off1 = self._applied
        else:
            span = max(0.0, float(t_dev[-1]) - self._last_dev)
            limit = self.max_slew * span
            step = min(max(target - self._applied, -limit), limit)
            off0, off1 = self._applied, self._applied + step
            self._applied = off1
        self._last_dev = float(t_dev[-1])
        if len(t_dev) > 1 and off1 != off0:      # spread the slew across the block
            frac = (t_dev - t_dev[0]) / max(float(t_dev[-1] - t_dev[0]), 1e-12)
            return t_dev + off0 + (off1 - off0) * frac
        return t_dev + off1
