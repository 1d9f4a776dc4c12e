"""HVLA thrust (grade V) detection and measurement on a uniformly resampled force stream.

Streaming part (vectorised per chunk): a candidate starts when the force rises faster than
``trigger_rate_n_per_s`` over ``trigger_window_ms``; its running maximum is tracked until the
force has fallen ``confirm_drop_frac`` (1 %) of the rise (at least ``hold_tol_min_n``, and
``confirm_drop_noise`` robust SDs of what the force wobbled by in the hold before the rise), or
``confirm_ms`` passed without a
new maximum, and it is measured there. A thrust is then emitted once the force is back to half of
the measured thrust (so that its duration is known), at most ``release_max_ms`` after the peak;
one that nothing still to come could undo is ``committed`` meanwhile (its index and peak known,
so a pop can be tied to it before its event). A thrust is a single impulse: a
rise as even as an oscillation's (not front-loaded) waits until what follows it shows whether it
was one, or the first cycle of a set (``_single_decision``).

Measurement (on the bounded history, so it is exact whatever the chunking), with ``z`` the
despiked force lightly smoothed by a centred 3 ms mean:

* peak = max of ``z``; base = min of ``z`` in the ``max_ttp_ms`` before the peak;
* onset = last sample before the peak still within ``max(onset_frac*(peak-base), 2.5σ)`` of base,
  σ being the robust spread (noise and tremor) of the held force before it;
* let-up: the highest force in the ``letup_window_s`` before onset marks where easing off began;
  preload = median force over the ``hold_s`` before that; let-up = preload − force at onset;
* thrust amplitude (what the trainer shows) = peak − preload; the mean rate (``rate_n_per_s``) is
  the force's rise from onset to peak over the time to peak, i.e. (peak − force at onset) / ttp:
  the average rate of force application. After a let-up the rise starts below the preload, so
  the mean rate exceeds amplitude / ttp (by up to the let-up over ttp);
* a hold is required: the preload window's spread stays under ``hold_tol`` of the thrust
  amplitude, which is what tells a thrust from a fast mobilisation cycle;
* a thrust out of a ramp or an oscillation can pass that test (it scales with the thrust):
  when the force's ``hold_mean_ms`` mean moved more than ``max(hold_tol_min_n,
  held_move_frac*preload)`` over the hold, no preload was held, and the thrust is reported with
  the force it started from as its preload, no let-up, and an entry in ``no_hold``;
* a ramp as fast as the trigger leaves the lowest force within ``max_ttp_ms`` of the peak on the
  ramp itself: when the force rose steadily (never falling back) through the ``hold_s`` before
  the rise steepens, the thrust starts there (see ``_ramp_onset``) and is reported as above.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.ndimage import maximum_filter1d

from analysis.events import ThrustEvent
from analysis.history import History
from analysis.scheme import ThrustScheme


_WAIT = object()     # _measure: not yet decided (see ThrustDetector.feed)


def _centred_mean(x: np.ndarray, n: int) -> np.ndarray:
    if n <= 1 or len(x) < n:
        return x
    k = np.ones(n) / n
    y = np.convolve(x, k, mode="same")
    h = n // 2
    y[:h], y[-h:] = x[:h], x[-h:]
    return y


class ThrustDetector:
    """Feed uniform segments (despiked force in N); returns :class:`ThrustEvent` objects."""

    def __init__(self, scheme: ThrustScheme, rate_hz: float, r2_n: float | None = None,
                 min_peak_n: float | None = None) -> None:
        self.s = scheme
        self.r2_n = r2_n
        # with a calibration the peak must pass the limit of range (by default clearly beyond it)
        self.min_peak_n = min_peak_n if min_peak_n is not None else (
            None if r2_n is None else scheme.min_peak_r2 * r2_n)
        self.fs = float(rate_hz)
        self.win = max(1, int(round(scheme.trigger_window_ms * 1e-3 * self.fs)))
        self.confirm = int(round(scheme.confirm_ms * 1e-3 * self.fs))
        self.release_max = max(self.confirm, int(round(scheme.release_max_ms * 1e-3 * self.fs)))
        span = scheme.hold_s + scheme.letup_window_s + 2 * scheme.max_ttp_ms * 1e-3 + 6.0
        self.hist = History(int(round(span * self.fs)))
        self.count = 0
        self.rejected = 0
        self.flat_tops: list[tuple[int, float, float]] = []    # (thrust index, force, ms) of flat peaks
        self.no_hold: list[tuple[int, float, float, float]] = []  # (index, onset s, movement N, onset N)
        self.faults: list[tuple[int, str]] = []     # (thrust index, what was wrong with it, one line)
        self.resolved: list[tuple[int, int, ThrustEvent | None]] = []  # recent (trigger k, decision k, event)
        self.n_resolved = 0
        # every thrust given (its trigger's time, s; the event; the time it was known, s: its
        # commitment, when that came before its event, see ``committed``), until forgotten
        # (forget_given): another stream's events may be tied to them much later, when that
        # stream is fed in larger chunks
        self.given: list[tuple[float, ThrustEvent, float]] = []
        # candidates as steep as a thrust broken off before their peak was known, so neither
        # measured nor given: (trigger s, last sample analysed s, at the data's end) (see _cut_off)
        self.cut_off: list[tuple[float, float, bool]] = []
        self._known_s: float | None = None      # the commitment time of the thrust being given
        self._last: tuple | None = None   # (peak grid index, onset N, force it is over below) of the last thrust
        self._reset()

    def _reset(self) -> None:
        self.active = False
        self.cool_k = -1
        self.trig_k = -1
        self.pk_v = -np.inf
        self.pk_k = -1
        self.drop_floor = 0.0                    # the candidate's peak is decided on a fall of this or more
        self.wait_level: float | None = None    # measured, waiting for the release to this force
        self.wait_until = -1                     # ... until this sample (release_max_ms after the peak)
        self.wait_single: tuple | None = None   # (event, what to watch): is the rise a set's first cycle?
        self._single: tuple | None = None       # set by _measure when the event must wait for that
        # a thrust measured and accepted, waiting only for its release to half (for its duration):
        # (event without duration, onset grid index, peak grid index, half level)
        self._committed: tuple | None = None

    def _t(self, k: int) -> float:
        return self._run_t0 + (k - self._run_k0) / self.fs

    @property
    def committed(self) -> ThrustEvent | None:
        """The thrust being given: measured and accepted (its index, onset and peak are final),
        its event waiting for the release to half its rise so that its duration is known; None
        when there is none. Another stream's event can be tied to it by its index now."""
        return self._committed[0] if self._committed is not None else None

    def feed(self, k0: int, t_s: np.ndarray, x: np.ndarray, new: bool) -> list[ThrustEvent]:
        out: list[ThrustEvent] = []
        if new or self.hist.k_end != k0:
            self._flush(out)
            self._cut_off(end=False)
            self._run_k0, self._run_t0 = k0, float(t_s[0])
            self.hist.reset(k0)
            self._reset()
            self._last = None
        self.hist.append(k0, x)
        n = len(x)
        i = 0
        thr = self.s.trigger_rate_n_per_s * self.win / self.fs
        while i < n:
            kk = k0 + i
            if not self.active:
                # rise over the trigger window, using history for the lagged sample
                lag = self.hist.get(kk - self.win, k0 + n - self.win)
                cur = x[i:]
                m = min(len(lag), len(cur))
                if m == 0:
                    break
                off = len(cur) - m
                d = cur[off:] - lag[len(lag) - m:]
                ok = np.flatnonzero(d >= thr)
                ok = ok[(kk + off + ok) > self.cool_k]
                if not ok.size:
                    break
                j = off + int(ok[0])
                self.active, self.trig_k = True, kk + j
                self.pk_v, self.pk_k = float(x[i + j]), kk + j
                self.drop_floor = max(self.s.hold_tol_min_n,
                                      self.s.confirm_drop_noise * self._held_spread(self.trig_k - self.win))
                i += j + 1
                continue
            seg = x[i:]
            kidx = np.arange(kk, kk + len(seg))
            if self.wait_single is not None:
                k_hit, single = self._single_decision(kk, k0 + n)
                if k_hit is None:
                    break
                ev = self._conclude(single, k_hit)
                self._resolve(k_hit, ev, out)
                i = k_hit - k0 + 1
                continue
            if self.wait_level is not None:
                # peak decided: wait for the force to fall to half the measured thrust
                hit = np.flatnonzero((seg <= self.wait_level) | (kidx >= self.wait_until))
                if not hit.size:
                    break
                stop = int(hit[0])
            else:
                base = float(self.hist.get(self.trig_k - self.win, self.trig_k - self.win + 1)[0]) \
                    if self.trig_k - self.win >= self.hist.k_start else float(seg[0])
                rm = np.maximum(np.maximum.accumulate(seg), self.pk_v)
                first = np.concatenate([[seg[0] > self.pk_v], seg[1:] > rm[:-1]])
                last_new = np.maximum(np.maximum.accumulate(np.where(first, kidx, -1)), self.pk_k)
                fell = seg < rm - np.maximum(self.s.confirm_drop_frac * np.maximum(rm - base, 0), self.drop_floor)
                timeout = kidx - last_new >= self.confirm
                hit = np.flatnonzero(fell | timeout)
                stop = int(hit[0]) if hit.size else len(seg)
                if stop > 0:
                    jm = int(np.argmax(seg[:stop]))
                    if seg[jm] > self.pk_v:
                        self.pk_v, self.pk_k = float(seg[jm]), kk + jm
                if not hit.size:
                    break
            k_dec = kk + stop
            ev = self._complete(k_dec) if self._committed is not None else self._measure(k_dec)
            if ev is _WAIT:                      # measured, but not yet back to half of it
                i += stop + 1
                continue
            self.wait_level = None
            if ev is not None and self._single is not None:
                # a rise like an oscillation's: a thrust only if no cycle of its size follows
                self.wait_single, self._single = (ev, self._single), None
                i += stop + 1
                continue
            self._resolve(k_dec, ev, out)
            i += stop + 1
        return out

    def _complete(self, k_dec: int) -> ThrustEvent:
        """The committed thrust's event, its duration measured on the samples through
        ``k_dec`` (None when the force is not yet back to half of its rise), as :meth:`_measure`
        measures it."""
        ev, k_on, k_p, level = self._committed
        self._committed, self._known_s = None, ev.t_detect_s
        n = max(1, int(round(0.003 * self.fs)) | 1)
        h = n // 2
        k_from = max(self.hist.k_start, k_p - h)
        z = _centred_mean(self.hist.get(k_from, k_dec + 1), n)
        post = np.flatnonzero(z[k_p - k_from:] <= level)
        dur = (post[0] + k_p - k_on) / self.fs * 1e3 if post.size else None
        return replace(ev, duration_ms=dur, t_detect_s=self._t(k_dec))

    def _record(self, k_dec: int, ev: ThrustEvent | None) -> None:
        self.resolved.append((self.trig_k, k_dec, ev))
        self.n_resolved += 1
        del self.resolved[:-64]
        if ev is not None:
            self.given.append((self._t(self.trig_k), ev, self._known_s if self._known_s is not None else ev.t_detect_s))
        self._known_s = None

    def forget_given(self, t_s: float) -> None:
        """Forget the thrusts in :attr:`given` that were decided (their event's ``t_detect_s``,
        after their peak) before ``t_s`` (s): one decided later was still in progress then
        (:meth:`in_progress_at`)."""
        keep = next((i for i, (_, ev, _) in enumerate(self.given) if ev.t_detect_s >= t_s), len(self.given))
        del self.given[:keep]

    def in_progress_at(self, t_s: float) -> tuple[float, ThrustEvent | None, bool] | None:
        """The candidate in progress at ``t_s`` (s): triggered at or before it and not decided by
        then (a thrust's event comes when it is decided), as (its trigger's time, s; its thrust,
        once known: committed or given, else None; whether it has been given). None when there was
        none, it was decided no thrust, or the samples analysed have not reached ``t_s``. Once they
        have, the same whatever the chunking, but for the thrust becoming known and given."""
        if self.hist.k_end <= self.hist.k_start or self._t(self.hist.k_end - 1) < t_s:
            return None
        if self.active and self._t(self.trig_k) <= t_s:
            return self._t(self.trig_k), self.committed, False
        for t_trig, ev, _ in reversed(self.given):
            if t_trig <= t_s < ev.t_detect_s:
                return t_trig, ev, True
            if ev.t_detect_s <= t_s:
                break
        return None

    def _resolve(self, k_dec: int, ev: ThrustEvent | None, out: list) -> None:
        self.wait_level, self.wait_single = None, None
        self._record(k_dec, ev)
        if ev is not None:
            out.append(ev)
            self._note_last(ev)
        self.active = False
        self.cool_k = max(k_dec, self.pk_k)

    def _note_last(self, ev: ThrustEvent) -> None:
        start = ev.preload_n - ev.letup_n
        k_pk = self._run_k0 + int(round((ev.t_peak - self._run_t0) * self.fs))
        self._last = (k_pk, start, start + max(self.s.hold_tol_min_n, self.s.single_band_frac * (ev.peak_n - start)))

    def _single_decision(self, k_from: int, k_end: int) -> tuple[int | None, bool]:
        """First sample at or after ``k_from`` (before ``k_end``) that decides whether the rise
        waiting in ``wait_single`` was a single impulse: (index, True) once the force has stayed
        within ``band`` of its lowest level since the peak for as long as the rise took (a hold,
        not an oscillation's trough), or ``single_wait_ratio`` rise times passed after the peak;
        (index, False) once it rose again by ``single_rise_frac`` of the thrust after falling
        at least that far (the next cycle of a set). (None, _) while undecided."""
        _, (p, f_onset, amp, dwell, band, until) = self.wait_single
        x = self.hist.get(p + 1, k_end)
        if not x.size:
            return None, False
        low = np.minimum.accumulate(x)
        d = self.s.single_rise_frac * amp
        again = (low <= f_onset + amp - d) & (x - low >= d)
        top = maximum_filter1d(x, dwell + 1, origin=dwell // 2, mode="nearest")
        held = (np.arange(len(x)) >= dwell) & (top <= low + band)
        k = p + 1 + np.arange(len(x))
        hit = np.flatnonzero((again | held | (k >= until)) & (k >= k_from))
        if not hit.size:
            return None, False
        j = int(hit[0])
        return p + 1 + j, not again[j]

    def _conclude(self, single: bool, k_dec: int) -> ThrustEvent | None:
        ev, (p, f_onset, amp, *_) = self.wait_single
        if not single:
            # the first cycle of a set: undo what measuring it as a thrust recorded
            self.count -= 1
            self.rejected += 1
            self.flat_tops = [f for f in self.flat_tops if f[0] != ev.index]
            self.no_hold = [f for f in self.no_hold if f[0] != ev.index]
            self.faults = [f for f in self.faults if f[0] != ev.index]
            return None
        dur = ev.duration_ms
        if dur is None:
            back = np.flatnonzero(self.hist.get(p, k_dec + 1) <= f_onset + 0.5 * amp)
            if back.size:
                dur = ev.time_to_peak_ms + float(back[0]) / self.fs * 1e3
        return replace(ev, duration_ms=dur, t_detect_s=self._t(k_dec))

    def finish(self) -> list[ThrustEvent]:
        """End of stream: a thrust whose peak is decided is given as it stands (see
        :meth:`_flush`); a candidate whose peak is not known yet is not, and is noted in
        :attr:`cut_off` if it rose like a thrust."""
        self._cut_off(end=True)
        out: list[ThrustEvent] = []
        self._flush(out)
        self._reset()
        return out

    def _flush(self, out: list) -> None:
        """At a dropout or the end of the data: the thrust whose peak is decided is given as it
        stands, without a duration when the force is not yet back to half of its rise, rather
        than dropped with the index it holds. One waiting to tell a single impulse from the
        first cycle of a set is a single impulse: no cycle followed it."""
        if not self.active:
            return
        k_dec = self.hist.k_end - 1
        if self._committed is not None:
            ev = self._complete(k_dec)
        elif self.wait_single is not None:
            ev = self._conclude(True, k_dec)
        elif self.wait_level is not None:
            ev = self._measure(k_dec, final=True)
        else:
            return
        self._resolve(k_dec, ev, out)

    def _cut_off(self, end: bool) -> None:
        """At a dropout or the end of the data (``end``): note in :attr:`cut_off` the candidate
        whose peak was not decided yet if its rise so far, from the force where its trigger window
        began, is at least ``min_amplitude_n`` at ``min_rate_uncalibrated_n_per_s`` or more (as
        steep as a thrust must be to be found without a calibration): a cycle's rise, which sets
        the candidate off as well, rises at a few hundred N/s (at most 600 N/s in the fixtures,
        their thrusts' 800-5600 N/s once they had risen 15 N)."""
        if not self.active or self.wait_level is not None or self.wait_single is not None \
                or self._committed is not None:
            return
        k_r = self.trig_k - self.win
        if k_r < self.hist.k_start or self.pk_k <= k_r:
            return
        rise = self.pk_v - float(self.hist.get(k_r, k_r + 1)[0])
        if rise >= self.s.min_amplitude_n and \
                rise / ((self.pk_k - k_r) / self.fs) >= self.s.min_rate_uncalibrated_n_per_s:
            self.cut_off.append((self._t(self.trig_k), self._t(self.hist.k_end - 1), end))

    def _measure(self, k_dec: int, final: bool = False) -> ThrustEvent | None:
        s, fs = self.s, self.fs
        self._single = None
        max_ttp = int(round(s.max_ttp_ms * 1e-3 * fs))
        lw = int(round(s.letup_window_s * fs))
        hold = int(round(s.hold_s * fs))
        min_hold = int(round(s.min_hold_s * fs))
        slow_ttp = int(round(s.slow_max_ttp_ms * 1e-3 * fs))
        k_lo = max(self.hist.k_start, self.pk_k - max(max_ttp, slow_ttp) - lw - hold - 5)
        raw = self.hist.get(k_lo, k_dec + 1)
        z = _centred_mean(raw, max(1, int(round(0.003 * fs)) | 1))
        p_lo = max(0, self.pk_k - k_lo - int(round(0.02 * fs)))
        p = p_lo + int(np.argmax(z[p_lo:self.pk_k - k_lo + self.confirm + 1]))    # (not in the release)
        peak = float(z[p])
        lo = max(0, p - max_ttp - int(0.05 * fs))
        base_i = lo + int(np.argmin(z[lo:p + 1]))
        base = float(z[base_i])
        amp0 = peak - base
        if amp0 < s.min_amplitude_n or (self.min_peak_n is not None and peak < self.min_peak_n):
            self.rejected += 1
            return None
        # the hold before a thrust begins after the one before it is over (a second thrust 0.2 s
        # after the first had the first's release in its hold, and was lost)
        f = self._after_last(z, k_lo, p)
        noise = self._noise(z, base_i, f)
        onset = self._onset(z, base_i, p, noise)
        sm = _centred_mean(raw, max(1, int(round(0.01 * fs)) | 1))     # (10 ms: the dip, not its noise)
        ramp = too_slow = False
        while True:
            ttp_ms = (p - onset) / fs * 1e3
            short = f > onset - lw - hold        # (a hold shortened by the thrust before)
            w0 = max(f + min_hold, onset - lw) if short else max(0, onset - lw)
            ok = s.min_ttp_ms <= ttp_ms <= (s.slow_max_ttp_ms if too_slow else s.max_ttp_ms) \
                and onset - w0 >= 1 and w0 - hold >= (f - hold if short else 0)
            if ok:
                # let-up and preload hold
                # (out of a hold, the easing began at the highest force before its lowest: not
                # on the rise, which onset may reach by its threshold, above a let-up smaller
                # than that; out of a ramp, the force rose through the window by more)
                dip = w0 + int(np.argmin(z[w0:onset + 1]))
                if z[w0] < z[onset] - max(s.onset_frac * amp0, 2.5 * noise):
                    dip = onset
                ls = w0 + int(np.argmax(z[w0:dip + 1]))
                h0 = max(f, ls - hold) if short else max(0, ls - hold)
                hold_seg = z[h0: ls + 1]
                preload = float(np.median(hold_seg))
                spread = float(np.percentile(hold_seg, 95) - np.percentile(hold_seg, 5))
                f_onset = float(z[onset])
                amp = peak - f_onset
                ok = ramp or spread <= max(s.hold_tol_min_n, s.hold_tol_frac * amp)
            if ok:
                break
            # no hold before it, or its rise too long: a thrust straight out of a ramp (its lowest
            # force in reach lies on the ramp, and a ramp is no hold) starts where the rise steepens
            ramp_onset = None if ramp or too_slow else self._ramp_onset(sm, p, k_lo)
            if ramp_onset is None:
                # or a thrust too slow, out of a held force: reported, and said to be too slow
                slow_onset = None if ramp or too_slow else self._slow_onset(z, p, slow_ttp)
                if slow_onset is None:
                    self.rejected += 1
                    return None
                onset, too_slow = slow_onset, True
                continue
            onset, ramp = ramp_onset, True
        # let-up: from the preload down to the lowest force before the rise (onset sits a little
        # above that dip, by its threshold, which let-up must not lose)
        letup = max(0.0, preload - float(sm[ls:onset + 1].min()))
        # from no preload (the hands at rest before it): a thrust still, its fault said, if it
        # comes back down like one
        no_preload = (f_onset if ramp else preload) < s.min_preload_n
        if letup > 0.5 * amp or amp < s.min_amplitude_n \
                or amp / (ttp_ms / 1e3) < (s.min_rate_n_per_s if self.r2_n is not None
                                           else s.min_rate_uncalibrated_n_per_s):
            self.rejected += 1
            return None
        # release to half amplitude
        post = np.flatnonzero(z[p:] <= f_onset + 0.5 * amp)
        dur_ms = (post[0] + p - onset) / fs * 1e3 if post.size else None
        # a knock or a glitch on the sensor is over in a few milliseconds; a thrust holds its
        # force above half its rise for tens of them
        rise = np.flatnonzero(z[onset:p + 1] < f_onset + 0.5 * amp)
        up = onset + (int(rise[-1]) + 1 if rise.size else 0)
        if post.size and (post[0] + p - up) / fs * 1e3 < s.min_width_ms:
            self.rejected += 1
            return None
        # a held preload: its mean over a tremor period hardly moves in the hold (the spread test
        # above scales with the thrust, so a ramp or an oscillation into a large thrust passes it)
        m = max(1, int(round(0.5 * s.hold_mean_ms * 1e-3 * fs)))
        wide = self.hist.get(k_lo + (h0 if short else ls - hold - m), k_lo + ls + 1)
        slow = _centred_mean(wide, 2 * m + 1)[m:len(wide) - m]
        move = float(np.ptp(slow)) if slow.size else 0.0
        held = move <= max(s.hold_tol_min_n, s.held_move_frac * preload)
        if not ramp and (not held or ls - w0 <= 0.1 * lw):
            # a slow let-up: the force eased off for longer than the let-up window (its highest
            # force at the window's start), from a held preload, so that the window's hold lay
            # (in part) on the let-up
            slow_letup = self._slow_letup(k_lo + ls, k_lo + onset)
            if slow_letup is not None and (not held or slow_letup[2] >= s.least_letup_flagged_n(slow_letup[1])):
                # (held already: only an easing that began clearly higher, not a held force's wobble)
                k_top, preload, _ = slow_letup
                held = True
                letup = max(0.0, preload - float(sm[max(0, k_top - k_lo):onset + 1].min()))
        if not held:
            # no preload to report or to let up from, and the onset (a rise out of the force's
            # lowest level) is lost on a moving force: the thrust starts where the force begins
            # to rise clearly faster than it moved before, and its preload is the force there
            if not ramp:                         # (out of a ramp: found already, past its rate)
                onset = self._rate_onset(sm, p, onset, slow)
            f_onset = float(z[onset])
            amp, ttp_ms = peak - f_onset, (p - onset) / fs * 1e3
            post = np.flatnonzero(z[p:] <= f_onset + 0.5 * amp)
            dur_ms = (post[0] + p - onset) / fs * 1e3 if post.size else None
            preload, letup = f_onset, 0.0
        # a thrust front-loads its rise (the rate peaks early: JMPT 2014;37:294, and the
        # simulator's profile) and is decided now; a rise as even as an oscillation's (half of it
        # in half its time) waits to show that no cycle of its size follows
        half = np.flatnonzero(z[onset:p + 1] < f_onset + 0.5 * amp)
        front_loaded = (int(half[-1]) + 1 if half.size else 0) / max(1, p - onset) <= s.front_loaded_frac
        commit = False
        if not post.size and k_dec < k_lo + p + self.release_max and not final:
            # the force is not yet back to half the measured rise (the peak is decided when the
            # force has fallen ``confirm_drop_frac`` of the rise): wait for it, up to
            # release_max_ms after the peak, so the duration is measured
            self.wait_level = f_onset + 0.5 * amp
            self.wait_until = k_lo + p + self.release_max
            # nothing still to come can undo it unless it came out of a ramp or from no preload
            # (which must come back down), is not front-loaded (a set's first cycle, maybe) or
            # may yet be too short (a knock): otherwise it is a thrust now, and says so
            # (``committed``), so that a pop near its peak need not wait for the release
            if ramp or no_preload or not front_loaded \
                    or (k_dec - k_lo - up) / fs * 1e3 < s.min_width_ms:
                return _WAIT
            commit = True
        if (ramp or no_preload) and not post.size:
            # a ramp that levels off (into a held preload, say) is no thrust: a thrust comes back;
            # so does a push from rest to a preload
            self.rejected += 1
            return None
        if not held:
            self.no_hold.append((self.count, self._t(k_lo + onset), move, f_onset))
        t_on = self._t(k_lo + onset)
        if no_preload:
            self.faults.append((self.count, f"thrust {self.count + 1} at {t_on:.1f} s came with no preload: "
                                            f"{preload:.0f} N before it, under the {s.min_preload_n:g} N of a "
                                            f"held preload; take up the slack to a preload, hold it, then thrust"))
        if too_slow:
            self.faults.append((self.count, f"thrust {self.count + 1} at {t_on:.1f} s took {ttp_ms:.0f} ms to its "
                                            f"peak, slower than a thrust (about 60-{s.max_ttp_ms:g} ms published): "
                                            f"too slow to be high-velocity"))
        dz = np.diff(sm[onset:p + 1]) * fs
        max_rate = float(dz.max()) if dz.size else 0.0
        ttp_s = ttp_ms / 1e3
        self.count += 1
        # a sensor at the end of its range reads one value while the force goes on rising: the
        # top of the thrust is flat, to the bit, for longer than any real peak
        top = raw[onset:] >= raw[onset:].max() - 1e-9 * max(1.0, abs(float(raw[onset:].max())))
        edges = np.flatnonzero(np.diff(np.r_[0, top.astype(np.int8), 0]))
        flat_ms = float(np.max(edges[1::2] - edges[::2])) / fs * 1e3
        if flat_ms >= s.flat_top_ms:
            self.flat_tops.append((self.count - 1, float(raw[onset:].max()), flat_ms))
        # (the lowest of a noisy force lies below its median by a few of its SDs: a let-up
        # stands clear of that)
        letup_flag = letup >= s.least_letup_flagged_n(preload, noise) and held
        if not front_loaded:
            b = max(s.hold_tol_min_n, s.single_band_frac * amp, 4.0 * noise)
            self._single = (k_lo + p, f_onset, amp, max(1, p - onset), b,
                            k_lo + p + int(round(s.single_wait_ratio * (p - onset))))
        ev = ThrustEvent(
            t_onset=self._t(k_lo + onset), t_peak=self._t(k_lo + p), preload_n=preload, peak_n=peak,
            time_to_peak_ms=ttp_ms, duration_ms=dur_ms, rate_n_per_s=amp / ttp_s,
            max_rate_n_per_s=max_rate, letup_n=letup, letup=bool(letup_flag),
            index=self.count - 1, t_detect_s=self._t(k_dec),
        )
        if commit:
            self._committed = (ev, k_lo + onset, k_lo + p, f_onset + 0.5 * amp)
            return _WAIT
        return ev

    def _after_last(self, z: np.ndarray, k_lo: int, p: int) -> int:
        """Index in ``z`` (from grid index ``k_lo``) where the last thrust given was over: its
        force back within ``hold_tol_min_n`` of where it began, or else within
        ``max(hold_tol_min_n, single_band_frac*rise)`` of it; 0 if that lies before ``z`` or
        there was none."""
        if self._last is None:
            return 0
        k_pk, start, level = self._last
        i0 = k_pk - k_lo
        if not 0 <= i0 < p:                  # (over long before what is looked at)
            return 0
        for lv in (start + self.s.hold_tol_min_n, level):     # (back where it began, or near it)
            back = np.flatnonzero(z[i0:p] <= lv)
            if back.size:
                return i0 + int(back[0])
        return 0

    def _held_spread(self, k: int) -> float:
        """What the force as sampled wobbled by (:meth:`_wobble`) in the ``hold_s`` before grid
        index ``k``, where a candidate's rise began: what it may wobble by at the top of a thrust."""
        return self._wobble(self.hist.get(k - int(round(self.s.hold_s * self.fs)), k))

    def _noise(self, z: np.ndarray, base_i: int, floor: int = 0) -> float:
        """What the held force wobbled by (:meth:`_wobble`) in the ``hold_s`` before ``base_i``
        (a slow let-up is no noise: taken as such, it set the onset tens of newtons up the
        thrust)."""
        return self._wobble(z[max(floor, base_i - int(round(self.s.hold_s * self.fs))): base_i + 1])

    def _wobble(self, pre: np.ndarray) -> float:
        """Noise + tremor level (robust SD, N) of the force ``pre``, about its mean over a tremor
        period (``hold_mean_ms``); 0 under 5 samples."""
        mh = max(1, int(round(0.5 * self.s.hold_mean_ms * 1e-3 * self.fs)))
        if len(pre) > 2 * mh + 5:
            pre = pre[mh:len(pre) - mh] - np.convolve(pre, np.ones(2 * mh + 1) / (2 * mh + 1), mode="valid")
        return 1.4826 * float(np.median(np.abs(pre - np.median(pre)))) if len(pre) > 4 else 0.0

    def _onset(self, z: np.ndarray, base_i: int, p: int, noise: float) -> int:
        """The last sample before the peak ``p`` still within ``max(onset_frac*rise, 2.5σ)`` of
        the lowest force ``z[base_i]`` (so tremor does not move the onset early)."""
        base = float(z[base_i])
        tol = max(self.s.onset_frac * (float(z[p]) - base), 2.5 * noise)
        low = np.flatnonzero(z[base_i:p + 1] <= base + tol)
        return base_i + int(low[-1])

    def _slow_onset(self, z: np.ndarray, p: int, slow_ttp: int) -> int | None:
        """Onset of a rise longer than ``max_ttp_ms`` and at most ``slow_max_ttp_ms``, out of the
        lowest force within that reach of the peak ``p``, or None (no such rise, or the force
        was still lower before that reach: a ramp, not a rise from a held force)."""
        s, fs = self.s, self.fs
        lo = max(0, p - slow_ttp - int(0.05 * fs))
        base_i = lo + int(np.argmin(z[lo:p + 1]))
        noise = self._noise(z, base_i)
        before = z[max(0, lo - int(round(s.hold_s * fs))):lo]
        if not before.size or float(before.min()) < float(z[base_i]) - max(s.hold_tol_min_n, 2.5 * noise):
            return None
        onset = self._onset(z, base_i, p, noise)
        return onset if s.max_ttp_ms < (p - onset) / fs * 1e3 <= s.slow_max_ttp_ms else None

    def _slow_letup(self, k_ls: int, k_on: int) -> tuple[int, float, float] | None:
        """Where a let-up slower than ``letup_window_s`` began, and the preload held before it:
        the highest point of the force's ``hold_mean_ms`` mean in the ``letup_max_s`` before the
        onset ``k_on`` (at or before ``k_ls``, the window's highest point), if that mean fell from
        there to the onset without rising back by more than ``hold_tol_min_n`` (one easing off,
        not an oscillation) and moved no more than a held preload does in the ``hold_s`` before
        it. Returns (grid index, preload N, how far the mean fell from there to ``k_ls``, N) or
        None."""
        s, fs = self.s, self.fs
        m = max(1, int(round(0.5 * s.hold_mean_ms * 1e-3 * fs)))
        hold = int(round(s.hold_s * fs))
        a = k_on - int(round(s.letup_max_s * fs)) - hold - m
        w = self.hist.get(a, k_on + 1)
        a = k_on + 1 - len(w)                  # (the history may begin later)
        slow = _centred_mean(w, 2 * m + 1)[m:len(w) - m]      # slow[i] is the mean at a + m + i
        i0 = max(hold, k_on - int(round(s.letup_max_s * fs)) - (a + m))
        i1 = k_ls - (a + m) + 1
        if i1 <= i0 or i1 > len(slow):
            return None
        top = i0 + int(np.argmax(slow[i0:i1]))
        fall = slow[top:]
        if float(np.max(fall - np.minimum.accumulate(fall))) > s.hold_tol_min_n:
            return None
        preload = float(np.median(w[top + m - hold: top + m + 1]))
        if float(np.ptp(slow[top - hold: top + 1])) > max(s.hold_tol_min_n, s.held_move_frac * preload):
            return None
        return a + m + top, preload, float(slow[top] - slow[i1 - 1])

    def _rate_onset(self, sm: np.ndarray, p: int, onset: int, slow: np.ndarray) -> int:
        """Onset of a thrust out of a moving force: the last sample before the steepest part of
        the rise whose rate (of ``sm``, N/s) was within ``onset_rate_frac`` of that steepest rate
        and twice the fastest the force moved before (``slow``, its mean over the hold)."""
        fs = self.fs
        lo = max(0, p - int(round(self.s.max_ttp_ms * 1e-3 * fs)) - int(round(0.05 * fs)))
        rate = np.diff(sm[lo:p + 1]) * fs
        if rate.size < 2:
            return onset
        before = float(np.abs(np.diff(slow)).max()) * fs if len(slow) > 1 else 0.0
        j = int(np.argmax(rate))
        calm = np.flatnonzero(rate[:j] <= max(self.s.onset_rate_frac * rate[j], 2.0 * before))
        return lo + (int(calm[-1]) + 1 if calm.size else 0)

    def _ramp_onset(self, sm: np.ndarray, p: int, k_lo: int) -> int | None:
        """Onset of a thrust straight out of a ramp, or None if the force before it was no ramp.

        The thrust must rise ``ramp_rate_ratio`` times faster than the ramp did. The onset is
        where the rise, after the ramp's own rate (its median over the first
        ``hold_mean_ms`` of the ``max_ttp_ms`` before the peak), last stays within
        ``onset_rate_frac`` of the way from that rate to its steepest; before it, over ``hold_s``,
        the force's ``hold_mean_ms`` mean must have risen by more than a held preload moves and
        never fallen back by more than ``hold_tol_min_n`` (an oscillation does, and it keeps its
        own onset from its trough)."""
        s, fs = self.s, self.fs
        lo = max(0, p - int(round(s.max_ttp_ms * 1e-3 * fs)) - int(round(0.05 * fs)))
        rate = np.diff(sm[lo:p + 1]) * fs
        if rate.size < 2:
            return None
        j = int(np.argmax(rate))
        ramp = max(0.0, float(np.median(rate[:max(1, int(round(s.hold_mean_ms * 1e-3 * fs)))])))
        if rate[j] < s.ramp_rate_ratio * ramp:
            return None                          # a rise steepening as it goes: a cycle's, no thrust
        calm = np.flatnonzero(rate[:j] <= ramp + s.onset_rate_frac * (rate[j] - ramp))
        onset = lo + (int(calm[-1]) + 1 if calm.size else 0)
        if not s.min_ttp_ms <= (p - onset) / fs * 1e3 <= s.max_ttp_ms:
            return None
        m = max(1, int(round(0.5 * s.hold_mean_ms * 1e-3 * fs)))
        k_on = k_lo + onset
        wide = self.hist.get(k_on - int(round(s.hold_s * fs)) - m, k_on + 1)
        slow = _centred_mean(wide, 2 * m + 1)[m:len(wide) - m]
        if slow.size < 2:
            return None
        fell = float(np.max(np.maximum.accumulate(slow) - slow))
        rose = float(slow[-1] - slow[0])
        if fell > s.hold_tol_min_n or rose <= max(s.hold_tol_min_n, s.held_move_frac * float(sm[onset])):
            return None
        return onset

    @property
    def active_since(self) -> int | None:
        """Grid index of the undecided candidate's trigger, or None when idle."""
        return self.trig_k if self.active else None

