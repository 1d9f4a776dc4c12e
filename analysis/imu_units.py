"""Whether an IMU's units are right, and what :class:`~analysis.imu.ImuProcessor` says of a
recording as a whole (:meth:`ImuUnits.notes`): acceleration not gravity's size, rotation faster
than a hand's, or a gyroscope that turns the vertical away from the accelerometer's, judged in
fixed time blocks so that the verdict does not depend on chunking; and glitches, the sample rate,
dropouts and thrusts the data broke off in.

:class:`ImuUnits` is a mix-in of :class:`~analysis.imu.ImuProcessor`, whose ``__init__`` sets the
state it reads (``_ublk``, ``_ucum``, ``_verdict``, ``_first_wrong``, ``_wrong_sums`` and the
counts of samples kept and left out).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.imu_settings import MIN_CYCLES_RATE_HZ, MIN_THRUST_RATE_HZ


@dataclass(frozen=True)
class UnitsNote:
    """The IMU's units shown wrong (:meth:`ImuProcessor.units_note`): ``said`` what is wrong, in
    the words a status line gives it ("IMU acceleration averages 1 where gravity alone reads
    9.81 m/s² (units in g? give m/s²)"); ``hint`` what to give instead ("units in g? give m/s²"),
    None when no fix is known; ``note`` the whole line :meth:`ImuProcessor.notes` gives (what
    becomes of the movement and thrusts, and what was left out)."""

    said: str
    hint: str | None
    note: str


class ImuUnits:
    """The units check and the recording's notes of :class:`~analysis.imu.ImuProcessor` (a mix-in)."""

    def _units_blocks(self, t_s: np.ndarray, part: np.ndarray, cols: slice) -> None:
        """Add per-sample figures of the units check to fixed time blocks (so the verdict at a time
        does not depend on how the data was chunked): raw samples' (n, Σ|a|², Σ|ω|²) or the grid's
        (n, Σ, Σ²) of what the gyroscope changes in the vertical specific force."""
        b = np.floor((t_s - self.t_first) / self.s.units_block_s).astype(np.int64)
        runs = np.concatenate([[0], np.flatnonzero(np.diff(b)) + 1])     # runs of one block each
        for bb, x in zip(b[runs].tolist(), np.add.reduceat(part, runs, axis=0)):
            self._ublk.setdefault(bb, np.zeros(6))[cols] += x

    def units_wrong(self, t_s: float) -> bool:
        """Whether the data up to ``t_s`` already shows the IMU's units wrong (:meth:`notes`'
        tests: acceleration not gravity's size, rotation faster than a hand's, or a gyroscope that
        turns the vertical away from the accelerometer's). Judged on whole blocks ending by then,
        all of whose data has been analysed once anything detected at ``t_s`` comes out."""
        if self._state is None:
            return False
        bs = self.s.units_block_s
        # (no block the grid has not passed yet: its gyroscope figures are not all in)
        t_s = min(t_s, self._t(self.vert.k_end))
        k = int(np.floor((t_s - self.t_first) / bs + 1e-9)) - 1
        if len(self._verdict) > k:
            return k >= 0 and self._verdict[k]
        # the blocks with data up to k in order, and those without between them in one go (times in
        # ms leave thousands between their samples, and a replay may judge them all at its end)
        for j in sorted(b for b in self._ublk if len(self._verdict) <= b <= k) + [k + 1]:
            if len(self._verdict) < j:
                # blocks without data leave the sums, so the verdict, as they were
                if not self._verdict:
                    self._judge(None)
                self._verdict.extend([self._verdict[-1]] * (j - len(self._verdict)))
            if j <= k:
                self._judge(self._ublk.pop(j))
        return k >= 0 and self._verdict[k]

    def _judge(self, blk: np.ndarray | None) -> None:
        """The units' verdict by the end of the next block, whose sums are ``blk`` (None: no data)."""
        if blk is not None:
            self._ucum += blk
        self._verdict.append(self._wrong_in(self._ucum))
        if self._verdict[-1] and self._first_wrong is None:
            self._first_wrong = len(self._verdict) - 1
            self._wrong_sums = self._ucum.copy()

    def notes(self) -> list[str]:
        """What the user should know about the recording as a whole, one message each."""
        out = []
        n_all = self.n_kept + self._n_bad_finite
        other_units = self.n_glitches > self.n_kept and n_all >= 10    # most samples "glitches"
        if self.n_glitches and not other_units:
            out.append(f"{self.n_glitches} IMU samples beyond what a hand can do (over "
                       f"{self.s.glitch_acc_mps2 / 9.80665:.0f} g or {np.degrees(self.s.glitch_gyro_rads):.0f} °/s, "
                       f"or not numbers) were taken as glitches and left out")
        gaps = self.resampler.gaps
        step = (self.t_last - self.t_first) / (self.n_kept - 1) if self.n_kept > 1 else 0.0
        slow = step > self.resampler.max_gap_s
        if slow:                 # every step a gap: no IMU samples that slowly
            out.append(f"IMU samples come {step:.3g} s apart on average, where an IMU gives 50–2000 a second "
                       f"(IMU times in ms? give seconds): no movement could be measured")
        elif self.n_kept > 10 and not other_units:
            # the rate from the samples' spacing, dropouts left out
            sampled = (self.t_last - self.t_first) - sum(y - x for x, y in gaps)
            rate = (self.n_kept - 1 - len(gaps)) / sampled if sampled > 0 else np.inf
            if rate < MIN_CYCLES_RATE_HZ:
                out.append(f"IMU sampled at {rate:.0f} Hz, under the {MIN_CYCLES_RATE_HZ:g} Hz its analysis needs: "
                           f"the hand's cycles and thrusts may be wrong")
            elif rate < MIN_THRUST_RATE_HZ and self.n_thrusts:
                out.append(f"IMU sampled at {rate:.0f} Hz, under the {MIN_THRUST_RATE_HZ:g} Hz a thrust needs: its "
                           f"time to peak and the hand's movement may be wrong")
        # (a join registered with cut_before is no pause in the data: whoever registered it says why)
        stops = [g for g in gaps if g[1] - g[0] > self.resampler.max_gap_s]
        if stops and not slow:
            a, b = max(stops, key=lambda g: g[1] - g[0])
            when = (f"{len(stops)} times, {sum(y - x for x, y in stops):.1f} s in all (longest {b - a:.1f} s at "
                    f"{a:.1f} s; a lost link?)" if len(stops) > 1 else f"for {b - a:.1f} s at {a:.1f} s (a lost link?)")
            out.append(f"the IMU data stops {when}: no movement is measured across a gap, nor cycles through one")
        span = self._force_span() if self._force_span else None
        for t_a, t_last, end in self.cut_off if span is None else ():
            # (as a force thrust whose data break off after its peak is given without a duration;
            # with force, the thrusts are the force's, and the IMU's are not given)
            # (named by its number, which it keeps: a pop heard during it may name it)
            num = self._cut_number.get(t_a)
            who = "a thrust" if num is None else f"thrust {num + 1}"
            out.append(f"{who} began at {t_a:.1f} s, but the IMU data "
                       f"{'ended' if end else 'stopped (a dropout)'} {1e3 * (t_last - t_a):.0f} ms into it, "
                       f"before the hand's deepest point: it is not measured, nor counted")
        units = self._units()
        if units is None:
            return out
        said, early = units
        out += [u.note for u in said]
        if early:
            out.append(early)
        if span is not None and self.t_last is not None and not slow:
            (f0, f1), (i0, i1) = span, (self.t_first, self.t_last)
            union = max(f1, i1) - min(f0, i0)
            if union > 0 and (min(f1, i1) - max(f0, i0)) < self.s.min_overlap_share * union:
                out.append(f"IMU times {i0:.6g}–{i1:.6g} s hardly overlap the force's {f0:.6g}–{f1:.6g} s "
                           f"(IMU times in ms? another clock?): movement and loops are missing or wrong")
        return out

    def units_note(self) -> UnitsNote | None:
        """The first of :meth:`notes` saying the IMU's units are wrong (acceleration not gravity's
        size, rotation faster than a hand's, a gyroscope turning the vertical away from the
        accelerometer's), in parts, or None: what a display says of it without reading its words."""
        units = self._units()
        return units[0][0] if units and units[0] else None

    def _units(self) -> tuple[list[UnitsNote], str | None] | None:
        """The notes saying the IMU's units are wrong, and the line saying they looked wrong
        early on only (or None); None when too few samples were kept to judge them."""
        n_all = self.n_kept + self._n_bad_finite
        other_units = self.n_glitches > self.n_kept and n_all >= 10    # most samples "glitches"
        out: list[UnitsNote] = []
        # the recording's sums: those of the units check's blocks (judged or not yet)
        whole = self._ucum + sum(self._ublk.values(), np.zeros(6))
        if other_units:          # the units check then reads every sample
            n_ok, sa, sw, n, s1, s2 = whole
            sa, sw, n_sq = sa + self._sum_sq_bad[:3].sum(), sw + self._sum_sq_bad[3:].sum(), n_all
        elif self.n_kept < 10:
            return None
        else:
            if self.t_last is not None:
                self.units_wrong(self.t_last)         # (judges each block the grid has passed)
            if self._wrong_sums is not None and not self._wrong_in(whole):
                # wrong by the verdict early on only: what was found then was left out
                t_wrong = (self._first_wrong + 1) * self.s.units_block_s
                return [], (f"the IMU's units looked wrong in its first {t_wrong:.3g} s (acceleration or "
                            f"rotation unlike a hand's), though not over the whole recording: the cycles and "
                            f"thrusts found while they looked so were left out")
            # the figures of the stretch from the start by whose end the units showed wrong: the
            # same whenever they are asked for (a trainer switching the IMU off then, a replay at
            # its end), where the whole recording's grow with each thrust's turning
            n_ok, sa, sw, n, s1, s2 = whole if self._wrong_sums is None else self._wrong_sums
            n_sq = n_ok
        acc, gyro = np.sqrt([sa / n_sq, sw / n_sq])
        # what was found while the units were known wrong was not given, nor the force cycles'
        # movement (displacement()): the line that names the units says so, without a count: what
        # wrong figures make look like cycles and thrusts is no count of the hand's
        # (samples mostly beyond a hand's reach, as in mg or raw counts, were all left out)
        held = " and left out" if other_units or self._wrong_sums is not None else ""
        if self._wrong_sums is not None and not other_units:
            held += f" (averaged over its first {(self._first_wrong + 1) * self.s.units_block_s:.3g} s, by when that showed)"
        lo, hi = self.s.gravity_mps2
        if not lo <= acc <= hi:
            if acc < 0.5:        # a phone's "linear" or "user" acceleration has no gravity in it
                unit = " (gravity taken out, as in a phone's linear acceleration? give the raw accelerometer's)"
            elif acc <= 2.0:
                unit = " (units in g? give m/s²)"
            elif acc > 500.0:
                unit = " (units in mg or raw sensor counts? give m/s²)"
            else:
                unit = ""
            shown = f"{acc:.0f}" if acc >= 100 else f"{acc:.3g}"      # 16384, not 1.64e+04
            said = f"IMU acceleration averages {shown} where gravity alone reads 9.81 m/s²{unit}"
            out.append(UnitsNote(said, unit[2:-1] or None, f"{said}: movement and thrusts from it are wrong{held}"))
            held = ""
        leak = float(np.sqrt(max(s2 / n - (s1 / n) ** 2, 0.0))) if n else 0.0
        if gyro > self.s.max_rms_gyro_rads:
            hint = "units in °/s? give rad/s, or name the columns gx_dps"
            said = f"IMU rotation averages {gyro:.3g} rad/s ({np.degrees(gyro):.0f} °/s), far faster than a hand turns ({hint})"
            out.append(UnitsNote(said, hint, f"{said}: the movement from it is wrong{held}"))
            held = ""
        elif leak > self.s.max_gyro_leak_mps2:
            hint = "units in °/s? give rad/s, or name the columns gx_dps; or its axes are not the accelerometer's"
            said = (f"the IMU's gyroscope turns the vertical away from where its accelerometer shows it, "
                    f"moving it by {leak:.2g} m/s² where a hand's turning moves it by thousandths ({hint})")
            out.append(UnitsNote(said, hint, f"{said}: the movement from it is wrong{held}"))
            held = ""
        return out, None

    def _wrong_in(self, sums: np.ndarray) -> bool:
        """Whether the units check's ``sums`` (:meth:`_judge`'s) show the units wrong."""
        n, sa, sw, nl, l1, l2 = sums
        lo, hi = self.s.gravity_mps2
        leak = np.sqrt(max(l2 / nl - (l1 / nl) ** 2, 0.0)) if nl else 0.0
        return bool(n >= 10 and (not lo <= np.sqrt(sa / n) <= hi or np.sqrt(sw / n) > self.s.max_rms_gyro_rads
                                 or leak > self.s.max_gyro_leak_mps2))
