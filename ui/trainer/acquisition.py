"""The trainer's acquisition thread: it reads the source and the microphone and feeds the engine
(``ui.trainer.engine.Engine``), never on the GUI thread; a source that goes away is opened
again, the microphone switched on and off as the window asks."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from dataclasses import replace

from analysis.chunk import Chunk
from analysis.errors import GradecoachError
from firmware_bridge.recorder import release_held
from firmware_bridge.sources import Notice, Source
from ui.trainer.engine import Engine
from ui.trainer.microphone import mic_loss, mic_name

log = logging.getLogger("gradecoach.trainer")

# with a microphone on, the acquisition worker waits for the microphone's next block this long at
# most, then reads the source without waiting (a block is fed as soon as it is captured; the
# emulator's data come every 10 ms, a BLE sensor's notifications 10-13 ms apart, and wait at most
# this long to be read; the worker's read timeout is 20 ms): benchmarks/bench_live_pops.py
MIC_TURN_S = 0.0025
# the acquisition thread gives the recording its data in pieces of about this much (s): its analysis
# (the pop detector above all) costs per piece, 5.6 % of one core for fixtures/thrust_pops in 5 ms
# pieces, 0.6 % in 100 ms pieces
RECORD_BATCH_S = 0.1

_MIC_NUMBERS = itertools.count(1)      # each microphone started: its losses are counted apart


def source_t0_host_s(source: Source) -> float | None:
    """The host ``time.monotonic()`` at which the open ``source``'s timeline reads 0, or None when
    it cannot say (not open, or timed by another clock: a test's); see ``Source.t0_host_s``."""
    t0 = getattr(source, "t0_host_s", None)
    return None if t0 is None else float(t0)


class AcquisitionWorker(threading.Thread):
    """Pulls ``source.read()`` and feeds the engine; never on the GUI thread.

    A read that raises a user-level error (device gone) counts as a disconnect: the banner
    shows, the worker reopens the source every ``retry_s`` and the recording goes on, the gap
    marked. Any other exception is a bug: logged with its traceback, shown as one line.
    """

    def __init__(self, source: Source, engine: Engine, read_timeout_s: float = 0.02,
                 retry_s: float = 1.0, mic=None) -> None:
        super().__init__(name="gradecoach-acquisition", daemon=True)
        self.source, self.engine = source, engine
        # optional microphone (firmware_bridge.audio.AudioInput, from open_microphone): start/read/close
        self.mic = mic
        self.read_timeout_s, self.retry_s = read_timeout_s, retry_s
        self._halt = threading.Event()
        self._mic_request: list | None = None     # [new microphone or None], set by the GUI thread
        self._mic_lock = threading.Lock()         # (a request set while one is made is kept)
        self._release_asked = threading.Event()   # release_held() asks this thread ...
        self._released = threading.Event()       # ... which answers once it fed what the source held
        self.opened_at: float | None = None       # time.monotonic() once the source opened
        # seconds taken from the microphone's stamps (host monotonic: open_microphone) to put them
        # on the source's timeline; set at its first chunk after each start
        self._mic_shift: float | None = None
        self._mic_started = False
        self._mic_said: deque[str] = deque()      # what became of the microphone, for the window to say
        self._mic_rate_said = False               # its rate far from its own was said (once a start)
        self._mic_number: int | None = None        # the microphone started now (its losses counted apart)
        self._gen = engine.generation              # the engine's timeline this worker feeds

    def request_mic(self, mic) -> None:
        """Switch the microphone from the GUI thread: a new (not yet started) one, or None for off.
        The acquisition thread makes the change between two reads."""
        with self._mic_lock:
            self._mic_request = [mic]
        if not self.is_alive():
            self._apply_mic_request()

    @property
    def mic_on(self) -> bool:
        pending = self._mic_request
        return (pending[0] if pending is not None else self.mic) is not None

    def release_held(self, timeout_s: float = 1.0) -> None:
        """Feed the engine now what the source still holds back (a serial device's first second
        after opening or a reconnect), and the sound the microphone delivered (queued from
        PortAudio's callback), waiting at most ``timeout_s``: called (from the GUI thread) before a
        recording stops, so it keeps what the device and the microphone sent before the stop."""
        if not self.is_alive() or threading.current_thread() is self:
            return
        self._released.clear()
        self._release_asked.set()
        self._released.wait(timeout_s)

    def stop(self, join_s: float = 2.0) -> None:
        self._halt.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(join_s)

    def _open_when_free(self, src) -> None:
        """Open ``src``; a serial port another program holds (a recording, a probe) is said in the
        banner and opened once it is free, as an unplugged sensor is taken back (it stayed refused
        until the trainer was started again). Halted meanwhile, it returns with the source shut."""
        from firmware_bridge.serial_source import PortBusyError
        told = None
        while True:
            try:
                src.open()
            except PortBusyError as e:
                told = f"{e}; it is opened once free"
                self.engine.fail(told, self._gen, port_busy=True)
                if self._halt.wait(1.0):
                    raise
                continue
            if told is not None:
                with self.engine.lock:
                    if self.engine.current(self._gen) and self.engine.error == told:
                        self.engine.error, self.engine.port_busy = None, False
            return

    def run(self) -> None:
        src, eng = self.source, self.engine
        try:
            self._open_when_free(src)
        except GradecoachError as e:
            eng.fail(str(e), self._gen)
            return
        except Exception:
            log.exception("opening %s failed", src.spec)
            eng.fail(f"{src.spec}: could not be opened (details in the log file)", self._gen)
            return
        self.opened_at = time.monotonic()
        eng.record_later = True
        eng.source_opened(src, self._gen)
        self._start_mic()
        try:
            while not self._halt.is_set():
                # (cleared only when seen: a request set between the look and a clear was lost,
                # and the recording's stop then waited its whole timeout)
                releasing = self._release_asked.is_set()
                if releasing:
                    self._release_asked.clear()
                try:
                    chunks, mic_served = (release_held(src), False) if releasing else self._read_source()
                except (GradecoachError, OSError) as e:
                    self._released.set()
                    eng.notice(Notice("disconnected", f"{src.spec}: {e}"), self._gen)
                    self._reopen()
                    continue
                for n in src.notices():
                    eng.notice(n, self._gen)
                # what one read brought is fed whole before a recording can start or stop: a
                # stop between a frame's force and its IMU kept the one and lost the other
                with eng.lock:
                    for c in chunks:
                        eng.feed(c, self._gen)
                try:
                    # (before a recording that stops is closed: the sound the microphone delivered
                    # up to the stop is the recording's too; a block that came since the read waits
                    # for the next turn, which then does not wait)
                    if not mic_served:
                        self.serve_mic()
                    eng.record_pending(self._sound_waits, RECORD_BATCH_S)   # (after the live analysis)
                finally:
                    if releasing:
                        self._released.set()
                if not chunks and getattr(src, "exhausted", False) and eng.current(self._gen):
                    eng.played_to_end(self._gen)   # a recording played to its end
                    self._halt.wait(self.read_timeout_s)
        except Exception:
            log.exception("acquisition from %s stopped", src.spec)
            eng.fail(f"{src.spec}: acquisition stopped by an internal error (details in the log file)", self._gen)
        finally:
            self._close_mic()
            eng.record_pending()
            if eng.current(self._gen):
                eng.record_later = False        # (no thread calls record_pending any more)
            try:
                src.close()
            except (GradecoachError, OSError) as e:
                log.warning("closing %s: %s", src.spec, e)

    def _read_source(self) -> tuple[list[Chunk], bool]:
        """The source's data, waiting at most :meth:`_wait_s`, and whether the microphone had its
        turn. With a microphone on, the wait is for the microphone's next block instead, so that a
        block is fed as soon as it is captured (not up to a turn later): before the source is
        read, which is then read without waiting (a pop's sound waited for the force's read and
        feed, each a few more waits for the interpreter while the window draws)."""
        wait_block = getattr(self.mic, "wait_block", None) if self._mic_started else None
        if wait_block is None:
            return self.source.read(self._wait_s()), False
        served = wait_block(self._wait_s())
        if served:
            self.serve_mic()
        return self.source.read(0.0), served

    def _wait_s(self) -> float:
        """How long a turn of the loop may wait: with a microphone on, no longer than
        :data:`MIC_TURN_S`, so that its sound is analysed as it comes, whatever the source's pace."""
        return self.read_timeout_s if self.mic is None else min(self.read_timeout_s, MIC_TURN_S)

    def serve_mic(self) -> None:
        """The microphone's turn between two reads of the source: a switch the GUI asked for is
        made, then what the microphone captured is fed. (The loop's step; a test drives it alone.)"""
        if self._mic_request is not None:
            self._apply_mic_request()
        if self.mic is not None and not self._mic_started:     # (set before the loop ran)
            self._start_mic()
        self._read_mic()

    def take_mic_news(self) -> list[str]:
        """Lines saying the microphone could not start or went away, since the last call
        (the GUI thread shows them; the status line's field stays as long as it is off)."""
        out = []
        while self._mic_said:                      # (appended on the acquisition thread)
            out.append(self._mic_said.popleft())
        return out

    def _apply_mic_request(self) -> None:
        req = self._mic_request
        if req is None:
            return
        try:
            self._mic_gone(drain=True)
            self.mic = req[0]
            if self.mic is not None:
                with self.engine.lock:              # (the window copies it under the lock)
                    self.engine.disabled.pop("audio", None)
                if self.is_alive():
                    self._start_mic()
        finally:
            # taken off only once made, so that mic_on says what was asked meanwhile (it said
            # "on" while an "off" let the old microphone's last sound in); one asked since stays
            # for the next turn
            with self._mic_lock:
                if self._mic_request is req:
                    self._mic_request = None

    def _start_mic(self) -> None:
        if self.mic is None:
            return
        self._mic_shift = None
        self._mic_rate_said = False
        try:
            self.mic.start()
        except (GradecoachError, OSError) as e:
            with self.engine.lock:
                self.engine.disabled["audio"] = f"microphone: {e}"
            self._mic_said.append(f"no microphone: {str(e).splitlines()[0]}")
            self.mic = None
            return
        self._mic_started = True
        self._mic_number = next(_MIC_NUMBERS)
        with self.engine.lock:
            self.engine.sound_from = mic_name(self.mic)
            self.engine.mic_opened()
        self._count_mic_loss()

    def _sound_waits(self) -> bool:
        """Whether the microphone has captured sound not yet fed."""
        waiting = getattr(self.mic, "waiting", None)
        return bool(waiting is not None and waiting())

    def _read_mic(self) -> None:
        """Audio rides along on the same thread: the microphone's own callback only queues."""
        if self.mic is None:
            return
        try:
            chunks = self.mic.read(0.0)
        except (GradecoachError, OSError) as e:
            with self.engine.lock:
                self.engine.disabled["audio"] = f"microphone gone: {e}"
                recording = self.engine.recorder is not None
            self._mic_said.append(f"{str(e).splitlines()[0]}; "          # (which input, and what it did)
                                  + ("recording goes on without sound" if recording else "practice goes on")
                                  + "; A turns it on again")
            self._mic_gone()
            return
        for c in chunks:
            self.engine.feed(self._on_timeline(c), self._gen)
        self._count_mic_loss()
        self._check_mic_rate()

    def _count_mic_loss(self) -> None:
        """The microphone's losses so far, for the recording (and the status line): after its
        sound is fed, so that the silence standing in for them is the recording's too."""
        if self.mic is not None and self._mic_started and self.engine.current(self._gen):
            self.engine.mic_counted(self._mic_number, mic_loss(self.mic))

    def _check_mic_rate(self) -> None:
        """An input delivering far from its own rate (a file played as the microphone, faster
        than real time) is said once, as ``record`` says it: its sound is not placed in time
        with the force. Judged after ``RATE_SETTLE_S`` of it, ``UNPLACED_SHARE`` off and
        ``UNPLACED_EXCESS_S`` of sound off the time that passed (a late callback of a busy machine
        is not taken for it)."""
        far = getattr(self.mic, "delivered_far", None)
        if self._mic_rate_said or far is None:
            return
        from firmware_bridge.audio import RATE_SETTLE_S, UNPLACED_EXCESS_S, UNPLACED_SHARE, delivered_note
        got = far(RATE_SETTLE_S, UNPLACED_SHARE, UNPLACED_EXCESS_S)
        if got is not None:
            self._mic_rate_said = True
            self._mic_said.append(delivered_note(got, self.mic.rate_hz, mic_name(self.mic)))
            log.warning("%s", self._mic_said[-1])
            # its pops are not counted from now on (a pop near a thrust, or none, says nothing of
            # it): the thrust panel says so ("–"), not "no pop", and the recording records the
            # sound without analysing it (its stored summary has the pops unknown); the next
            # microphone chosen is judged anew
            with self.engine.lock:
                self.engine.sound_not_placed()

    def _on_timeline(self, c: Chunk) -> Chunk:
        """The microphone's chunk on the force source's timeline: its stamps (host monotonic
        seconds) less the host time of the source's zero; for a source that cannot say, the
        audio starts at the newest sample's time."""
        if self._mic_shift is None:
            t0 = source_t0_host_s(self.source)
            if t0 is None:
                eng = self.engine
                newest = max((t for t in (eng.force.last_t, eng.imu_last_t) if t is not None), default=0.0)
                t0 = float(c.t_s[0]) - newest
            self._mic_shift = t0
        return replace(c, t_s=c.t_s - self._mic_shift)

    def _mic_gone(self, drain: bool = False) -> None:
        """The microphone closed while reading on (turned off, another chosen, or lost): the
        meter shows no level it no longer hears. ``drain``: what it captured before and still
        holds is fed first (its stream stopped: ``read_pending``), so a recording keeps the
        sound up to the key press."""
        if self.mic is not None and drain and self._mic_started and hasattr(self.mic, "read_pending"):
            try:
                chunks = self.mic.read_pending()
            except (GradecoachError, OSError) as e:
                log.warning("the microphone's last sound: %s", e)
                chunks = []
            for c in chunks:
                self.engine.feed(self._on_timeline(c), self._gen)
            self._count_mic_loss()
        if self.mic is not None:
            with self.engine.lock:
                self.engine.audio_level_db = None
                self.engine.audio_clipping = False
                self.engine.clip_meter.stop()
            self.engine.sound_stopped()
        self._close_mic()

    def _close_mic(self) -> None:
        mic, self.mic = self.mic, None
        if self._mic_started and self.engine.current(self._gen):
            self.engine.mic_counted(None, None)
        self._mic_started = False
        if mic is not None:
            try:
                mic.close()
            except (GradecoachError, OSError) as e:
                log.warning("closing the microphone: %s", e)

    def _reopen(self) -> None:
        while not self._halt.wait(self.retry_s):
            try:
                self.source.close()
                self.source.open()
            except (GradecoachError, OSError) as e:
                log.info("reopen %s: %s", self.source.spec, e)
                continue
            self.engine.notice(Notice("reconnected", f"{self.source.spec}: back"), self._gen)
            return
