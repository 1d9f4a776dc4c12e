"""The calibration wizard (with named profiles) and the target picker. Problems are shown as
one sentence in the dialog; nothing here ever shows a traceback."""

from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QVBoxLayout)

from analysis.errors import InputError
from analysis.scheme import MODIFIERS
from ui.trainer.palette import ALERT
from ui.trainer.profiles import Calibration, calibration_problem, load_profiles, save_profile
from ui.trainer.target import DEFAULT_PEAK_N, DEFAULT_PRELOAD_N, RATE_HZ, Target

HOLD_S = 1.0                 # a capture takes the median of the last second …
HOLD_SPREAD_FRAC = 0.1       # … if the force moved less than 10 % of its level …
HOLD_SPREAD_MIN_N = 2.0      # … or 2 N (the sensor noise of hobby load cells is well below)
NAME_CHARS = 72              # the trainee dialog has room for this many average characters (60 letters) ...
EDIT_PADDING_PX = 24         # ... (a line edit's frame and margins)


def _spin(lo: float = -1e4, hi: float = 1e4, value: float = 0.0, suffix: str = " N") -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setDecimals(1)
    s.setValue(value)
    s.setSuffix(suffix)
    return s


def hold_value(t: np.ndarray, y: np.ndarray) -> tuple[float | None, str | None]:
    """The held force over the last :data:`HOLD_S` seconds, or why it is not a hold."""
    if len(y) < 5 or t[-1] - t[0] < 0.8 * HOLD_S:
        return None, "no steady force yet: is the sensor connected? keep pressing for a second"
    level = float(np.median(y))
    spread = float(np.ptp(y))
    if spread > max(HOLD_SPREAD_MIN_N, HOLD_SPREAD_FRAC * abs(level)):
        return None, f"hold still: the force moved by {spread:.0f} N during the last second"
    return level, None


