"""The review window: the session library on the left; a session, a comparison or a
trainee's progress on the right."""

from __future__ import annotations

import re
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QMainWindow, QProgressBar, QPushButton, QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget)

from analysis.errors import InputError
from analysis.scheme import parse_target
from ui import main_thread_gc
from ui.cmd_library import UNFINISHED
from ui.library import Library, index_row, name_key, nfc, sort_key, stopped_early_note, time_key
from ui.library.folders import listed_again, row_cut_short_state, row_finished
from ui.library.stats import all_cycles, count_cell, dates_shown, score_shown
from ui.review.compare import CompareView, ProgressView
from ui.review.data import ReviewSession, apply_reanalysis, open_review, short_date
from ui.review.session_view import SessionView

LIBRARY_COLUMNS = [("trainee", "trainee"), ("date", "created"), ("technique", "technique"),
                   ("target", "target"), ("score\n(%)", "score_pct"), ("beyond\nR2", "n_beyond_r2"), ("pops", "n_pops"),
                   ("note", "note")]
_KEYS = [k for _, k in LIBRARY_COLUMNS]
POPS_COLUMN = _KEYS.index("n_pops")     # shown when a session's sound was listened to: the pops it held
NOTE_COLUMN = _KEYS.index("note")       # shown when a session has a note: unfinished, cut short, or a copy of another
LIBRARY_COLUMN_MAX_PX = 160
PLOTS_ROOM_PX = 90             # the session's plots keep this much more than their least as the library opens
FOLDER_ROLE = Qt.ItemDataRole.UserRole + 1       # a library row's session folder ...
FINGERPRINT_ROLE = Qt.ItemDataRole.UserRole + 2  # ... and its fingerprint (ui.library.fingerprint)
FILTER_ROLE = Qt.ItemDataRole.UserRole + 3       # ... and its text as the filter compares it (filter_text)
DATE_ROLE = Qt.ItemDataRole.UserRole + 4         # ... and its date as it sorts (date_order): ties sort by it
NAME_ROLE = Qt.ItemDataRole.UserRole + 5         # ... and its trainee, as the library spells them ("" for none)
NO_TRAINEE = "no trainee"      # the trainee cell of a session without one, as 'library list' says it
EVENTS_EVERY_S = 0.03           # while a session is read (for the index, or to open it), the window answers this often
ROWS_EVERY_S = 1.0              # ... and the sessions read so far join the table this often


def date_order(created: str | None) -> str:
    """The date column's sort value: text that sorts as :func:`ui.library.time_key` orders the
    stamps, by the instant each names, its UTC offset counted ("09:00:00+02:00" before
    "08:30:00+00:00"); stamps typed otherwise by hand after them, by their text."""
    kind, instant_s, text = time_key(created)
    # (shifted by more than year 1's timestamp, so every instant writes as a positive number of
    # the same width, up to year 9999)
    return f"{kind}\t{instant_s + 1e11:020.6f}\t{text}"


def noted(rows: list[dict], copies: list[list[str]], root) -> list[dict]:
    """``rows`` (library rows) with the note the table shows of each and its tooltip: a
    recording that stopped early because its folder refused a write (the tooltip says when and
    why) or did not finish (still being recorded, or cut off by a crash), as ``library list``
    marks it; a finished one whose force.csv or imu.csv was cut short after it was made, at a
    line end (:func:`ui.library.folders.cut_short_state`), which ``library list`` marks "*"
    (the tooltip says where the file ends, and whose figures are listed); and one found in
    several folders (a folder copied by hand), as it warns. How each session's files end is
    read from its row, as the index keeps it (:func:`ui.library.folders.row_ending`), not from
    its files."""
    again = {p: paths for paths in copies for p in paths}
    for r in rows:
        notes, tips = [], []
        stopped = stopped_early_note(r.get("stopped_early"))
        if stopped:                              # (unfinished too, and says why)
            notes.append("stopped early")
            tips.append(stopped)
        elif not row_finished(r):
            notes.append("unfinished")
            tips.append(UNFINISHED.strip("()"))
        elif state := row_cut_short_state(r):
            short, whole = state
            notes.append("cut short")
            # (the library's figures are the stored summary's, the whole recording's, unless its
            # stored events were not used, another calibration since, say, or are a saved
            # re-analysis of what the files hold)
            tips.append(f"{short}; its score and figures are "
                        + ("the whole recording's, as stored" if r.get("stats_source") == "stored" and whole
                           else "of what its files hold, analysed again"))
        if r["path"] in again:
            others = [p for p in again[r["path"]] if p != r["path"]]
            notes.append(f"same recording as {', '.join(others)}")
            tips.append(listed_again(again[r["path"]], root))
        r["note"], r["note_tip"] = "; ".join(notes), "\n".join(tips)
    return rows


