"""The review window: the session library on the left; a session, a comparison or a
trainee's progress on the right.

:class:`ReviewWindow` builds the widgets, opens a session, a comparison or a trainee's progress
in their tabs, and follows the open session when its folder is renamed; its parts are in modules
of their own: :mod:`ui.review.library_table` (the library table's columns, notes, filter, sort
and headings, and the panel's label and splitter) and :mod:`ui.review.library_panel` (the
mix-in that reads the library's index and fills the table).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLineEdit, QMainWindow, QProgressBar, QPushButton,
                               QTableView, QTabWidget, QVBoxLayout, QWidget)

from analysis.errors import InputError
from ui import main_thread_gc
from ui.library import Library, name_key, nfc
from ui.review.compare import CompareView, ProgressView
from ui.review.data import ReviewSession, apply_reanalysis, open_review, short_date
from ui.review.library_panel import EVENTS_EVERY_S, ROWS_EVERY_S, LibraryPanel, _Closed
from ui.review.library_table import (DATE_ROLE, FILTER_ROLE, FINGERPRINT_ROLE, FOLDER_ROLE, LIBRARY_COLUMN_MAX_PX,
                                     LIBRARY_COLUMNS, NAME_ROLE, NO_TRAINEE, NOTE_COLUMN, PLOTS_ROOM_PX, POPS_COLUMN,
                                     TARGET_COLUMN, TECHNIQUE_COLUMN, LibraryHeader, LibraryProxy, LibrarySplit,
                                     PathsLabel, date_order, filter_text, grade_of, noted, once_each)
from ui.review.session_view import SessionView

__all__ = ["DATE_ROLE", "EVENTS_EVERY_S", "FILTER_ROLE", "FINGERPRINT_ROLE", "FOLDER_ROLE", "LIBRARY_COLUMNS",
           "LIBRARY_COLUMN_MAX_PX", "LibraryHeader", "LibraryPanel", "LibraryProxy", "LibrarySplit", "NAME_ROLE",
           "NOTE_COLUMN", "NO_TRAINEE", "PLOTS_ROOM_PX", "POPS_COLUMN", "PathsLabel", "ROWS_EVERY_S", "ReviewWindow",
           "TARGET_COLUMN", "TECHNIQUE_COLUMN", "date_order", "filter_text", "grade_of", "noted", "once_each"]


class ReviewWindow(LibraryPanel, QMainWindow):
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

    def _notice(self, text: str) -> None:
        """What the Session tab says of the event selected, in the status bar; "" takes away what
        it said before, unless something else was said since."""
        bar = self.statusBar()
        if text:
            bar.showMessage(text)
        elif bar.currentMessage() == self._noticed:
            bar.clearMessage()
        self._noticed = text

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
