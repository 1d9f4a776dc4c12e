"""Putting BLE notifications in the device's order and onto the host timeline (used by
``firmware_bridge.ble``).

:class:`Reorder` hands the batches decoded from each notification on in the device's order,
waiting briefly for one the radio delivers late; :class:`Timeline` then maps their device
times onto the host timeline and counts the samples missing. Both are pure: no I/O, no clocks.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from firmware_bridge.ble_profiles import Batch


@dataclass(frozen=True)
class Placed:
    """Samples placed on the host timeline: times, first sequence number, samples missing before.

    ``values`` are the samples placed, which may differ from the batch's: samples with an
    impossible device time are held back or dropped (:class:`Timeline`).
    """

    t_s: np.ndarray
    seq0: int
    missing: int
    gap_s: tuple[float, float] | None
    rate_hz: float
    values: np.ndarray | None = None


# A sample cannot be taken after it arrived: a device time placing it later than its arrival by
# more than this is wrong (the margin covers a start-up burst that set the offset late).
AHEAD_TOL_S = 1.0
# How far back (s of samples counted at the measured rate) arrivals are looked at to time samples
# that carry no time: longer than a burst of notifications, short enough that a rate measured a
# little wrong does not shift them far.
ARRIVAL_WINDOW_S = 2.0
# Doubtful device times (ahead of arrival, or not after the previous sample) in a row, over at
# least two notifications, that mean the device clock itself stepped or restarted.
CLOCK_STEP_SAMPLES = 3
# Holes counted as lost, and notifications placed, remembered per stream: samples of a hole coming
# later still (a notification delivered late) are dropped without being counted a second time, and
# a notification delivered again is known at once.
GAPS_KEPT = 16


# A notification the radio hands over late (a retransmission delivered after the one that followed
# it) is put back in its place when it comes within this much arrival time of the first one after
# the hole it left: samples after a hole wait this long before they are handed on.
REORDER_S = 0.2
# A notification coming up to this long after the first one placed after a start or restart, with
# samples all before that first one's, is its predecessor delivered late, past ``REORDER_S``: left
# out and counted once as lost. (The reorder tests deliver notifications up to 0.6 s late.) After
# this long, samples before the first ones are a device clock that stepped back: doubtful times.
LATE_FIRST_S = 1.0


class Reorder:
    """Hands notifications on in the device's order, whatever order they arrived in.

    A notification is the batches decoded from it, keyed by its first force batch's ``seq0``
    (``by="seq"``, a device numbering its samples) or first device time (``by="time"``). One
    that continues the last handed on goes on at once, so an unbroken stream waits for nothing.
    One after a hole (a jump in the sequence numbers; a device-time step longer than 1.5 sample
    periods) is held, with any after it, until a late notification fills the hole (then they
    all go on in order) or ``window_s`` of arrival time has passed since the first held one came
    (then they go on, and :class:`Timeline` counts the hole as lost). One coming after that, or
    repeating samples handed on, goes on as it is: the timeline drops it (inside a hole it
    counted: not counted again). A notification without a key goes on at once, and so does
    everything with ``by=None``.

    At the start, and after :meth:`restart` or :meth:`flush` (a reconnect), nothing handed on yet
    tells where the stream begins, so the first notification is held too, with any after it, for
    ``window_s``: one delivered after the notification that followed it is put back in its place
    (it was handed on after it, and taken for a bad time). When the window has passed, the
    earliest held goes on first.
    """

    def __init__(self, by: str | None = "seq", modulus: int | None = None,
                 window_s: float = REORDER_S, clock_wrap_us: int | None = None) -> None:
        self.by, self.modulus, self.window_s = by, modulus, window_s
        # the device clock's modulus (by time: ``modulus``), to compare held notifications' times
        self.clock_wrap_us = clock_wrap_us if clock_wrap_us is not None or by != "time" else modulus
        self._ref: int | None = None        # seq expected next, or last device time; None: take any
        self._period_us = 0.0               # by time: the device's sample period, from within notifications
        self.held: list[tuple[int, list[Batch], float]] = []    # (key, batches, t_host_s), in order

    def _d(self, a: int, b: int) -> int:
        return _signed(a - b, self.modulus) if self.modulus else a - b

    def _force(self, batches: list[Batch]) -> list[Batch]:
        if self.by == "seq":
            return [b for b in batches if b.stream == "force" and b.seq0 is not None]
        if self.by == "time":
            return [b for b in batches if b.stream == "force" and b.t_dev_us is not None and len(b.values)]
        return []

    def _key(self, batches: list[Batch]) -> int | None:
        f = self._force(batches)
        if not f:
            return None
        return int(f[0].seq0) if self.by == "seq" else int(f[0].t_dev_us[0])

    def _where(self, key: int) -> int:
        """−1: before what was handed on (late past its window, or a repeat); 0: continues it; 1:
        after a hole."""
        d = self._d(key, self._ref)
        if self.by == "seq":
            return (d > 0) - (d < 0)
        if d <= 0:
            return -1
        return int(bool(self._period_us) and d > 1.5 * self._period_us)

    def restart(self) -> None:
        """Take any notification next (the device's clock or numbering started again)."""
        if not self.held:
            self._ref = None

    def push(self, batches: list[Batch], t_host_s: float) -> list[tuple[list[Batch], float]]:
        """One notification's batches in; the notifications to hand on now, in order, out."""
        out = self.due(t_host_s)
        key = self._key(batches)
        if key is None or (self._ref is not None and not self.held and self._where(key) <= 0):
            self._go(batches, t_host_s, out)
            return out
        pos = sum(1 for k, _, _ in self.held if self._d(k, key) <= 0)
        self.held.insert(pos, (key, batches, t_host_s))
        self._release(out, give_up=False)
        return out

    def due(self, t_host_s: float) -> list[tuple[list[Batch], float]]:
        """What has waited ``window_s`` for a late notification, and what follows it, by ``t_host_s``."""
        out: list = []
        while self.held and t_host_s - min(t for _, _, t in self.held) >= self.window_s:
            self._release(out, give_up=True)
        return out

    def flush(self) -> list[tuple[list[Batch], float]]:
        """Everything held, in order (the stream stops here, or starts again after a reconnect)."""
        out: list = []
        while self.held:
            self._release(out, give_up=True)
        self._ref = None
        return out

    def _release(self, out: list, give_up: bool) -> None:
        """Hand on the held notifications that continue the stream; with ``give_up``, the first
        held one after its hole (or the first of a start) as well."""
        while self.held and (give_up or (self._ref is not None and self._where(self.held[0][0]) <= 0)):
            t = self._taken_by(0)
            _, batches, _ = self.held.pop(0)
            self._go(batches, t, out)
            give_up = False

    def _taken_by(self, i: int) -> float:
        """The arrival time held notification ``i`` is handed on with: its own, or earlier when a
        notification after it arrived before it did, less the device time between their last
        samples (its samples were taken that much before those arrived). The timeline's offset
        then comes from the radio's latency, not from how late this one was: a late first
        notification's own arrival would put the start of a stream, or of a restart, late."""
        _, batches, t_i = self.held[i]
        end_i = self._last_time(batches)
        best = t_i
        for _, later, t_j in self.held[i + 1:]:
            end_j = self._last_time(later)
            if end_i is None or end_j is None or t_j >= best:
                continue
            d_s = (end_j - end_i) * 1e-6
            if self.clock_wrap_us:
                d_s = _signed(end_j - end_i, self.clock_wrap_us) * 1e-6
            if 0 <= d_s <= t_i - t_j + AHEAD_TOL_S:      # (a device time far off says nothing)
                best = min(best, t_j - d_s)
        return best

    @staticmethod
    def _last_time(batches: list[Batch]) -> int | None:
        """The device time of a notification's last force sample, if it has one."""
        f = [b for b in batches if b.stream == "force" and b.t_dev_us is not None and len(b.t_dev_us)]
        return int(f[-1].t_dev_us[-1]) if f else None

    def _go(self, batches: list[Batch], t_host_s: float, out: list) -> None:
        out.append((batches, t_host_s))
        f = self._force(batches)
        if not f:
            return
        if self.by == "seq":
            end = int(f[-1].seq0) + len(f[-1].values)
        else:
            end = int(f[-1].t_dev_us[-1])
            steps = np.diff(np.asarray(f[-1].t_dev_us, np.int64))
            if self.modulus:
                steps %= self.modulus
            if len(steps) and (steps > 0).any():
                self._period_us = float(np.median(steps[steps > 0]))
        if self.modulus:
            end %= self.modulus
        if self._ref is None or self._d(end, self._ref) > 0:
            self._ref = end


def _signed(d: int, modulus: int) -> int:
    """``d`` modulo ``modulus``, as the nearest difference: in [−modulus/2, modulus/2)."""
    d %= modulus
    return d - modulus if d >= modulus // 2 else d


class Timeline:
    """Maps device time (µs) onto the host timeline (s) and counts missing samples.

    The offset host − device is the minimum of ``t_host − t_dev`` over the notifications of
    the last ``window_s`` of device time: radio latency only ever delays arrival, so the
    smallest difference is the best estimate, and forgetting old ones lets a device clock that
    runs slow against the host be followed too (a fast one makes new minima anyway). Between
    updates the device's own sample spacing is kept exactly. Times stay strictly increasing.

    Devices that send no time get their samples spaced by the rate measured from arrivals
    (before 0.5 s of arrivals: spread evenly since the previous notification).

    Missing samples come from sequence numbers when the device numbers its samples, otherwise
    from device-time gaps longer than 1.5 sample periods (period = median of recent steps).
    After :meth:`new_epoch` (a reconnect) the offset is re-anchored; numbered samples still
    count their gap, while time-only devices (whose clock may restart) do not.

    Samples that lie wholly inside one of the last ``GAPS_KEPT`` holes already counted as
    missing (a notification delivered too late to be put back in its place, see :class:`Reorder`)
    are dropped and not counted again. A batch with the first and last device times of one of
    the last ``GAPS_KEPT`` placed is a notification delivered again: counted in ``bad_times``.
    A batch whose samples all come before the first placed at the start or after a new epoch,
    arriving within ``LATE_FIRST_S`` of it, was delivered too late to be put in its place (there is
    no hole of the timeline to put it in): it is dropped and returned as ``missing``, with no
    ``gap_s``, its samples and those between it and the first placed (or the earliest such batch
    since); one coming later within that span is dropped uncounted.

    A device time that is not after the previous one, or that would place a sample more than
    ``AHEAD_TOL_S`` after its arrival, is doubtful: the sample is held back. Good samples after
    it make it a bad time (dropped, counted in ``bad_times`` for force); ``CLOCK_STEP_SAMPLES``
    doubtful samples that continue one another make it a device clock that stepped or
    restarted: the timeline is re-anchored there, as after a reconnect, and they are placed.
    """

    def __init__(self, clock_wrap_us: int | None = None, seq_modulus: int | None = None,
                 window_s: float = 20.0) -> None:
        self.clock_wrap_us, self.seq_modulus, self.window_s = clock_wrap_us, seq_modulus, window_s
        self._minima: deque[tuple[int, float]] = deque()   # (t_dev_us, candidate), increasing
        self._streams: dict[str, dict] = {}
        self.bad_times = 0      # force samples dropped for an impossible device time
        self.clock_steps = 0    # times the device clock was found to have stepped (re-anchored)

    def new_epoch(self) -> None:
        self._minima.clear()
        for stream, st in self._streams.items():
            self._drop_held(stream, st)
            st["epoch_new"] = True
            st["gaps"].clear()       # nothing comes late across a new connection or clock
            st["placed"].clear()
            # arrivals across the outage say nothing about the rate: measure it again
            st.update(host_first_s=None, host_prev_s=None, host_first_n=0, host_count=0, host_v_s=None)
            st["host_minima"].clear()

    def release(self) -> None:
        """The stream stops here: samples held for a doubtful device time are dropped and counted
        in ``bad_times`` (no sample after them can show them good, nor a run of them a clock step)."""
        for stream, st in self._streams.items():
            self._drop_held(stream, st)

    def _state(self, stream: str) -> dict:
        return self._streams.setdefault(stream, dict(
            wrap_us=0, last_dev_us=None, last_t_s=-np.inf, seq_next=0, numbered=None,
            steps_us=[], host_first_s=None, host_prev_s=None, host_first_n=0, host_count=0,
            host_rate_hz=0.0, host_v_s=None, host_minima=deque(), epoch_new=False, held=[],
            gaps=deque(maxlen=GAPS_KEPT), placed=deque(maxlen=GAPS_KEPT), first=None))

    def place(self, batch: Batch, t_host_s: float) -> Placed:
        st = self._state(batch.stream)
        values = np.asarray(batch.values)
        if batch.t_dev_us is None:
            t_s, rate_hz = self._arrival_times(st, len(values), t_host_s)
            return self._finish(st, t_s, values, batch.seq0, 0, rate_hz)
        t_us = self._unwrap(st, np.asarray(batch.t_dev_us, np.int64))
        seq0 = batch.seq0
        if len(t_us) and self._in_counted_gap(st, t_us, seq0):
            return Placed(np.zeros(0), int(st["seq_next"]), 0, None, 0.0, values[:0])
        if len(t_us) > 1 and (int(t_us[0]), int(t_us[-1])) in st["placed"]:
            self._count_bad(batch.stream, len(t_us))      # delivered again: no new sample
            return Placed(np.zeros(0), int(st["seq_next"]), 0, None, 0.0, values[:0])
        lost = self._before_first(st, t_us, seq0, t_host_s) if len(t_us) else 0
        if lost:
            # a late notification from before the first placed: it and the hole after it are lost,
            # counted once (what comes late within them: in a hole counted; before: up to it)
            first_us, first_seq, first_host = st["first"]
            st["gaps"].append(("seq", seq0, first_seq) if seq0 is not None else ("us", int(t_us[0]) - 1, first_us))
            st["first"] = (int(t_us[0]), seq0, first_host)
            return Placed(np.zeros(0), int(st["seq_next"]), lost, None, 0.0, values[:0])
        if st["last_dev_us"] is not None and not st["epoch_new"] and len(t_us):
            ok = self._plausible(st, t_us, t_host_s)
            if seq0 is not None and not ok.all():
                ok[int(np.argmin(ok)):] = False      # numbered: only the run before the first doubt
            if not ok.all():
                values, t_us, seq0 = self._sort_out(batch.stream, st, values, t_us, seq0, ok, t_host_s)
            elif st["held"]:                  # good samples after doubtful ones: bad times
                self._drop_held(batch.stream, st)
        elif st["held"]:                      # re-anchored: held samples that lead here come first
            values, t_us, seq0 = self._with_held(batch.stream, st, values, t_us, seq0, t_host_s)
        if not len(t_us):
            return Placed(np.zeros(0), int(st["seq_next"]), 0, None, 0.0, values)
        if st["last_dev_us"] is None or st["epoch_new"]:
            st["first"] = (int(t_us[0]), seq0, t_host_s)
        missing = 0
        rate_hz, period_us = self._period(st, t_us)
        if seq0 is None and st["last_dev_us"] is not None and not st["epoch_new"] and period_us:
            step = t_us[0] - st["last_dev_us"]
            if step > 1.5 * period_us:
                missing = int(round(step / period_us)) - 1
                st["gaps"].append(("us", st["last_dev_us"], int(t_us[0])))
        st["last_dev_us"] = int(t_us[-1])
        st["placed"].append((int(t_us[0]), int(t_us[-1])))
        t_s = t_us * 1e-6 + self._offset(t_host_s, int(t_us[-1]))
        return self._finish(st, t_s, values, seq0, missing, rate_hz)

    def _finish(self, st: dict, t_s: np.ndarray, values: np.ndarray, seq0: int | None,
                missing: int, rate_hz: float) -> Placed:
        n = len(values)
        if seq0 is not None:
            if st["numbered"]:
                d = seq0 - st["seq_next"]
                if self.seq_modulus:
                    d %= self.seq_modulus
                    d = d if d < self.seq_modulus // 2 else -1
                missing = max(d, 0)
                if missing:
                    st["gaps"].append(("seq", st["seq_next"], seq0))
            st["numbered"] = True
            st["seq_next"] = seq0 + n
        else:
            seq0 = st["seq_next"] + missing
            st["seq_next"] = seq0 + n
        st["epoch_new"] = False
        start = st["last_t_s"] if np.isfinite(st["last_t_s"]) else (t_s[0] - 1e-6 if n else 0.0)
        floor = start + 1e-6 * np.arange(1, n + 1)
        if n and (t_s[0] <= floor[0] or np.any(np.diff(t_s) <= 0)):
            # strictly increasing, at least 1 µs apart (a running maximum alone leaves ties:
            # equal device times, or a sample spacing of 0)
            step = 1e-6 * np.arange(n)
            t_s = np.maximum.accumulate(np.maximum(t_s, floor) - step) + step
        gap = (float(st["last_t_s"]), float(t_s[0])) if missing and n else None
        if n:
            st["last_t_s"] = float(t_s[-1])
        return Placed(np.asarray(t_s, np.float64), int(seq0), int(missing), gap, float(rate_hz), values)

    def _in_counted_gap(self, st: dict, t_us: np.ndarray, seq0: int | None) -> bool:
        """Whether the samples lie wholly inside a hole already counted as missing: numbered, by
        their sequence numbers; else by their device times (strictly between the hole's ends)."""
        for kind, a, b in st["gaps"]:
            if kind == "seq" and seq0 is not None:
                m = self.seq_modulus
                lo, hi = seq0 - a, seq0 + len(t_us) - b
                if m:
                    lo, hi = _signed(lo, m), _signed(hi, m)
                if lo >= 0 and hi <= 0:
                    return True
            elif kind == "us" and seq0 is None and a < t_us[0] and t_us[-1] < b:
                return True
        return False

    def _before_first(self, st: dict, t_us: np.ndarray, seq0: int | None, t_host_s: float) -> int:
        """The samples lost from these on to the first placed since the start or the last new
        epoch (those counted lost since: to the earliest of them), when these all come before it,
        taken at most ``LATE_FIRST_S`` before its arrival (a device clock that stepped back is
        not a late notification); else 0. Numbered, by their sequence numbers; else by their
        device times, for a run of samples (one alone may be one wrong time: a doubtful time)."""
        if st["first"] is None or st["epoch_new"]:
            return 0
        first_us, first_seq, first_host = st["first"]
        if (first_us - int(t_us.min())) * 1e-6 + t_host_s - first_host > LATE_FIRST_S:
            return 0
        if seq0 is not None and first_seq is not None:
            m = self.seq_modulus
            after, to_first = seq0 + len(t_us) - first_seq, first_seq - seq0
            if m:
                after, to_first = _signed(after, m), _signed(to_first, m)
            return to_first if after <= 0 and to_first > 0 else 0
        if seq0 is not None or first_seq is not None or len(t_us) < 2 or int(t_us.max()) >= first_us:
            return 0
        period = float(np.median(st["steps_us"])) if st["steps_us"] else 0.0
        between = int(round((first_us - int(t_us[-1])) / period)) - 1 if period else 0
        return len(t_us) + max(between, 0)

    # --- doubtful device times ---------------------------------------------------------------
    def _plausible(self, st: dict, t_us: np.ndarray, t_host_s: float) -> np.ndarray:
        """Samples taken no later than they arrived and not before an earlier good one."""
        ok = np.ones(len(t_us), bool)
        if self._minima:
            ok &= t_us * 1e-6 + self._minima[0][1] <= t_host_s + AHEAD_TOL_S
        before = np.maximum.accumulate(np.concatenate([[st["last_dev_us"]], np.where(ok, t_us, 0)]))[:-1]
        ok &= t_us >= before      # equal: a millisecond clock printing faster
        # ... but not the end of a run of earlier times: a notification delivered again ends
        # on the previous one's last time, and is repeated samples, not new ones
        for i in np.flatnonzero(ok[1:] & (t_us[1:] == before[1:])) + 1:
            ok[i] = ok[i - 1]
        return ok

    def _sort_out(self, stream: str, st: dict, values, t_us, seq0, ok, t_host_s):
        """Place the good samples; hold the doubtful tail; re-anchor on a clock step."""
        good = np.flatnonzero(ok)
        tail = (int(good[-1]) + 1) if len(good) else 0
        if len(good):       # good samples after doubtful ones: those were bad times
            self._drop_held(stream, st)
            self._count_bad(stream, tail - len(good))
        if tail < len(t_us):
            self._hold(stream, st, values[tail:], t_us[tail:],
                       None if seq0 is None else seq0 + tail, t_host_s)
        if len(good):
            return values[good], t_us[good], seq0
        held = st["held"]
        if (sum(len(h[0]) for h in held) >= CLOCK_STEP_SAMPLES and len(held) >= 2
                and not self._repeats(st, held[0][2])):
            st["held"] = []
            self._minima.clear()                # the device clock stepped: start again from here
            self.clock_steps += 1
            for other in self._streams.values():
                other["epoch_new"] = True
                other["gaps"].clear()
                other["placed"].clear()
            return (np.concatenate([h[0] for h in held]), np.concatenate([h[1] for h in held]),
                    held[0][2])
        return values[:0], t_us[:0], seq0

    def _repeats(self, st: dict, seq0: int | None) -> bool:
        """Whether numbered samples begin before the next expected: ones placed already, delivered
        again (a numbered device's clock that steps keeps counting its samples on)."""
        if seq0 is None or not st["numbered"]:
            return False
        d = seq0 - st["seq_next"]
        return (_signed(d, self.seq_modulus) if self.seq_modulus else d) < 0

    def _hold(self, stream: str, st: dict, values, t_us, seq0, t_host_s: float) -> None:
        held = st["held"]
        if not np.all(np.diff(t_us) >= 0):
            self._count_bad(stream, len(t_us))
            return
        if held and not self._continues(held, t_us, seq0, t_host_s):
            self._drop_held(stream, st)
        held.append((values, t_us, seq0, t_host_s))

    def _continues(self, held: list, t_us, seq0, t_host_s: float) -> bool:
        """Whether samples follow the held ones as a running clock would."""
        last_v, last_t, last_seq, _ = held[-1]
        first_t, first_host = held[0][1][0], held[0][3]
        if t_us[0] < last_t[-1]:
            return False
        if (t_us[-1] - first_t) * 1e-6 > t_host_s - first_host + AHEAD_TOL_S:
            return False
        return seq0 is None or last_seq is None or seq0 == last_seq + len(last_v)

    def _with_held(self, stream: str, st: dict, values, t_us, seq0, t_host_s: float):
        held = st["held"]
        if len(t_us) and self._continues(held, t_us, seq0, t_host_s):
            st["held"] = []
            return (np.concatenate([h[0] for h in held] + [values]),
                    np.concatenate([h[1] for h in held] + [t_us]), held[0][2])
        self._drop_held(stream, st)
        return values, t_us, seq0

    def _drop_held(self, stream: str, st: dict) -> None:
        self._count_bad(stream, sum(len(h[0]) for h in st["held"]))
        st["held"] = []

    def _count_bad(self, stream: str, n: int) -> None:
        if stream == "force":
            self.bad_times += int(n)

    def _unwrap(self, st: dict, t_us: np.ndarray) -> np.ndarray:
        wrap = self.clock_wrap_us
        if not wrap or not len(t_us):
            return t_us
        raw, t_us = t_us, t_us + st["wrap_us"]
        prev = st["last_dev_us"]
        if prev is not None and t_us[0] < prev - wrap // 2:
            st["wrap_us"] += wrap
            t_us = t_us + wrap
        elif prev is not None and t_us[0] > prev + wrap // 2:
            # taken before the last wrap: a notification late, or again (before the first wrap
            # seen too: a late first one, whose times then lie before 0)
            t_us = t_us - wrap
        back = np.diff(t_us) < -(wrap // 2)
        if back.any():
            t_us = t_us + np.concatenate([[0], np.cumsum(back)]) * wrap
        # (a notification from before the last wrap that spans it wraps nothing again)
        st["wrap_us"] = max(st["wrap_us"], int(t_us[-1] - raw[-1]))
        return t_us

    def _period(self, st: dict, t_us: np.ndarray) -> tuple[float, float]:
        """Median sample period of recent device-time steps (µs) and the rate it implies."""
        steps = np.diff(t_us)
        if st["last_dev_us"] is not None and len(t_us) and not st["epoch_new"]:
            steps = np.concatenate([[t_us[0] - st["last_dev_us"]], steps])
        steps = steps[steps > 0]
        st["steps_us"] = (st["steps_us"] + steps.tolist())[-64:]
        if not st["steps_us"]:
            return 0.0, 0.0
        period = float(np.median(st["steps_us"]))
        return 1e6 / period, period

    def _offset(self, t_host_s: float, t_dev_us: int) -> float:
        """Sliding-window minimum of host − device time (monotonic deque, O(1) amortised)."""
        candidate = t_host_s - t_dev_us * 1e-6
        m = self._minima
        while m and m[-1][1] >= candidate:
            m.pop()
        m.append((t_dev_us, candidate))
        while m[0][0] < t_dev_us - self.window_s * 1e6:
            m.popleft()
        return m[0][1]

    @staticmethod
    def _arrival_times(st: dict, n: int, t_host_s: float) -> tuple[np.ndarray, float]:
        """Times for samples that carry none: spaced by the rate measured from arrivals.

        Once the rate is known, the samples' count at that rate is the device's clock, mapped
        onto the host timeline like a device time (the smallest arrival − count time over the
        last ``ARRIVAL_WINDOW_S``): samples BlueZ hands over in a burst keep their spacing,
        earlier than their arrival. Until 0.5 s of arrivals measure the rate (after a
        reconnect: the rate from before, if any), they are spread evenly since the previous
        notification.
        """
        if st["host_first_s"] is None:
            st["host_first_s"], st["host_first_n"] = t_host_s, n
        prev = st["host_prev_s"]
        span = (prev - st["host_first_s"]) if prev is not None else 0.0
        rate_hz = (st["host_count"] - st["host_first_n"]) / span if span > 0.5 else st["host_rate_hz"]
        st["host_rate_hz"] = rate_hz
        st["host_count"] += n
        st["host_prev_s"] = t_host_s
        if rate_hz:
            v0 = st["host_v_s"]
            v = (t_host_s - (n - 1) / rate_hz if v0 is None else v0 + 1.0 / rate_hz) + np.arange(n) / rate_hz
            st["host_v_s"] = float(v[-1])
            # sliding-window minimum of arrival − count time (monotonic deque)
            m, candidate = st["host_minima"], t_host_s - float(v[-1])
            while m and m[-1][1] >= candidate:
                m.pop()
            m.append((float(v[-1]), candidate))
            while m[0][0] < v[-1] - ARRIVAL_WINDOW_S:
                m.popleft()
            return v + m[0][1], rate_hz
        if prev is None:
            return np.full(n, t_host_s), 0.0
        return prev + (t_host_s - prev) * np.arange(1, n + 1, dtype=np.float64) / n, 0.0