class CalibrationWizard(QDialog):
    """Press to first resistance and hold → R1; press to the limit and hold → R2; or type them.

    ``live_force(seconds)`` returns the latest ``(t_s, force_n)``. On accept, ``calibration``
    holds the result and the profile is saved under its name; when it cannot be saved (the
    profiles file is unreadable or read-only) it is still used, and ``not_saved`` says why.
    """

    def __init__(self, live_force: Callable[[float], tuple[np.ndarray, np.ndarray]], parent=None,
                 current: Calibration | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Calibrate R1 and R2")
        self.live_force = live_force
        self.calibration: Calibration | None = None
        self.not_saved: str | None = None            # why the accepted calibration is not saved
        try:
            self.profiles = load_profiles()
            unread = ""
        except InputError as e:          # the wizard still opens: values can be captured or typed
            self.profiles, unread = {}, f"Saved profiles cannot be read: {e}"
        self.profile_box = QComboBox()
        self.profile_box.addItem("(new profile)")
        self.profile_box.addItems(sorted(self.profiles))
        self.profile_box.currentTextChanged.connect(self._load_profile)
        self.name = QLineEdit(current.name if current else "")
        self.name.setPlaceholderText("manikin or partner, e.g. 'blue manikin'")
        self.r1 = _spin(value=current.r1_n if current else 0.0)
        self.r2 = _spin(value=current.r2_n if current else 0.0)
        self.cap1 = QPushButton("1. Press to first resistance, hold still, click here (R1)")
        self.cap2 = QPushButton("2. Press to the limit of range, hold still, click here (R2)")
        self.cap1.clicked.connect(lambda: self.capture("r1"))
        self.cap2.clicked.connect(lambda: self.capture("r2"))
        self.reason = QLabel(unread)
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(f"color: {ALERT}")
        form = QFormLayout()
        form.addRow("saved profiles", self.profile_box)
        form.addRow("profile name", self.name)
        form.addRow(self.cap1)
        form.addRow("R1 (first resistance)", self.r1)
        form.addRow(self.cap2)
        form.addRow("R2 (limit of range)", self.r2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Capture R1 and R2 on the sensor, or type them in newtons."))
        lay.addLayout(form)
        lay.addWidget(self.reason)
        lay.addWidget(self.buttons)

    def _load_profile(self, name: str) -> None:
        cal = self.profiles.get(name)
        if cal is not None:
            self.name.setText(cal.name)
            self.r1.setValue(cal.r1_n)
            self.r2.setValue(cal.r2_n)

    def capture(self, which: str) -> float | None:
        t, y = self.live_force(HOLD_S)
        value, why = hold_value(t, y)
        if why:
            self.reason.setText(why)
            return None
        (self.r1 if which == "r1" else self.r2).setValue(value)
        self.reason.setText("")
        return value

    def accept(self) -> None:
        r1, r2 = self.r1.value(), self.r2.value()
        problem = calibration_problem(r1, r2)
        if problem is None and not self.name.text().strip():
            problem = "give the profile a name (the manikin or partner) so it can be reused"
        if problem:
            self.reason.setText(f"Not saved: {problem}.")
            return
        cal = Calibration(self.name.text().strip(), r1, r2)
        try:
            save_profile(cal)
        except (InputError, OSError) as e:
            # practice goes on with it (the profiles file may be unreadable, or read-only): it is
            # used now and not saved, which the window says
            self.not_saved = f"calibration {cal.name} used but not saved: {e}"
        self.calibration = cal
        super().accept()


class TargetDialog(QDialog):
    """Grade + modifier + rate, or HVLA with preload and peak corridors."""

    def __init__(self, current: Target | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Target")
        cur = current or Target()
        self.target: Target | None = None
        self.grade = QComboBox()
        self.grade.addItems(["I", "II", "III", "IV", "V (HVLA)"])
        self.grade.setCurrentIndex(4 if cur.is_thrust else ["I", "II", "III", "IV"].index(cur.grade))
        self.modifier = QComboBox()
        self.modifier.addItems([m or "(none)" for m in MODIFIERS])
        self.modifier.setCurrentIndex(MODIFIERS.index(cur.modifier or ""))
        self.rate = _spin(0.0, RATE_HZ[1], cur.rate_hz or 0.0, " Hz")     # (0: no pacer)
        self.rate.setSpecialValueText("no metronome")
        pre, peak = cur.preload_n or DEFAULT_PRELOAD_N, cur.peak_n or DEFAULT_PEAK_N
        self.pre_lo, self.pre_hi = _spin(value=pre[0]), _spin(value=pre[1])
        self.peak_lo, self.peak_hi = _spin(value=peak[0]), _spin(value=peak[1])
        self.reason = QLabel("")
        self.reason.setStyleSheet(f"color: {ALERT}")
        self.reason.setWordWrap(True)
        form = QFormLayout()
        form.addRow("grade", self.grade)
        form.addRow("modifier (III, IV)", self.modifier)
        form.addRow("rate (metronome)", self.rate)
        for name, lo, hi in (("preload corridor (V)", self.pre_lo, self.pre_hi),
                             ("peak corridor (V)", self.peak_lo, self.peak_hi)):
            row = QHBoxLayout()
            row.addWidget(lo)
            row.addWidget(QLabel("to"))
            row.addWidget(hi)
            form.addRow(name, row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.reason)
        lay.addWidget(buttons)
        self.grade.currentIndexChanged.connect(self._grade_chosen)
        self._grade_chosen()

    def _grade_chosen(self) -> None:
        """Only what the chosen grade uses can be set (the rest was silently dropped): a
        modifier for III and IV, a pacer rate for I–IV, the corridors for V."""
        g = self.grade.currentText().split()[0]
        self.modifier.setEnabled(g in ("III", "IV"))
        self.rate.setEnabled(g != "V")
        for box in (self.pre_lo, self.pre_hi, self.peak_lo, self.peak_hi):
            box.setEnabled(g == "V")
        self.reason.setText("")

    def build(self) -> Target:
        g = self.grade.currentText().split()[0]
        if g == "V":
            pre, peak = (self.pre_lo.value(), self.pre_hi.value()), (self.peak_lo.value(), self.peak_hi.value())
            if peak[0] <= pre[0] or peak[1] <= pre[1]:      # a thrust peaks above its preload
                raise InputError(f"the peak corridor ({peak[0]:g}–{peak[1]:g} N) must lie above the preload "
                                 f"corridor ({pre[0]:g}–{pre[1]:g} N)")
            return Target("V", None, None, pre, peak)
        mod = MODIFIERS[self.modifier.currentIndex()] if g in ("III", "IV") else None
        return Target(g, mod, self.rate.value() or None)

    def accept(self) -> None:
        try:
            self.target = self.build()
        except InputError as e:
            self.reason.setText(f"Not set: {e}")
            return
        super().accept()


class TraineeDialog(QDialog):
    """Who practises and what: written into each recording's session.json (``trainee``,
    ``technique``) and kept for the next recordings."""

    def __init__(self, trainee: str = "", technique: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Trainee")
        self.trainee_edit = QLineEdit(trainee)
        self.trainee_edit.setPlaceholderText("name (the review groups recordings by it)")
        self.technique_edit = QLineEdit(technique)
        self.technique_edit.setPlaceholderText("technique, e.g. PA glide L4")
        for edit in (self.trainee_edit, self.technique_edit):    # a full name and its placeholder
            fm = edit.fontMetrics()                               # shown whole, not scrolled
            edit.setMinimumWidth(max(fm.horizontalAdvance(edit.placeholderText()),
                                     fm.averageCharWidth() * NAME_CHARS) + EDIT_PADDING_PX)
        form = QFormLayout(self)
        form.addRow("Trainee", self.trainee_edit)
        form.addRow("Technique", self.technique_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @property
    def values(self) -> tuple[str, str]:
        return self.trainee_edit.text().strip(), self.technique_edit.text().strip()
