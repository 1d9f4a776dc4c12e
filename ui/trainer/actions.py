"""The trainer's commands and their keys: record (space), calibrate, target, feedback schedule,
window length, metronome, source, full screen, about. Mixed into :class:`TrainerWindow`."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from analysis.errors import GradecoachError, InputError
from firmware_bridge.recorder import scheme_from_played, thrust_from_played
from ui.trainer.dialogs import CalibrationWizard, TargetDialog, TraineeDialog
from ui.trainer.feedback import MODES
from ui.trainer.recording import NoFolder, start_recorder

# Space once a played file has ended: a recording would never get a sample
NOTHING_TO_RECORD = "Nothing to record: the source has ended (S for another source)"

log = logging.getLogger("gradecoach.trainer")

CLICK_RATE_HZ = 48000
MIC_NAME_CHARS = 30      # a source's name in a message is cut in the middle beyond this
CLICK = (0.4 * np.sin(2 * np.pi * 1500 * np.arange(480) / CLICK_RATE_HZ)
         * np.hanning(480)).astype(np.float32)    # 10 ms tone burst

SHORTCUTS = [  # (key, label, method) — the table docs/trainer.md shows
    ("Space", "Start / stop recording", "toggle_recording"),
    ("C", "Calibrate R1 and R2", "calibrate"),
    ("T", "Pick the target", "pick_target"),
    ("F", "Next feedback schedule", "next_feedback"),
    ("N", "Trainee and technique", "name_trainee"),
    ("M", "Metronome click on / off", "toggle_click"),
    ("A", "Microphone (pops) on / off", "toggle_microphone"),
    ("+", "Longer plot window", "longer"),
    ("-", "Shorter plot window", "shorter"),
    ("S", "Choose the source", "choose_source"),
    ("F11", "Full screen (projector)", "toggle_full_screen"),
    ("F1", "About (log file)", "about"),
    ("Ctrl+Q", "Quit", "close"),
]


TOGGLES = ("toggle_click", "toggle_microphone")       # the commands shown ticked while on


class TrainerActions:
    """Commands of the trainer window (needs ``engine``, ``worker``, ``target`` … from it)."""

    def build_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        menu = self.menuBar().addMenu("&Trainer")
        for key, label, name in SHORTCUTS:
            a = QAction(label, self)
            a.setShortcut(QKeySequence(key))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            if name in TOGGLES:                 # a tick in the menu says whether it is on
                a.setCheckable(True)
                a.triggered.connect(lambda _checked=False, f=getattr(self, name): (f(), self.sync_toggles()))
            else:
                a.triggered.connect(getattr(self, name))
            self.addAction(a)
            menu.addAction(a)
            self.actions_by_name[name] = a
        self.click_on = False
        self._click_out = None
        # the grading settings the engine took from its source (a played session's), with the values
        # they replaced; and those given on the command line, which a played session's do not replace
        self.scheme_from_source: dict = {}
        self.thrust_from_source: dict = {}         # (a played session's pop window)
        self.scheme_given: frozenset[str] = frozenset()
        # the trainee and technique fields taken from a played session (it names who practised and
        # what): they go with it; a name given (--trainee, key N) is kept over the session's
        self.trainee_from_source: set[str] = set()
        self._last_phase: float | None = None

    def sync_toggles(self) -> None:
        """Tick the metronome and microphone items as they are (a microphone may also go away,
        a click stop when its output fails)."""
        on = {"toggle_click": self.click_on, "toggle_microphone": self.worker is not None and self.worker.mic_on}
        for name, state in on.items():
            a = self.actions_by_name.get(name)
            if a is not None and a.isChecked() != state:
                a.setChecked(state)

    # ---- recording ----
    def toggle_recording(self) -> None:
        if self.engine.recorder is None:
            self.start_recording()
        else:
            self.stop_recording()

    def target_detail(self) -> dict:
        """The target as a recording keeps it (session.json ``target_detail``); {} for none."""
        return dict(self.target.to_dict(), text=self.target.text) if self.target else {}

    def target_key(self) -> tuple | None:
        """What a folder's target is: its text, pacer rate and corridors (III with no modifier
        given as '' or None is the same target)."""
        t = self.target
        return None if t is None else (t.text, t.rate_hz, t.preload_n, t.peak_n)

    def start_recording(self) -> Path | None:
        """Space: record from now on; refused in one line once a played file has ended (its
        folder could never hold a sample: 'nothing recorded: no data came' was all it gave)."""
        if self.engine.finished:
            self.statusBar().showMessage(NOTHING_TO_RECORD, 8000)
            return None
        try:
            rec = self.new_recorder()
        except InputError as e:                 # (which folder, why, what to do)
            self.show_problem(str(e))
            return None
        return self.record_into(rec)

    def new_recorder(self):
        """A recorder in a new session folder with the window's settings, not yet fed:
        :class:`NoFolder` when no folder can be had."""
        eng = self.engine
        src = self.worker.source if self.worker else None
        target = self.target_detail() or None
        # the streams the source says its sensor gives, whichever of them has sent first; when it
        # cannot say, what came so far (a force that comes later is recorded all the same)
        told = eng.sensor_streams
        imu = bool(src and src.info.get("has_imu")) or eng.samples.get("imu", 0) > 0 or "imu" in (told or ())
        # (a folder another recording takes as it is made is left to it: the next name)
        rec = start_recorder(self.record_root, eng.scheme, eng.thrust_scheme, target=target,
                             profile=self.calibration.name if self.calibration else None,
                             sensor=src.info if src else None, feedback=self.schedule.mode,
                             trainee=self.trainee, technique=self.technique, imu=imu,
                             force="force" in told if told is not None else not eng.imu_only)
        rec.target_key = self.target_key()
        return rec

    def record_into(self, rec) -> Path:
        """Record into ``rec`` from now on (the recording it replaces is the caller's to close)."""
        self.engine.start_recording(rec)
        self.show_recording(rec)
        log.info("recording to %s", rec.path)
        return rec.path

    def show_recording(self, rec) -> None:
        """The recording label: the folder, and whether the screen grades with other settings
        than the folder's own (a change that got no folder of its own)."""
        other = rec.screen_differs
        self.rec_label.setText(f"● REC  {rec.path.name}" + (" — old settings" if other else ""))
        self.rec_label.setToolTip(str(rec.path) + (f"\nrecorded with its old settings ({rec.settings_text()}); "
                                                   "the screen grades with the new" if other else ""))
        self.rec_label.setStyleSheet("color: #D55E00; font-weight: bold; font-size: 18px")

    def keep_recording(self, rec, e: NoFolder, scheme) -> None:
        """A new target or calibration got no folder of its own (``e``): ``rec`` goes on with
        its own, the screen with the new ones, and one line says so, where, why and what to do."""
        changed = [w for w, new in (("target", rec.target_key != self.target_key()),
                                    ("calibration", (scheme.r1_n, scheme.r2_n) != (rec.scheme.r1_n, rec.scheme.r2_n)))
                   if new]
        with self.engine.lock:
            self.engine.record_pending()        # (from the last sample the live analysis had)
            rec.screen_changed(scheme, self.target_detail())
        self.show_recording(rec)
        self.show_problem(rec.goes_on_line(e, " and ".join(changed) or "settings"))

    def stop_recording(self) -> Path | None:
        if self.worker is not None:
            self.worker.release_held()          # what the source holds back is this recording's too
        rec = self.engine.stop_recording()
        if rec is None:
            return None
        if rec.failed is not None:              # (the disk refused its end: kept as it holds it)
            self.recording_stopped(rec, later=False)
            return None
        if not rec.kept:
            self.rec_label.setText("nothing recorded: no data came")
            self.rec_label.setToolTip("")
            self.rec_label.setStyleSheet("")
            log.info("recording %s had no data: not kept", rec.path)
            return None
        self._last_record_path = rec.path
        self.rec_label.setText(f"saved {rec.path.name}")      # (the whole path in its tooltip)
        self.rec_label.setToolTip(str(rec.path))
        self.rec_label.setStyleSheet("")
        log.info("recording saved: %s", rec.path)
        return rec.path

    def recording_stopped(self, rec, later: bool = True) -> None:
        """``rec`` stopped at a write its folder refused (a full disk): closed as well as it can
        be, the recording label and one line say where, why, how much is kept and what to do;
        practice goes on. ``later``: the line waits for the frame to end (its box waits for OK
        while the frames go on drawing)."""
        if rec.told:
            return
        rec.told = True
        rec.close()
        line = rec.stopped_line()
        if rec.kept:
            self._last_record_path = rec.path
        self.rec_label.setText(rec.stopped_label())
        self.rec_label.setToolTip(line)
        self.rec_label.setStyleSheet("")
        if later:
            QTimer.singleShot(0, self, lambda: self.show_problem(line))
        else:
            self.show_problem(line)

    # ---- trainee ----
    def name_trainee(self) -> None:
        dlg = TraineeDialog(self.trainee, self.technique, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.set_trainee(*dlg.values)

    def set_trainee(self, trainee: str, technique: str | None = None) -> None:
        """The trainee (and technique) of the next recordings, and of the one going on: a
        recording is of whoever practises in it."""
        self.trainee_from_source = set()        # (named: kept over a played session's)
        self.trainee = trainee.strip()
        if technique is not None:
            self.technique = technique.strip()
        with self.engine.lock:
            if self.engine.recorder is not None:
                self.engine.recorder.set_trainee(self.trainee, self.technique)

    # ---- calibration, target, feedback ----
    def calibrate(self) -> None:
        dlg = CalibrationWizard(self._live_force, self, self.calibration)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.calibration is not None:
            self.set_calibration(dlg.calibration)
            if dlg.not_saved:
                self.statusBar().showMessage(dlg.not_saved, 10000)

    def _live_force(self, seconds: float) -> tuple[np.ndarray, np.ndarray]:
        """The force held now, for a capture: none while the sensor is away or a recording has
        played to its end (its last second is not what the hands hold now)."""
        eng = self.engine
        if eng.away or eng.error or eng.finished:
            return np.zeros(0), np.zeros(0)
        return eng.force.last(seconds)

    def set_calibration(self, cal) -> None:
        self.calibration = cal
        self.apply_schemes()

    def pick_target(self) -> None:
        dlg = TargetDialog(self.target, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.target is not None:
            self.set_target(dlg.target)

    def set_target(self, target) -> None:
        self.target = target
        self.target_from_source = False        # (chosen: kept over a change of source)
        self.apply_schemes()

    def next_feedback(self) -> None:
        self.set_feedback(MODES[(MODES.index(self.schedule.mode) + 1) % len(MODES)])

    def longer(self) -> None:
        self.set_window_s(self.force_plot.window_s + 2.0)

    def shorter(self) -> None:
        self.set_window_s(self.force_plot.window_s - 2.0)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    # ---- metronome ----
    def toggle_click(self) -> None:
        """The audible click is optional: without an output device the pacer stays visual. It
        sounds at the target's rate, so without one it waits for a target with a rate."""
        if self.click_on:
            self.click_on = False
            self.statusBar().showMessage("metronome click off", 3000)
            return
        paced = self.pacer.rate_hz is not None
        no_pacer = "; there is no pacer either until a target with a rate is set (press T)"
        try:
            import sounddevice as sd
        except (OSError, ImportError) as e:
            self.statusBar().showMessage(f"no sound output ({str(e).splitlines()[0]})"
                                         + (": visual pacer only" if paced else no_pacer), 5000)
            return
        try:
            sd.query_devices(kind="output")
        except (OSError, ValueError, sd.PortAudioError):
            self.statusBar().showMessage("no sound output on this machine" + (": visual pacer only" if paced
                                                                              else no_pacer), 5000)
            return
        self._click_out = sd
        self.click_on = True
        self.statusBar().showMessage("metronome click on" if paced else
                                     "metronome click on: it sounds once a target with a rate is set (press T)", 5000)

    def metronome_tick(self, phase: float | None) -> None:
        wrapped = phase is not None and self._last_phase is not None and phase < self._last_phase
        self._last_phase = phase
        if wrapped and self.click_on and self._click_out is not None:
            try:
                self._click_out.play(CLICK, CLICK_RATE_HZ)       # non-blocking
            except Exception as e:  # PortAudio reports device trouble as several types
                log.warning("metronome click: %s", e)
                self.click_on = False

    # ---- microphone ----
    def toggle_microphone(self) -> bool:
        """Listen for pops, or stop listening; a microphone that cannot be opened is one line in
        the status bar and practice goes on. Returns whether the microphone is now on."""
        if self.worker is None:
            return False
        if self.worker.mic_on:
            self.worker.request_mic(None)
            self.mic_wanted = False
            self.statusBar().showMessage("microphone off", 3000)
            return False
        if (why := self.mic_refused(self.worker.source)) is not None:
            self.mic_wanted = True              # as its advice says: it turns on with a source without sound
            self.statusBar().showMessage(why, 8000)
            return False
        self.mic_wanted = False
        mic = self._open_mic()
        if mic is None:
            return False
        self.worker.request_mic(mic)
        self.statusBar().showMessage(f"listening for pops: {mic.name}", 3000)
        return True

    @staticmethod
    def mic_refused(source, name: str | None = None) -> str | None:
        """Why the microphone stays off beside ``source``, in one line, or None: a recording that
        plays its own sound has its pops found in it (ui.microphone)."""
        from ui.microphone import mic_refused
        name = short_name(name or source.info.get("name", source.spec))   # (the advice at the end must fit)
        return mic_refused(source, "S for another source to use the microphone", name)

    def _open_mic(self):
        """The microphone the A key opens, or None with the reason in the status bar. Its audio
        goes on the source's timeline (ui.trainer.microphone.open_microphone)."""
        mic, why = self._mic_or_why()
        if why is not None:
            self.statusBar().showMessage(why, 8000)
        return mic

    def _mic_or_why(self):
        """(the microphone, None), or (None, why it cannot be opened in one line). While a
        recording holds sound, at its rate if the microphone can (one file holds one rate)."""
        from ui.trainer.microphone import open_microphone
        rec = self.engine.recorder
        rate = getattr(rec, "sound_rate_hz", None)
        if rate:
            try:
                return open_microphone(self.mic_device, samplerate=rate), None
            except (GradecoachError, ImportError, OSError):
                pass                        # (at its own rate: the recording says it leaves it out)
        try:
            return open_microphone(self.mic_device), None
        except (GradecoachError, ImportError, OSError) as e:
            return None, f"no microphone: {str(e).splitlines()[0]}"

    # ---- source, about, problems ----
    def choose_source(self) -> None:
        from firmware_bridge.scenarios import SCENARIOS
        # every emulator scenario (the mixed one first: it shows all grades and thrusts), then the ports
        specs = [f"emulator:{name}" for name in sorted(SCENARIOS, key=lambda n: n != "mixed")]
        try:
            from serial.tools import list_ports
            specs += [f"serial:{p.device}" for p in list_ports.comports()]
        except ImportError:
            pass
        spec, ok = QInputDialog.getItem(self, "Source", "device (emulator:…, serial:PORT, ble:NAME, file:PATH)",
                                        specs, 0, True)
        if ok and spec:
            self.switch_source(spec)

    def switch_source(self, spec: str) -> bool:
        from firmware_bridge.sources import open_source
        from ui.trainer.acquisition import AcquisitionWorker
        try:
            src = open_source(spec)
        except GradecoachError as e:
            self.show_problem(str(e))
            return False
        mic = refused = said_mic = None
        old_name = None
        if self.worker is not None:
            was_on = self.worker.mic_on
            asked = was_on or self.mic_wanted       # (wanted: refused beside a recording with its own sound)
            old_name = self.worker.source.info.get("name")
            self.worker.stop()
            if asked and (refused := self.mic_refused(src, "it")) is None:    # the new source listens
                mic, said_mic = self._mic_or_why()
                if mic is not None and not was_on:      # on by itself, as the refusal's advice said
                    said_mic = f"listening for pops: {mic.name}"
            self.mic_wanted = asked and refused is not None
        # the new source's timeline starts anew: the recording so far is saved, the plots cleared
        saved = self.stop_recording()
        self.engine.restart()
        self._thrust_traces = {}
        self.thrust_panel.clear()               # the last source's numbers and force are not the new one's
        self.grade_panel.show_cycle(None, None, None, None)
        self.force_plot.update_plot(np.empty(0), np.empty(0), 0.0, [], [], [])
        self.audio_strip.clear_envelope()                # (its envelope and pop spikes were the last source's)
        self.meter.set_level(None)
        self.movement.update_loops([])
        if not saved:                           # ('nothing recorded' was about the last source)
            self.rec_label.setText("")
            self.rec_label.setToolTip("")
        # a recorded session is practised against its own target, as when the trainer starts on it;
        # a target taken from the last source goes with it, as its calibration does
        if self.target_from_source:
            self.target, self.target_from_source = None, False
        if self.target is None and (own := source_target(src, self.rate_given)) is not None:
            self.target, self.target_from_source = own, True
        elif self.target is None and self.rate_given:
            # --rate alone: III at that rate, while no source brings a target of its own
            from ui.trainer.target import Target
            self.target, self.target_from_source = Target("III", "", self.rate_given), True
        # who practised in a played session, and what, as its target: the last source's go with it
        from firmware_bridge.recorder import played_names
        for name in self.trainee_from_source:
            setattr(self, name, "")
        self.trainee, self.technique, named = played_names(src, self.trainee, self.technique)
        self.trainee_from_source = set(named)
        if self.calibration is None or self.calibration.name == old_name:
            self._device_calibration(src)      # the last device's own calibration does not carry over
        # graded with a played session's alpha, minimum amplitude and pop window, as its target; the
        # last source's go with it
        scheme, self.scheme_from_source = scheme_from_played(self.engine.scheme, src, self.scheme_from_source,
                                                             self.scheme_given)
        thrust, self.thrust_from_source = thrust_from_played(self.engine.thrust_scheme, src, self.thrust_from_source,
                                                             self.scheme_given)
        if self.target is None:                 # (the last source's target goes from the grading too)
            from dataclasses import replace
            scheme = replace(scheme, target_grade=None, target_modifier=None)
            thrust = replace(thrust, preload_corridor_n=None, peak_corridor_n=None)
        self.engine.set_schemes(scheme, thrust)
        self.apply_schemes()
        self.worker = AcquisitionWorker(src, self.engine, mic=mic)
        self.worker.start()
        # (the microphone's advice before the saved recording's name, which the recording label shows too)
        said = refused or said_mic              # (the microphone kept off, turned on by itself, or not found)
        self.statusBar().showMessage(f"reading {short_name(src.info.get('name', spec))}" + (f"; {said}" if said else "")
                                     + (f"; recording saved as {saved.name} (Space records again)" if saved else ""),
                                     8000)
        return True

    def _device_calibration(self, src) -> None:
        from dataclasses import replace

        cal = device_calibration(src)
        if cal is not None:
            self.set_calibration(cal)
            return
        self.calibration = None
        self.engine.set_schemes(replace(self.engine.scheme, r1_n=None, r2_n=None), self.engine.thrust_scheme)
        self.apply_schemes()

    def adopt_device_calibration(self) -> None:
        """Uncalibrated, take the calibration a device reports once it has said it (a serial or
        BLE sensor answers identify only after opening, maybe after its first data: asked again
        each frame until then), once per source. The cycles found before are graded with it."""
        w = self.worker
        if w is None or self.calibration is not None or getattr(self, "_cal_asked", None) is w:
            return
        cal = device_calibration(w.source)
        if cal is not None:
            self._cal_asked = w
            self.calibration = cal
            self.apply_schemes(grade_found=True)

    def about_text(self) -> str:
        from importlib.metadata import PackageNotFoundError, version
        try:
            v = version("gradecoach")
        except PackageNotFoundError:
            v = "(not installed)"
        return (f"gradecoach {v} trainer — live feedback for manual-therapy training.\n\n"
                f"Log file: {self.log_path or 'not written (no writable state folder)'}")

    def about(self) -> None:
        QMessageBox.about(self, "About gradecoach", self.about_text())

    def show_problem(self, message: str) -> None:
        """One line to the user; the details (if any) are in the log file."""
        log.warning("%s", message)
        QMessageBox.warning(self, "gradecoach", message + (f"\n\nLog file: {self.log_path}" if self.log_path else ""))


def source_target(src, rate_hz: float | None = None):
    """The target a source names (a recorded session's own, with the corridors and pacer rate
    its session.json's ``target_detail`` kept; ``rate_hz``: --rate's instead), as a Target, or None."""
    from firmware_bridge.recorder import played_target_detail
    from ui.trainer.target import Target
    text = src.info.get("target")
    if not text:
        return None
    return Target.of_played(text, played_target_detail(src), rate_hz)


def short_name(name: str) -> str:
    """A source's name for a message, cut in the middle beyond MIC_NAME_CHARS (the status line
    and its tooltip name it in full)."""
    if len(name) <= MIC_NAME_CHARS:
        return name
    half = MIC_NAME_CHARS // 2
    return name[:half] + "…" + name[-half:]


def device_calibration(src):
    """The R1/R2 a source reports (the emulator does), as a Calibration under its name, or None
    when it reports none or one that is not usable."""
    import math

    from ui.trainer.profiles import Calibration, calibration_problem
    c = src.info.get("calibration") or {}
    try:
        r1, r2 = float(c["r1_n"]), float(c["r2_n"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(r1) and math.isfinite(r2)) or calibration_problem(r1, r2) is not None:
        return None
    return Calibration(src.info.get("name", src.spec), r1, r2)
