"""Side panels: the grade in large type, the thrust readout, the audio meter and the pacer."""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (QApplication, QGridLayout, QLabel, QProgressBar, QSizePolicy, QSplitter,
                               QVBoxLayout, QWidget)

from analysis.events import CavitationEvent, CycleEvent, ThrustEvent
from analysis.imu import ImuCycleEvent
from analysis.summary import pops_count
from firmware_bridge.recorder import thrust_pops_words
from ui.trainer.palette import ALERT, TRACE, grade_colour
from ui.trainer.thrust_plots import ThrustPlot
# (the verdict on a thrust is the target's, shared with the library's V score)
from ui.trainer.target import LETUP_DECIMALS, OFF_DASH, Target, letup_flagged_text, thrust_verdict
from ui.table import LETUP_FLAG, LETUP_IN_TREMOR, LETUP_NONE, describe_letup, letup_under_flag, pct_text


SEP = " · "                  # between the facts of the grade panel's caption
HIDDEN = "?"                 # the grade while a feedback schedule holds it back
HIDDEN_COLOUR = "#b0b0b0"
LOST_NOTE = "the last before the sensor was lost"
LOST_SHORT = "before the sensor was lost"      # (where the first does not fit on one line)
CYCLE_NAMES = {"amplitude": "amplitude", "crest": "crest in R1–R2", "frequency": "frequency",
               "consistency": "consistency (set)"}
THRUST_NAMES = {"amplitude": "thrust amplitude", "crest": "peak", "frequency": "time to peak",
                "consistency": "mean rate"}
GRADE_SHARE = 0.34           # the grade's letters: this share of the panel's height ...
GRADE_MIN_PX = 28            # ... never below this (a small screen: the numbers under it come first)
WIDEST_GRADE = "III++"
LINE_HEIGHT = 1.2            # a line of text is about this many times its pixel size
THRUST_ROW_GAP_PX = 2        # between the HVLA numbers' rows (Qt's 6 left the corridor plot a strip)
THRUST_MARGIN_PX = 4         # around the HVLA tab's plot and numbers (Qt's 9)
THRUST_PLOT_SPARE_PX = 12    # the corridor plot's height beyond its axes' (its top margin, the title's ends)
PACER_COLOUR = TRACE         # the metronome's ball: a grade's colour would say a grade
MOVEMENT_NAMES = {"amplitude": "hand movement", "crest": "force", "frequency": "frequency",
                  "consistency": "cycles (IMU)"}


def _num(x: float | None, fmt: str) -> str:
    """``x`` formatted, or "–" when it is unknown (an IMU's thrust has no forces: NaN)."""
    return "–" if x is None or not math.isfinite(x) else format(x, fmt)


def _mm(moved_mm: float | None) -> str:
    """How far the hand moved from a thrust's onset to its peak, as both thrust readouts show it."""
    return _num(moved_mm, ".1f") + " mm" * (moved_mm is not None and math.isfinite(moved_mm))


def _why_missed(miss: str) -> str:
    """Why an off-target cycle missed, from what it was (:func:`ui.trainer.target.cycle_miss`,
    "III+ (amplitude 31 N, large at α 0.3)"): its figures without its grade, which the panel
    shows large above the caption (said twice, the caption took a third line and the window
    grew past an 800×480 screen); wrapped on a small screen only between its figures, not inside
    one: a lone "0.3" read as a line of its own. "" when only the grade says it (beyond R2)."""
    _, _, why = miss.partition(" ")
    parts = re.split(r"(, |; )", why[1:-1] if why.startswith("(") else "")
    return "".join(p if p in (", ", "; ") else p.replace(" ", "\u00a0") for p in parts)


def _crest(c: CycleEvent) -> str:
    """Where the crest lies in R1–R2 as a percentage: a grade I or II crest lies below R1 (its
    percentage would be negative), and a crest the grading scheme flags beyond R2 is beyond it.
    A crest a little past R2, within the scheme's tolerance, is a III++ or IV++ that is not
    flagged: its percentage (over 100 %) is shown, as the grader decides, not "beyond R2"."""
    if c.crest_pct is None:
        return "–"
    if c.beyond_r2:
        return "beyond R2"
    if c.crest_pct < 0:
        return "below R1"
    return f"{pct_text(c.crest_pct)} %"


