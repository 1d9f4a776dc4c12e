"""The review window's library panel filled from the library's index: new and changed sessions
read on a worker thread while the window answers, the table filled with the rows (the selection
kept), its columns fitted, a row brought up to date after a saved re-analysis, and a session's
date and trainee as the table lists them.

:class:`LibraryPanel` is a mix-in of :class:`~ui.review.window.ReviewWindow`, whose ``__init__``
makes the widgets it fills (``model``, ``proxy``, ``table``, ``lib_status``, ``lib_progress``,
``split``) and the pool it reads on, and whose Progress tab it brings up to date
(:meth:`~ui.review.window.ReviewWindow._show_progress_rows`).
"""

from __future__ import annotations

import time
from concurrent.futures import Future
from concurrent.futures import wait as wait_for
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QApplication

from analysis.errors import InputError
from ui.library import Library, index_row, name_key, nfc, sort_key
from ui.library.folders import listed_again
from ui.library.stats import all_cycles, count_cell, dates_shown, score_shown
from ui.review.data import short_date
from ui.review.library_table import (DATE_ROLE, FILTER_ROLE, FINGERPRINT_ROLE, FOLDER_ROLE, LIBRARY_COLUMNS,
                                     NAME_ROLE, NO_TRAINEE, NOTE_COLUMN, POPS_COLUMN, date_order, filter_text, noted)

EVENTS_EVERY_S = 0.03           # while a session is read (for the index, or to open it), the window answers this often
ROWS_EVERY_S = 1.0              # ... and the sessions read so far join the table this often


class _Closed(Exception):
    """The window was closed while the library was being read."""


class LibraryPanel:
    """The library panel's rows, read from the index and shown in the table."""

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

    def _folder(self, proxy_row: int) -> str:
        return self.proxy.index(proxy_row, 0).data(FOLDER_ROLE)

    def _selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

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
