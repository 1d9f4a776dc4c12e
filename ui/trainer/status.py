"""What the trainer's window says in words outside its panels: the status line (the trainee, the
source, the calibration, the target, ...), the status bar's messages cut at a word, the banner
over the force plot while the sensor is away or the source silent or unreadable, and the
recording label's note once the source has ended.

:class:`StatusLine` and :class:`MessageBar` are the widgets; :class:`TrainerStatus` is a mix-in of
:class:`~ui.trainer.window.TrainerWindow`, whose ``__init__`` makes the ``banner``, ``status`` and
``rec_label`` it sets and whose frame (:mod:`ui.trainer.frame`) calls it.
"""

from __future__ import annotations

import re
import time
import unicodedata

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from ui.trainer.palette import ALERT

SILENT_S = 5.0           # a source with no sample this long after opening is said to be silent, and why
REC_ENDED = "the source has ended: Space saves"
PLAIN_WHY_CHARS = 40      # a disconnect's reason longer than this is left to the banner's tooltip
PLAYED_TO_END = " (ended; S for another source)"    # after a played file's name once it has ended
BANNER_PAD_PX = 6
# the banner's letters: this size, smaller down to the least where that keeps its line whole
BANNER_FONT_PX = (20, 15)
BANNER_WHERE_PX = 150    # a long port's name keeps this much of the banner before the recording's note goes


def _where(spec: str, name: str) -> str:
    """Where a source was read, for the banner: the port or device, else its name."""
    return spec.split(":", 1)[1].split("@")[0] if spec.startswith(("serial:", "ble:")) else name or spec


# the words a serial source says a sensor that went silent with its port open in
# (firmware_bridge/serial_source.py): "no data from serial:… for 2 s (the port is open: …)"
SILENT_WORDS = re.compile(r"no data from .* for ([0-9.]+) s \(the port is open")
# the words ``screenshot --at`` says a hole in a recording's data in (ui/cmd_screenshot.py): nothing
# was lost or is being reconnected, the recording has no data there
HOLE_WORDS = re.compile(r".*: (no data in the recording from [0-9.]+ s to [0-9.]+ s)")


def _disconnected_text(message: str, recording: bool, spec: str = "", name: str = "",
                       where: str | None = None) -> str:
    """The banner while the sensor is away, short and plain: where it was read (``where``, or
    the port or name) and, when the source's words say it plainly, why; the words in full (a
    serial library's error, which runs over three lines) go in the banner's tooltip. A sensor
    silent with its port open is said to be so, not disconnected."""
    if where is None:
        where = _where(spec, name)
    hole = HOLE_WORDS.match(message)
    if hole:
        return hole.group(1)[0].upper() + hole.group(1)[1:] + (f" ({where})" if where else "")
    quiet = SILENT_WORDS.match(message)
    if quiet:           # (the port is open: the sensor stopped sending; nothing is being reconnected)
        return ("No data from the sensor" + (f" ({where})" if where else "") + f" for {quiet.group(1)} s, its port "
                "open — waiting for it…" + (" Recording goes on, the gap marked." if recording else ""))
    why = message
    for prefix in (spec, name):              # (a source names itself first)
        if prefix and why.startswith(prefix + ":"):
            why = why[len(prefix) + 1:]
    why = re.sub(r"^\s*\[Errno \d+\]\s*", "", why.split(" (")[0]).strip().rstrip(".,;")   # (OSError's number)
    if why.lower().endswith("reconnecting"):
        why = why[:-len("reconnecting")].rstrip(" ,;")
    plain = why if why and len(why) <= PLAIN_WHY_CHARS and why.lower() != "connection lost" else ""
    return ("Sensor disconnected" + (f" ({where})" if where else "") + (f": {plain}" if plain else "")
            + " — reconnecting…" + (" Recording goes on, the gap marked." if recording else ""))


FSI, PDI = "\u2068", "\u2069"    # a name's own direction, kept inside it (Unicode bidi isolates)
SEP = " · "
NAME_SHARE = 0.22            # a shortened status line gives the trainee at most this share of it ...
SOURCE_SHARE = 0.3           # ... and the source this one, before the end of the line is cut


def isolated(text: str) -> str:
    """``text`` as a bidi isolate when it holds right-to-left letters (Arabic, Hebrew): it reads
    in its own direction without turning the left-to-right line around it."""
    rtl = any(unicodedata.bidirectional(ch) in ("R", "AL", "AN") for ch in text)
    return f"{FSI}{text}{PDI}" if rtl else text


def _rtl_closed(text: str) -> str:
    """An isolate cut short by eliding still ends where the line does."""
    return text + PDI * max(0, text.count(FSI) - text.count(PDI))


