"""A serial sensor's bytes turned into chunks on the host timeline: the protocol told from the
bytes (binary frames or lines), frames and lines decoded, device times mapped by the clock (the
first second held back while it settles), sequence jumps, clock restarts and the end of a
silence said as notices, and chunks put on the queue ``read()`` drains.

:class:`SerialStream` is a mix-in of :class:`~firmware_bridge.serial_source.SerialSource`, whose
``__init__`` and ``_reset_stream`` set the state it reads (decoders, ``_clock_map``, ``_held``,
``_q``, ...) and whose reader thread feeds it (``_run`` calls :meth:`SerialStream._decode`); it
calls the source's ``notify``, ``now_s`` and ``_arrived``.
"""

from __future__ import annotations

import queue

import numpy as np

from analysis.chunk import Chunk
from firmware_bridge.protocol import binary
from firmware_bridge.protocol.line import LineDecoder

UNTIMED_FIRST_DT_S = 0.01     # spacing of the very first batch of untimed lines (no rate known yet)
WARMUP_S = 1.0                # blocks held back at the start, so a start-up burst does not set the clock
DETECT_BYTES = 512             # bytes without a whole frame or two lines before delimiters decide
START_SLACK_S = 0.02          # samples taken this little before the opening still start the timeline
                              # (a frame that straddles it); the timeline catches up within a second
LINE_DT_LINES = 8             # time steps between timed lines that give their period (and rate_hz)
RESTART_CONFIRM_LINES = 3     # lines whose times rise again after going back: a restarted clock, not garbage
JUMP_AHEAD_S = 0.25           # a timed line this far ahead of the one before, beyond the host time between
                              # them, waits for lines going on from it: noise in its time, or samples lost?
                              # (a digit of noise put into a time of 100 ms or more moves it 900 ms or more)
RESTART_NOTICES = 3           # restarts said one by one; more (a first column that is no clock) are counted
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600)
SLOW_LINK_S = 2.0             # samples lost steadily for this long (a gap a second or more, 5 % of them or
                              # more) at a byte rate a UART at one of BAUD_RATES carries: the link is too slow
RAW_NOTICE_LINES = 10         # raw ADC reading lines with no force between: an uncalibrated sketch, said once
                              # (bogde's HX711 full example prints 6 before its calibrated lines)
CALIBRATE_HINT = ("calibrate the sketch (a scale factor from a known weight) to print newtons, kg, g or lb, "
                  "e.g. 'Force: 12.3 N'")


