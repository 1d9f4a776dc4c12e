"""The events of the session shown in the Session tab: the event list, the details of the
session or of the event selected, the grades and the warnings, and the re-analysis, saving and
comments done beside them.

:class:`SessionEvents` is a mix-in of :class:`~ui.review.session_view.SessionView`, whose layout
(:mod:`ui.review.session_layout`) makes the widgets it fills (``events_table``, ``details``,
``grades``, ``warning``, the re-analysis form, ``status``) and whose ``tick`` finishes a
re-analysis (:meth:`SessionEvents._finish_reanalysis`).
"""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidgetItem

from analysis.errors import InputError
from ui.review.data import (ReviewSession, add_comment, analyse_events, apply_reanalysis, check_calibration, describe,
                            describe_session, not_in_file, not_in_file_row, not_in_file_tip, not_in_file_words,
                            save_analysis, screen_then, thrust_target)
from ui.review.session_marks import NOT_HELD_COLOR
from ui.review.trace import loud_spans_of
from ui.table import describe_letup, in_grade_order
from ui.trainer.target import MISS_SEP, thrust_misses

# a pop's or a thrust's rows, or the session's (with two screen changes and its feedback schedule), all in view
DETAILS_MAX_ROWS = 17
# the event list's last column: an event's force, or, with no force recorded (a hand-worn IMU
# alone), how far the hand moved in a thrust, as its details' "hand moved" row gives it
EVENT_COLUMNS = ["time (s)", "event", "grade", "force (N)"]
MOVED_HEADING = "hand moved (mm)"
# more warnings than this (a long recording's dropouts, say) are folded to the first few and a
# button that shows them all: the plots stay in view
WARNINGS_FOLDED = 3


# where the grades shown come from, after them ("grades: III: 5  (from the stored events)")
GRADES_FROM = {"stored": "from the stored events", "analysis": "analysed again from the raw data",
               "re-analysis": "re-analysed"}


BEYOND_R2 = "beyond R2"     # after the grade of a cycle whose crest went beyond R2, in the event list


def _label(e: dict, aim=None) -> str:
    """The grade column's text: a cycle's grade; a thrust's "V", and a flagged let-up worded as
    its details word it ("V, let-up 29.0 N flagged"; it read "V let-up", like a grade's name).
    Against a V/HVLA target (``aim``, :func:`ui.review.details.thrust_target`) a thrust says its
    verdict as its details do ("V, on target"; "V, off: peak 702 N above 400–650 N"; an IMU's
    thrust, whose forces were not measured, "V" alone)."""
    if e["type"] == "cycle":
        # (a crest beyond R2 flagged beside its grade, as the trainer's red "beyond R2!": "III++"
        # alone read as any cycle near R2)
        return ((e.get("grade") or "ungraded") + (e.get("modifier") or "")
                + (f" {BEYOND_R2}" if e.get("grade") is not None and e.get("beyond_r2") else ""))
    if e["type"] == "thrust":
        misses = thrust_misses(e, aim) if aim is not None else None
        if misses is not None:
            return "V, " + ("off: " + MISS_SEP.join(misses) if misses else "on target")
        return "V" + (f", let-up {describe_letup(e.get('letup_n'), True, unit=' N')}" if e.get("letup") else "")
    if e["type"] == "imu_cycle":
        return "–"                  # (movement, no force: no grade; its details say why)
    return ""


def _kind(e: dict) -> str:
    """The event list's name of an event's kind: "cycle", "thrust", "pop"."""
    return {"cavitation": "pop", "imu_cycle": "cycle"}.get(e["type"], e["type"])


def event_time(e: dict) -> float:
    return float(e.get("t_crest", e.get("t_peak", e.get("t", e.get("t_start", 0.0)))))


