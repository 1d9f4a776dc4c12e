"""The review window's library table: its columns and the data roles its cells carry, the note
each row shows and the rows Progress counts once, the filter and sort order, the column headings,
and the label and splitter of the panel that holds it.

:class:`~ui.review.window.ReviewWindow` makes the table, and fills it through
:class:`~ui.review.library_panel.LibraryPanel`.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter

from analysis.errors import InputError
from analysis.scheme import parse_target
from ui.cmd_library import UNFINISHED
from ui.library import name_key, stopped_early_note, time_key
from ui.library.folders import listed_again, row_cut_short_state, row_finished

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
