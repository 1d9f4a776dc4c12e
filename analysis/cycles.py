"""Oscillation cycle segmentation and grading on a uniformly resampled force stream.

Method
------
1. A causal Butterworth band-stop over tremor (8–12 Hz) and a low-pass against noise
   (``scipy.signal.sosfilt`` with carried state) give the smoothed force ``y``.
2. Turning points with hysteresis ``h``: a crest is confirmed once ``y`` falls ``h`` below its
   running maximum, a trough once ``y`` rises ``h`` above its running minimum, or once the
   cycle's fall has come to rest (see ``_settled``: the last cycle of a set, a slow rise out of
   a trough), or once it has dwelt at its minimum for ``dwell_confirm_s``, or once it falls well
   below the previous trough (ramp out of a set: ``EXIT_DEEP`` of the rise; one ``EXIT_SHARE``
   below it waits for the force to turn, rest or fall that far, as a set's troughs vary).
3. A candidate cycle trough → crest → trough is kept only if rise and fall are comparable
   (otherwise the ramp part is trimmed at the level of the other trough; a rest before the set
   is cut where the first rise begins, past the ramp and any hold at its end: ``_rise_foot``),
   its amplitude stands clear of noise, its period is plausible, and no thrust peaked inside it. A segment that begins on a rise (data resuming after a dropout) has no
   trough at its start: its first cycle starts at the first trough the force falls into.
   A slow cycle that a wobble of the hand cut into pieces (reversals too small for a cycle
   riding on it) is found on a zigzag of the same turning points that keeps only swings of a
   cycle's size, when no cycle was found in its span, or on a ramp out of the set for the last
   one; its crest and troughs are those of the force's mean over the wobble's period. A
   wobble as large as a small cycle makes cycles of its own: those riding high on a slow swing
   made of such reversals are held until the swing is decided (``_on_slow_swing``), and
   dropped if it is a cycle.
4. Times are corrected for the filter's group delay at 1 Hz; values come from ``y``, whose gain
   stays close to unity across the mobilisation band.

Everything per chunk is vectorised; the Python loop runs once per turning point.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import signal

from analysis.events import CycleEvent
from analysis.filtering import sosfilt_zi
from analysis.history import History
from analysis.scheme import GradingScheme
from analysis.undersized import UndersizedOscillations


def lowpass_delay_s(sos: np.ndarray, rate_hz: float, at_hz: float = 1.0) -> float:
    """Group delay of ``sos`` at ``at_hz`` in seconds, from the phase of its response a little
    either side (section by section, which stays accurate where the expanded transfer function
    of a narrow filter at a high rate does not)."""
    dw = 0.01 * at_hz
    _, h = signal.sosfreqz(sos, worN=[at_hz - dw, at_hz + dw], fs=rate_hz)
    dphi = np.angle(h[1] / h[0])
    return float(-dphi / (2 * np.pi * 2 * dw))


NOISE_BAND_HZ = (15.0, 40.0)   # above mobilisation and tremor, where a sensor's noise shows
TREMOR_BAND_HZ = (7.0, 13.0)   # physiological tremor
NOISE_BLOCK_S = 0.25      # noise is measured in blocks this long …
NOISE_KEEP = 8            # … and the median of the last ones sets the hysteresis
MERGE_RATIO = 1.5         # a slow cycle is this much larger than the largest wobble on it
REST_H = 2.0              # a rest stays within this many h of its lowest force (h is still
                          # catching up with the noise at the start of a recording)
ZZ_KEEP = 64              # turning points kept to measure a wobble's period
WOBBLE_MAX_SHARE = 0.25   # a wobble is measured out of a slow cycle only if its period is at
                          # most this share of the cycle's (a mean over it flattens the cycle by
                          # under 11 %, which is undone; a longer one is no wobble but one dip)
WOBBLE_REV = 0.5          # a small cycle rides on a slow one only if the slow one's rise (fall)
                          # to it was made of reversals at least this share of its size
SETTLE_S = 0.02           # a trough's lowest force has stood this long before its fall is taken
                          # as come to rest (a dip of noise through the smoother is shorter)
SCAN_BLOCK_S = 0.5        # the grid is scanned in blocks of this length, aligned on the grid
RAW_WINDOW_S = 0.04       # the force's own crest and troughs are sought this far either side …
RAW_SHARE = 0.5           # … and must span this share of the smoothed amplitude: the smoother
                          # rings after a sharp trough (a fast set's last one), a swing the force
                          # itself did not make
EXIT_SHARE = 0.15         # a fall this share of the rise below the last trough may be a ramp
EXIT_DEEP = 0.3           # out of the set; one this share below it is (a set's troughs vary)
KNEE_S = 0.1              # the ramp into a set (and a hold at its end) rises less in this time …
KNEE_SHARE = 0.15         # … than this share of what the first cycle's rise does at its steepest,
KNEE_TURN = 2.0           # and rises at least this many times as much in as long after its knee


class CycleDetector:
    """Feed uniform segments; returns :class:`CycleEvent` objects as cycles complete.

    ``thrust_peaks`` (times of accepted thrust peaks, with the grid index at which each was
    decided) is shared with the thrust detector so that a thrust is never also a cycle.
    ``rise_foot``: a set's first cycle begins at the knee of its rise (:meth:`_rise_foot`), not
    where the ramp into the set passes the next trough's level (the IMU's band-limited
    movement, whose cycles are measured again between their own troughs, keeps the latter).
    """

    def __init__(self, scheme: GradingScheme, rate_hz: float, rise_foot: bool = True) -> None:
        self.scheme = scheme
        self.rise_foot = rise_foot            # a set's first cycle begins at its rise's knee (_rise_foot)
        self.fs = float(rate_hz)
        self.sos = signal.butter(scheme.lowpass_order, scheme.lowpass_hz, fs=self.fs, output="sos")
        if scheme.tremor_band_hz is not None:
            notch = signal.butter(scheme.lowpass_order, scheme.tremor_band_hz, btype="bandstop", fs=self.fs, output="sos")
            self.sos = np.vstack([notch, self.sos])
        self._zi_unit = signal.sosfilt_zi(self.sos)
        self.delay_s = lowpass_delay_s(self.sos, self.fs)
        # what the smoother lets through that is not movement: sensor noise, watched in a band
        # above movement and tremor, and tremor, watched in its own band; each scaled by what
        # the smoother passes of it (assuming a flat spectrum within the band)
        hi = min(NOISE_BAND_HZ[1], 0.45 * self.fs)
        bands = [(min(NOISE_BAND_HZ[0], 0.5 * hi), hi)]
        if TREMOR_BAND_HZ[1] < 0.45 * self.fs:
            bands.append(TREMOR_BAND_HZ)
        imp = np.zeros(int(4 * self.fs))
        imp[0] = 1.0
        self._nsos, gains = [], []
        ks = (scheme.hysteresis_noise_k, scheme.hysteresis_tremor_k)
        for band, k in zip(bands, ks):
            b = signal.butter(2, band, btype="bandpass", fs=self.fs, output="sos")
            hb = signal.sosfilt(b, imp)
            self._nsos.append(b)
            gains.append(k ** 2 * np.sum(signal.sosfilt(self.sos, hb) ** 2) / np.sum(hb ** 2))
        self._noise_gain2 = np.asarray(gains)    # power passed by the smoother per band, times k²
        # the band filters' steady state for a unit input, scaled to each segment's first sample
        # (computed once: a recording of many short runs started one per run, seconds in all)
        self._nzi_unit = [signal.sosfilt_zi(b) for b in self._nsos]
        self._nb = max(16, int(round(NOISE_BLOCK_S * self.fs)))
        # the grid is appended and scanned a block at a time, so that what lies far enough back
        # to be dropped from the history at a point of the scan does not depend on how much data
        # came with it (History's block)
        self.block = max(1, int(round(SCAN_BLOCK_S * self.fs)))
        self.hist = History(int(round((scheme.max_period_s + 2.0) * self.fs)), self.block)
        self.raw = History(self.hist.capacity, self.block)  # the force before smoothing, on the same grid
        self.thrust_peaks: list[tuple[float, int]] = []
        self.n_emitted = 0
        self.small = UndersizedOscillations()     # oscillations too small to be cycles, told
        self.set_index = 0
        self._last_end_t: float | None = None
        self._max_crest = 0.0
        self._zi = None
        self._reset_state()

    # --- state -------------------------------------------------------------------------
    def _reset_state(self) -> None:
        self.small.cut()                     # (a run of small oscillations ends at a gap)
        self._nzi = None                     # state of the noise-band filter
        self._x_pend = np.empty(0)            # force samples of the block being filled
        self._x_pend_k = 0                   # grid index of its first sample
        self._noise: list[tuple[int, float]] = []   # (grid index where a block ends, its noise SD)
        self._h_noise = 0.0
        self.mode = "fall"
        self.ext_v = np.inf
        self.ext_k = -1
        self.qmin = np.inf
        self.q_change_k = -1
        self.trough_a: tuple[float, int] | None = None
        self.a_rest = False                  # trough_a is a rest before a set (see _scan) …
        self.a_start = False                 # … or the segment's first samples, left on a rise
        self.crest: tuple[float, int] | None = None
        self._exit_wait = False              # fallen EXIT_SHARE below trough_a (see _scan)
        # the same turning points with only swings of a cycle's size kept (a zigzag): a slow
        # cycle cut into pieces by a wobble of the hand is still one cycle there (_zigzag)
        self._zz_t: tuple | None = None      # (trough, rest, start) the slow cycle began at
        self._zz_c: tuple[float, int] | None = None   # its highest crest so far …
        self._zz_fell = False                # … which the force has since fallen a cycle below
        self._zz_b: tuple | None = None      # (trough, rest, start): lowest since that fall
        self._zz_rev = 0.0                   # largest reversal against the slow cycle's way
        self._zz_revs: list[tuple[float, float]] = []   # (level, size) of those reversals
        self._zz_up: list[tuple[float, float]] = []     # dips since the lowest trough of a fall
        self._held: list[tuple[CycleEvent, int]] = []  # small cycles riding on a slow rise, undecided
        self._held_until = -1                # … released (as cycles) at this grid index …
        self._zz_open = False                # … after which the rise is a set at its level
        self._pending_out: list[CycleEvent] = []
        self._zz_last = (np.nan, np.nan)     # last crest and trough values
        self._zz_k: tuple[list[int], list[int]] = ([], [])   # recent crests' and troughs' grid indices
        self._end_k = -1                     # grid index where the last cycle ended
        self._top_run = -np.inf              # highest force since the segment began …
        self._top = -np.inf                  # … and before the lowest one, until its first trough

    @property
    def ref_n(self) -> float:
        if self.scheme.r1_n is not None:
            return self.scheme.r1_n
        return 0.5 * self._max_crest

    @property
    def h(self) -> float:
        s = self.scheme
        return max(s.hysteresis_min_n, s.hysteresis_frac * self.ref_n, self._h_noise)

    def _measure_noise(self, k0: int, x: np.ndarray) -> None:
        """Power in the noise and tremor bands, in fixed blocks of the grid (so the result does
        not depend on chunking), as the wobble it leaves in the smoothed force. The force is
        held until a block is whole and band-filtered a block (or more) at a time: the same
        figures as filtering each chunk, with a filter call per block rather than per chunk."""
        if self._nzi is None:
            # settled on the first sample: a segment that starts at a force is no step into
            # the band filters, which would read as noise and widen the hysteresis
            self._nzi = [z * x[0] for z in self._nzi_unit]
        if not len(self._x_pend):
            self._x_pend_k = k0
        nb = self._nb
        if len(self._x_pend) + len(x) < nb:
            self._x_pend = np.concatenate([self._x_pend, x])
            return
        buf = np.concatenate([self._x_pend, x])
        n_full = len(buf) // nb
        whole = buf[:n_full * nb]
        xb = np.empty((len(whole), len(self._nsos)))
        for i, b in enumerate(self._nsos):
            xb[:, i], self._nzi[i] = sosfilt_zi(b, whole, self._nzi[i])
        blocks = xb.reshape(n_full, nb, -1)
        sd = np.sqrt(np.mean(blocks ** 2, axis=1) @ self._noise_gain2)
        ends = self._x_pend_k + nb * np.arange(1, n_full + 1) - 1
        keep = ends >= self._run_k0 + nb     # the first block holds the filters' settling
        self._noise.extend(zip(ends[keep].tolist(), sd[keep].tolist()))
        self._x_pend = buf[n_full * nb:].copy()
        self._x_pend_k += n_full * nb

    def _update_h(self, k: int) -> None:
        """At a turning point: the noise part of the hysteresis from the blocks ended by ``k``."""
        sd = [v for e, v in self._noise if e <= k][-NOISE_KEEP:]
        if sd:
            self._h_noise = float(np.median(sd))

    def _min_amp(self, crest_n: float = 0.0) -> float:
        return self.scheme.min_amplitude(self.ref_n, crest_n)

    def _t(self, k: int) -> float:
        return self._run_t0 + (k - self._run_k0) / self.fs

    # --- feeding -------------------------------------------------------------------------
    def feed(self, k0: int, t_s: np.ndarray, x: np.ndarray, new: bool) -> list[CycleEvent]:
        b = self.block
        cuts = [0] + list(range(-(-(k0 + 1) // b) * b - k0, len(x), b)) + [len(x)]
        if len(cuts) == 2:
            return self._feed(k0, t_s, x, new)
        out: list[CycleEvent] = []
        for i0, i1 in zip(cuts[:-1], cuts[1:]):
            if i1 > i0:
                out += self._feed(k0 + i0, t_s[i0:i1], x[i0:i1], new and i0 == 0)
        return out

    def _feed(self, k0: int, t_s: np.ndarray, x: np.ndarray, new: bool) -> list[CycleEvent]:
        out = self.finish() if new else []       # the data broke off: held cycles are cycles
        if new or self._zi is None:
            self._zi = self._zi_unit * x[0]
            self._run_k0, self._run_t0 = k0, float(t_s[0])
            self._reset_state()
            self.hist.reset(k0)
            self.raw.reset(k0)
        y, self._zi = sosfilt_zi(self.sos, x, self._zi)
        self.hist.append(k0, y)
        self.raw.append(k0, x)
        self._measure_noise(k0, x)
        out += self._scan(k0, y)
        del self._noise[:-NOISE_KEEP]           # every later turning point is past all of these
        return out

    def finish(self) -> list[CycleEvent]:
        """End of the data: small cycles still held on a slow rise are cycles."""
        return self._release(self.hist.k_end - 1) if self._held else []

    def _scan(self, k0: int, y: np.ndarray) -> list[CycleEvent]:
        out: list[CycleEvent] = []
        n = len(y)
        i = 0
        dwell_n = int(round(self.scheme.dwell_confirm_s * self.fs))
        while i < n:
            end = n
            if self._held and self._held_until < k0 + n:
                # small cycles held on a slow rise are decided at a fixed sample (chunking)
                end = max(i, self._held_until - k0)
                if end == i:
                    out += self._expire(k0 + i)
                    continue
            seg = y[i:end]
            kk = k0 + i
            h = self.h
            if self.mode == "rise":
                rm = np.maximum(np.maximum.accumulate(seg), self.ext_v)
                hit = np.flatnonzero(seg < rm - h)
                stop = hit[0] if hit.size else len(seg)
                if stop > 0:
                    jm = int(np.argmax(seg[:stop]))
                    if seg[jm] > self.ext_v:
                        self.ext_v, self.ext_k = float(seg[jm]), kk + jm
                if not hit.size:
                    i = end
                    continue
                j = int(stop)
                self._update_h(kk + j)
                self.crest = (self.ext_v, self.ext_k)
                self._max_crest = max(self._max_crest, self.ext_v)
                out += self._zigzag_crest(self.crest, kk + j)
                self.mode = "fall"
                self.ext_v, self.ext_k = float(seg[j]), kk + j
                # the dwell test's steps are h/2 of the h now in force (it may just have changed):
                # a level counted in the old, larger steps is not left until the force has fallen
                # one of them, and a fall read as a dwell confirmed a trough part way down
                self.qmin, self.q_change_k = np.floor(seg[j] / (self.h / 2)), kk + j
                i += j + 1
                continue
            # falling: look for a rise, a dwell, or a ramp out of the set
            rmin = np.minimum(np.minimum.accumulate(seg), self.ext_v)
            rise_hit = np.flatnonzero(seg > rmin + h)
            q = np.floor(seg / (h / 2))
            runq = np.minimum(np.minimum.accumulate(q), self.qmin)
            prevq = np.concatenate([[self.qmin], runq[:-1]])
            kidx = np.arange(kk, kk + len(seg))
            last_change = np.maximum(np.maximum.accumulate(np.where(runq < prevq, kidx, -1)), self.q_change_k)
            dwell_hit = np.flatnonzero(kidx - last_change >= dwell_n) if self.crest is not None else np.empty(0, int)
            exit_hit, settle_hit = np.empty(0, int), np.empty(0, int)
            if self.crest is not None and self.trough_a is not None:
                settle_hit = self._settled(seg, kidx, rmin, last_change, dwell_n)
                rise = self.crest[0] - self.trough_a[0]
                exit_level = self.trough_a[0] - max(3 * h, (EXIT_DEEP if self._exit_wait else EXIT_SHARE) * rise)
                exit_hit = np.flatnonzero(seg < exit_level)
            zz_hit = np.empty(0, int)
            if self._zz_fell:
                # the same for a slow cycle that a wobble cut into pieces (see _zigzag_exit)
                zz = self._zz_t[0][0]
                zz_hit = np.flatnonzero(seg < zz - max(3 * h, 0.15 * (self._zz_c[0] - zz)))
            cands = [(int(a[0]), p) for p, a in enumerate((rise_hit, exit_hit, dwell_hit, zz_hit, settle_hit)) if a.size]
            stop = min(cands)[0] if cands else len(seg)
            if stop > 0:
                jm = int(np.argmin(seg[:stop]))
                start = self.trough_a is None and self.crest is None
                if start:
                    top = np.maximum(np.maximum.accumulate(seg[:stop]), self._top_run)
                    self._top_run = float(top[-1])
                if seg[jm] < self.ext_v:
                    self.ext_v, self.ext_k = float(seg[jm]), kk + jm
                    if start:
                        self._top = float(top[jm])
            if not cands:
                self.qmin, self.q_change_k = float(runq[-1]), int(last_change[-1])
                i = end
                continue
            j, kind = min(cands)
            k_now = kk + j
            if kind == 3:
                # the turning points and their hysteresis are those of a scan going straight on
                if seg[j] < self.ext_v:
                    self.ext_v, self.ext_k = float(seg[j]), k_now
                self.qmin, self.q_change_k = float(runq[j]), int(last_change[j])
                out += self._zigzag_exit(k_now)
                i += j + 1
                continue
            if kind == 1 and not self._exit_wait:
                # fallen well below the last trough: a ramp out of the set, or one of its troughs
                # lower than the last (a set's troughs vary); the cycle ends at this fall's trough
                # if the force turns or comes to rest first (_close cuts a long slow fall at the
                # last trough's level), at that level if it falls EXIT_DEEP below it
                self._exit_wait = True
                if j > 0:
                    self.qmin, self.q_change_k = float(runq[j - 1]), int(last_change[j - 1])
                i += j
                continue
            self._update_h(k_now)
            if kind == 1:
                self._exit_wait = False
                # ramp out: close the cycle where the force passes the previous trough's level
                c = self.crest
                after = self.hist.get(c[1], k_now + 1)
                below = np.flatnonzero(after <= self.trough_a[0])
                k_x = c[1] + int(below[0]) if below.size else self.ext_k
                ev = self._close(self.trough_a, c, (self.trough_a[0], k_x), k_now, self.a_rest, self.a_start)
                out += self._drain(ev)
                self.crest = None
                self.qmin = float(np.floor(min(self.ext_v, float(seg[j])) / (self.h / 2)))   # (h may have changed)
                self.q_change_k = int(last_change[j])
                i += j + 1
                continue
            trough = (self.ext_v, self.ext_k)
            # a rest before a set: the force did not fall here from a crest of the set (at most
            # from a wobble too small for a cycle), and it stayed near this trough for a dwell
            # until it rose (a pause at the trough between cycles belongs to their rhythm, a
            # rest before the first one does not)
            before = self.hist.get(k_now - dwell_n, k_now)
            rest = ((self.crest is None or self.crest[0] - self.ext_v < self._min_amp())
                    and len(before) == dwell_n and float(np.max(before)) <= self.ext_v + REST_H * h)
            # the force neither fell into this trough nor stayed at it: the segment began on a
            # rise (data resuming mid-movement after a dropout, a recording started while
            # pushing) or on a low sample of noise; _close tells which
            start = (self.trough_a is None and self.crest is None and self._top - self.ext_v < h
                     and k_now - self._run_k0 < dwell_n)
            if self.crest is not None and self.trough_a is not None:
                ev = self._close(self.trough_a, self.crest, trough, k_now, self.a_rest, self.a_start)
                out += self._drain(ev)
            out += self._zigzag_trough((trough, rest, start), k_now)
            self._exit_wait = False
            self.trough_a, self.a_rest, self.a_start, self.crest = trough, rest, start, None
            self.mode = "rise"
            self.ext_v, self.ext_k = float(seg[j]), k_now
            i += j + 1
        return out

    def _settled(self, seg: np.ndarray, kidx: np.ndarray, rmin: np.ndarray, last_change: np.ndarray,
                 dwell_n: int) -> np.ndarray:
        """Where the fall of a cycle has come to rest (indices into ``seg``), so that its trough
        needs neither the next rise nor a whole dwell: the last cycle of a set is decided by
        its fall to rest, a slow rise out of a trough by the trough itself. The force has
        fallen at least half as far as it rose (and a cycle's minimum amplitude), its lowest
        value has stood for ``SETTLE_S``, and it has not gone a dwell step (h/2) lower for as
        long as it took to fall its last ``h``, nor for as long as the cycle's own fall, were
        it a cosine, would take to move ``h`` at its trough (a slow cycle's trough is that
        flat, and noise on it makes the last ``h`` look quick)."""
        c, ta, h = self.crest, self.trough_a, self.h
        fall = c[0] - rmin
        ok = fall >= max(self._min_amp(), self.scheme.ramp_ratio * (c[0] - ta[0]))
        min_n = SETTLE_S * self.fs
        low_k = np.maximum.accumulate(np.where(seg <= rmin, kidx, self.ext_k))
        ok &= (kidx - low_k >= min_n) & (kidx - last_change >= min_n)
        if not ok.any():
            return np.empty(0, int)
        steps, inv = np.unique(last_change[ok], return_inverse=True)
        wait = np.empty(len(steps))
        for i, kc in enumerate(steps.tolist()):
            # (looked for no further back than the crest, nor than a dwell: the dwell decides sooner)
            y = self.hist.get(max(c[1], kc - dwell_n), kc + 1)
            if not len(y):
                wait[i] = dwell_n
                continue
            above = np.flatnonzero(y >= y[-1] + h)
            last_h = len(y) - 1 - int(above[-1]) if above.size else dwell_n
            flat = 2 * (kc - c[1]) / np.pi * np.sqrt(h / max(c[0] - y[-1], h))
            wait[i] = max(last_h, flat)
        hit = np.flatnonzero(ok)
        return hit[kidx[hit] - last_change[hit] >= wait[inv]]

    # --- a slow cycle cut into pieces by a wobble ----------------------------------------
    def _plateau(self, k_now: int) -> bool:
        """The force's mean over the held cycles' period sat near its top for more than
        ``max_dwell_share`` of the time since the rise began: a set held at a level (entered
        while already oscillating), not the crest of a slow cycle."""
        ev = self._held[0][0]
        n = max(1, int(round(self.fs / ev.freq_hz)))
        y = self.hist.get(self._zz_t[0][1], k_now + 1)
        if len(y) < 2 * n:
            return False
        m = np.convolve(y, np.ones(n) / n, mode="valid")
        top, span = float(m.max()), float(m.max() - m.min())
        low = np.flatnonzero(m[:int(np.argmax(m)) + 1] <= m.min() + 0.1 * span)
        if not low.size:
            return False
        m = m[int(low[-1]):]                     # from where the rise began
        return np.count_nonzero(m >= top - max(self.h, 0.1 * span)) / len(m) > self.scheme.max_dwell_share

    def _expire(self, k_now: int) -> list[CycleEvent]:
        """Small cycles held on a slow rise that has not fallen back by now are a set at that
        level: they are cycles, and so are the next ones on this rise."""
        if not self._held or k_now < self._held_until:
            return []
        self._zz_open = not self._zz_fell
        return self._release(k_now)

    def _zigzag_trough(self, t: tuple, k_now: int) -> list[CycleEvent]:
        v = t[0][0]
        self._zz_k[1].append(t[0][1])
        del self._zz_k[1][:-ZZ_KEEP]
        if self._zz_t is None:
            self._zz_t = t
        elif not self._zz_fell:
            if self._zz_c is not None and self._zz_c[0] - v >= self._zz_swing():
                self._zz_fell, self._zz_b, self._zz_up = True, t, []
                if self._held and self._plateau(k_now):
                    return self._release(k_now)
                if self._held:      # the slow cycle closes within about as long again
                    self._held_until = max(self._held_until, k_now + 2 * (k_now - self._zz_t[0][1]))
            elif v < self._zz_t[0][0]:                # lower than where it began: begin here
                self._zz_t, self._zz_c, self._zz_rev, self._zz_revs = t, None, 0.0, []
                self._zz_last = (self._zz_last[0], v)
                return self._resolve(None, k_now)
            elif self._zz_c is not None:               # a dip on the rise
                self._zz_rev = max(self._zz_rev, self._zz_last[0] - v)
                self._zz_revs.append((v, self._zz_last[0] - v))
        elif v < self._zz_b[0][0]:
            self._zz_b, self._zz_up = t, []
        else:                                          # a dip on the next rise
            self._zz_up.append((v, self._zz_last[0] - v))
        self._zz_last = (self._zz_last[0], v)
        return []

    def _zigzag_crest(self, c: tuple[float, int], k_now: int) -> list[CycleEvent]:
        """A crest a cycle above the lowest trough since the last one's fall ends that slow
        cycle there; it is a cycle if no cycle was found since it began (an ordinary set's
        cycles are found sooner, and are never found twice) and it is at least
        ``MERGE_RATIO`` times the largest wobble on it (not a run of cycles too small to count)."""
        last, self._zz_last = self._zz_last, (c[0], self._zz_last[1])
        self._zz_k[0].append(c[1])
        del self._zz_k[0][:-ZZ_KEEP]
        if self._zz_t is None:
            return []
        if not self._zz_fell:
            if self._zz_c is None or c[0] > self._zz_c[0]:
                self._zz_c = c
            return []
        if c[0] - self._zz_b[0][0] < self._zz_swing():   # a bump on the fall
            self._zz_rev = max(self._zz_rev, c[0] - last[1])
            self._zz_revs.append((c[0], c[0] - last[1]))
            return []
        (ta, rest, start), top, tb, rev = self._zz_t, self._zz_c, self._zz_b[0], self._zz_rev
        self._zz_t, self._zz_c, self._zz_fell, self._zz_b, self._zz_rev = self._zz_b, c, False, None, 0.0
        self._zz_revs, self._zz_up = self._zz_up, []
        self._zz_rev = max((sz for _, sz in self._zz_revs), default=0.0)
        ev = None
        if ta[1] >= self._end_k:
            ev = self._close(ta, top, tb, k_now, rest, start, min_amp_n=MERGE_RATIO * rev,
                             wobble_n=self._wobble_n(ta[1], tb[1]), gate=False)
        return self._resolve(ev, k_now)

    def _resolve(self, ev: CycleEvent | None, k_now: int) -> list[CycleEvent]:
        """The slow swing under held small cycles has ended: they were a wobble on it if it is a
        cycle, and are cycles of their own if not."""
        self._zz_open = False
        out = [] if ev is not None else self._release(k_now)
        self._held = []
        return out + ([ev] if ev is not None else [])

    def _zigzag_exit(self, k_now: int) -> list[CycleEvent]:
        """The force ramps out of the set, falling well below where a slow cycle that had fallen a
        cycle below its crest began (as the ramp out of an ordinary set is found): that cycle ends
        where the force passes the level it began at (no next crest will come to end it)."""
        (ta, rest, start), top, rev = self._zz_t, self._zz_c, self._zz_rev
        k_top = max(top[1], self.hist.k_start)      # (a crest older than the history: from its start)
        after = self.hist.get(k_top, k_now + 1)
        below = np.flatnonzero(after <= ta[0] + 0.5 * self.h)
        k_b = k_top + int(below[0]) if below.size else k_top + int(np.argmin(after))
        tb = (float(self.hist.get(k_b, k_b + 1)[0]), k_b)
        self._zz_t, self._zz_c, self._zz_fell, self._zz_b, self._zz_rev = None, None, False, None, 0.0
        self._zz_revs = []
        ev = None
        if ta[1] >= self._end_k:
            ev = self._close(ta, top, tb, k_now, rest, start, min_amp_n=MERGE_RATIO * rev,
                             wobble_n=self._wobble_n(ta[1], k_b), tb_level=True, gate=False)
        return self._resolve(ev, k_now)

    def _zz_swing(self) -> float:
        return max(self._min_amp(), MERGE_RATIO * self._zz_rev)

    def _on_slow_swing(self, ta, c, tb, amp: float, k_now: int) -> bool:
        """A small cycle rides on a slow one (a wobble of the hand on it), as far as can be told
        yet: the force rose (fell) to it from the slow swing's trough (crest) by reversals at
        least ``WOBBLE_REV`` of its size, below (above) it, and its crest stands ``MERGE_RATIO``
        times its amplitude above that trough (its trough as far below that crest), both taken
        from the force's mean over its period."""
        if self._zz_t is None or self._zz_c is None or self._zz_open:
            return False
        n = tb[1] - ta[1]
        lo, d = min(ta[0], tb[0]), WOBBLE_REV * amp
        if not self._zz_fell:
            if not any(sz >= d and lv <= lo - d for lv, sz in self._zz_revs):
                return False
            low = self._dewobble(self._zz_t[0][1], n, k_now, False)
            return low is not None and c[0] - low >= MERGE_RATIO * amp
        if not any(sz >= d and lv >= c[0] + d for lv, sz in self._zz_revs):
            return False
        top = self._dewobble(self._zz_c[1], n, k_now, True)
        return top is not None and top - lo >= MERGE_RATIO * amp

    def _wobble_n(self, ka: int, kb: int) -> int:
        """The wobble's period (samples) on a slow cycle from ``ka`` to ``kb``: the shortest step
        from one of its crests to the next, or from one trough to the next (0 if none). Where
        the slow cycle is steep the wobble makes no turning point, so longer steps span several
        of its periods; and a window too short only leaves part of the wobble in."""
        d = np.concatenate([np.diff([k for k in ks if ka <= k <= kb]) for ks in self._zz_k])
        return int(d.min()) if d.size else 0

    def _dewobble(self, k: int, n: int, k_now: int, top: bool) -> float | None:
        """The smoothed force's mean over ``n`` samples (one period of a wobble), at its
        highest (``top``) or lowest within a period of ``k``: the slow cycle's crest or trough
        without the wobble on it (None beyond what has been seen by ``k_now``)."""
        a, b = k - n - n // 2, min(k + n + n // 2 + 1, k_now + 1)
        y = self.hist.get(a, b)
        if len(y) < n + 1:
            return None
        m = np.convolve(y, np.ones(n) / n, mode="valid")
        return float(m.max() if top else m.min())

    # --- a candidate cycle -------------------------------------------------------------
    def _rise_foot(self, ta: tuple[float, int], cut_a: tuple[float, int], c: tuple[float, int],
                   level: float) -> tuple[float, int]:
        """Where the first cycle of a set begins when the force rose to it from a rest (or up a
        ramp) at ``ta``; ``cut_a`` is where it last passed ``level``, the next trough's, before the
        crest ``c``. The cycle's rise is steep where the ramp into the set, and a hold at its
        end, are not: the force, at least halfway up from ``ta`` to that level and low enough
        below the crest for a cycle's rise, last rose slowly in ``KNEE_S`` (under ``KNEE_SHARE``
        of the steepest it rises in as long from there to the crest, or within ``REST_H`` h)
        just before the knee where it turns steep; the cycle begins at that knee (the last point
        within h/2 of lying furthest below the way the force went on before it), above that
        level or below it, if the force rises ``KNEE_TURN`` times as fast after it as before it
        and without a reversal over h on to the crest. Without such a knee, at ``cut_a``."""
        k_a = max(ta[1], self.hist.k_start)
        y = self.hist.get(k_a, c[1] + 1)
        under = np.flatnonzero(y < ta[0] + 0.5 * (level - ta[0]))
        i0 = int(under[-1]) + 1 if under.size else 0        # up from the rest
        y = y[i0:]
        d = max(2, int(round(KNEE_S * self.fs)))
        if len(y) <= 2 * d:
            return cut_a
        r = y[d:] - y[:-d]                      # how far the force rises in the next KNEE_S …
        steep = np.maximum.accumulate(r[::-1])[::-1]     # … and at most from there to the crest
        low = y[:-d] <= c[0] - self.scheme.ramp_ratio * (c[0] - level)   # (a rise a cycle's)
        slow = np.flatnonzero(low & (steep >= 2 * REST_H * self.h)
                              & (r <= np.maximum(KNEE_SHARE * steep, REST_H * self.h)))
        if not slow.size:
            return cut_a
        j = int(slow[-1])                       # the steep rise begins within KNEE_S after j,
        i = max(0, j - d)                       # where the force lies furthest below the way
        g = max(0.0, float(y[j] - y[i]) / max(1, j - i))  # it rose (or held) before j
        dev = y[j:j + d + 1] - g * np.arange(d + 1)
        k = j + int(np.flatnonzero(dev <= dev.min() + 0.5 * self.h)[-1])   # (the last, past noise)
        # a knee: the force rises at least KNEE_TURN times as fast after it as before it (a slow
        # cycle's rise steepens gradually, and its foot is where it passes the level)
        before = float(y[k] - y[max(0, k - d)]) if k >= d else 0.0
        after = float(y[min(len(y) - 1, k + d)] - y[k])
        rise = y[k:]                            # (and it is the cycle's own rise: a wobble on a
        if after < KNEE_TURN * max(before, 0.5 * self.h) or \
                float(np.max(np.maximum.accumulate(rise) - rise)) > self.h:   # slow one reverses it)
            return cut_a
        return float(y[k]), k_a + i0 + k

    def _raw_span(self, ka: int, kc: int, kb: int) -> float:
        """How far the unsmoothed force rose to the cycle's crest from the higher of its troughs
        (N): each sought within ``RAW_WINDOW_S`` of where the smoothed force, delayed by the
        smoother, put it (a trough cut on a ramp lies lower in the force than in its lagging
        smoothed copy, so the higher one is the cycle's)."""
        w, d = int(round(RAW_WINDOW_S * self.fs)), int(round(self.delay_s * self.fs))
        top, a, b = (self.raw.get(k - d - w, k - d + w + 1) for k in (kc, ka, kb))
        if not (top.size and a.size and b.size):
            return np.inf                       # (beyond the history: not judged)
        return float(top.max()) - max(float(a.min()), float(b.min()))

    def _close(self, ta, c, tb, k_now: int, a_rest: bool = False, a_start: bool = False,
               min_amp_n: float = 0.0, wobble_n: int = 0, tb_level: bool = False,
               gate: bool = True) -> CycleEvent | None:
        """A candidate cycle from trough ``ta`` over crest ``c`` to trough ``tb`` (value, grid
        index), decided at ``k_now``. A slow cycle with a wobble on it (``wobble_n``, its period)
        is measured without the wobble; ``tb_level``: ``tb`` is where the force passed ``ta``'s
        level, not a trough of its own."""
        s = self.scheme
        cut = [False, tb_level]            # a trough set at the other one's level
        rise, fall = c[0] - ta[0], c[0] - tb[0]
        if rise <= 0 or fall <= 0:
            return None
        # troughs at clearly different levels, or one side much slower than the other: that
        # side is a ramp into or out of the set (or a rest before it); cut it where the force
        # passes the other trough's level
        tol = max(self.h, s.trim_frac * min(rise, fall))
        level = max(ta[0], tb[0]) + 0.5 * self.h
        rise_n, fall_n = c[1] - ta[1], tb[1] - c[1]
        k_a = max(ta[1], self.hist.k_start)     # a long rest may reach past the history
        before = self.hist.get(k_a, c[1])
        idx = np.flatnonzero(before <= level)
        cut_a = (float(before[idx[-1]]), k_a + int(idx[-1])) if idx.size else None
        dwell_n = int(round(s.dwell_confirm_s * self.fs))
        if a_start and (cut_a is None or cut_a[1] - ta[1] < dwell_n):
            # from the segment's first samples straight up past the next trough's level: the
            # end of a movement cut short by a dropout, not a cycle
            return None
        rest = False
        if (a_rest or a_start) and cut_a is not None:
            # a rest before the set is cut too when it lies clearly below the next trough (a
            # slow set's ramp in is not much longer than its fall; the cycle's trough is then
            # the next one's level) or lasts a dwell longer than the force took to settle into
            # the next trough
            after = self.hist.get(c[1], tb[1] + 1)
            above = np.flatnonzero(after > level)
            settle_n = len(after) - int(above[-1]) - 1 if above.size else 0
            rest = a_start or ta[0] < tb[0] - self.h or cut_a[1] - ta[1] > settle_n + dwell_n
            if ta[0] < tb[0] - self.h:
                cut_a = (min(cut_a[0], tb[0]), cut_a[1])
        if ta[0] < tb[0] - tol or rise_n > s.max_time_ratio * fall_n or rest:
            if cut_a is None:
                return None
            # (a slow cycle under a wobble, found on the zigzag, keeps the level: its rise's knee
            # would be one of the wobble's)
            ta, cut[0] = (self._rise_foot(ta, cut_a, c, level) if self.rise_foot and gate else cut_a), True
        elif tb[0] < ta[0] - tol or fall_n > s.max_time_ratio * rise_n:
            after = self.hist.get(c[1], tb[1] + 1)
            idx = np.flatnonzero(after <= level)
            if not idx.size:
                return None
            tb, cut[1] = (float(after[idx[0]]), c[1] + int(idx[0])), True
        rise, fall = c[0] - ta[0], c[0] - tb[0]
        if min(rise, fall) < s.ramp_ratio * max(rise, fall):
            return None
        trough = 0.5 * (ta[0] + tb[0])
        amp = c[0] - trough
        # an oscillation does not sit at its crest for most of its period (a held preload
        # followed by a let-up does)
        seg = self.hist.get(ta[1], tb[1] + 1)
        dwell = np.count_nonzero(seg >= c[0] - max(self.h, 0.1 * amp)) / max(1, len(seg))
        if dwell > s.max_dwell_share:
            return None
        period = (tb[1] - ta[1]) / self.fs
        small = amp < self._min_amp(c[0])
        if amp < min_amp_n or (small and not gate):
            return None
        if self._raw_span(ta[1], c[1], tb[1]) < RAW_SHARE * amp:
            return None
        if not (s.min_period_s <= period <= s.max_period_s):
            return None
        if small:
            self.small.add(ta[1], tb[1], amp, period, self._min_amp(c[0]), self.h, self._t(tb[1]) - self.delay_s)
            return None
        crest = c[0]
        if 0 < wobble_n <= WOBBLE_MAX_SHARE * (tb[1] - ta[1]):
            # the crest and troughs of the slow cycle, not those of the wobble riding on them
            top = self._dewobble(c[1], wobble_n, k_now, True)
            lows = [self._dewobble(t[1], wobble_n, k_now, False) for t, at in zip((ta, tb), cut) if not at]
            lows = [v for v in lows if v is not None]
            if top is not None and lows:
                # the mean over the wobble's period also flattens the slow cycle a little, as
                # much as it does a sine of the cycle's period: undo that
                half = 0.5 * (top - float(np.mean(lows))) / float(np.sinc(wobble_n / (tb[1] - ta[1])))
                mid = 0.5 * (top + float(np.mean(lows)))
                crest, trough, amp = mid + half, mid - half, 2 * half
                if amp < self._min_amp(crest):
                    return None
        d = self.delay_s
        # the smoothed force starts settled on the segment's first sample: nothing before it
        t_start = max(self._t(ta[1]) - d, self._run_t0)
        t_crest, t_end = self._t(c[1]) - d, self._t(tb[1]) - d
        self.thrust_peaks = [p for p in self.thrust_peaks if p[0] > t_start - 5.0]
        for tp, k_dec in self.thrust_peaks:
            if k_dec <= k_now and t_start - 0.05 <= tp <= t_end + 0.05:
                return None
        grade, mod, pct, beyond = s.grade(crest, amp)
        ev = CycleEvent(
            t_start=t_start, t_end=t_end, t_crest=t_crest, grade=grade, modifier=mod,
            trough_n=trough, crest_n=crest, amplitude_n=amp, freq_hz=1.0 / period,
            beyond_r2=beyond, crest_pct=pct, set_index=self.set_index, t_detect_s=self._t(k_now),
            crest_dwell_pct=100.0 * dwell,
        )
        if gate and self._on_slow_swing(ta, c, tb, amp, k_now):
            if not self._held:
                ref = self._zz_c[1] if self._zz_fell else self._zz_t[0][1]
                self._held_until = ta[1] + 2 * max(ta[1] - ref, 0)
            self._held.append((ev, tb[1]))
            if not self._zz_fell and self._plateau(k_now):
                self._zz_open = True
                out = self._release(k_now)
                self._pending_out.extend(out)
            return None
        return self._emit(ev, tb[1])

    def _emit(self, ev: CycleEvent, kb: int) -> CycleEvent:
        if self._last_end_t is not None and ev.t_start - self._last_end_t > self.scheme.set_gap_s:
            self.set_index += 1
        self._last_end_t = ev.t_end
        self._end_k = kb
        self.n_emitted += 1
        self.small.cut()
        return replace(ev, set_index=self.set_index)

    def _drain(self, ev: CycleEvent | None) -> list[CycleEvent]:
        out, self._pending_out = self._pending_out + ([ev] if ev else []), []
        return out

    def _release(self, k_now: int) -> list[CycleEvent]:
        out = [self._emit(replace(ev, t_detect_s=self._t(k_now)), kb) for ev, kb in self._held]
        self._held = []
        return out