class StatusLine(QLabel):
    """The trainer's status line: one line, left to right whatever the names in it, shortened
    with "…" to the width it is given, never wider (it does not push the recording label out).

    :meth:`set_fields` takes the trainee, the source and the other fields in order of use (the
    least useful last): when the line is too long, the trainee and the source are shortened to
    a share of the line first, then the end is cut. The whole line is in the tooltip.
    """

    def __init__(self) -> None:
        super().__init__("")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignAbsolute)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)
        self._fields: tuple = ("", "", "", ())
        self.full_text = ""

    def set_fields(self, name: str, suffix: str, source: str, rest: list[str]) -> None:
        """``name`` the trainee (isolated when right to left), ``suffix`` what follows it (its
        technique, already isolated), ``source``, then ``rest``."""
        fields = (name, suffix, source, tuple(rest))
        if fields != self._fields:
            self._fields = fields
            self.full_text = SEP.join([isolated(name) + suffix, source, *rest])
            self.setToolTip(self.full_text)
            self._fit()

    def resizeEvent(self, e) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(e)
        self._fit()

    def showEvent(self, e) -> None:  # noqa: N802 (Qt)
        super().showEvent(e)
        self._fit()

    def _fit(self) -> None:
        fm = self.fontMetrics()
        width = max(1, self.contentsRect().width())
        text = self.full_text
        if self.isVisible() and fm.horizontalAdvance(text) > width:    # (not laid out yet: all of it)
            name, suffix, source, rest = self._fields
            elide = Qt.TextElideMode.ElideRight
            who = isolated(fm.elidedText(name, elide, int(NAME_SHARE * width))) + suffix
            who = _rtl_closed(fm.elidedText(who, elide, int(NAME_SHARE * width)))
            # (a long name is shortened, not what follows it: "(ended; …)")
            tail = PLAYED_TO_END if source.endswith(PLAYED_TO_END) else ""
            room = int(SOURCE_SHARE * width)
            source = fm.elidedText(source[:len(source) - len(tail)], elide,
                                   max(room - fm.horizontalAdvance(tail), room // 3)) + tail
            text = _rtl_closed(fm.elidedText(SEP.join([who, source, *rest]), elide, width))
        if text != self.text():
            self.setText(text)


def elided_words(text: str, fm, width: int) -> str:
    """``text`` cut to ``width`` pixels at a word boundary, with "…" (all of it when it fits)."""
    if fm.horizontalAdvance(text) <= width:
        return text
    cut = fm.elidedText(text, Qt.TextElideMode.ElideRight, width).rstrip("…")
    after = text[len(cut):len(cut) + 1]
    if " " in cut and not (after.isspace() or after in ";,:" or cut[-1] in ");,:"):    # (mid-word)
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ;,:(") + "…"


class MessageBar(QStatusBar):
    """The status bar: a temporary message too long for the room left of the recording label is
    drawn cut at a word with "…" (Qt cut it mid-word, at the edge), the whole of it in the
    tooltip; :meth:`currentMessage` is the whole message."""

    def __init__(self) -> None:
        super().__init__()
        self.messageChanged.connect(lambda m: self._tip())

    def message_rect(self) -> QRect:
        right = self.width() - 12                # (as Qt places the message)
        for w in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if w.isVisible() and w.property("permanent"):
                right = min(right, w.x() - 2)
        return QRect(6, 0, max(1, right - 6), self.height())

    def shown_message(self) -> str:
        """The message as drawn."""
        return elided_words(self.currentMessage(), self.fontMetrics(), self.message_rect().width())

    def _tip(self) -> None:
        m = self.currentMessage()
        self.setToolTip(m if m and self.shown_message() != m else "")

    def resizeEvent(self, e) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(e)
        self._tip()

    def paintEvent(self, e) -> None:  # noqa: N802 (Qt)
        if not self.currentMessage():
            super().paintEvent(e)
            return
        p = QPainter(self)
        p.setPen(self.palette().windowText().color())
        p.drawText(self.message_rect(), Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
                   | Qt.TextFlag.TextSingleLine, self.shown_message())
        p.end()

    def addPermanentWidget(self, w, stretch: int = 0) -> None:  # noqa: N802 (Qt)
        w.setProperty("permanent", True)
        super().addPermanentWidget(w, stretch)


class TrainerStatus:
    """The banner, the status line and the recording label of :class:`~ui.trainer.window.TrainerWindow`
    (a mix-in)."""

    def _rec_ended(self) -> None:
        """A recording whose source has played to its end says so: nothing more comes into it."""
        rec = self.engine.recorder
        if rec is not None and self.engine.finished and not self.rec_label.text().endswith(REC_ENDED):
            self.rec_label.setText(f"● REC  {rec.path.name} — {REC_ENDED}")

    def _banner(self) -> None:
        eng = self.engine
        w = self.worker
        spec, name = (w.source.spec, w.source.info.get("name", "")) if w is not None else ("", self.source_label)
        away = eng.disconnected is not None and not eng.error
        text, one_line = eng.error or "", False
        if away:
            text, one_line = self._away_line(eng.disconnected, eng.recorder is not None, spec, name)
        elif not text and eng.away:         # back, its first data not come yet (a serial one holds a second)
            where = _where(spec, name)
            text, one_line = f"Sensor back{f' ({where})' if where else ''} — waiting for its data…", True
        detail = eng.disconnected if eng.disconnected and not eng.error else ""
        nothing = eng.force.last_t is None and eng.movement.last_t is None and eng.audio_env.last_t is None
        if not text and nothing and w is not None and w.opened_at is not None:
            waited = time.monotonic() - w.opened_at
            if waited >= SILENT_S:           # nothing on the plot, and nothing said why
                text = f"{w.source.spec}: {w.source.silent(round(waited))}"
        if text:
            self.banner.setWordWrap(not one_line)   # (the words of an error may need two lines)
            if not away:
                self._banner_style(BANNER_FONT_PX[0])
            self.banner.setText(text)
            self.banner.setToolTip(detail)
            self.banner.show()
            if eng.error and self.statusBar().currentMessage().startswith("reading "):
                self.statusBar().clearMessage()     # (the source it announced could not be read)
        else:
            self.banner.hide()

    def _banner_style(self, font_px: int) -> None:
        style = f"background: {ALERT}; color: white; font-size: {font_px}px; padding: {BANNER_PAD_PX}px"
        if self.banner.styleSheet() != style:
            self.banner.setStyleSheet(style)

    def _away_line(self, message: str, recording: bool, spec: str, name: str) -> tuple[str, bool]:
        """The banner's text while the sensor is away, on one line of the force plot's width (two
        lines took the plots' room on a small screen): a long port name is cut at its start, and
        the letters made smaller (not below ``BANNER_FONT_PX[1]``). Returns the text and whether
        it fits on one line: what does not, even so, the banner wraps rather than cut its words
        (the window is no taller for it: the force plot beside the panels has room to spare)."""
        room = self.banner.parentWidget().contentsRect().width() - 2 * BANNER_PAD_PX - 4
        self.banner.ensurePolished()              # (its style sheet's font)
        font = QFont(self.banner.font())
        for px in range(BANNER_FONT_PX[0], BANNER_FONT_PX[1] - 1, -1):
            font.setPixelSize(px)
            fm = QFontMetrics(font)
            text = self._away_text(message, recording, spec, name, fm, room)
            if fm.horizontalAdvance(text) <= room:
                self._banner_style(px)
                return text, True
        self._banner_style(BANNER_FONT_PX[0])     # (on two lines: in its own size)
        return text, False

    @staticmethod
    def _away_text(message: str, recording: bool, spec: str, name: str, fm: QFontMetrics, room: int) -> str:
        """The banner's line in ``fm``'s letters, a long port cut at its start to fit ``room``
        (then the recording's note left out: the recording label says it records)."""
        where = _where(spec, name)
        text = _disconnected_text(message, recording, spec, name, where)
        for note in ((recording, False) if recording else (False,)):
            text = _disconnected_text(message, note, spec, name, where)
            over = fm.horizontalAdvance(text) - room
            if over <= 0 or not where:
                break
            keep = fm.horizontalAdvance(where) - over
            if keep >= BANNER_WHERE_PX or note is False:     # (the recording label says it records)
                # (a port's end tells it: ttyUSB0, s.pty)
                text = _disconnected_text(message, note, spec, name, fm.elidedText(
                    where, Qt.TextElideMode.ElideLeft, max(keep, BANNER_WHERE_PX)))
                break
        return text

    def _status_fields(self) -> tuple[str, str, str, list[str]]:
        """The status line's trainee, what follows it, its source and the other fields, the
        least useful last (what the plot or the menu shows anyway)."""
        eng = self.engine
        src = self.worker.source.info.get("name", self.worker.source.spec) if self.worker else self.source_label
        origin = self.calibration.name if self.calibration else ""
        if origin and origin == src:         # (the source's own: its name is there already)
            spec = self.worker.source.spec if self.worker else ""
            origin = ("the session" if src.startswith("session ") else
                      "the recording" if spec.startswith("file:") else "the device")
        if eng.finished:                     # a recording played with file: has no more to give
            src += PLAYED_TO_END
        sch = eng.scheme
        cal = (f"R1 {sch.r1_n:g} N, R2 {sch.r2_n:g} N" + (f" from {origin}" if origin else "")
               if sch.calibrated else "IMU alone: no force to grade" if eng.imu_only else "not calibrated (press C)")
        tgt = f"target {self.target.text}" if self.target else "no target (press T)"
        with eng.lock:
            disabled = dict(eng.disabled)
        off = [f"{k} analysis off: {v}" for k, v in disabled.items()]
        suffix = (f" ({isolated(self.technique)})" if self.technique else "") + ("" if self.trainee else " (press N)")
        # samples lost on the link, and the audio the recording's microphone lost (in record's
        # words), matter more than the target's hint, the schedule and the window
        lost = eng.mic_loss_note()
        return (self.trainee or "no trainee", suffix, src,
                [cal, f"dropped {eng.dropped}", *([lost] if lost else []), tgt, *off,
                 f"feedback {self.schedule.mode}",
                 f"window {self.force_plot.window_s:g} s"])

    def _status_text(self) -> str:
        """The whole status line (the label shows it shortened to its width)."""
        name, suffix, src, rest = self._status_fields()
        return SEP.join([isolated(name) + suffix, src, *rest])

    def _show_status(self) -> None:
        self.status.set_fields(*self._status_fields())