class SessionEvents:
    """The event list, the details, and re-analysis and comments of
    :class:`~ui.review.session_view.SessionView` (a mix-in)."""

    def _cycles(self) -> list[dict]:
        """The cycles listed and marked: the force's, graded; with no force recorded, the hand-worn
        IMU's (ungraded). With both, the IMU's cycles are the force's seen again (each force cycle
        carries the hand's movement in it), so they are not listed twice."""
        return self.rs.of_type("imu_cycle") if self.rs.imu_only else self.rs.of_type("cycle")

    def _show_events(self) -> None:
        rs = self.rs
        cyc = self._cycles()
        self._place_marks()
        imu_only = rs.imu_only
        s = rs.summary or {}
        for ln, key in zip(self.r_lines, ("r1_n", "r2_n")):
            ln.setVisible(s.get(key) is not None and not imu_only)     # (no force line to hold them against)
            if s.get(key) is not None:
                ln.setValue(s[key])
        self._listed = sorted(cyc + rs.of_type("thrust") + rs.of_type("cavitation"), key=event_time)
        self.events_table.setRowCount(len(self._listed))
        # no force recorded: the last column gives how far the hand moved (it was "force (N)", blank)
        self.events_table.setHorizontalHeaderItem(3, QTableWidgetItem(MOVED_HEADING if imu_only
                                                                      else EVENT_COLUMNS[3]))
        grey = QColor(*NOT_HELD_COLOR)
        aim = thrust_target(rs)
        for i, e in enumerate(self._listed):
            last = e.get("displacement_mm") if imu_only else e.get("crest_n", e.get("peak_n"))
            kind = _kind(e)
            # a stored event the file cut short no longer holds: greyed, the tooltip saying why
            gone = not_in_file(self._cuts, e, event_time(e)) if self._cuts else None
            for j, v in enumerate((f"{event_time(e):.2f}", kind, _label(e, aim),
                                   "" if last is None else f"{last:.1f}")):
                item = QTableWidgetItem(v)
                if j == 2 and e["type"] == "thrust":
                    item.setToolTip(v)              # (a long verdict read whole where the column cuts it)
                if j == 2 and v.endswith(BEYOND_R2):
                    item.setForeground(QColor("red"))   # (a safety matter, red as on the trainer)
                if gone is not None:
                    item.setForeground(grey)
                    item.setToolTip(not_in_file_tip(gone, kind))
                self.events_table.setItem(i, j, item)
        hist = s.get("grade_histogram") or {}
        self.grades.setText("grades: " + ("  ".join(f"{k}: {v}" for k, v in in_grade_order(hist))
                                          or ("none: no force recorded, the IMU's cycles are not graded"
                                              if imu_only and cyc else "none"))
                            + f"  ({'unsaved re-analysis' if rs.dirty else GRADES_FROM.get(rs.source, rs.source)})")
        self.save_btn.setEnabled(rs.dirty)
        self._show_warnings()                           # (a re-analysis's summary has its own)
        self._show_loud(loud_spans_of(s))
        self.selected = None
        self._fill_details(self._session_rows())        # until an event is picked

    def _show_warnings(self) -> None:
        """The session's warnings (:attr:`ReviewSession.shown_warnings`: the report's and replay's)
        above its plots, one a line; past ``WARNINGS_FOLDED``, the first few and a button for the
        rest."""
        ws = self.rs.shown_warnings
        folded = len(ws) > WARNINGS_FOLDED and not self._warnings_open
        shown = ws[:WARNINGS_FOLDED - 1] if folded else ws
        self.warning.setText("\n".join(f"warning: {w}" for w in shown))
        self.warning.setVisible(bool(ws))
        self.more_warnings.setText(f"show {len(ws) - len(shown)} more warnings" if folded else "show fewer warnings")
        self.more_warnings.setVisible(len(ws) > WARNINGS_FOLDED)

    def _toggle_warnings(self) -> None:
        self._warnings_open = not self._warnings_open
        self._show_warnings()

    # --- events, re-analysis, comments ------------------------------------------------------------
    def _mark_clicked(self, _item, points, *_) -> None:
        if len(points):
            self.select_event(points[0].data())

    def _row_clicked(self, row: int) -> None:
        """A row of the event list: its numbers, and the plots moved to it (it may lie outside
        the part shown)."""
        e = self._listed[row]
        self.select_event(e)
        self.seek(event_time(e))

    def select_event(self, e: dict) -> None:
        self.selected = e
        # a stored event the file cut short no longer holds: nothing of it drawn there, said why (in
        # the window's status bar, and in its details)
        gone = not_in_file(self._cuts, e, event_time(e)) if self.rs is not None and self._cuts else None
        if gone is not None:
            self.notice.emit(not_in_file_words(gone, _kind(e), event_time(e)))
        elif self._said_not_held:
            self.notice.emit("")                    # (said of the event selected before)
        self._said_not_held = gone is not None
        rows = describe(e, thrust_target(self.rs) if self.rs is not None else None)
        if gone is not None:
            rows.insert(1, not_in_file_row(gone))
        if e.get("type") == "thrust" and self.rs is not None:
            rows.append(("pops", thrust_pops_words(self.rs, e)))
        # the trainer's screen graded with other settings than the recording's then: what the
        # trainee saw of this event was graded with those
        other = screen_then(self.rs.raw_meta, self.rs.meta, event_time(e)) if self.rs is not None else None
        if other is not None:
            rows.append(("screen then", other))
        self._fill_details(rows)
        self.eventSelected.emit(e)

    def _session_rows(self) -> list[tuple[str, str]]:
        """The session's details (:func:`describe_session`), its "recorded" as the library's row
        beside it dates it (:attr:`listed_date`: with its seconds where two share a minute)."""
        listed = self.listed_date(self.rs.path) if self.listed_date is not None else None
        return [(k, listed if k == "recorded" and listed else v) for k, v in describe_session(self.rs)]

    def _fill_details(self, rows: list[tuple[str, str]]) -> None:
        self.details.setRowCount(len(rows))
        for i, (k, v) in enumerate(rows):
            self.details.setItem(i, 0, QTableWidgetItem(k))
            item = QTableWidgetItem(v)
            item.setToolTip(v)                          # a pop's reason is longer than the column
            self.details.setItem(i, 1, item)
        self.details.resizeColumnToContents(0)
        # every row in view: the session's numbers (cycles, on target, thrusts, pops, comments)
        # were below the fold, under its name, date and calibration; the event list takes the rest
        # (on a short screen the two share what there is)
        d = self.details
        d.setMaximumHeight(d.horizontalHeader().sizeHint().height() + 2 * d.frameWidth()
                           + d.verticalHeader().defaultSectionSize() * min(len(rows), DETAILS_MAX_ROWS))

    def details_dict(self) -> dict[str, str]:
        return {self.details.item(i, 0).text(): self.details.item(i, 1).text()
                for i in range(self.details.rowCount())}

    def reanalyse(self) -> None:
        """Grade again with the form's calibration, on a worker thread (an hour-long session takes
        seconds); the window stays live and shows the result when it is ready."""
        r1, r2, alpha = self.r1.value() or None, self.r2.value() or None, self.alpha.value()
        try:
            check_calibration(r1, r2, alpha, self.rs.meta.target)
        except InputError as e:
            self.status.setText(str(e))
            return
        self.reanalyse_btn.setEnabled(False)
        self.status.setText("re-analysing…")
        self._reanalysis = (self._pool.submit(analyse_events, self.rs, r1, r2, alpha), self.rs, (r1, r2, alpha))

    def _forget_reanalysis(self) -> None:
        """Drop a re-analysis still running: its grades belong to the session it was started on,
        not to the one opened since."""
        if self._reanalysis is not None:
            self._reanalysis[0].cancel()            # (a running one finishes and is ignored)
            self._reanalysis = None
        self.reanalyse_btn.setEnabled(True)

    def _finish_reanalysis(self) -> None:
        job, rs, (r1, r2, alpha) = self._reanalysis
        self._reanalysis = None
        self.reanalyse_btn.setEnabled(True)
        if rs is not self.rs:
            return
        try:
            events = job.result()
        except InputError as e:
            self.status.setText(str(e))
            return
        apply_reanalysis(self.rs, events, r1, r2, alpha)
        self.status.setText(f"re-analysed with R1 {r1:g} N, R2 {r2:g} N, α {alpha:g}; not saved" if r1 is not None
                            else "re-analysed without a calibration: cycles measured, not graded; not saved")
        self._show_events()

    def save(self) -> None:
        try:
            save_analysis(self.rs)
        except InputError as e:                        # a read-only share: said, and still unsaved
            self.status.setText(str(e))
            return
        self.status.setText(f"saved events.jsonl and calibration to {self.rs.path.name}")
        self._show_events()
        self.analysisSaved.emit(self.rs.path)

    def add_comment(self) -> None:
        try:
            c = add_comment(self.rs, self.playhead.pos_s, self.comment_text.text(), self.comment_author.text())
        except InputError as e:
            self.status.setText(str(e))
            return
        self.comment_text.clear()
        self.status.setText(f"comment saved at {c['t_s']:.2f} s")
        self._show_comments()
        if self.selected is None:                   # the session's numbers shown: its comments counted anew
            self._fill_details(self._session_rows())


def thrust_pops_words(rs: ReviewSession, e: dict) -> str:
    """A thrust's pops in the words the trainer's panel gives them ("3 pops, first 12 ms before
    peak force", "no pop", "–"), from the summary's row of it, as the report's thrusts table and
    replay's take them: unknown ("–") without sound, with sound that cannot be analysed, or for a
    thrust the sound did not cover."""
    from analysis.summary import describe_pops
    from ui.report import pops_masked, pops_partly_heard, thrust_pops
    s = rs.summary or {}
    row = next((t for t in s.get("thrusts") or () if isinstance(t, dict) and t.get("index") == e.get("index")
                and t.get("source", "force") == e.get("source", "force")), None)
    heard = rs.inp.audio_path is not None and rs.inp.analyse_audio
    n, first = thrust_pops(row, heard)
    return describe_pops(n, first, "peak" if e.get("source") == "imu" else "peak force", pops_partly_heard(row),
                         pops_masked(row))
