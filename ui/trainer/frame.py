"""What the trainer's window draws each frame: the force (or a worn IMU's movement) plot and its
marks, the grade panel, the HVLA tab with each thrust's pops and how far the hand moved, the
sound strip and meter, and the pacer, from the engine's buffers; and what the device and the
microphone say, in the status bar.

:class:`TrainerFrame` is a mix-in of :class:`~ui.trainer.window.TrainerWindow`, whose frame timer
calls :meth:`TrainerFrame.refresh`; the widgets it draws on are the window's.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import replace

import numpy as np

from analysis.cavitation_features import joined
from analysis.events import ThrustEvent
from analysis.summary import consistency_score, near_spans
from firmware_bridge.recorder import LOST_SOUND
from ui.trainer.engine import ENVELOPE_RATE_HZ
from ui.trainer.panels import LOST_NOTE
from ui.trainer.target import cycle_miss
from ui.trainer.thrust_plots import THRUST_AFTER_S, THRUST_BEFORE_S
from ui.table import pct_text

UNAVAILABLE = "source unavailable: S chooses another"     # the grade panel, when nothing could be read
PORT_WAIT = "waiting for the port to be free"     # (and while another program holds its serial port)
# the HVLA panel's line for a thrust no sound was heard around, the microphone on (or none to turn on)
NOT_HEARD = "no sound around its peak: pops not counted"
# ... and for one the microphone gave only silence around (every sample 0: muted, or dead), which
# replay of its folder reads as no usable sound too (docs/format.md)
SILENT = "silent microphone (every sample 0): pops not counted"
CLIPPED = "clipped sound around its peak: pops unknown (turn the gain down)"
NOTICE_MS = 15000        # a device's notice stays in the status line this long


def _waiting_note(waiting: tuple[float, float] | None, drawn: bool) -> str:
    """What the movement plot says while the IMU's newest run of data is held back."""
    if waiting is None:
        return ""
    got, need = waiting
    what = "the IMU is back after a dropout" if drawn else "waiting for the IMU"
    return f"{what}: {min(got, need):.1f} of the {need:g} s\nits movement is worked out from"


def imu_sets(cycles, gap_s: float) -> tuple[int, float]:
    """A worn IMU's cycles (in order) in sets, as a force sensor's are (a new set after
    ``gap_s`` without a cycle): the last set's number (0-based) and the time it began."""
    n, start, end = 0, None, None
    for c in cycles:
        if end is None or c.t_start - end >= gap_s:
            n, start = n + (end is not None), c.t_start
        end = c.t_end
    return n, start


def imu_off_note(why: str) -> str:
    """What the plot says when the IMU's analysis is off (its units wrong, an internal error):
    why, on short lines."""
    return "IMU analysis off:\n" + textwrap.fill(why, 44)


def _zero_run_into(t: np.ndarray, env: np.ndarray, t0: float, t1: float, min_s: float,
                   newest: float | None) -> bool:
    """Whether the sound envelope ``env`` at times ``t`` (s, in order) has a run of zeros that
    reaches into ``t0``-``t1`` and lasts ``min_s`` or more, or goes on to the ``newest`` sample
    (silence still coming); a time without envelope (the microphone off) ends a run."""
    if not len(env):
        return False
    z = env == 0
    if not z.any():
        return False
    dt = float(np.median(np.diff(t))) if len(t) > 1 else 1.0 / ENVELOPE_RATE_HZ
    new = np.ones(len(z), bool)
    new[1:] = (z[1:] != z[:-1]) | (np.diff(t) > 1.5 * dt)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(z)) - 1
    starts, ends = starts[z[starts]], ends[z[starts]]
    ta, tb = t[starts], t[ends] + dt
    long = (tb - ta >= min_s - dt / 2) | (t[ends] == newest)
    return bool(np.any(long & (ta <= t1) & (tb >= t0)))