def once_each(rows: list[dict]) -> tuple[list[dict], str]:
    """``rows`` (library rows) with each recording once, as Progress counts them: a folder copied
    by hand (the same fingerprint) is left out after the first of its paths, which the table
    marks "same recording as …"; and what is said of those left out ("anna-1-copy: the same
    recording as anna-1, counted once"), "" for none."""
    first: dict[str, dict] = {}
    kept, said = [], []
    for r in rows:
        fp = r.get("fingerprint")
        if fp is not None and fp in first:
            said.append(f"{r['path']}: the same recording as {first[fp]['path']}, counted once")
            continue
        if fp is not None:
            first[fp] = r
        kept.append(r)
    return kept, "; ".join(said)


def filter_text(text: str) -> str:
    """A cell's text, or what is typed in the filter, as the filter compares them: as the library
    sorts names (:func:`ui.library.name_key`), whatever the case, accents or Unicode form, so
    "emile" finds "Émile", "lopez" "López" and "celik" a Mac's (decomposed) "Çelik"."""
    return name_key(text)


def grade_of(text: str | None) -> tuple[str, str | None] | None:
    """The grade and modifier ``text`` names as a target (:func:`analysis.scheme.parse_target`:
    "HVLA" is V, "iv+" IV+), or None for text that names none."""
    try:
        return parse_target(text or "")
    except InputError:
        return None


TARGET_COLUMN = _KEYS.index("target")
TECHNIQUE_COLUMN = _KEYS.index("technique")


