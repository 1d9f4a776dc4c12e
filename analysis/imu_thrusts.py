"""Thrusts from an IMU's acceleration: bursts of the band-passed vertical specific force that
stand well above the second before, measured from the hand held before the onset, known once
the hand has come back from its deepest point (so a pop can be tied to one before its event),
and what another stream asks of them (:meth:`ImuThrusts.thrust_in_progress`,
:meth:`ImuThrusts.thrusts_begun_by`, the movement of a force thrust: :meth:`ImuThrusts.thrust_movement`).

:class:`ImuThrusts` is a mix-in of :class:`~analysis.imu.ImuProcessor`, whose ``__init__`` sets
the state it reads (``_in_burst``, ``_burst_k0``, ``_thrust_due``, ``_loud``, ``_known``,
``_broken``, ``given``, ...) and whose stream feeds it (``_segment`` calls :meth:`_thrusts`).
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from analysis.events import Event, ThrustEvent


class ImuThrusts:
    """Thrust detection and measurement of :class:`~analysis.imu.ImuProcessor` (a mix-in)."""

    def _thrusts(self, k0: int, mag: np.ndarray) -> list[Event]:
        """Acceleration bursts well above the preceding second's level → thrust events, each
        given once the data up to its decision (:meth:`_measure_burst`) is in."""
        s, fs = self.s, self.fs
        above = np.flatnonzero(mag >= s.thrust_acc_mps2) + k0
        quiet_n = int(s.burst_quiet_s * fs)
        n_ttp = int(round(s.max_time_to_peak_s * fs))
        k_end = k0 + len(mag)
        pos = 0
        while True:
            if not self._in_burst:
                if pos >= len(above):
                    break
                k = int(above[pos])
                pos += 1
                if k < self._refractory_k:
                    continue
                before = np.concatenate([self.burst.get(k - int(fs), k - int(0.1 * fs)),
                                         mag[max(0, k - int(fs) - k0): max(0, k - int(0.1 * fs) - k0)]])
                level = float(np.sqrt(np.mean(before ** 2))) if len(before) else 0.0
                if mag[k - k0] >= s.thrust_snr * max(level, 1e-3):
                    self._in_burst, self._burst_k0, self._burst_last = True, k, k
                    self._loud[k] = [k]
                continue
            nxt = int(above[pos]) if pos < len(above) else None
            if nxt is not None and nxt - self._burst_last <= quiet_n:
                self._burst_last = nxt
                if nxt <= self._burst_k0 + n_ttp:
                    self._loud[self._burst_k0].append(nxt)
                pos += 1
                continue
            if (nxt if nxt is not None else k_end) - self._burst_last <= quiet_n:
                break                                # the burst may go on in the next chunk
            k_a = self._burst_k0
            k_dec = max(self._burst_last + quiet_n, k_a + int(round(s.max_time_to_peak_s * fs)))
            self._thrust_due.append((k_dec, k_a, self._burst_last + 1))
            self._bursts = self._bursts[-15:] + [(self._t(k_a), self._t(self._burst_last))]
            self._in_burst = False
            self._refractory_k = self._burst_last + int(s.refractory_s * fs)
        return self._thrusts_due()

    def _thrusts_due(self, final: bool = False) -> list[Event]:
        """The thrusts whose decision's data is in (``final``: all, on what there is)."""
        out: list[Event] = []
        while self._thrust_due and (final or self._thrust_due[0][0] + 2 <= self.vert.k_end):
            out.append(self._measure_burst(*self._thrust_due.pop(0)))
        return out

    def _measure_burst(self, k_dec: int, k_a: int, k_b: int) -> ThrustEvent:
        """Onset = first loud sample; peak = the hand's deepest point within
        ``max_time_to_peak_s`` of it, or the first one it comes back from (:meth:`_peak_of`).
        The movement is the vertical acceleration integrated twice
        from the hand held before the onset (``thrust_hold_s``, whose mean is gravity and the
        sensor's offset), as a cycle's is between its troughs: the band-limited stream, whose
        lower edge takes a thrust's step for a short pulse, put the peak 70 ms early on
        simulated 120 ms thrusts and read 65 % of their movement."""
        fs = self.fs
        k_dec = min(k_dec, self.vert.k_end - 2)
        t_a, t_dec = self._t(k_a), self._t(k_dec)
        moved = k_pk = None
        self._known.pop(k_a, None)
        self._unknowable.discard(k_a)
        wiggle = self._hold_wiggle(k_a)
        self._wiggle.pop(k_a, None)
        d, j_a = self._from_hold(k_a, k_dec)
        if len(d) > j_a + 1:
            j, j_back = self._peak_of(d, j_a, wiggle)
            k_pk, moved = k_a + j - j_a, float(d[j] - d[j_a])
            # known there (the same time :meth:`_note_known` found, whenever it looked)
            if j_back is not None and not self.units_wrong(self._t(k_a + j_back - j_a)):
                self.known_at[self.n_thrusts] = self._t(k_a + j_back - j_a)
        else:                      # no held hand before it in this run: the band's deepest point
            band = self.disp.get(k_a, k_b)
            k_pk = k_a + int(np.argmax(band)) if len(band) else k_a
        # the burst of the hand's movement into the tissue: its acceleration and deceleration up to
        # the deepest point. The release's acceleration, from the peak on, joined it when it came
        # within burst_quiet_s of the deceleration's last loud sample (identical simulated thrusts
        # of 120 ms read 48 ms or 216-268 ms: the release's speed decided it), not otherwise
        k_loud = max((k for k in self._loud.pop(k_a, [k_a]) if k <= k_pk), default=k_a)
        nan = float("nan")
        ev = ThrustEvent(
            t_onset=t_a, t_peak=self._t(k_pk), preload_n=nan, peak_n=nan,
            time_to_peak_ms=(k_pk - k_a) / fs * 1e3, duration_ms=(k_loud - k_a) / fs * 1e3,
            rate_n_per_s=nan, max_rate_n_per_s=nan, letup_n=nan, letup=None, index=self.n_thrusts,
            source="imu", t_detect_s=t_dec, displacement_mm=moved)
        self.n_thrusts += 1
        return ev

    def _peak_of(self, d: np.ndarray, j_a: int, wiggle_mm: float) -> tuple[int, int | None]:
        """A thrust's peak in the movement ``d`` from its onset ``j_a`` on (:meth:`_from_hold`), and
        the sample where it was known (None: not within ``d``). The peak is the deepest point within
        ``max_time_to_peak_s`` of the onset, unless the hand comes back from an earlier one first:
        the first point the movement from the onset falls below by ``peak_fall_noise`` times the
        wiggle of the held hand's movement before the onset (``wiggle_mm``, :meth:`_hold_wiggle`:
        tremor and noise integrated twice, which make a hand near its deepest point seem to come
        back), at least ``peak_fall_mm``, once it has moved ``peak_min_rise_mm``. The thrust is
        known there: on 48 simulated thrusts (``bench_imu.py --pops``) 10-38 ms after the peak
        (median 24), 92-224 ms after the onset, where the event comes 300-418 ms after it (with a
        fixed 3 % of the movement, 18-64 ms, median 40, and 104-238 ms). A hand that stops short
        and then goes deeper by more than that has the first for its peak; on 394 simulated
        thrusts (bench_imu's, --pops' and 322 with 8-12 Hz tremor of 0.3-0.9 m/s² and noise of
        120-400 µg/√Hz) the hand came back before its deepest point by at most 1.5 times its
        hold's wiggle, and the peaks are those of the whole window (but
        three, where the integrated movement drifted deeper than the thrust's peak by the
        window's end)."""
        s = self.s
        dd = d[j_a:j_a + int(round(s.max_time_to_peak_s * self.fs)) + 1] - d[j_a]
        top = np.maximum.accumulate(dd)
        fall = max(s.peak_fall_noise * wiggle_mm, s.peak_fall_mm) if np.isfinite(wiggle_mm) else np.inf
        back = np.flatnonzero((top >= s.peak_min_rise_mm) & (top - dd >= fall))
        if back.size:
            j = int(back[0])
            return j_a + int(np.argmax(dd[:j + 1])), j_a + j
        return j_a + int(np.argmax(dd)), None

    def _note_known(self) -> None:
        """The thrusts begun (their burst going on, or ended and waiting for their decision) whose
        peak is known already (:meth:`_peak_of`) and whose units are not known wrong by then: their
        index and peak are final (a thrust whose data break off is given on what came,
        :meth:`_thrusts_broken_off`), so :meth:`thrusts_begun_by` gives them before their event."""
        n = int(round(self.s.max_time_to_peak_s * self.fs))
        onsets = [k_a for _, k_a, _ in self._thrust_due] + ([self._burst_k0] if self._in_burst else [])
        for i, k_a in enumerate(onsets):
            if k_a in self._known or k_a in self._unknowable:
                continue
            k_end = min(self.vert.k_end - 2, k_a + n)      # (d runs to k_end + 1: all analysed)
            d, j_a = self._from_hold(k_a, k_end)
            j_back = None
            if len(d) > j_a + 1:
                j, j_back = self._peak_of(d, j_a, self._hold_wiggle(k_a))
            if j_back is None:
                if k_end >= k_a + n:                       # (its window is in: known at its event)
                    self._unknowable.add(k_a)
                continue
            t_known = self._t(k_a + j_back - j_a)
            if self.units_wrong(t_known):
                self._unknowable.add(k_a)
                continue
            nan = float("nan")
            ev = ThrustEvent(
                t_onset=self._t(k_a), t_peak=self._t(k_a + j - j_a), preload_n=nan, peak_n=nan,
                time_to_peak_ms=(j - j_a) / self.fs * 1e3, duration_ms=None, rate_n_per_s=nan,
                max_rate_n_per_s=nan, letup_n=nan, letup=None, index=self.n_thrusts + i, source="imu",
                t_detect_s=t_known, displacement_mm=float(d[j] - d[j_a]))
            self._known[k_a] = (ev, t_known)

    def _thrusts_broken_off(self, end: bool = False) -> list[Event]:
        """At a dropout or the end of the data (``end``): the thrusts waiting for data that will
        not come, measured on what came, and the one whose burst is going on if it is known
        (:meth:`_note_known`). One that is not (its peak not reached, or not told yet) cannot be
        measured: it is not given, and :meth:`notes` says so (:attr:`cut_off`), unless the units
        are known wrong by then."""
        if self._in_burst and self._burst_k0 in self._known:
            k_a = self._burst_k0
            self._thrust_due.append((k_a + int(round(self.s.max_time_to_peak_s * self.fs)), k_a,
                                     self._burst_last + 1))
            self._in_burst = False
        cut = None
        if self._in_burst and self._burst_k0 not in self._known:
            t_a, t_last = self._t(self._burst_k0), self._t(self.vert.k_end - 1)
            if not self.units_wrong(t_last):
                self.cut_off.append((t_a, t_last, end))
            self._in_burst = False
            if not self.units_wrong(t_a):         # (a pop may have named it: thrust_in_progress)
                cut = (t_a, t_last)
        out = self._thrusts_due(final=True)
        if cut is not None:
            # its index is used up, not given to the next thrust, and a pop during it up to
            # where the data broke off still names it, whatever the chunking
            self._broken.append((self.n_thrusts, *cut))
            self._cut_number[cut[0]] = self.n_thrusts
            self.n_thrusts += 1
        self._loud.clear()
        self._known.clear()
        self._unknowable.clear()
        self._wiggle.clear()
        return out

    def _hold_wiggle(self, k_a: int) -> float:
        """RMS (mm) of the held hand's movement before onset ``k_a`` (``thrust_hold_s``, as much of
        it as :meth:`_from_hold` uses) about a parabola: tremor and noise integrated twice, with
        the hold's unknown speed and any error in its mean taken out. NaN without the hold. The
        hold is over before the onset is found, so this is worked out once per thrust."""
        if k_a in self._wiggle:
            return self._wiggle[k_a]
        k_h0, k_h1 = (k_a - int(round(x * self.fs)) for x in self.s.thrust_hold_s)
        t_h0, t_h1 = self._t(max(k_h0, self.vert.k_start)), self._t(k_h1)
        _, h = self._integrate(t_h0, t_h1, self._mean_vert(t_h0, t_h1))
        w = float("nan")
        if len(h) >= 10:
            x = np.arange(len(h)) / self.fs
            r = h - np.polyval(np.polyfit(x, h, 2), x)
            w = float(np.sqrt(np.mean(r * r)))
        self._wiggle[k_a] = w
        return w

    def _from_hold(self, k_a: int, k_end: int) -> tuple[np.ndarray, int]:
        """The movement (mm) from rest at the end of the hold before onset ``k_a`` through
        ``k_end``, and the onset's index in it; empty when under half the hold is in this run."""
        k_h0, k_h1 = (k_a - int(round(x * self.fs)) for x in self.s.thrust_hold_s)
        n_hold = k_h1 - k_h0
        k_h0 = max(k_h0, self.vert.k_start)
        d = np.empty(0)
        if k_h1 - k_h0 >= n_hold // 2:          # at least half the hold is in this run
            # from rest at the hold's end, against its mean (gravity and the sensor's offset):
            # the onset's sample is already in the thrust's first jolt, the hand moving
            t_h1 = self._t(k_h1)
            _, d = self._integrate(t_h1, self._t(k_end), self._mean_vert(self._t(k_h0), t_h1))
        return d, k_a - k_h1

    # --- displacement for the pipeline ----------------------------------------------------
    def thrust_movement(self, t_onset_s: float, t_peak_s: float) -> float | None:
        """How far the hand moved into the tissue (mm) in a thrust timed on another stream (the
        force's): from its onset to its deepest point before ``t_peak_s`` plus
        ``force_peak_slack_s``, measured as an IMU thrust's is (:meth:`_measure_burst`, from the
        hand held before the onset). None when the hold or the thrust is not in the history, or
        the units are known wrong."""
        if self._state is None or self.units_wrong(t_peak_s):
            return None
        k_a = self._k(t_onset_s)
        d, j_a = self._from_hold(k_a, self._k(t_peak_s + self.s.force_peak_slack_s))
        if len(d) <= j_a + 1:
            return None
        return float(np.max(d[j_a:]) - d[j_a])

    def thrust_curve(self, t_onset_s: float, t0_s: float, t1_s: float) -> tuple[np.ndarray, np.ndarray]:
        """The hand's movement (mm into the tissue) over ``[t0_s, t1_s]`` around a thrust whose
        onset is ``t_onset_s``, measured as its ``displacement_mm`` is (:meth:`_measure_burst`):
        the vertical acceleration integrated twice against the mean of the hold before the onset
        (``thrust_hold_s``), from rest at the hold's start; 0 mm at the onset; after the peak, less
        the drift the hand's rest after it shows (:meth:`_settled`). Its rise from the
        onset to the thrust's peak is that figure (the band-limited :meth:`movement_after`, whose
        lower edge takes a thrust's step for a short pulse, rose under half of it on simulated
        thrusts). Returns ``(t_s, disp_mm)`` from the hold's start at the earliest; empty when
        the hold or the onset is not in the history, or the units are known wrong."""
        if self._state is None or self.units_wrong(t1_s):
            return np.empty(0), np.empty(0)
        k_a = self._k(t_onset_s)
        k_h0, k_h1 = (k_a - int(round(x * self.fs)) for x in self.s.thrust_hold_s)
        if k_h0 < self.vert.k_start:
            return np.empty(0), np.empty(0)
        t_h0, t_h1 = self._t(k_h0), self._t(k_h1)
        t_end = min(t1_s, self._t(self.vert.k_end - 2))        # (up to the newest sample analysed)
        bias = self._mean_vert(t_h0, t_h1)
        t, d = self._integrate(t_h0, t_end, bias)
        if len(d) < 3 or t[-1] < t_onset_s:
            return np.empty(0), np.empty(0)
        d = self._settled(t, d, t_onset_s, bias)
        d = d - np.interp(t_onset_s, t, d)
        m = (t >= t0_s - 0.5 / self.fs) & (t <= t1_s + 0.5 / self.fs)
        return t[m], d[m]

    def _settled(self, t: np.ndarray, d: np.ndarray, t_onset_s: float, bias: float) -> np.ndarray:
        """The movement ``d`` (mm at times ``t``, integrated from rest at ``t[0]`` against
        ``bias``) with its drift after the thrust's peak taken off.

        An error in the hold's mean (``bias``) makes the integrated speed drift linearly from
        ``t[0]``, and the displacement with its square: within 0.6 s of the onset of 200 simulated
        thrusts, whose hand comes to rest after the release, the curve went up to 8.8 mm off the
        hand (median 0.73 mm; 0.84 mm and 0.22 mm with the drift taken off). Where the acceleration last
        shows the hand at rest after the peak (the last stretch of ``settle_rest_s`` or more
        whose mean over ``settle_smooth_s`` stays under ``settle_acc_mps2``: after the release,
        and after any step the release's fast movement left in the integrated speed), the
        hand's speed is zero, so the curve's speed over that stretch's first ``settle_rest_s``
        is the drift; that linear drift, from ``t[0]`` to the rest, is taken off from the peak
        on, so the curve up to the peak, and the thrust's figure, stay as measured. A rest whose
        speed would need more drift than ``settle_max_drift_mps2`` is the hand moving steadily
        and is passed over for the one before it. Unchanged when no rest is in ``t``. Quiet is
        judged only where the whole mean is in ``t``, so a rest, once in, stays as found."""
        s, fs = self.s, self.fs
        j_a = int(np.searchsorted(t, t_onset_s - 0.5 / fs))
        j_pk = j_a + int(np.argmax(d[j_a:j_a + int(round(s.max_time_to_peak_s * fs)) + 1]))
        n_avg = int(round(s.settle_smooth_s * fs)) // 2 * 2 + 1
        n_rest = max(2, int(round(s.settle_rest_s * fs)))
        k0 = self._k(float(t[0]))
        acc = self.vert.get(k0, k0 + len(d)) - bias
        if len(acc) != len(d) or len(d) - j_pk < n_avg + n_rest:
            return d
        quiet = np.zeros(len(d) + 2)
        quiet[1 + n_avg // 2:len(d) + 1 - n_avg // 2] = np.abs(signal.convolve(
            acc, np.full(n_avg, 1.0 / n_avg), mode="valid")) < s.settle_acc_mps2
        quiet[:j_pk + 2] = 0.0                          # (after the peak)
        edges = np.flatnonzero(np.diff(quiet))          # (each quiet stretch's start and end)
        for r0, r_end in reversed(list(zip(edges[::2], edges[1::2]))):
            if r_end - r0 < n_rest:
                continue
            r1 = r0 + n_rest - 1
            drift = (d[r1] - d[r0]) / (t[r1] - t[r0]) / (0.5 * (t[r0] + t[r1]) - t[0])   # mm/s²
            if abs(drift) <= 1000.0 * s.settle_max_drift_mps2:
                out = d.copy()
                after = slice(j_pk + 1, None)
                out[after] -= 0.5 * drift * ((t[after] - t[0]) ** 2 - (t[j_pk] - t[0]) ** 2)
                return out
        return d

    def thrusts_decided_through(self, t_s: float) -> bool:
        """Whether every thrust whose onset lies at or before ``t_s`` has been given, so that
        another stream's event (a pop) can be related to them whatever the chunking, as
        :meth:`ForceProcessor.thrusts_decided_through <analysis.force.ForceProcessor.thrusts_decided_through>`
        says of the force's: the grid has been analysed past ``t_s`` (a run's first samples, held
        back, are not), and no burst begun by then is still going on or waiting for the data its
        measure needs. False before any sample was analysed. :meth:`thrusts_known_through` is
        true sooner."""
        last = self.t_analysed
        if last is None or last < t_s:
            return False
        if self._in_burst and self._t(self._burst_k0) <= t_s:
            return False
        return all(self._t(k_a) > t_s for _, k_a, _ in self._thrust_due)

    def thrusts_known_through(self, t_s: float) -> bool:
        """Whether every thrust whose onset lies at or before ``t_s`` has been given or is known
        (:meth:`thrusts_begun_by`: its index and peak final, its event to come), so that a pop
        can be tied to them whatever the chunking: as :meth:`thrusts_decided_through`, but a burst
        whose peak is known (:meth:`_peak_of`) is not waited for."""
        last = self.t_analysed
        if last is None or last < t_s:
            return False
        if self._in_burst and self._t(self._burst_k0) <= t_s and self._burst_k0 not in self._known:
            return False
        return all(self._t(k_a) > t_s or k_a in self._known for _, k_a, _ in self._thrust_due)

    def thrusts_cut(self) -> set[int]:
        """The indices of the thrusts the data broke off in before they were known: not given, and
        not given to another thrust (:attr:`cut_off`). A pop heard during one named it
        (:meth:`thrust_in_progress`) before the break was known; it is tied to no thrust given."""
        return set(self._cut_number.values())

    def thrust_in_progress(self, t_s: float) -> int | None:
        """The index of the thrust in progress at ``t_s``, or None: begun by then (its onset at or
        before it, up to ``max_time_to_peak_s`` before it) and not known by then
        (:meth:`thrusts_begun_by`: the hand had not yet come back from its deepest point, nor its
        event come), its units not known wrong at its onset. Such a thrust is given with that index
        (:meth:`_withhold`), so another stream's event (a pop during the thrust) may name it before
        its peak is known. None too until the grid has been analysed past ``t_s``; from then on,
        the same whatever the chunking. A thrust the data break off in before it is known is not
        given (:attr:`cut_off`), and its index is not given to another."""
        last = self.t_analysed
        if last is None or last < t_s:
            return None
        found = [(ev.index, ev.t_onset, self.known_at.get(ev.index, ev.t_detect_s)) for ev in self.given]
        onsets = [k_a for _, k_a, _ in self._thrust_due] + ([self._burst_k0] if self._in_burst else [])
        for i, k_a in enumerate(onsets):
            known = self._known.get(k_a)
            found.append((self.n_thrusts + i, self._t(k_a), known[1] if known else np.inf))
        found += [(index, onset, np.inf) for index, onset, t_last in self._broken if t_s <= t_last]
        for index, onset, t_known in found:
            if onset <= t_s < t_known and t_s <= onset + self.s.max_time_to_peak_s \
                    and not self.units_wrong(onset):
                return index
        return None

    def thrusts_begun_by(self, t_s: float) -> list[tuple[ThrustEvent, float]]:
        """The thrusts given, or known, whose onset lies at or before ``t_s``, each with the time
        (s) it was known: where its peak was (:meth:`_peak_of`), when that came before its event,
        else its event's. A thrust known is given later with the same index, onset and peak
        (without ``duration_ms`` here), even if the data break off first. Once
        :meth:`thrusts_known_through` ``t_s``, the same whatever the chunking."""
        out = [(ev, self.known_at.get(ev.index, ev.t_detect_s)) for ev in self.given if ev.t_onset <= t_s]
        return out + sorted(((ev, tk) for ev, tk in self._known.values() if ev.t_onset <= t_s),
                            key=lambda x: x[0].index)

    def forget_thrusts(self, t_s: float) -> None:
        """Forget, for :meth:`thrusts_begun_by`, the thrusts given that peaked before ``t_s`` (s)."""
        self._broken = [b for b in self._broken if b[2] >= t_s]
        gone = [ev for ev in self.given if ev.t_peak < t_s]
        if gone:
            self.given = [ev for ev in self.given if ev.t_peak >= t_s]
            for ev in gone:
                self.known_at.pop(ev.index, None)