class TrainerFrame:
    """The frame of :class:`~ui.trainer.window.TrainerWindow`: what is drawn each frame (a mix-in)."""

    # ---- the frame ----
    def refresh(self) -> None:
        """Draw one frame from the buffers (the timer's slot; tests call it directly)."""
        eng = self.engine
        eng.give_way()                         # (and at its other pauses: Engine.give_way)
        events, notices = eng.drain()
        for rec in eng.take_stopped():          # (its folder refused a write: a full disk)
            self.recording_stopped(rec)
        for n in notices:                      # what the device says happened (a reset, an error)
            if n.kind == "info":
                self.statusBar().showMessage(n.message, NOTICE_MS)
        news = self.worker.take_mic_news() if self.worker is not None else []
        with eng.lock:                         # (the recording left another rate's sound out)
            news += eng.recorder.take_news() if eng.recorder is not None else []
        for line in news:
            self.statusBar().showMessage(line, NOTICE_MS)     # (the microphone refused, or gone)
        imu_only = eng.imu_only                # a worn IMU and no force sensor: show its movement
        shown = eng.movement if imu_only else eng.force
        # (the IMU's own clock: its plot scrolls while the movement is still being worked out)
        t_now = eng.imu_last_t if imu_only else shown.last_t
        if t_now is None:                     # only sound so far (or a recording of sound alone):
            t_now = eng.audio_env.last_t      # its envelope and pops scroll on its own clock
        away = eng.open_gap() if not imu_only else None
        if away is not None and t_now is not None:
            # the sensor away: the plot goes on scrolling, the time since it was lost hatched "no
            # data" as it grows (it stood still on the last sample until data came again), as far
            # as the microphone's sound, on the same timeline, has come when that is further
            heard = eng.audio_env.last_t
            if heard is not None and heard > away.t_end:
                away = replace(away, t_end=heard)
            t_now = max(t_now, away.t_end)
        if t_now is not None:
            # never back in time on one timeline: the data a sensor plugged back held back come a
            # little short of where the clock took the plot while it was away
            shown_at = self._shown_at
            if shown_at is not None and shown_at[0] == eng.generation:
                t_now = max(t_now, shown_at[1])
            self._shown_at = (eng.generation, t_now)
        self._banner()
        self._rec_ended()
        self.sync_toggles()
        if t_now is None:
            if eng.error:                     # the source could not be opened (no Bluetooth, a port
                # gone): no first cycle is coming from it (the banner says why)
                self.grade_panel.show_cycle(None, None, None, None,
                                            note=PORT_WAIT if eng.port_busy else UNAVAILABLE)
            self._show_status()
            return
        self.adopt_device_calibration()       # known by the time its first samples are
        w = self.force_plot.window_s
        t, y = shown.since(t_now - w)
        cycles = eng.recent_cycles(t_now - w)
        scheme = eng.scheme
        # (copies taken under the lock: the acquisition thread appends to them meanwhile, and a
        # deque read as it grows stops the frame with "deque mutated during iteration")
        with eng.lock:
            last = eng.cycles[-1] if eng.cycles else None
            pops = [p for p in eng.pops if p.t >= t_now - w]
            n_pops = len(eng.pops)
            gaps = list(eng.gaps) + ([away] if away is not None else [])
            disabled = dict(eng.disabled)
            imu_hint = eng.imu_units.hint if eng.imu_units is not None else None
            thrusts = [e for e in eng.thrusts if e.t_onset + 1.0 >= t_now - w]
            last_thrust = eng.thrusts[-1] if eng.thrusts else None
            moved = [(c.t_start, c.t_end) for c in eng.imu_cycles if c.t_end >= t_now - w] if imu_only else []
            last_moved = eng.imu_cycles[-1] if imu_only and eng.imu_cycles else None
            n_moved = len(eng.imu_cycles)
            imu_set = imu_sets(eng.imu_cycles, scheme.set_gap_s) if last_moved is not None else None
        if last is None and last_moved is not None:
            # a worn IMU alone: its cycles make the sets the schedule holds its movement back in,
            # as a force sensor's make the grade's (it was shown whatever the schedule)
            in_set = t_now - last_moved.t_end < scheme.set_gap_s
            view = self.schedule.view(in_set, imu_set[0], None)
            if not view.colours:             # (blind: the running set's cycles not marked either)
                moved = [m for m in moved if m[1] < imu_set[1]]
        else:
            in_set = last is not None and t_now - last.t_end < scheme.set_gap_s
            on_target = scheme.on_target(last.grade, last.modifier, last.beyond_r2) if last else None
            view = self.schedule.view(in_set, last.set_index if last else None, on_target)
        on_target = scheme.on_target(last.grade, last.modifier, last.beyond_r2) if last else None
        drawn_cycles = cycles if view.colours else [c for c in cycles if c.set_index != last.set_index]
        settling, waiting = eng.imu_settling() if imu_only else ([], None)
        if waiting is not None:              # (the newest run: nothing of it drawn yet)
            settling = settling[:-1]
        self.force_plot.show_movement(imu_only)
        eng.give_way()
        imu_off = disabled.get("imu")          # (its units wrong, an error: nothing of it is coming)
        self.force_plot.update_plot(t, y, t_now, drawn_cycles, pops, gaps, thrusts, ungraded=moved,
                                    settling=settling, note=imu_off_note(imu_off) if imu_only and imu_off
                                    else _waiting_note(waiting, bool(len(t))))
        self.movement.say_off(imu_off)
        score = consistency_score(eng.set_cycles(last.set_index)) if last else None
        note = view.note
        small = eng.undersized()
        if small is not None and (last is None or small[0] > last.t_end) and t_now - small[0] < scheme.set_gap_s:
            note = " · ".join(filter(None, (note, small[1])))     # why the hand's oscillation is not graded
        # crests beyond R2 (a safety matter) in the set are counted, whatever the schedule: the
        # grade's own "beyond R2!" goes with the next cycle, and a schedule may hide it
        in_last_set = eng.set_cycles(last.set_index) if last is not None else []
        beyond = sum(bool(c.beyond_r2) for c in in_last_set)
        if view.summary and last is not None:
            pct = [scheme.on_target(c.grade, c.modifier, c.beyond_r2) for c in in_last_set]
            known = [p for p in pct if p is not None]
            note = (f"set: {len(in_last_set)} cycles" + (f", {pct_text(100 * sum(known) / len(known))} % on target"
                                                         if known else "")
                    + (f" · {beyond} beyond R2" if beyond else ""))
        elif view.live and beyond and beyond > last.beyond_r2:    # (the last one's own "beyond R2!" says it)
            note = " · ".join(filter(None, (note, f"set: {beyond} beyond R2")))
        away = eng.away                        # (or back, with none of its data come yet)
        self.thrust_panel.lost_note = LOST_NOTE if away else None
        eng.give_way()
        shown_thrust, moved_mm = self._thrusts(t_now)
        if away:                              # nothing new comes: what is shown is from before
            self.grade_panel.show_lost()
        elif last_thrust is not None and (last is None or last_thrust.t_onset > last.t_end) and \
                (last_moved is None or last_thrust.t_onset > last_moved.t_end):
            self.grade_panel.show_thrust(last_thrust, visible=view.live or not in_set,
                                         moved_mm=moved_mm if shown_thrust is last_thrust else None,
                                         target=self.target)
        elif imu_only:
            self.grade_panel.show_movement(last_moved, n_moved, off=imu_off, visible=view.live, note=view.note,
                                           hint=imu_hint)
        elif eng.force.last_t is None and eng.imu_last_t is None:     # sound alone, so far
            told = eng.sensor_streams
            self.grade_panel.show_sound(n_pops, told is not None and not told & {"force", "imu"},
                                        f"pops not counted: {disabled['audio']}" if "audio" in disabled
                                        else None)
        else:
            self.grade_panel.show_cycle(last, score, self.target.text if self.target else None, on_target,
                                        visible=view.live, note=note, alert=beyond > 0,
                                        miss=cycle_miss(last, scheme) if last is not None else None)
        if any(c.loop for c in cycles):
            self.movement.update_loops(cycles)
        if eng.audio_env.total:
            with eng.lock:                     # (those in view: an hour of talk keeps about 900)
                loud = joined([(a, b) for a, b in eng.loud_spans() if b > t_now - w])
            self.audio_strip.update_envelope(*eng.audio_env.since(t_now - w), t_now, loud)
        self.meter.set_level(eng.audio_level_db, eng.audio_clipping, eng.sound_ended, eng.mic_silent)
        phase = self.pacer.set_time(t_now)
        self.metronome_tick(phase)
        self._show_status()
        self.frames += 1
        for hook in self.frame_hooks:
            hook(self)

    def _thrusts(self, t_now: float) -> tuple[ThrustEvent | None, float | None]:
        """Draw the HVLA tab; returns its newest thrust and how far the hand moved from its onset
        to its peak (an IMU's measure, for a force thrust too when an IMU is beside the force
        sensor; None when unknown), for the grade panel to show too."""
        eng = self.engine
        with eng.lock:
            thrusts = list(eng.thrusts)[-self.thrust_panel.plot.MAX_SHOWN:]
        imu_only = eng.imu_only              # no force: the hand's movement (mm) around each thrust
        self.thrust_panel.plot.show_movement(imu_only)    # (its axis from the start, not the first thrust)
        if not thrusts:
            return None, None
        shown = eng.movement if imu_only else eng.force
        for ev in thrusts:
            k = id(ev)
            got = self._thrust_traces.get(k)
            if got is None or not got[3]:
                tt, yy = self._thrust_trace(ev, shown, imu_only)
                self._thrust_traces[k] = (ev, tt, yy, t_now >= ev.t_onset + THRUST_AFTER_S)
        keep = {id(ev) for ev in thrusts}
        self._thrust_traces = {k: v for k, v in self._thrust_traces.items() if k in keep}
        last: ThrustEvent = thrusts[-1]
        with eng.lock:
            pops = [p for p in eng.pops if p.thrust == last.index]
            audio_off = eng.disabled.get("audio")
        self.thrust_panel.plot.update_thrusts([self._thrust_traces[id(ev)][:3] for ev in thrusts], pops)
        moved = None
        if last.displacement_mm is not None:   # measured from onset to peak by the IMU (beside a force too)
            moved = last.displacement_mm
        elif imu_only:                       # from onset to peak, on the movement drawn
            _, tt, yy, _ = self._thrust_traces[id(last)]
            if len(tt) and tt[0] <= last.t_onset and last.t_peak <= tt[-1]:
                moved = float(np.interp(last.t_peak, tt, yy) - np.interp(last.t_onset, tt, yy))
        heard = eng.samples.get("audio", 0) > 0
        listening = heard and audio_off is None
        near, silent = self._sound_around(last.t_peak) if listening and not pops else (True, False)
        with eng.lock:
            w = eng.thrust_scheme.pop_window_ms / 1000.0
            clipped = listening and not pops and near_spans(last.t_peak, list(eng.clip_spans), w)
            lost = listening and not pops and near_spans(last.t_peak, list(eng.sound_lost), w)
        if lost:
            # silence stands in for sound lost on the way: "no pop" would be said where none
            # could be heard (replay of the recording has its pops unknown, '–')
            self.thrust_panel.show_thrust(last, [], False, LOST_SOUND, moved_mm=moved)
        elif clipped:
            # sound held at its ceiling hides a pop: "no pop" would be said where none could be
            # heard (replay of the recording has its pops unknown, '–')
            self.thrust_panel.show_thrust(last, [], False, CLIPPED, moved_mm=moved)
        elif silent:
            # a muted or dead microphone hears no pop: "no pop" would be said of a thrust nobody
            # heard, and it is not off for A to turn on
            self.thrust_panel.show_thrust(last, [], False, SILENT, moved_mm=moved)
        elif not near:
            # the microphone was off at its peak (or a played recording's sound had ended): "no
            # pop" would be said of a thrust nobody heard
            w = self.worker
            off = w is not None and not w.mic_on and self.mic_refused(w.source) is None     # (A would hear it)
            self.thrust_panel.show_thrust(last, [], False, *(() if off else (NOT_HEARD,)), moved_mm=moved)
        elif heard and not listening:
            self.thrust_panel.show_thrust(last, pops, False, f"pops not counted: {audio_off}",
                                          moved_mm=moved)
        elif audio_off is not None:
            # a microphone asked for and refused (a sound file given as one, none of that name):
            # why, in the words the status line starts with, not "no microphone ... (key A)",
            # which would meet the same refusal (its advice stays on the status line)
            self.thrust_panel.show_thrust(last, pops, False, f"pops not counted: {audio_off.split('; ')[0]}",
                                          moved_mm=moved)
        else:
            partly = bool(pops) and listening and not self._heard_whole(last)
            # heard in sound that hides most pops (a voice, music): "no pop heard (loud sound)",
            # or "at least 2 pops, … (loud sound)", as replay says it (its peak in it); asked
            # only here, where it is shown
            with eng.lock:
                masked = listening and near_spans(last.t_peak, eng.loud_spans())
            self.thrust_panel.show_thrust(last, pops, listening, moved_mm=moved, partly_heard=partly,
                                          masked=masked)
        return last, moved

    def _heard_whole(self, ev: ThrustEvent) -> bool:
        """Whether the sound covered every time a pop could be tied to the thrust ``ev`` at, as
        replay's summary judges it (:func:`analysis.summary.window_heard`: from the sound's first
        time to its end, a microphone still on reaching on), with no time the microphone was off
        nor a stretch of silence in it (:meth:`_sound_around`): else the pops heard are a least
        number."""
        from analysis.pipeline import (PEAK_BEFORE_TRIGGER_S, POP_FOUND_BEFORE_END_S, POP_FOUND_FROM_S,
                                       POP_LOOK_AHEAD_S)
        from analysis.summary import window_heard
        eng, w = self.engine, self.engine.thrust_scheme.pop_window_ms / 1000.0
        with eng.lock:
            start, end, ended = eng.sound_start, eng.sound_end(), eng.sound_ended
        if start is None or end is None:
            return False
        # (sound that may still come, a microphone on or a played recording's not ended, reaches on)
        on = (self.worker is not None and self.worker.mic_on) or not ended
        heard = (start + POP_FOUND_FROM_S, math.inf if on else end - POP_FOUND_BEFORE_END_S)
        if not window_heard(ev.t_onset, ev.t_peak, heard, w, POP_LOOK_AHEAD_S + PEAK_BEFORE_TRIGGER_S):
            return False
        near, silent = self._sound_around(ev.t_peak)
        return near and not silent

    def _sound_around(self, t_s: float) -> tuple[bool, bool]:
        """Whether sound was heard within a pop's tie window of ``t_s``, or may still come (the
        microphone is on and its sound has not reached that far yet), and the microphone was
        not off for any of that window (a recording says the same of it); and whether that
        window reaches into silence, a run of samples all 0 as long as replay's stretch of no
        usable sound (DEAD_MIN_S, 1 s) or going on still (a muted or dead microphone: its
        envelope, each millisecond's loudest sample, is 0 throughout the run), as replay of the
        recording reads it. Judged on the envelope the trainer keeps (a minute): within a
        millisecond of where the run starts and ends, where replay judges in frames of 0.1 s."""
        from firmware_bridge.replay.dead_audio import DEAD_MIN_S
        eng, w = self.engine, self.engine.thrust_scheme.pop_window_ms / 1000.0
        with eng.lock:
            t, env = eng.audio_env.between(t_s - w - DEAD_MIN_S, t_s + w + DEAD_MIN_S)
            last = eng.audio_env.last_t
            if near_spans(t_s, eng.off_spans(), w):
                return False, False
        inside = (t >= t_s - w) & (t <= t_s + w)
        near = bool(inside.any())
        silent = near and _zero_run_into(t, env, t_s - w, t_s + w, DEAD_MIN_S, last)
        on = self.worker is not None and self.worker.mic_on
        return near or (on and (last is None or last < t_s + w)), silent

    def _thrust_trace(self, ev: ThrustEvent, shown, imu_only: bool) -> tuple[np.ndarray, np.ndarray]:
        """What the HVLA plot draws of ``ev``: its force, or with a worn IMU alone the hand's
        movement as its "hand moved" figure is measured (from the hold before it), not the
        band-limited trace of the scrolling plot, which rose under half of that figure from a
        simulated thrust's onset to its peak. That trace when the IMU measured no hold before it."""
        t0, t1 = ev.t_onset - THRUST_BEFORE_S, ev.t_onset + THRUST_AFTER_S
        p = self.engine.analyzer.processors.get("imu") if imu_only else None
        if p is not None and ev.displacement_mm is not None:
            with self.engine.lock:
                tt, yy = p.thrust_curve(ev.t_onset, t0, t1)
            if len(tt):
                return tt, yy
        return shown.between(t0, t1)