class SerialStream:
    """Decoding and timing of :class:`~firmware_bridge.serial_source.SerialSource` (a mix-in)."""

    def _decode(self, data: bytes, t_host: float) -> None:
        if self._proto is None:
            data = self._detect(data)
            if self._proto is None:
                return
            self.info["protocol"] = self._proto
        if not self._joined:
            # joining a running stream: skip to the first delimiter, so a cut frame or line is
            # neither counted as an error nor read as a sample
            i = data.find(b"\x00" if self._proto == "binary" else b"\n")
            if i < 0:
                return
            data, self._joined = data[i + 1:] if self._proto == "line" else data[i:], True
            self._line.lines = 1          # that was line 1, whole or not: lines are numbered as sent
        if self._proto == "binary":
            self._decode_binary(data, t_host)
        else:
            self._decode_line(data, t_host)

    def _detect(self, data: bytes) -> bytes:
        """Tell the protocols apart on evidence: a frame whose CRC checks, or two numeric lines.

        Joining a running stream, the first bytes are a cut-off piece of a frame or a line; a
        frame's tail has no 0x00 but may hold 0x0A, so a delimiter alone is not enough. Only
        when ``DETECT_BYTES`` arrived without either proof do the delimiters decide. Returns
        every byte seen so far once decided (decoded from the first delimiter on).
        """
        self._seen += data
        seen = bytes(self._seen)
        if binary.BinaryDecoder().feed(seen):
            self._proto = "binary"
        elif len(LineDecoder().feed(seen)) >= 2:
            self._proto = "line"
        elif len(seen) >= DETECT_BYTES:
            self._proto = "binary" if b"\x00" in seen else ("line" if b"\n" in seen else None)
            if self._proto is None:
                del self._seen[:-DETECT_BYTES]
        if self._proto is not None:
            self._seen = bytearray()
        return seen

    def _decode_binary(self, data: bytes, t_host: float) -> None:
        crc0, res0 = self._bin.crc_errors, self._bin.resyncs
        for m in self._bin.feed(data):
            if isinstance(m, binary.SampleBlock):
                self._block(m, t_host)
            elif isinstance(m, binary.Identify):
                self.info.update(m.to_dict())
                self.info["name"] = m.name or self.info["name"]
            elif isinstance(m, binary.Error):
                self.notify("info", f"{self.spec}: device error {m.code}: {m.text}")
        self.stats.crc_errors += (self._bin.crc_errors - crc0) + (self._bin.resyncs - res0)

    def _block(self, m: binary.SampleBlock, t_host: float) -> None:
        self._arrived(t_host)
        n = len(m.force)
        if self._t_us_last is not None and (m.t_us - self._t_us_last) % binary.T_US_MODULUS >= 2 ** 31:
            # device clock jumped back: it restarted (a frame's CRC vouches for its time)
            self._said_restart(f"sample {m.seq}", self._t_dev_end, m.t_us * 1e-6)
            self._restart_clock()
        if self._t_us_last is not None and m.t_us < self._t_us_last:
            self._t_us_base += binary.T_US_MODULUS     # the µs counter wrapped
        self._t_us_last = m.t_us
        t_dev = (self._t_us_base + m.t_us + np.arange(n) * float(m.dt_us)) * 1e-6
        self._t_dev_end = float(t_dev[-1])
        missing = 0 if self._next_seq is None else (m.seq - self._next_seq) % binary.SEQ_MODULUS
        self._next_seq = (m.seq + n) % binary.SEQ_MODULUS
        force = m.force
        if m.raw_counts:
            cal = self.info.get("calibration") or {}
            in_n = binary.counts_to_n(force, cal)
            if in_n is not None:
                force = in_n
                self.info["force_units"] = "N"
            else:
                if "n_per_count" in cal and not self._said_counts:
                    self._said_counts = True
                    self.notify("info", f"{self.spec}: the device's calibration (offset {cal.get('offset')!r}, "
                                        f"n_per_count {cal['n_per_count']!r}) is not usable; forces stay in ADC counts")
                self.info["force_units"] = "counts"
        self.info["rate_hz"] = 1e6 / m.dt_us if m.dt_us else 0.0
        missing = missing if 0 < missing < 2 ** 31 else 0
        # a force that is not a number (a failed ADC read) would stop the live analysis for good:
        # such samples are left out, and counted and marked as lost like a sequence jump
        prev = 0
        for a, b in binary.finite_runs(force):
            gap = (missing + a - prev, m.dt_us * 1e-6) if missing + a - prev > 0 else None
            self._deliver(t_dev[a:b], force[a:b], (m.seq + a) % binary.SEQ_MODULUS,
                          m.imu[a:b] if m.imu is not None else None, gap, t_host)
            missing, prev = 0, b
        if prev < n:                        # the block ends in bad values: the next one says so
            self._next_seq = (m.seq + prev) % binary.SEQ_MODULUS

    def _deliver(self, t_dev: np.ndarray, force: np.ndarray, seq0: int, imu, gap: tuple | None,
                 t_host: float) -> None:
        """Map device times to the host timeline and emit; at the start, hold blocks for WARMUP_S."""
        if not self._clock_map.anchored:
            self._clock_map.observe(float(t_dev[-1]), t_host)
            self._say_ratio()
            self._held.append((t_dev, force, seq0, imu, gap))
            self._held_since = t_host if self._held_since is None else self._held_since
            if t_host - self._held_since >= WARMUP_S:
                self._release_held()
            return
        self._clock_map.observe(float(t_dev[-1]), t_host)
        self._say_ratio()
        self._emit_block(t_dev, force, seq0, imu, gap)

    def _say_ratio(self) -> None:
        """Say once that the device's clock runs far off the computer's, so its times are kept."""
        if self._clock_map.ratio is not None and not self._said_ratio:
            self._said_ratio = True
            self.notify("info", f"{self.spec}: device clock runs {self._clock_map.ratio:.1f}× the computer's: "
                                f"its own times are kept")

    def _release_held(self) -> None:
        held, self._held, self._held_since = self._held, [], None
        if not self._clock_map.anchored and held and self._last_t == 0.0:
            held = self._taken_since_open(held)
        for item in held:
            self._emit_block(*item)

    def _taken_since_open(self, held: list[tuple]) -> list[tuple]:
        """The held blocks without the samples taken before the port was opened.

        A sensor that streamed with nobody reading sends what its transmit buffer kept first
        (then, if the buffer overflowed, a jump of its sequence number or clock), then the
        samples of the moment. Kept, that backlog would start the timeline (which starts at
        ``open()``): every later sample would be late by the backlog's age, catching up only at
        the clock's slew rate (20 ms a second: 150 ms took 7 s, a second almost a minute), and a
        jump would be counted as samples lost. The clock offset from the least delayed blocks
        dates the samples; it can only overestimate the delay, so a sample it puts before the
        opening was taken before it. Those are left out, whatever their age (but for the last
        ``START_SLACK_S``), and a jump among them is not a loss of this recording."""
        off = self._clock_map.target_offset(float(held[-1][0][-1]))
        for k, (t_dev, force, seq0, imu, _) in enumerate(held):
            i = int(np.searchsorted(t_dev + off, -START_SLACK_S))   # device times rise within the warm-up
            if i < len(t_dev):
                break
        else:
            return []
        if k == 0 and i == 0:
            return held
        seq = seq0[i:] if isinstance(seq0, np.ndarray) else (seq0 + i) % binary.SEQ_MODULUS
        return [(t_dev[i:], force[i:], seq, imu[i:] if imu is not None else None, None)] + held[k + 1:]

    def _emit_block(self, t_dev, force, seq0, imu, gap) -> None:
        t = self._clock_map.map(t_dev, None)
        if gap is not None:
            missing, dt = gap[0], gap[1] * (1 + self._clock_map.drift)
            if isinstance(seq0, int):
                self._gap(missing, float(t[0]) - missing * dt, float(t[0]) - dt)
        if isinstance(seq0, np.ndarray):
            self._emit_runs(t, force, seq0)
        else:
            self._emit(t, force, seq0, imu)

    def _said_restart(self, where: str, old_s: float, new_s: float) -> None:
        """Tell once per restart that the device's clock started again; its samples are kept,
        after the ones before it on the timeline (re-anchored as after a reconnect)."""
        self.restarts += 1
        if self.restarts > RESTART_NOTICES:
            return
        more = "; further restarts are counted, not told" if self.restarts == RESTART_NOTICES else ""
        self.notify("info", f"{self.spec}: device clock restarted at {where} (from {old_s:.3f} s back to "
                            f"{new_s:.3f} s: device reset?); the samples after it are kept{more}")

    def _restart_clock(self) -> None:
        if self._held:
            self._release_held()                       # what came before the restart, on the old clock
        self._clock_map.reset(not_before_s=self._last_t)
        self._t_us_last, self._t_us_base, self._next_seq = None, 0, None

    def _gap(self, missing: int, t_start: float, t_end: float) -> None:
        if self._silent is not None:    # samples it skipped while silent: in the silence's gap
            return
        self.stats.dropped += missing
        self._gaps_n += 1
        self.notify("gap", f"{self.spec}: {missing} sample{'s' if missing != 1 else ''} lost", t_start, t_end,
                    missing)
        if not self._said_slow and (why := self._slow_link()):
            self._said_slow = True
            self.notify("info", why)

    def _slow_link(self) -> str | None:
        """Why the samples lost are a link too slow for the sample rate, or None: lost steadily
        (``SLOW_LINK_S`` at least, a gap a second or more, 5 % of the samples or more) while the
        bytes come as fast as a UART at a usual baud rate carries them (10 bits a byte), slower
        than the samples need."""
        if self._link is None:
            return None
        t0, bytes0, samples0, lost0 = self._link
        span = self.now_s() - t0
        got, lost = self.stats.samples - samples0, self.stats.dropped - lost0
        if span < SLOW_LINK_S or got <= 0 or self._gaps_n < span or lost < 0.05 * (got + lost):
            return None
        carried = (self.bytes_in - bytes0) / span                # bytes a second that came
        need = carried * (got + lost) / got                     # ... and that all the samples need
        baud = next((b for b in BAUD_RATES if 0.9 * b <= 10.0 * carried <= 1.04 * b), None)
        if baud is None and 10.0 * need <= self.baud:
            return None                  # neither a UART's rate nor more than the port's: lost elsewhere
        baud = baud or self.baud
        enough = next((b for b in BAUD_RATES if b >= 12.5 * need), BAUD_RATES[-1])
        rate = self.info.get("rate_hz") or (got + lost) / span
        return (f"{self.spec}: the samples lost match a link too slow for {rate:g} Hz: about {carried:.0f} bytes/s "
                f"come, as a UART at {baud} baud carries, but all of them need about {need:.0f} bytes/s; set the "
                f"sensor's baud rate and serial:PORT@BAUD to {enough} or more (native-USB boards ignore it)")

    def _decode_line(self, data: bytes, t_host: float) -> None:
        bad0 = self._line.bad_lines
        rows = self._line.feed(data)
        self.stats.crc_errors += self._line.bad_lines - bad0
        if self._line.raw_run >= RAW_NOTICE_LINES and not self._said_counts:
            self._said_counts = True        # counts are no newtons: not recorded as forces
            n, text = self._line.first_raw
            self.notify("info", f"{self.spec}: line {n} {text!r} is a raw ADC reading, not a force: such lines "
                                f"are not recorded; {CALIBRATE_HINT}")
        if not rows:
            return
        self._arrived(t_host)
        timed = [(r[0], r[1], n) for r, n in zip(rows, self._line.row_lines) if r[0] is not None]
        if timed:
            for restart, t_ms, f in self._line_runs(timed, t_host):
                if restart is not None:                # the sketch restarted its millis()
                    self._said_restart(*restart)
                    self._restart_clock()
                    self._line_prev, self._line_run_end = None, (None, 0.0)
                seq = self._line_index(t_ms)
                self._line_prev, self._line_prev_at = float(t_ms[-1]), t_host
                if self._line_dt:
                    self.info["rate_hz"] = 1000.0 / self._line_dt
                self._deliver(t_ms * 1e-3, f, seq, None, None, t_host)
        else:   # untimed sketch: spread the batch over the time since the previous batch
            f = np.array([r[1] for r in rows])
            prev = self._arrival_prev if self._arrival_prev is not None else t_host - len(f) * UNTIMED_FIRST_DT_S
            t = np.linspace(max(prev, self._last_t), t_host, len(f) + 1)[1:]
            self._emit(t, f, self._line_seq, None)
            self._line_seq += len(f)
        self._arrival_prev = t_host

    def _line_runs(self, timed: list[tuple[float, float, int]], t_host: float) -> list[tuple]:
        """Timed lines ``(t_ms, force, line number)`` that arrived at ``t_host`` as runs in clock
        order: ``(restart, t_ms, force)``, ``restart`` None or ``(where, old_s, new_s)`` when the
        run starts a new clock.

        A time not after the one before is a bad line (garbage, or a first column that is no
        clock) unless the device's clock started again: ``RESTART_CONFIRM_LINES`` lines rising
        from it, all still before the old clock's last time. A time further ahead of the one
        before than the host's time between their arrivals allows (by ``JUMP_AHEAD_S``) is a
        bad line too (a byte of noise in the time column: '1234' read as '12934'; followed, the
        timeline would leave every later line behind it) unless lines go on from it: as many,
        each within ``JUMP_AHEAD_S`` (or two periods) of the one before (samples the device lost,
        a backlog sent at connect). Such lines wait for that proof across reads (a slow sketch
        sends one line a read), then go on as a run."""
        prev, prev_at, cand, ahead = self._line_prev, self._line_prev_at, self._line_cand, self._line_ahead
        reach_ms = 1000.0 * JUMP_AHEAD_S
        t = np.array([r[0] for r in timed])
        if not cand and not ahead and (prev is None or prev < t[0] <= prev + reach_ms + 1000.0 * (t_host - prev_at)) \
                and (np.diff(t) > 0).all() and (np.diff(t) <= reach_ms).all():
            return [(None, t, np.array([r[1] for r in timed]))]      # the usual case: all in order
        runs: list[tuple] = []
        cur: list[tuple[float, float, int]] = []
        restart = None
        step_ms = reach_ms + 2.0 * (self._line_dt or 0.0)
        for row in timed:
            if cand:
                if cand[-1][0] < row[0] <= prev:
                    cand.append(row)
                    if len(cand) >= RESTART_CONFIRM_LINES:
                        if cur:
                            runs.append((restart, cur))
                        restart, cur = (f"line {cand[0][2]}", prev / 1000.0, cand[0][0] / 1000.0), cand
                        prev, prev_at, cand = row[0], t_host, []
                    continue
                self.stats.crc_errors += len(cand)       # they went back, and the old clock went on
                cand = []
            if ahead:
                if ahead[-1][0] < row[0] <= ahead[-1][0] + step_ms:
                    ahead.append(row)
                    if len(ahead) >= RESTART_CONFIRM_LINES:
                        cur += ahead                     # the clock did jump
                        prev, prev_at, ahead = row[0], t_host, []
                    continue
                self.stats.crc_errors += len(ahead)      # the clock went on from before it: noise
                ahead = []
            if prev is None or row[0] > prev:
                if prev is not None and row[0] - prev > reach_ms + 1000.0 * (t_host - prev_at):
                    ahead = [row]
                    continue
                cur.append(row)
                prev, prev_at = row[0], t_host
            else:
                cand = [row]
        if cur:
            runs.append((restart, cur))
        self._line_cand, self._line_ahead = cand, ahead
        return [(r, np.array([x[0] for x in c]), np.array([x[1] for x in c])) for r, c in runs]

    def _line_index(self, t_ms: np.ndarray) -> np.ndarray:
        """Sample numbers for timed lines: a jump of over 1.5 periods counts the samples it skipped."""
        prev = self._line_prev
        full = np.concatenate([[prev], t_ms]) if prev is not None else t_ms
        d = np.diff(full)
        if self._line_dt is None:           # (a slow sketch's lines come one or two a read)
            self._line_steps += [float(x) for x in d[d > 0]]
            if len(self._line_steps) >= LINE_DT_LINES:
                self._line_dt = float(np.median(self._line_steps))
        steps = np.ones(len(d), np.int64)
        if self._line_dt:
            steps = np.maximum(1, np.rint(d / self._line_dt).astype(np.int64))
            steps[d <= 1.5 * self._line_dt] = 1
        idx = np.concatenate([[0], np.cumsum(steps)])
        idx = idx[1:] if prev is not None else idx
        base = self._line_seq - (1 if prev is not None else 0)
        seq = base + idx
        self._line_seq = int(seq[-1]) + 1
        return seq

    def _emit_runs(self, t: np.ndarray, f: np.ndarray, seq: np.ndarray) -> None:
        """Emit consecutive-sequence runs as chunks; the jumps before them are gaps."""
        prev_seq, prev_t = self._line_run_end
        bounds = [0] + list(np.flatnonzero(np.diff(seq) != 1) + 1) + [len(seq)]
        for start, end in zip(bounds[:-1], bounds[1:]):
            if prev_seq is not None and seq[start] - prev_seq > 1:
                self._gap(int(seq[start] - prev_seq - 1), prev_t, float(t[start]))
            self._emit(t[start:end], f[start:end], int(seq[start]), None)
            prev_seq, prev_t = int(seq[end - 1]), float(t[end - 1])
        self._line_run_end = (prev_seq, prev_t)

    def _emit(self, t: np.ndarray, force: np.ndarray, seq0: int, imu) -> None:
        keep = t > np.maximum.accumulate(np.concatenate([[self._last_t], t[:-1]]))
        if not keep.all():                # never deliver time running backwards
            t, force = t[keep], force[keep]
            imu = imu[keep] if imu is not None else None
            seq0 += int(np.argmax(keep)) if keep.any() else 0
        if not len(t):
            return
        if self._silent is not None:      # the first samples after a silence end its gap
            t_from, self._silent = self._silent, None
            self._rate_mark = None
            quiet = f"{self.spec}: data again after {self.clock() - self._silent_since:.1f} s"
            rate = self.info.get("rate_hz") or 0.0
            if rate > 0 and float(t[0]) - t_from <= 1.5 / rate:     # what it held came late: none lost
                self.notify("reconnected", f"{quiet}, all of it: what the device took meanwhile came late; "
                                           f"no gap")
            else:
                self.notify("reconnected", f"{quiet}; {float(t[0]) - t_from:.1f} s without samples marked as a "
                                           f"gap", t_from, float(t[0]))
        if self._link is None:
            self._link = (self.now_s(), self.bytes_in, self.stats.samples, self.stats.dropped)
        if self._rate_mark is None:
            self._rate_mark = (float(t[0]), self.stats.samples)
        self._last_t = float(t[-1])
        self.stats.samples += len(t)
        t0, n0 = self._rate_mark           # samples per second of timeline, not of arrival
        if self._last_t - t0 >= 1.0:
            self.stats.rate_hz = (self.stats.samples - n0 - 1) / (self._last_t - t0)
            self._rate_mark = (self._last_t, self.stats.samples - 1)
        items = [Chunk(t, np.asarray(force, float), seq0, "force", self.info.get("rate_hz", 0.0))]
        if imu is not None:
            self.info["has_imu"] = True
            items.append(Chunk(t, imu, seq0, "imu", self.info.get("rate_hz", 0.0)))
        for c in items:
            try:
                self._q.put_nowait(c)
            except queue.Full:            # the consumer stalled for tens of seconds: count, never block
                if c.stream == "force":
                    self.stats.dropped += len(c)