def _put(label: QLabel, text: str, style: str | None = None) -> None:
    if label.text() != text:
        label.setText(text)
    if style is not None and label.styleSheet() != style:
        label.setStyleSheet(style)


def _big(label: QLabel, px: int, bold: bool = True) -> None:
    f = QFont(label.font())
    f.setPixelSize(px)
    f.setBold(bold)
    label.setFont(f)


class GradePanel(QWidget):
    """The last cycle's grade, large enough to read from across the room, and its numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.grade = QLabel("–")
        self.grade.setStyleSheet(f"color: {HIDDEN_COLOUR}")     # (no grade yet: light, as show_cycle draws it)
        self.grade.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._said = "waiting for the first cycle"      # the caption's text, before it is fitted
        self._said_shorter: tuple[str, ...] = ()         # ... and said with less, where it takes too many lines
        self.caption = QLabel(self._said)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        self.values = {k: QLabel("–") for k in ("amplitude", "crest", "frequency", "consistency")}
        self.names = {k: QLabel(CYCLE_NAMES[k]) for k in self.values}
        grid = QGridLayout()
        for i, k in enumerate(self.values):
            grid.addWidget(self.names[k], i // 2 * 2, i % 2)
            grid.addWidget(self.values[k], i // 2 * 2 + 1, i % 2)
        lay = QVBoxLayout(self)
        lay.addWidget(self.grade, 3)
        lay.addWidget(self.caption)
        lay.addLayout(grid)
        # the grade's size follows the panel's, not the other way round: a panel made small (a
        # small or high-DPI screen) gets smaller letters instead of holding the window tall
        self.grade.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.grade.setMinimumSize(1, int(GRADE_MIN_PX * LINE_HEIGHT))
        self._scale()

    def resizeEvent(self, e) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(e)
        self._scale()
        self._say(self._said, None, self._said_shorter)        # (its facts on lines of their own, or on one)

    def _scale(self) -> None:
        # about 6 % of 3 m viewing distance per character height needs > 100 px on a laptop;
        # scale with the panel so a projector gets bigger letters too
        h, w = self.height(), self.width()
        _big(self.caption, max(16, int(h * 0.05)))
        for v in self.values.values():
            _big(v, max(18, int(h * 0.06)))
        lay = self.layout()
        m = lay.contentsMargins()
        rest = (self.caption.heightForWidth(max(1, w - m.left() - m.right())) + lay.itemAt(2).sizeHint().height()
                + m.top() + m.bottom() + 2 * lay.spacing())
        f = QFont(self.grade.font())
        f.setPixelSize(100)
        f.setBold(True)
        per_100 = QFontMetrics(f).horizontalAdvance(WIDEST_GRADE)       # its width at 100 px
        px = min(GRADE_SHARE * h, (h - rest) / LINE_HEIGHT, 100.0 * (w - m.left() - m.right()) / per_100)
        _big(self.grade, max(GRADE_MIN_PX, int(px)))
        lay.activate()                        # the new sizes now, not at the next turn of the event loop

    @staticmethod
    def _wrapped(text: str, fm: QFontMetrics, room: int) -> str:
        """``text`` with its facts on lines of their own where it does not fit in ``room`` px."""
        if (SEP in text or OFF_DASH in text) and fm.horizontalAdvance(text) > room:
            first, *rest = re.split(f"({re.escape(SEP)}|{re.escape(OFF_DASH)})", text)
            lines = [first]
            for sep, fact in zip(rest[::2], rest[1::2]):     # as many facts to a line as fit
                if fm.horizontalAdvance(lines[-1] + sep + fact) <= room:
                    lines[-1] += sep + fact
                else:
                    lines.append(fact)
            text = "\n".join(lines)
        return text

    def _spare_above(self) -> int:
        """How much the other panes of the splitter the panel is in could give it (px), each
        down to its least height: what the panel may grow by without the window growing."""
        sp = self.parentWidget()
        if not isinstance(sp, QSplitter):
            return 0
        panes = (sp.widget(i) for i in range(sp.count()))
        return sum(max(0, w.height() - max(w.minimumHeight(), w.minimumSizeHint().height()))
                   for w in panes if w is not self and w.isVisible())

    def _say(self, text: str, style: str | None, shorter: tuple[str, ...] = ()) -> None:
        """The caption: its facts (" · " between them; an "off target" and what missed, " — "
        between them) on lines of their own, as many to a line as fit, when they do not fit on
        one: wrapped where the words ran out, a let-up and the hand's movement read "… hand
        moved 4.8" over an "mm" of its own. When it takes another number of lines the
        grade's letters are sized and the panel laid out for it now: a frame drawn before Qt's
        next layout pass (a screenshot) cut both lines in half. ``shorter``: the same said with
        less and less, the first of them said instead where ``text`` takes more lines than the
        window has room for (why a cycle or a thrust was off target, on a small screen: lines
        more grew the window past an 800×480 screen)."""
        self._said, self._said_shorter = text, tuple(shorter)
        m = self.layout().contentsMargins()
        room = self.width() - m.left() - m.right()
        fm = QFontMetrics(self.caption.font())
        options = [self._wrapped(x, fm, room) for x in (text, *shorter)]
        text = options[0]
        if len(options) > 1:
            # the longest that takes no more lines than the panel (and the tab above it, down
            # to its least) has room for
            spare = self.height() - self.layout().minimumSize().height() + self._spare_above()
            fits = self.caption.text().count("\n") + 1 + max(0, spare) // max(1, fm.lineSpacing())
            text = next((o for o in options if o.count("\n") + 1 <= fits), options[-1])
        was = self.caption.text()
        _put(self.caption, text, style)
        if text != was and self.caption.height() != self.caption.heightForWidth(self.caption.width()):
            self._scale()
            if self.layout().minimumSize().height() > self.height():
                # more lines than the panel has room for (every miss of a thrust on a small
                # screen): the window's splitter gives it the room now, as it does the HVLA tab;
                # (a layout given room asks its parent's for it in turn: a pass for each)
                for _ in range(3):
                    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def show_thrust(self, t: ThrustEvent, visible: bool = True, moved_mm: float | None = None,
                    target: Target | None = None) -> None:
        """A thrust is the newest event: grade V in large type, its faults underneath.
        ``moved_mm``: how far the hand moved from onset to peak (the HVLA tab's figure): for an
        IMU's thrust (no forces) in the peak's place, for a force thrust in the caption.
        ``target``: aiming at an HVLA thrust (V), the caption says whether this one landed in
        its corridors, as it says of a cycle (:func:`thrust_verdict`); hidden with the grade."""
        if not visible:
            return self.show_cycle(None, None, None, None, visible=False)
        self._present()
        _put(self.grade, "V")
        _put(self.grade, self.grade.text(), f"color: {grade_colour('V')}")
        no_force = not math.isfinite(t.peak_n)        # measured by an IMU: acceleration cannot weigh
        if target is not None and target.is_thrust:
            cap, on_target = thrust_verdict(t, target)
            alert = on_target is False
        else:
            cap = (f"thrust: let-up {letup_flagged_text(t.letup_n, t.preload_n)} N before the thrust" if t.letup
                   else "thrust (from the IMU: no forces)" if no_force else "thrust")
            alert = t.letup
        if not no_force and moved_mm is not None:     # an IMU beside the force: its movement too
            cap += f" · hand moved {_mm(moved_mm)}"
        shorter = ()
        if OFF_DASH in cap:     # (a small screen: the misses without their corridors, their figures, or at all)
            miss = r"(preload|peak) (\S+ N) (below|above) \S+ N"
            shorter = (re.sub(miss, lambda m: f"{m[1]} {m[2]} {'low' if m[3] == 'below' else 'high'}", cap),
                       re.sub(miss, lambda m: f"{m[1]} {'low' if m[3] == 'below' else 'high'}", cap),
                       cap.split(OFF_DASH)[0])
        self._say(cap, f"color: {ALERT}" if alert else "", shorter)
        self._names(THRUST_NAMES)
        _put(self.values["amplitude"], _num(t.peak_n - t.preload_n, ".0f") + " N" * (not no_force))
        if no_force and moved_mm is not None:
            _put(self.names["crest"], "hand moved")       # from onset to peak
            _put(self.values["crest"], _mm(moved_mm))
        else:
            _put(self.values["crest"], _num(t.peak_n, ".0f") + " N" * (not no_force))
        _put(self.values["frequency"], _num(t.time_to_peak_ms, ".0f") + " ms" * math.isfinite(t.time_to_peak_ms))
        _put(self.values["consistency"], "–" if no_force else f"{t.rate_n_per_s / 1000:.1f} kN/s")

    def show_movement(self, c: ImuCycleEvent | None, n_cycles: int, off: str | None = None,
                      visible: bool = True, note: str = "", hint: str | None = None) -> None:
        """No force sensor, a worn IMU: the last cycle's hand movement in mm in large type (no
        grade: grades need force), its frequency, and how many cycles the IMU found.
        ``off``: why the IMU's analysis is off (its units wrong, an internal error), if it is: no
        cycle is coming; ``hint``: what to give instead when its units are wrong (the IMU
        processor's ``units_note().hint``, "units in g? give m/s²"), said in place of ``off``.
        ``visible``: False while a feedback schedule holds the set's figures back (``note`` says
        until when), as it holds a grade back."""
        if not visible and c is not None and not off:
            self._names(MOVEMENT_NAMES)
            return self.show_cycle(None, None, None, None, visible=False, note=note)
        self._present()
        self._names(MOVEMENT_NAMES)
        # (no movement yet: the light dash of no grade yet, not a dark bar)
        _put(self.grade, "–" if c is None else f"{c.displacement_mm:.1f}",
             f"color: {HIDDEN_COLOUR if c is None else TRACE}")
        if off:
            self._say(f"IMU analysis off: {hint or off}", f"color: {ALERT}")
        else:
            self._say("mm of hand movement (IMU)" if c is not None else "waiting for the first cycle (IMU)", "")
        _put(self.values["amplitude"], "–" if c is None else f"{c.displacement_mm:.1f} mm")
        _put(self.values["crest"], "–")
        _put(self.values["frequency"], "–" if c is None else f"{c.freq_hz:.2f} Hz")
        _put(self.values["consistency"], str(n_cycles))

    def show_sound(self, n_pops: int, alone: bool, why_not: str | None = None) -> None:
        """Only sound has come (a recording of sound alone, or a microphone before the sensor's
        first sample): no cycle is coming to be graded, so say what is done with the sound.
        ``alone``: the source says it has no force sensor and no IMU; else one may still come.
        ``why_not``: why its pops are not counted (the audio's analysis is off), if they are not."""
        self._present()
        self._names(CYCLE_NAMES)
        _put(self.grade, "–", f"color: {HIDDEN_COLOUR}")      # (nothing to grade yet: light, as show_cycle's)
        heard = why_not or "listening for pops" + (f" ({n_pops} heard)" if n_pops else "")
        self._say(f"sound only: {heard}{SEP}no force sensor" if alone else f"no force yet: {heard}", "")
        for v in self.values.values():
            _put(v, "–")

    def show_lost(self, note: str = LOST_NOTE) -> None:
        """The sensor is away: what is shown is the last grade from before, greyed, and says so
        (it stayed as if current), on one line (a second made a small window taller): in
        fewer words where it does not fit. The next ``show_*`` call shows the present again."""
        _put(self.grade, self.grade.text(), f"color: {HIDDEN_COLOUR}")
        if self.grade.text() in ("–", HIDDEN):
            note = "the sensor is away"
        m = self.layout().contentsMargins()
        room = self.width() - m.left() - m.right()
        fm = QFontMetrics(self.caption.font())
        if fm.horizontalAdvance(note) > room:
            short = LOST_SHORT if note == LOST_NOTE else note
            note = fm.elidedText(short, Qt.TextElideMode.ElideRight, room)
        self._say(note, "")
        for v in self.values.values():
            _put(v, v.text(), f"color: {HIDDEN_COLOUR}")

    def _present(self) -> None:
        """The numbers in their own colour again (after :meth:`show_lost`)."""
        for v in self.values.values():
            if v.styleSheet():
                v.setStyleSheet("")

    def _names(self, names: dict) -> None:
        for k, text in names.items():
            _put(self.names[k], text)

    def show_cycle(self, c: CycleEvent | None, consistency: float | None, target: str | None,
                   on_target: bool | None, visible: bool = True, note: str = "", alert: bool = False,
                   miss: str | None = None) -> None:
        """``note`` goes first in the caption; ``alert``: it says something to heed (a crest of
        the set beyond R2), so the caption is in the alert colour; ``miss``: what a cycle off
        target was (:func:`ui.trainer.target.cycle_miss`), its figures said after "off target — "."""
        self._present()
        if not visible:
            _put(self.grade, HIDDEN, f"color: {HIDDEN_COLOUR}")
            self._say(note or "feedback hidden", "")
            for v in self.values.values():
                _put(v, "–")
            return
        if c is None:                       # nothing yet (or a new source): no number left over
            # (light: at the grade's size a black dash read as a black bar, as if something were shown)
            _put(self.grade, "–", f"color: {HIDDEN_COLOUR}")
            self._say(note or "waiting for the first cycle", "")
            self._names(CYCLE_NAMES)
            for v in self.values.values():
                _put(v, "–")
            return
        self._names(CYCLE_NAMES)
        text = (c.grade + (c.modifier or "")) if c.grade else "–"   # uncalibrated: the caption says why
        _put(self.grade, text)
        _put(self.grade, self.grade.text(), f"color: {grade_colour(c.grade)}")
        why = _why_missed(miss) if miss and target and on_target is False else ""
        caps = []
        for said_why in ((why, "") if why else ("",)):
            cap = [note] if note else []
            if target:
                cap.append(f"target {target}: " + ("on target" if on_target else "off target"
                                                    + (OFF_DASH + said_why if said_why else ""))
                           if on_target is not None else f"target {target}")
            if c.displacement_mm is not None:
                cap.append(f"hand moved {_mm(c.displacement_mm)}")     # (as a thrust's caption says it)
            if c.beyond_r2:
                cap.append("beyond R2!")
            if c.grade is None:
                cap.append("no calibration: press C")
            caps.append(" · ".join(cap))
        # (why it missed only where it takes no line more: the grade above and the amplitude and
        # crest below say it too)
        self._say(caps[0], f"color: {ALERT}" if c.beyond_r2 or on_target is False or alert else "", tuple(caps[1:]))
        _put(self.values["amplitude"], f"{c.amplitude_n:.0f} N")
        _put(self.values["crest"], _crest(c))
        _put(self.values["frequency"], f"{c.freq_hz:.2f} Hz")
        _put(self.values["consistency"], "–" if consistency is None else f"{consistency:.0f} / 100")


def _short_bar(bar: str) -> str:
    """Where flagging of a let-up starts, as its heading over the HVLA numbers has room for:
    "under 8 N" as "<8 N", "within tremor" as "tremor" (the words whole were wider than an
    800 px window's column)."""
    return "tremor" if bar == LETUP_IN_TREMOR else "<" + bar.removeprefix("under ")


class ThrustPanel(QWidget):
    """HVLA: the corridor plot and the last thrust's preload, peak, time to peak, mean rate, let-up,
    pops and, with an IMU beside the force sensor, how far the hand moved."""

    FIELDS = ("preload", "peak", "time to peak", "rate", "let-up", "pops", "hand moved")
    # what a field is called on screen, where it is not its key: the grade panel's name for the
    # same figure (the thrust amplitude over its time to peak: the mean, not the steepest, rate)
    NAMES = {"rate": THRUST_NAMES["consistency"]}
    # shown only for a force thrust with an IMU beside it (an IMU's own thrust gives its movement
    # in the peak's place: it has no peak force)
    OPTIONAL = ("hand moved",)

    def __init__(self) -> None:
        super().__init__()
        self.plot = ThrustPlot()
        self.values = {k: QLabel("–") for k in self.FIELDS}
        self.names = {k: QLabel(self.NAMES.get(k, k)) for k in self.FIELDS}
        self.grid = QGridLayout()
        for k in self.FIELDS:
            _big(self.values[k], 17)
            for label in (self.names[k], self.values[k]):    # (the panel may be narrower than a row
                label.setMinimumWidth(1)                    # of six: it lays them out in rows of three)
        self.moved_shown = False             # the "hand moved" field: a force thrust with an IMU beside it
        self.columns, self._arranged = 0, ()
        self.lost_note: str | None = None    # set while the sensor is away: the numbers are from before
        self._arrange(len(self.shown_fields()))
        self.pops_line = QLabel("")          # the pops in words, under the numbers
        self.pops_line.setWordWrap(True)
        # the corridor plot never a strip: tall enough for its force axis's title ("force (N)",
        # cut to "(N)" in an 800×480 window) and the time axis under it; the room it takes
        # comes from the margins and the gaps between the numbers, so the window still fits
        # 1366×768 at 150 % (911×512) with a title bar and a task bar
        self.grid.setVerticalSpacing(THRUST_ROW_GAP_PX)
        self.plot.setMinimumHeight(self.plot_min_height())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(*(THRUST_MARGIN_PX,) * 4)
        lay.addWidget(self.plot, 1)
        lay.addLayout(self.grid)
        lay.addWidget(self.pops_line)
        self._hold_rows_of_three()

    def plot_min_height(self) -> int:
        """The corridor plot's least height: its force axis's title whole along the plot's
        area, with the time axis and its title under it."""
        left, bottom = self.plot.getAxis("left"), self.plot.getAxis("bottom")
        return math.ceil(left.label.boundingRect().width() + bottom.maximumHeight() + THRUST_PLOT_SPARE_PX)

    def shown_fields(self) -> tuple[str, ...]:
        """The numbers shown, in order (the optional "hand moved" only while it is known)."""
        return tuple(k for k in self.FIELDS if k not in self.OPTIONAL or self.moved_shown)

    def _arrange(self, columns: int) -> None:
        """The numbers in one row, or in rows of half of them, three or two when the panel is
        too narrow for all of them side by side (a small or high-DPI screen): never cut."""
        fields = self.shown_fields()
        if (columns, fields) == (self.columns, self._arranged):
            return
        self.columns, self._arranged = columns, fields
        for k in self.FIELDS:                  # (a widget added again would hold two places)
            self.grid.removeWidget(self.names[k])
            self.grid.removeWidget(self.values[k])
        for i, k in enumerate(fields):
            row, col = divmod(i, columns)
            self.grid.addWidget(self.names[k], 2 * row, col)
            self.grid.addWidget(self.values[k], 2 * row + 1, col)
        for k in self.OPTIONAL:                # (hidden, one left out takes no room)
            self.names[k].setVisible(k in fields)
            self.values[k].setVisible(k in fields)

    def needed_width(self, columns: int) -> int:
        """The width the numbers take in rows of ``columns``, at their widest (a rate of tens
        of kN/s, a time to peak of hundreds of ms, a flagged let-up)."""
        widest = {"preload": "888 N", "peak": "888 N", "time to peak": "888 ms", "rate": "88.8 kN/s",
                  "let-up": f"888.8 N {LETUP_FLAG}", "pops": "88", "hand moved": "88.8 mm"}
        name_fm, value_fm = self.names["peak"].fontMetrics(), self.values["peak"].fontMetrics()
        cols = [0] * columns
        for i, k in enumerate(self.shown_fields()):
            w = max(name_fm.horizontalAdvance(self.NAMES.get(k, k)), value_fm.horizontalAdvance(widest[k]),
                    name_fm.horizontalAdvance(self.names[k].text()), value_fm.horizontalAdvance(self.values[k].text()))
            cols[i % columns] = max(cols[i % columns], w)
        m = self.layout().contentsMargins() if self.layout() else self.grid.contentsMargins()
        return sum(cols) + self.grid.horizontalSpacing() * (columns - 1) + m.left() + m.right()

    def resizeEvent(self, e) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(e)
        self._fit_columns()

    def _hold_rows_of_three(self) -> None:
        """The panel never narrower than its numbers in rows of three: in rows of two (an 800 px
        wide window) they took a row more than the window's height had room for, and were drawn
        over each other and over the corridor plot's time axis."""
        w = self.needed_width(3)
        if w != self.minimumWidth():
            self.setMinimumWidth(w)

    def _fit_columns(self) -> None:
        self._hold_rows_of_three()
        w, was = self.width(), (self.columns, self._arranged)
        n = len(self.shown_fields())
        self._arrange(next((c for c in (n, (n + 1) // 2, 3) if self.needed_width(c) <= w), 2))
        if (self.columns, self._arranged) != was and self.layout() is not None:
            self.layout().activate()         # now, not at the next turn of the event loop (a screenshot)

    def clear(self) -> None:
        """No thrust yet (a new source): an empty plot and no numbers."""
        self.plot.update_thrusts([])
        for v in self.values.values():
            _put(v, "–", "")
        _put(self.names["peak"], "peak")
        _put(self.names["let-up"], "let-up")
        _put(self.pops_line, "")
        self._show_moved(False)

    def _show_moved(self, shown: bool) -> None:
        """The "hand moved" field shown or hidden, the numbers laid out again around it."""
        if self.moved_shown != shown:
            self.moved_shown = shown
            self._fit_columns()

    def show_thrust(self, t: ThrustEvent | None, pops: list[CavitationEvent] = (), listening: bool = True,
                    why_not: str = "no microphone: pops not counted (key A)", moved_mm: float | None = None,
                    partly_heard: bool = False, masked: bool = False) -> None:
        """``moved_mm``: how far the hand moved from onset to peak: for an IMU's thrust (no
        forces) in the peak's place; for a force thrust (an IMU beside the force sensor) in a
        "hand moved" field of its own after the force's numbers, shown only then.
        ``partly_heard``: pops were heard, but not over the whole of the thrust's pop window, so
        their count is a least number ("at least 2 pops, first heard …"), as replay says it.
        ``masked``: the pops were listened for in sound that hides most of them, so more may
        have been missed ("no pop heard (loud sound)", "at least 2 pops, … (loud sound)", pops
        "≥2"), as replay says it."""
        if t is None:
            return
        v = self.values
        was = [label.text() for label in (*v.values(), *self.names.values())]
        lost = self.lost_note is not None     # greyed, as the grade panel greys its last grade
        plain = f"color: {HIDDEN_COLOUR}" if lost else ""
        n = " N" * math.isfinite(t.peak_n)             # an IMU's thrust has no forces: "–"
        _put(v["preload"], _num(t.preload_n, ".0f") + n, plain)
        if math.isfinite(t.peak_n) or moved_mm is None:
            _put(self.names["peak"], "peak")
            _put(v["peak"], _num(t.peak_n, ".0f") + n, plain)
        else:
            _put(self.names["peak"], "hand moved")       # from onset to peak
            _put(v["peak"], _mm(moved_mm), plain)
        beside = math.isfinite(t.peak_n) and moved_mm is not None      # force, and an IMU beside it
        _put(v["hand moved"], _mm(moved_mm) if beside else "–", plain)
        self._show_moved(beside)
        _put(v["time to peak"], _num(t.time_to_peak_ms, ".0f") + " ms" * math.isfinite(t.time_to_peak_ms), plain)
        _put(v["rate"], _num(t.rate_n_per_s / 1000, ".1f") + " kN/s" * math.isfinite(t.rate_n_per_s), plain)
        # as measured, whether it counts after it: "flagged", or ": none" under where flagging
        # starts, which its heading says ("let-up (<6.7 N: none)"; "let-up 3 N" beside "on
        # target" was read as a fault), to a tenth of a newton as replay and the review say
        # both ("<7 N" here beside their "under 6.7 N"); an IMU's thrust has no forces: "–"
        said = letup_under_flag(t.letup_n, t.letup, t.preload_n, LETUP_DECIMALS)
        _put(self.names["let-up"], "let-up" if said is None else f"let-up ({_short_bar(said[1])}: {LETUP_NONE})")
        _put(v["let-up"], describe_letup(t.letup_n, t.letup, 0, " N") if said is None
             else f"{said[0]} N {LETUP_FLAG}" if t.letup else f"{said[0]} N: {LETUP_NONE}",
             plain or (f"color: {ALERT}; font-weight: bold" if t.letup else ""))
        if not listening and not pops:
            _put(v["pops"], "–", plain)
            line = why_not
        else:
            _put(v["pops"], pops_count(len(pops), partly_heard, masked), plain)
            # (as the stored summary rounds the first)
            line = thrust_pops_words(t, [p.t for p in pops], partly_heard, masked)
        _put(self.pops_line, self.lost_note or line, "font-size: 15px" + (f"; {plain}" if lost else ""))
        if [label.text() for label in (*v.values(), *self.names.values())] != was and self.layout() is not None:
            # a number grown ("27 N flagged") gets its room now, not at Qt's next layout pass:
            # a frame drawn before it (a screenshot) cut it over the next one; and a row more
            # (the "hand moved" field) gets its height from the window's splitter now too
            self._fit_columns()
            if self.layout().minimumSize().height() > self.height():
                QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            self.layout().activate()


CLIPPING_TEXT = "clipping: turn the gain down"
CLIPPING_STYLE = (f"QProgressBar {{ text-align: center; font-weight: bold; border: 1px solid {ALERT}; "
                  f"border-radius: 3px; }} QProgressBar::chunk {{ background-color: {ALERT}; }}")


SOUND_ENDED_TEXT = "sound ended"
MIC_SILENT_TEXT = "no sound from the microphone"


class LevelMeter(QProgressBar):
    """Microphone input level in dBFS (−60 … 0); in the alert colour, saying to turn the gain
    down, while the sound clips (a full bar read as a good loud level); empty, saying so, once the
    sound has ended (a played recording's: its last level is not one heard now), and while a
    microphone on gives no sound (``silent``: stalled without an error)."""

    def __init__(self) -> None:
        super().__init__()
        self.setRange(-60, 0)
        self.setTextVisible(True)
        self.clipping = False
        self.set_level(None)

    def set_level(self, db: float | None, clipping: bool = False, ended: bool = False,
                  silent: bool = False) -> None:
        clipping = clipping and db is not None
        value, text = ((-60, SOUND_ENDED_TEXT if ended else MIC_SILENT_TEXT if silent else "no microphone")
                       if db is None
                       else (int(max(-60, min(0, db))), f"audio {db:.0f} dBFS"))
        if clipping:
            text = f"{CLIPPING_TEXT} ({text})"
        if (value, text) != (self.value(), self.format()):
            # QProgressBar.setValue repaints at once, on its own (2.2 ms a call, holding the
            # interpreter the analysis needs): with updates off it cannot, and turning them on
            # again asks for a paint with the rest of the window's (benchmarks/bench_frame_cost.py)
            self.setUpdatesEnabled(False)
            self.setValue(value)
            self.setFormat(text)
            self.setUpdatesEnabled(True)
        if clipping != self.clipping:
            self.clipping = clipping
            self.setStyleSheet(CLIPPING_STYLE if clipping else "")


class Pacer(QWidget):
    """Visual metronome: a ball moving up and down at the target rate (off when no rate), in a
    colour of no grade (it was grade III's orange whatever the grade aimed at)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFixedWidth(48)
        self.rate_hz: float | None = None
        self.phase = 0.0

    def set_time(self, t_s: float) -> float | None:
        """Phase 0..1 at time ``t_s`` (the data clock, so replay and live agree)."""
        if self.rate_hz is None:
            return None
        self.phase = (t_s * self.rate_hz) % 1.0
        self.update()
        return self.phase

    def paintEvent(self, e) -> None:  # noqa: N802 (Qt)
        if self.rate_hz is None:
            return
        p = QPainter(self)
        r = min(self.width(), 40) / 2 - 2
        y = r + (self.height() - 2 * r) * (0.5 + 0.5 * math.cos(2 * math.pi * self.phase))
        p.setBrush(QColor(PACER_COLOUR))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(QRectF(self.width() / 2 - r, y - r, 2 * r, 2 * r))
        p.end()
