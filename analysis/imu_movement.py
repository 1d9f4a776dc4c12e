"""The hand's movement measured between two times from an IMU's vertical specific force:
integrated twice against its mean (no filter phase, no band gain), troughs refined as the lowest
points above the line joining them, and each band-limited cycle measured so
(:class:`ImuCycleEvent`); the band-limited integration's gain, lead and settling.

:class:`ImuMovement` is a mix-in of :class:`~analysis.imu.ImuProcessor`, whose ``__init__`` sets
the filters and histories it reads (``sos_int``, ``vert``, ``disp``, the run's start ``_run_k0``,
``_run_t0``) and whose stream feeds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

import numpy as np
from scipy import integrate, signal

from analysis.events import Event, register_event_type


@register_event_type
@dataclass(frozen=True)
class ImuCycleEvent(Event):
    """One oscillation of the hand: trough → crest → trough of its movement into the tissue.

    ``displacement_mm`` is crest minus mean trough in mm; ``freq_hz`` is 1 / period.
    """

    TYPE: ClassVar[str] = "imu_cycle"
    t_start: float
    t_end: float
    t_crest: float
    displacement_mm: float
    freq_hz: float
    t_detect_s: float = 0.0


class ImuMovement:
    """Movement and cycle measurement of :class:`~analysis.imu.ImuProcessor` (a mix-in)."""

    def _measure_cycle(self, c, lead_s: float, t_detect: float, share: float,
                       t_known: float, lone: bool = False) -> ImuCycleEvent | None:
        """Move the band-limited cycle's times back by the band's lead, refine its troughs within
        ``share`` of its period, and measure it by :meth:`displacement`; reject it when the
        movement dips well below the troughs (a ramp or a step, not an oscillation). On the retry
        (``share`` is ``retry_share``) the frequency is that of the refined troughs: the band's
        period was off with its troughs. Only thrusts that began by ``t_known`` (the data the
        cycle waited for) count against it: one that began later is not known yet when the data
        comes in small chunks, however it comes. A ``lone`` cycle (none found just before it) that
        ends within ``preload_hold_s`` of a thrust's onset is the hand sinking to the thrust's
        preload and dropped as well."""
        t0, t1 = c.t_start + lead_s, c.t_end + lead_s
        retry = share != self.s.refine_share
        if retry:
            # the band's troughs are off: refine them against gravity measured over a longer span
            # (the mean between them is exact only once they are right), until they stay put
            p = t1 - t0
            bias = self._mean_vert(t0 - self.s.retry_bias_periods * p, t1 + self.s.retry_bias_periods * p)
            t0, t1 = self._refine(t0, t1, share * p, 20, True, bias) or (None, None)
        else:
            t0, t1 = self._refine(t0, t1, share * (t1 - t0)) or (None, None)
        if t0 is None or (retry and not self.s.min_period_s <= t1 - t0 <= self.s.max_period_s):
            return None
        span = self.s.retry_bias_periods * (t1 - t0) if retry else 0.0
        # a thrust is not an oscillation (nor is gravity its mean), and neither is its release:
        # the hand back from its deepest point to the preload, then letting go, within
        # ``refractory_s`` of the burst's last loud sample
        rel, ahead = self.s.refractory_s, self.s.preload_hold_s * lone
        if any(a - 0.05 - ahead <= t1 + span and b + rel >= t0 - span for a, b in self._bursts if a <= t_known):
            return None
        td, d = self._integrate(t0, t1, self._mean_vert(t0, t1))
        if len(d) < 3:
            return None
        r = d - np.linspace(d[0], d[-1], len(d))
        j = int(np.argmax(r))
        amp = float(r[j])
        if amp < self.s.min_cycle_mm or float(r.min()) < -self.s.max_dip_share * amp \
                or abs(float(d[-1] - d[0])) > self.s.max_net_share * amp:
            return None         # a ramp or a step to a new place, not an oscillation
        if lone and amp < self.s.settle_min_cycle_mm * self.settle_left(t0 - self._run_t0):
            return None         # the hand at rest, or ramping in, while the band settles
        band_mm = c.amplitude_n / self.response(c.freq_hz)[0]
        top = self.s.retry_max_band_ratio if retry else self.s.max_band_ratio
        if not self.s.min_band_ratio <= amp / band_mm <= top:
            return None         # the band saw something else (a ramp's transient)
        if retry:
            if self._fell_in(t0, t1) > self.s.max_fall_in_share * amp:
                return None     # the hand came into it moving: the end of a ramp into a set
            t0, t1 = self._leave_rest(td, r, j, amp, t0, t1)
        return ImuCycleEvent(t_start=t0, t_end=t1, t_crest=float(td[j]), displacement_mm=amp,
                             freq_hz=1.0 / (t1 - t0) if retry else c.freq_hz, t_detect_s=t_detect)

    def _fell_in(self, t0: float, t1: float) -> float:
        """How far (mm) above the trough at ``t0`` the movement measured between ``t0`` and
        ``t1`` was in the half period before ``t0``. With the hand at rest there it is no more
        than the last cycle's height; a trough reached still moving (a ramp into a set read as
        a cycle) shows a fall from far higher, the speed it had taken for a slope."""
        p = t1 - t0
        td, d = self._integrate(t0 - 0.5 * p, t1, self._mean_vert(t0, t1))
        if len(d) < 3:
            return 0.0
        d0, d1 = np.interp([t0, t1], td, d)
        before = td < t0
        return float(np.max(d[before] - (d0 + (d1 - d0) * (td[before] - t0) / p), initial=0.0))

    def _leave_rest(self, td: np.ndarray, r: np.ndarray, j: int, amp: float, t0: float,
                    t1: float) -> tuple[float, float]:
        """Troughs ``t0``, ``t1`` of a retried cycle (``r``: its movement above them at times
        ``td``, crest at ``j``) moved to where its rise leaves a rest, and its fall comes to one:
        a trough after a hold is anywhere on it, and its frequency would read low. Found where a
        sine through the ``rest_levels`` of the rise (fall) meets the trough; the noise of the
        flat trough does not move them, as it moves a threshold near it."""
        lo, hi = self.s.rest_levels
        k_lo, k_hi = np.arccos(1 - 2 * lo) / np.pi, np.arccos(1 - 2 * hi) / np.pi
        up = r[:j + 1]
        a_lo = float(td[np.flatnonzero(up <= lo * amp)[-1]])
        a_hi = float(td[np.flatnonzero(up <= hi * amp)[-1]])
        half = (a_hi - a_lo) / (k_hi - k_lo)
        a = a_lo - k_lo * half
        dn = r[j:]
        b_lo = float(td[j + np.flatnonzero(dn <= lo * amp)[0]])
        b_hi = float(td[j + np.flatnonzero(dn <= hi * amp)[0]])
        half = (b_lo - b_hi) / (k_hi - k_lo)
        b = b_lo + k_lo * half
        p = t1 - t0
        return (a if a - t0 > self.s.rest_min_share * p else t0,
                b if t1 - b > self.s.rest_min_share * p else t1)

    def _refine(self, t0: float, t1: float, w: float, n_iter: int = 3,
                settled: bool = False, bias: float | None = None) -> tuple[float, float] | None:
        """Troughs near ``t0`` and ``t1`` (within ``w``): the lowest points above the line that
        joins them, integrating over a fixed window so the data it needs is known up front.
        ``settled``: None unless the troughs stop moving within ``n_iter`` steps."""
        lo, hi = t0 - w, t1 + w
        for _ in range(n_iter):
            td, d = self._integrate(lo, hi, self._mean_vert(t0, t1) if bias is None else bias)
            if len(d) < 3:
                return None
            d0, d1 = np.interp([t0, t1], td, d)
            r = d - (d0 + (d1 - d0) * (td - t0) / (t1 - t0))
            a, b = np.searchsorted(td, [lo + 2 * w, hi - 2 * w])
            n0, n1 = float(td[int(np.argmin(r[:a]))]), float(td[b + int(np.argmin(r[b:]))])
            if (n0, n1) == (t0, t1):
                break
            t0, t1 = n0, n1
        else:
            if settled:
                return None
        return t0, t1

    @cached_property
    def settle_s(self) -> float:
        """How long the band-limited movement takes to forget how a run of data started: the
        time the integrating filter's impulse response stays above a tenth of its peak (3.0 s
        with the default 0.4 Hz band edge). On a simulated III set (2.8 mm peak to peak) whose IMU
        data starts mid-set, the movement is 0.8-1.2 mm off in its first second, at most 0.16 mm
        from 3 s on."""
        h = np.abs(signal.sosfilt(self.sos_int, signal.unit_impulse(int(60 * self.fs))))
        return float(np.flatnonzero(h > 0.1 * h.max())[-1] + 1) / self.fs

    @cached_property
    def _settle_env(self) -> np.ndarray:
        h = np.abs(signal.sosfilt(self.sos_int, signal.unit_impulse(int(60 * self.fs))))
        return np.maximum.accumulate(h[::-1])[::-1] / h.max()

    def settle_left(self, dt_s: float) -> float:
        """What is left of a run's start in the band-limited movement ``dt_s`` after it, as a
        share of the most it can be: the integrating filter's impulse response from then on,
        against its peak (1 at the start, 0.1 at :attr:`settle_s`)."""
        env = self._settle_env
        return float(env[min(len(env) - 1, max(0, int(dt_s * self.fs)))])

    def response(self, freq_hz: float) -> tuple[float, float]:
        """Gain of the band-limited integration relative to an ideal double integrator, and
        its phase lead in seconds, at ``freq_hz``."""
        f = float(np.clip(freq_hz, self._f[0], self._f[-1]))
        lead = float(np.interp(f, self._f, self._lead))
        return float(np.interp(f, self._f, self._gain)), lead / (2 * np.pi * f)

    def _k(self, t_s: float) -> int:
        return self._run_k0 + int(np.floor((t_s - self._run_t0) * self.fs + 1e-9))

    def displacement(self, t0_s: float, t1_s: float, *, turning_points: bool = True,
                     refine_s: float = 0.07) -> tuple[np.ndarray, np.ndarray]:
        """The hand's movement into the tissue between two times, from the bounded history.

        With ``turning_points`` (the default, for a cycle's troughs) the vertical acceleration
        minus its mean over ``[t0_s, t1_s]`` (gravity and the sensor's offset: the hand is at
        rest at both troughs) is integrated twice, and the straight line joining the troughs is
        taken off, so the troughs sit at 0 mm. The troughs are first looked for within
        ``refine_s`` of the given times (a force cycle's troughs may be trimmed or a few ms off;
        an unknown common velocity there adds only such a line). No filter is involved: the
        result is exact in phase and free of the band's gain. Otherwise the band-limited stream is
        returned as is (it leads the movement slightly; see :meth:`response`). Returns
        ``(t_s, disp_mm)``, empty when the interval is no longer (or not yet) in the history.
        """
        if self._state is None or self.units_wrong(t1_s):
            return np.empty(0), np.empty(0)
        k0, k1 = self._k(t0_s), self._k(t1_s) + 1
        if not turning_points:
            d = self.disp.get(k0, k1 + 1)
            # (each sample's time from its index alone: the same sample has the same time
            # however the history was asked for it, so movement_after never gives it twice)
            return self._t(max(k0, self.disp.k_start) + np.arange(len(d))), d.copy()
        w = min(refine_s, self.s.refine_share * (t1_s - t0_s))
        r0, r1 = (self._refine(t0_s, t1_s, w) if w > 0 else None) or (t0_s, t1_s)
        td, d = self._integrate(min(t0_s, r0), max(t1_s, r1), self._mean_vert(r0, r1))
        if len(d) < 3:
            return np.empty(0), np.empty(0)
        d0, d1 = np.interp([r0, r1], td, d)
        d = d - (d0 + (d1 - d0) * (td - r0) / (r1 - r0))
        m = (td >= t0_s - 0.5 / self.fs) & (td <= t1_s + 0.5 / self.fs)
        return td[m], d[m]

    def movement_after(self, t_s: float | None) -> tuple[np.ndarray, np.ndarray]:
        """The band-limited movement (``displacement(..., turning_points=False)``) computed after
        ``t_s`` up to the newest sample (from the start of the history when None), across the
        dropouts within ``history_s``: what a display that last took it up to ``t_s`` adds, the
        same however the data came in chunks. None from the moment the units are first known
        wrong (:meth:`units_wrong`: the end of a block of ``units_block_s``), in whatever chunk that
        moment came."""
        if self._state is None:
            return np.empty(0), np.empty(0)
        self.units_wrong(self.t_last)             # (judges each block the grid has passed)
        k0 = self.disp.k_start if t_s is None else max(self.disp.k_start, self._k(t_s))
        k = np.arange(k0, self.disp.k_end)
        ts, ds = [], []
        for t, d in self._ended + [(self._t(k), self.disp.get(k0, self.disp.k_end))]:
            i = 0 if t_s is None else int(np.searchsorted(t, t_s, side="right"))
            ts.append(t[i:])
            ds.append(d[i:])
        t, d = np.concatenate(ts), np.concatenate(ds)
        if self._first_wrong is not None:          # (the times at which units_wrong is true)
            n = int(np.searchsorted(np.floor((t - self.t_first) / self.s.units_block_s + 1e-9) - 1,
                                    self._first_wrong))
            t, d = t[:n], d[:n]
        return t, d

    def _mean_vert(self, t0_s: float, t1_s: float) -> float:
        """Mean vertical specific force over an interval: gravity plus the sensor's offset when
        the hand is at rest at both ends (zero mean acceleration between turning points)."""
        s = self.vert.get(self._k(t0_s), self._k(t1_s) + 2)
        if len(s) < 2:
            return float("nan")
        return float(integrate.trapezoid(s, dx=1.0) / (len(s) - 1))

    def _integrate(self, t0_s: float, t1_s: float, bias: float) -> tuple[np.ndarray, np.ndarray]:
        """Twice integrate ``vert − bias`` from rest at 0 mm at ``t0_s``; empty if not in history."""
        k0, k1 = self._k(t0_s), self._k(t1_s) + 2
        if k0 < self.vert.k_start or k1 > self.vert.k_end or k1 - k0 < 3 or not np.isfinite(bias):
            return np.empty(0), np.empty(0)
        dt = 1.0 / self.fs
        v = integrate.cumulative_trapezoid(self.vert.get(k0, k1) - bias, dx=dt, initial=0.0)
        d_mm = -1000.0 * integrate.cumulative_trapezoid(v, dx=dt, initial=0.0)
        return self._t(k0) + np.arange(len(d_mm)) * dt, d_mm