class LibraryHeader(QHeaderView):
    """The library table's column headings, two lines where they need it ("beyond" over "R2"),
    each only as wide as its longest line and the sort arrow. (Qt leaves the arrow as much
    room as the heading is high, so a heading of two lines took the width of one.)"""

    def __init__(self, parent=None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(True)

    def sectionSizeFromContents(self, logical: int):
        size = super().sectionSizeFromContents(logical)
        text = str(self.model().headerData(logical, Qt.Orientation.Horizontal) or "") if self.model() else ""
        lines = text.count("\n")
        if self.isSortIndicatorShown() and lines:
            size.setWidth(size.width() - lines * self.fontMetrics().lineSpacing())
        return size


class LibraryProxy(QSortFilterProxyModel):
    """The library table's sort and filter. Rows alike in the column sorted by (one trainee's
    sessions, a technique, a target, a score) are in date order, newest first as the table
    opens, whichever way the column is sorted, then by folder: a total order, so the rows do not
    come back in another order once the filter is cleared (the order the filter left them in).

    The filter (:meth:`set_typed`) keeps the rows where a cell holds what is typed, compared as
    :func:`filter_text` compares them. Typed text that names a grade ("I", "iv", "III+", "HVLA")
    also keeps the sessions of that target, and those whose technique names it as a word ("HVLA
    L5"): a grade without a modifier ("III") keeps each of its modifiers (III, III+, III-), one
    with a modifier ("IV+") that target alone; a grade is a whole word, so "V" keeps no IV and
    "HVLA" keeps V. Besides, the rows where a word (a trainee's name) begins with what is typed
    are kept: "i", "iv" … typing "Ivan" keeps Ivan's sessions at each letter. ("III" kept III
    alone, "i" emptied the table, "Iv" kept the IV targets and none of Ivan's.)"""

    def __init__(self) -> None:
        super().__init__()
        self._typed = ""
        self._grade: tuple[str, str | None] | None = None

    def set_typed(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):     # (Qt 6.9 on: invalidateFilter is deprecated)
            self.beginFilterChange()
            self._typed, self._grade = filter_text(text), grade_of(text)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._typed, self._grade = filter_text(text), grade_of(text)
            self.invalidateFilter()

    def _is_grade(self, grade: tuple[str, str | None] | None) -> bool:
        """Whether a target's ``grade`` is the one typed: its modifier too when one was typed."""
        want = self._grade
        return (grade is not None and want is not None and grade[0] == want[0]
                and (not want[1] or grade[1] == want[1]))

    def filterAcceptsRow(self, row: int, parent) -> bool:
        m = self.sourceModel()
        if not self._typed:
            return True
        cells = [m.index(row, c, parent).data(FILTER_ROLE) or "" for c in range(m.columnCount())]
        if self._grade is None:
            return any(self._typed in cell for cell in cells)
        if self._is_grade(grade_of(m.index(row, TARGET_COLUMN, parent).data())):
            return True
        for c, cell in enumerate(cells):
            if c == TARGET_COLUMN:
                continue
            for w in cell.split():
                g = grade_of(w)                         # (a grade in a technique, "HVLA L5": as a grade)
                if (self._is_grade(g) if g is not None else w.startswith(self._typed)):
                    return True
        return False

    def lessThan(self, left, right) -> bool:
        role = self.sortRole()
        a, b = left.data(role), right.data(role)
        if a != b:
            return a < b
        ka = (left.siblingAtColumn(0).data(DATE_ROLE) or "", left.siblingAtColumn(0).data(FOLDER_ROLE) or "")
        kb = (right.siblingAtColumn(0).data(DATE_ROLE) or "", right.siblingAtColumn(0).data(FOLDER_ROLE) or "")
        # (newest first in either direction: a descending sort reverses what this says)
        return ka > kb if self.sortOrder() == Qt.SortOrder.AscendingOrder else ka < kb


class PathsLabel(QLabel):
    """A wrapped label whose lines may break inside a folder's name too (after "_", "." and
    the like), as a long one is written in the library line: it held the panel, and the
    window, wider than the screen. :meth:`text` is the text as set."""

    BREAKS = re.compile(r"([_.\\/:-])")
    ZERO_WIDTH_SPACE = "\u200b"

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self._text = ""

    def setText(self, text: str) -> None:
        self._text = text
        super().setText(self.BREAKS.sub(r"\1" + self.ZERO_WIDTH_SPACE, text))

    def text(self) -> str:
        return self._text


class LibrarySplit(QSplitter):
    """The library panel (first) beside the tabs (second). A window made narrower narrows the
    library first, down to its least, before the session's plots are squeezed (on an 800×480
    screen they were left less than 200 px). (Its own rule, holding no reference to the window:
    a cycle through the window left it to Python's collector, which may run on the thread that
    reads the library.)"""

    def tabs_room(self) -> int:
        """The width (px) the library panel leaves the tabs when it opens or the window narrows:
        PLOTS_ROOM_PX more than they need at the least."""
        return self.widget(1).minimumSizeHint().width() + PLOTS_ROOM_PX

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        sizes = self.sizes()
        if len(sizes) != 2:
            return
        least, want = self.widget(0).minimumSizeHint().width(), self.tabs_room()
        if sizes[0] > least and sizes[1] < want:
            left = max(least, sum(sizes) - want)
            self.setSizes([left, sum(sizes) - left])


class _Closed(Exception):
    """The window was closed while the library was being read."""


class ReviewWindow(QMainWindow):
    """Review recorded sessions. ``clock`` paces playback (tests pass a fake one)."""

    def __init__(self, root: str | Path | None = None, db: str | None = None, clock=time.monotonic) -> None:
        import pyqtgraph as pg

        from ui.trainer.app import PLOT_OPTIONS
        # the plots' pens are chosen for a white page, as in the trainer and the report
        pg.setConfigOptions(**PLOT_OPTIONS)
        super().__init__()
        main_thread_gc.install()          # (Qt objects in garbage are deleted on this thread, not a reader's)
        self.setWindowTitle("gradecoach review")
        self.library: Library | None = None
        self.rows: list[dict] = []
        self.closed = False
        self._refreshing = False
        self._noticed = ""              # what the status bar was last told by the Session tab
        self._rows_shown_at = 0.0
        # new sessions are read for the index here, so that the window stays live meanwhile
        self._index_pool = ThreadPoolExecutor(max_workers=1)
        # sessions are opened here (an hour of a worn IMU alone takes seconds: its movement is
        # computed from the whole recording); each view shows what was asked of it last
        self._open_pool = ThreadPoolExecutor(max_workers=1)
        self._asked = {"session": 0, "compare": 0}
        self.model = QStandardItemModel(0, len(LIBRARY_COLUMNS))
        self.model.setHorizontalHeaderLabels([c for c, _ in LIBRARY_COLUMNS])
        self.proxy = LibraryProxy()
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setHorizontalHeader(LibraryHeader(self.table))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)       # newest first
        self.table.setColumnHidden(NOTE_COLUMN, True)                   # until a session has a note
        self.table.setColumnHidden(POPS_COLUMN, True)                   # ... or its pops are known
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)                          # a date on one line
        self.table.horizontalHeader().setMaximumSectionSize(LIBRARY_COLUMN_MAX_PX)
        self.table.doubleClicked.connect(lambda idx: self.open_row(idx.row()))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("filter: trainee, technique, target (V, HVLA, IV+), date…")
        self.filter.textChanged.connect(self.proxy.set_typed)
        self.compare_btn = QPushButton("Compare selected two")
        self.compare_btn.clicked.connect(self.compare_selected)
        self.progress_btn = QPushButton("Trainee's progress")
        self.progress_btn.clicked.connect(self.progress_selected)
        # sessions recorded while the window is open (a class at its stations) appear on F5
        self.refresh_btn = QPushButton("Refresh")
        self.refresh_btn.setToolTip("Look for new and changed sessions under the library's folder (F5)")
        self.refresh_btn.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_btn.clicked.connect(self.refresh_library)
        self.lib_status = PathsLabel()
        left = QWidget()
        ll = QVBoxLayout(left)
        fl = QHBoxLayout()
        fl.addWidget(self.filter)
        fl.addWidget(self.refresh_btn)
        ll.addLayout(fl)
        ll.addWidget(self.table)
        # one under the other: side by side they held the panel, and so the window, too wide for
        # an 800×480 screen
        for b in (self.compare_btn, self.progress_btn):
            ll.addWidget(b)
        ll.addWidget(self.lib_status)

        self.session_view = SessionView(clock)
        self.session_view.listed_date = self.listed_date        # (its details date it as its row)
        self.session_view.analysisSaved.connect(self._analysis_saved)
        # (an event selected that the session's force.csv, cut short, no longer holds: said here)
        self.session_view.notice.connect(self._notice)
        self.compare_view = CompareView()
        self.progress_view = ProgressView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.session_view, "Session")
        self.tabs.addTab(self.compare_view, "Compare")
        self.tabs.addTab(self.progress_view, "Progress")
        self.split = split = LibrarySplit()
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(1, 4)
        self.setCentralWidget(split)
        self.lib_progress = QProgressBar()
        self.lib_progress.setMaximumWidth(240)
        self.lib_progress.hide()
        self.statusBar().addPermanentWidget(self.lib_progress)
        self.resize(1500, 900)
        self._fit_columns()                          # every heading in view while sessions are read
        if root is not None:
            self.set_library(Library(root, db, memory_if_read_only=True))

    # --- library --------------------------------------------------------------------------------
    def set_library(self, lib: Library) -> None:
        self.library = lib
        self.refresh_library()

    def refresh_library(self) -> None:
        """Index what changed under the library's folder and show every session (the selected
        one stays selected; the filter and sort order stay).

        New and changed sessions are read on a worker thread (an hour-long one takes a
        fraction of a second, one without stored events seconds): meanwhile the window answers,
        the library line counts them ("reading 3 of 30 new or changed sessions…"), and the
        sessions read so far join the table. Returns once all are read.
        """
        if self.library is None or self._refreshing:
            return
        self._refreshing = True
        self.refresh_btn.setEnabled(False)
        open_fp = self._open_session_fingerprint()
        try:
            res = self._refresh_index()
            self.rows = self._library_rows()
        except InputError as e:                      # (the index broke, or became read-only, meanwhile)
            self.lib_status.setText(f"library not updated: {e}")
            return
        except _Closed:
            return
        finally:
            self._refreshing = False
            self.refresh_btn.setEnabled(True)
            self.lib_progress.hide()
            if self.closed and self.library is not None:     # closed meanwhile: closed now
                self.library.close()
        self._show_rows()
        self._follow_open_session(open_fp)
        msg = f"{len(self.rows)} session{'' if len(self.rows) == 1 else 's'} under {self.library.root}"
        if self.library.unsaved:
            msg += f"; index not saved: {self.library.unsaved}"
        if res.failed:
            msg += f"; {len(res.failed)} unreadable: " + "; ".join(res.failed[:3])
        for note in self.library.notes:              # (a link to a folder above the library's: passed over)
            msg += f"; {note}"
        for paths in self.library.copies():
            msg += f"; {listed_again(paths, self.library.root)}"
        self.lib_status.setText(msg)
        if self.progress_view.trainee is not None:     # the trainee's new sessions join their progress
            self._show_progress_rows(self.progress_view.trainee, renamed=False)

    def _notice(self, text: str) -> None:
        """What the Session tab says of the event selected, in the status bar; "" takes away what
        it said before, unless something else was said since."""
        bar = self.statusBar()
        if text:
            bar.showMessage(text)
        elif bar.currentMessage() == self._noticed:
            bar.clearMessage()
        self._noticed = text

    def _library_rows(self) -> list[dict]:
        """The library's rows, each with its note (:func:`noted`)."""
        return noted(self.library.rows(), self.library.copies(), self.library.root)

    def _write_index(self, write):
        """``write()`` (a change to the index); where the index cannot be written (a read-only
        share), the sessions are still read and listed, from a copy of it kept in memory."""
        return self.library.write_or_keep_in_memory(write)

    def _refresh_index(self):
        return self._write_index(lambda: self.library.refresh(self._refresh_progress, self._read_in_background))

    def _refresh_progress(self, i: int, n: int, rel: str) -> None:
        if i >= n:
            return
        self.lib_status.setText(f"reading {i + 1} of {n} new or changed session{'' if n == 1 else 's'}: {rel}…")
        self.lib_progress.setRange(0, n)
        self.lib_progress.setValue(i)
        self.lib_progress.show()
        now = time.monotonic()
        if i and now - self._rows_shown_at >= ROWS_EVERY_S:
            self.rows = self._library_rows()         # (those read so far are committed)
            self._show_rows()
            self._rows_shown_at = now

    def _read_in_background(self, folder: Path, root: Path) -> dict:
        """:func:`ui.library.index_row` on the worker thread, the window's events handled while
        it runs; the index itself is written here, on the window's thread."""
        job = self._index_pool.submit(index_row, folder, root)
        self._answer_until(job)
        return job.result()

    def _answer_until(self, job: Future) -> None:
        """Handle the window's events (every ``EVENTS_EVERY_S``) until ``job`` is done; _Closed
        when the window is closed meanwhile."""
        while True:
            QApplication.processEvents()
            if self.closed:
                raise _Closed
            if wait_for([job], timeout=EVENTS_EVERY_S).done:
                return

    def _open_in_background(self, view: str, *folders) -> list[ReviewSession] | None:
        """:func:`ui.review.data.open_review` of each folder, for ``view`` ("session" or "compare"),
        on a worker thread while the window answers. None when that view was asked for other
        sessions meanwhile (they are shown instead) or the window was closed; an InputError as
        ``open_review`` raises it. A worn IMU's movement is left to the view, which draws it once
        computed on a thread of its own."""
        self._asked[view] += 1
        mine = self._asked[view]
        job = self._open_pool.submit(lambda: [open_review(f, movement=False) for f in folders])
        try:
            self._answer_until(job)
        except _Closed:
            return None
        if mine != self._asked[view]:                 # (asked again meanwhile: that one is shown)
            e = job.exception()
            if e is not None and not isinstance(e, InputError):
                raise e                               # (a bug fails loudly all the same)
            return None
        return job.result()

    def _show_rows(self) -> None:
        """Fill the table with ``self.rows``, keeping the selection: a selected session whose
        folder was renamed (or moved) stays selected under its new name, found by its
        fingerprint as the index finds it (sessions carry no id of their own)."""
        selected = {self._folder(r) for r in self._selected_rows()}
        shown = {self.model.item(i, 0).data(FOLDER_ROLE) for i in range(self.model.rowCount())}
        now = {r["folder"] for r in self.rows}
        gone = {self.proxy.index(i, 0).data(FINGERPRINT_ROLE) for i in self._selected_rows()
                if self._folder(i) not in now}
        selected |= {r["folder"] for r in self.rows if r["folder"] not in shown and r["fingerprint"] in gone}
        self.model.setRowCount(0)
        for r, when in zip(self.rows, self._dates()):
            self.model.appendRow(self._items(r, when))
        # (a library of finished recordings, each in one folder, is not widened by an empty column)
        self.table.setColumnHidden(NOTE_COLUMN, not any(r.get("note") for r in self.rows))
        # (nor by a column of pops where no session's sound was listened to: all "–")
        self.table.setColumnHidden(POPS_COLUMN, all(r.get("n_pops") is None for r in self.rows))
        for i in range(self.proxy.rowCount()):
            if self._folder(i) in selected:
                self.table.selectionModel().select(self.proxy.index(i, 0), QItemSelectionModel.SelectionFlag.Select
                                                   | QItemSelectionModel.SelectionFlag.Rows)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Every column as wide as its text (a long technique cut at LIBRARY_COLUMN_MAX_PX), and
        the library panel opened wide enough to show them all (the score, last, was off to the
        right, and the panel's width depended on the length of the status line below it); on a
        small screen it can still be dragged narrower."""
        t = self.table
        t.resizeColumnsToContents()
        need = (sum(t.columnWidth(c) for c in range(self.model.columnCount())) + t.verticalHeader().sizeHint().width()
                + t.verticalScrollBar().sizeHint().width() + 2 * t.frameWidth())
        left = need + (self.split.widget(0).width() - t.width() if self.split.widget(0).isVisible() else
                       sum(self.split.widget(0).layout().getContentsMargins()[::2]))
        total = sum(self.split.sizes()) or self.width()
        # (not so wide that the session's plots are squeezed to their least: on a small screen,
        # 800×480, the library panel opens at its narrowest)
        room = self.split.width() if self.isVisible() else self.width()     # (laid out once shown)
        left = max(min(left, room - self.split.tabs_room()), self.split.widget(0).minimumSizeHint().width())
        if self.split.sizes()[0] < left:
            self.split.setSizes([left, max(total - left, 1)])

    def _dates(self) -> list[str]:
        """Each row's date as the table shows it: "2025-03-01 10:00", with its seconds where two
        sessions share a minute (:func:`ui.library.stats.dates_shown`)."""
        return dates_shown([nfc(str(r.get("created") or "")) for r in self.rows])

    @staticmethod
    def _items(r: dict, when: str | None = None) -> list[QStandardItem]:
        """A library row's cells; ``when`` its date as shown (:meth:`_dates`)."""
        items = []
        for _, key in LIBRARY_COLUMNS:
            v = r.get(key)
            # (in NFC: a name copied from a Mac, in NFD, is found by the filter as typed here)
            # ("no thrust": a V session in which none was done; "–": no score can be given)
            # (the cycles whose crest went beyond R2, a safety matter, and the pops heard; "–" where not known)
            text = (score_shown(v, r.get("target"), r.get("n_thrusts"), n_cycles=all_cycles(r)) if key == "score_pct"
                    else count_cell(v) if key in ("n_beyond_r2", "n_pops")
                    else nfc(str(v or "")))
            # (a trainee as the library spells them, a technique as typed, "  PA  L4 ": spaced as a name is)
            if key in ("trainee", "technique"):
                text = " ".join(text.split())
            # a date reads "2025-03-01 10:00" (it sorts by the instant its full ISO text names)
            it = QStandardItem(((when if when is not None else short_date(text)) or "–") if key == "created" else
                               (text or NO_TRAINEE) if key == "trainee" else text)
            if key == "trainee" and not text:       # (greyed: not a name)
                it.setForeground(Qt.GlobalColor.gray)
            if key == "n_beyond_r2" and v:           # (in red, as the trainer's "beyond R2!")
                it.setForeground(Qt.GlobalColor.red)
            it.setData(filter_text(it.text()), FILTER_ROLE)
            # names typed by hand at each recording ("Anna", "anna ") sort together, and "Émile"
            # beside "Emma", not after "Zoë"; dates by the instant
            it.setData(-1.0 if v is None else v if key in ("score_pct", "n_beyond_r2", "n_pops") else date_order(text)
                       if key == "created" else "\t".join(sort_key(text)), Qt.ItemDataRole.UserRole)
            it.setData(date_order(nfc(str(r.get("created") or ""))), DATE_ROLE)
            it.setData(r.get("trainee") or "", NAME_ROLE)
            it.setData(r["folder"], FOLDER_ROLE)
            it.setData(r.get("fingerprint"), FINGERPRINT_ROLE)
            if key == "note" and r.get("note_tip"):
                it.setToolTip(r["note_tip"])
            elif key in ("trainee", "technique") and text:
                it.setToolTip(text)          # (cut with "…" past LIBRARY_COLUMN_MAX_PX: the whole of it)
            items.append(it)
        return items

    def _analysis_saved(self, folder: Path) -> None:
        """A saved re-analysis changes the session's score and statistics: its library row, and
        the progress view if it shows that trainee, are brought up to date in place (the
        table's selection and sort order stay)."""
        if self.library is None:
            return
        try:
            was_saved = self.library.unsaved is None
            # that folder only (a large share is not walked)
            self._write_index(lambda: self.library.update(folder))
            self.rows = self._library_rows()
            if was_saved and self.library.unsaved:
                self.lib_status.setText(f"{self.lib_status.text()}; index not saved: {self.library.unsaved}")
        except InputError as e:                      # (the index broke, or became read-only, meanwhile)
            self.lib_status.setText(f"library not updated: {e}")
            return
        folder = Path(folder).resolve()
        r = next((r for r in self.rows if Path(r["folder"]).resolve() == folder), None)
        if r is None:
            return
        when = self._dates()[self.rows.index(r)]
        for i in range(self.model.rowCount()):
            if Path(self.model.item(i, 0).data(FOLDER_ROLE)).resolve() == folder:
                for j, it in enumerate(self._items(r, when)):
                    self.model.setItem(i, j, it)
        if self.progress_view.trainee is not None and \
                name_key(self.progress_view.trainee) == name_key(r["trainee"]):   # (as the library matches them)
            self._show_progress_rows(self.progress_view.trainee, renamed=False)

    def _open_session_fingerprint(self) -> str | None:
        """The fingerprint of the session open in the Session tab, if it is a library row."""
        rs = self.session_view.rs
        if rs is None:
            return None
        here = rs.path.resolve()
        return next((self.model.item(i, 0).data(FINGERPRINT_ROLE) for i in range(self.model.rowCount())
                     if Path(self.model.item(i, 0).data(FOLDER_ROLE)).resolve() == here), None)

    def _follow_open_session(self, fingerprint: str | None) -> None:
        """The open session's folder renamed (or moved) since it was opened: it is opened again
        from its new folder, found by its fingerprint as the index finds it, at the same moment
        and with a re-analysis not yet saved kept (its comments and saves went to the old
        folder, which is no more). One that is under the library's folder no more (moved out of
        it, deleted) stays shown as it was read, and is said to be gone: its comments and saves
        cannot be made."""
        rs = self.session_view.rs
        if fingerprint is None or rs is None or rs.path.exists():
            return
        new = next((r["folder"] for r in self.rows if r["fingerprint"] == fingerprint), None)
        if new is None:
            gone = (f"{rs.path.name}: its folder is no longer under {self.library.root} (moved out of it, or "
                    f"deleted): shown as it was read; comments and analyses cannot be saved")
            self.session_view.status.setText(gone)
            self.statusBar().showMessage(gone)
            return
        try:
            opened = self._open_in_background("session", new)
        except InputError as e:
            self.statusBar().showMessage(str(e))
            return
        if opened is None:
            return
        moved, = opened
        if rs.dirty and rs.raw_meta.get("_pending") is not None:
            apply_reanalysis(moved, rs.events, **rs.raw_meta["_pending"])
        at = self.session_view.playhead.pos_s
        self.session_view.set_session(moved)
        self.session_view.seek(at)
        self.statusBar().showMessage(f"{rs.path.name} is now {moved.path.name}: opened again from there")

    def _folder(self, proxy_row: int) -> str:
        return self.proxy.index(proxy_row, 0).data(FOLDER_ROLE)

    def _selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

    # --- actions --------------------------------------------------------------------------------
    def open_row(self, proxy_row: int) -> ReviewSession | None:
        return self.open_session(self._folder(proxy_row))

    def open_session(self, folder: str | Path) -> ReviewSession | None:
        """Open a session folder in the Session tab. It is read on a worker thread, the window
        answering meanwhile; None if it cannot be read (said in the status bar), if another
        session was asked for meanwhile, or if the window was closed."""
        self.statusBar().showMessage(f"opening {Path(folder).name}…")
        try:
            opened = self._open_in_background("session", folder)
        except InputError as e:
            self.statusBar().showMessage(str(e))
            return None
        if opened is None:
            return None
        rs, = opened
        self.session_view.set_session(rs)
        self.tabs.setCurrentWidget(self.session_view)
        m = rs.meta
        self.statusBar().showMessage(f"{rs.path.name}: {self.spelt(m.trainee) or 'no trainee'}, "
                                     f"{self.listed_date(rs.path) or short_date(m.created) or 'date unknown'}"
                                     + (f" — {len(rs.shown_warnings)} warning(s)" if rs.shown_warnings else ""))
        return rs

    def compare(self, a: str | Path, b: str | Path) -> None:
        self.statusBar().showMessage(f"opening {Path(a).name} and {Path(b).name}…")
        try:
            opened = self._open_in_background("compare", a, b)
        except InputError as e:
            self.statusBar().showMessage(str(e))
            return
        if opened is None:
            return
        ra, rb = opened
        self.statusBar().clearMessage()
        self.compare_view.set_sessions(ra, rb, (self.spelt(ra.meta.trainee), self.spelt(rb.meta.trainee)))
        self.tabs.setCurrentWidget(self.compare_view)

    def listed_date(self, folder: str | Path) -> str | None:
        """A session folder's date as the library's table gives it (:meth:`_dates`: with its
        seconds where two share a minute), so its details and the status bar date it alike; None
        for one the table does not list (opened from elsewhere) or lists undated."""
        here = Path(folder).resolve()
        for r, when in zip(self.rows, self._dates()):
            if Path(r["folder"]).resolve() == here:
                return when or None
        return None

    def spelt(self, typed: str | None) -> str:
        """A trainee typed so at a recording, as the library table and Progress name them (the
        library's rows: :func:`ui.library.spellings`, "fatima " among "Fatima"'s sessions is
        "Fatima"), spaced as a name is; as typed where the library holds none of theirs."""
        key = name_key(typed)
        name = next((r["trainee"] for r in self.rows if key and name_key(r["trainee"]) == key), typed)
        return " ".join(nfc(name).split())

    def compare_selected(self) -> None:
        """The two sessions selected side by side, the older on the left (as Progress reads, left
        to right), whichever was selected first and whichever way the table is sorted."""
        rows = self._selected_rows()
        if len(rows) != 2:
            self.statusBar().showMessage("select two sessions to compare")
            return
        older, newer = sorted((self.proxy.index(r, 0) for r in rows),
                              key=lambda i: (i.data(DATE_ROLE) or "", i.data(FOLDER_ROLE) or ""))
        self.compare(older.data(FOLDER_ROLE), newer.data(FOLDER_ROLE))

    def show_progress(self, trainee: str) -> None:
        if self._show_progress_rows(trainee):
            self.tabs.setCurrentWidget(self.progress_view)

    def _show_progress_rows(self, trainee: str, renamed: bool = True) -> bool:
        """The Progress tab filled with ``trainee``'s sessions from the index; an index that broke
        while the window is open is one line in the library panel (False), not a traceback.
        ``renamed`` False keeps the name its title shows (brought up to date, not asked anew)."""
        if self.library is None:
            return False
        try:
            rows = self.library.rows(trainee)
            # named as the library lists them (the spelling most of their sessions have), spaced
            # as a name is, not as the row selected typed it ("  anna KOWALSKA ")
            key = name_key(trainee)
            named = trainee if not renamed else \
                next((n for n in self.library.trainees() if name_key(n) == key), trainee)
        except InputError as e:
            self.lib_status.setText(f"progress not shown: {e}")
            return False
        rows, note = once_each(rows)
        self.progress_view.set_rows(" ".join(nfc(named).split()), rows, note)
        return True

    def progress_selected(self) -> None:
        rows = self._selected_rows()
        if not rows:
            self.statusBar().showMessage("select a session of the trainee")
            return
        self.show_progress(self.proxy.index(rows[0], 0).data(NAME_ROLE))

    def closeEvent(self, ev) -> None:
        self.closed = True
        self.session_view.close_session()
        self.compare_view.close_view()
        # a session being read finishes on its own; its row is not written
        self._index_pool.shutdown(wait=False, cancel_futures=True)
        self._open_pool.shutdown(wait=False, cancel_futures=True)
        if self.library is not None and not self._refreshing:     # (else once the reading stops)
            self.library.close()
        super().closeEvent(ev)
