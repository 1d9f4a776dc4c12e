"""The SQLite file of the library index: opening it (made at the first session written into
it), refusing files that are not the index, one-line messages for the errors a user's file
can cause, a damaged index moved aside, and a copy kept in memory where it cannot be written."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from typing import Any, Callable

from analysis.errors import InputError
from ui.library.schema import INDEX_NAME, SQLITE_MAGIC, IndexBusy, IndexDamaged, IndexFull, IndexReadOnly


class SqliteFile:
    """The SQLite file handling of :class:`ui.library.Library` (``self.path``, ``self.conn``)."""

    # --- SQLite: open, check, errors ---------------------------------------------------------------
    def _rebuild_command(self) -> str:
        default = self.db == str(self.root / INDEX_NAME)
        return f"gradecoach library rebuild {self.root}" + ("" if default else f" --db {self.db}")

    def _index_error(self, e: sqlite3.Error) -> InputError | None:
        """The one-line message for an SQLite error a user's file can cause; None for a bug."""
        name = getattr(e, "sqlite_errorname", "") or ""
        if name.startswith("SQLITE_BUSY"):
            return IndexBusy(f"library index {self.path}: busy (another gradecoach has been writing it for "
                             f"{self.busy_timeout_s:g} s); try again")
        if name.startswith("SQLITE_FULL"):
            return IndexFull(f"library index {self.path}: cannot be written ({e}); free some space there, "
                             f"or give --db FILE on another disk")
        if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
            return IndexDamaged(f"{self.path}: the library index is damaged ({e}); "
                                f"'{self._rebuild_command()}' remakes it from the session folders", str(e))
        if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")):
            # a read-only share, or a folder this user may not write: the index needs writing
            # whenever a session is new or changed
            folder = os.path.dirname(os.path.abspath(self.path))
            return IndexReadOnly(f"{folder}: cannot write the library index there ({e}); "
                                 f"give --db FILE somewhere writable")
        return None

    @contextmanager
    def _errors(self):
        """Turn SQLite errors a user's file can cause into one-line :class:`InputError`s."""
        if self.pg:
            yield
            return
        try:
            yield
        except sqlite3.Error as e:
            err = self._index_error(e)
            if err is None:
                raise
            raise err from None

    def _open_sqlite(self) -> None:
        """Open the index file; one that does not exist yet is made when the first session is
        indexed (a folder without sessions gets no index), meanwhile an empty one in memory."""
        self._unmade = not os.path.exists(self.path)
        if self._unmade:
            self.conn = sqlite3.connect(":memory:")
            self.migrate()
            return
        self._refuse_other_files()
        self._open_file()

    def _refuse_other_files(self) -> None:
        """An InputError for a file that is no SQLite file, unless it bears the index's own name:
        'rebuild' moves a damaged index aside, and must not take a CSV's or a report's place."""
        if os.path.basename(self.path) == INDEX_NAME or not os.path.isfile(self.path):
            return
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except OSError as e:
            raise InputError(f"{self.path}: cannot read the library index ({e.strerror or e})") from None
        if head and head != SQLITE_MAGIC[:len(head)]:
            raise InputError(f"{self.path}: not a library index (not an SQLite file), left as it is; "
                             f"give --db a new file name")

    def _make_file(self) -> None:
        """The index file made, at the first session to be written into it."""
        empty = self.conn
        try:
            self._open_file()
        except InputError:
            self.conn = empty                   # (still none: a read-only share, say)
            raise
        empty.close()
        self._unmade = False

    def _open_file(self) -> None:
        try:
            self.conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s)
        except sqlite3.Error as e:
            raise self._index_error(e) or InputError(f"{self.path}: cannot open the library index ({e})") from None
        try:
            self._refuse_other_databases()
        except InputError:
            self.conn.close()
            self.conn = None                    # (none to copy into memory: keep_in_memory)
            raise
        self.migrate()

    def _refuse_other_databases(self) -> None:
        """An InputError for an SQLite file of another program, read before anything is written:
        migrating it added our tables beside its own (or failed with a traceback on its own
        'sessions' table). Ours holds schema_migrations and at most our sessions table; an empty
        database (no tables) may still become one."""
        tables = {n for (n,) in self.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                             "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")}
        ours = not tables or ("schema_migrations" in tables and tables <= {"schema_migrations", "sessions"})
        if ours and "sessions" in tables:
            cols = {r[1] for r in self.execute("PRAGMA table_info(sessions)")}
            ours = {"path", "fingerprint", "signature", "trainee"} <= cols
        if not ours:
            raise InputError(f"{self.path}: an SQLite file of another program, not a gradecoach library "
                             f"index; left as it is; give --db a new file name")

    def _check(self) -> None:
        """Raise :class:`IndexDamaged` unless SQLite finds the file sound (cheap: the index is small)."""
        problems = [r[0] for r in self.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            first = problems[0] if problems else "no answer to a check"
            raise IndexDamaged(f"{self.path}: the library index is damaged ({first}); "
                               f"'{self._rebuild_command()}' remakes it from the session folders", first)

    def _start_afresh(self, damage: IndexDamaged) -> None:
        """Move a damaged index (and its journal) aside and open a new, empty one."""
        if getattr(self, "conn", None) is not None:
            self.conn.close()
        suffixes = ("", "-journal", "-wal", "-shm")
        broken, n = self.path + ".broken", 1
        while any(os.path.lexists(broken + x) for x in suffixes):      # an earlier one is kept
            n += 1
            broken = f"{self.path}.broken-{n}"
        try:
            for suffix in suffixes:             # a stale journal must not meet the new file
                if os.path.exists(self.path + suffix):
                    os.replace(self.path + suffix, broken + suffix)
        except OSError as e:
            # (a read-only share: 'list' said to rebuild, and that is all it can say here)
            raise InputError(f"{self.path}: the library index is damaged ({damage.reason}) and cannot be "
                             f"moved aside ({e.strerror}); give --db FILE somewhere writable for a new "
                             f"index of these sessions") from None
        self._open_sqlite()
        self.notes.append(f"{self.path}: the library index was damaged ({damage.reason}); "
                          f"moved it aside to {broken} and made a new one")

    def keep_in_memory(self, why: str) -> None:
        """Go on with a copy of the index in memory, where the file cannot be written (a
        read-only share): the sessions are read and listed as ever, the file is left as it is,
        and :attr:`unsaved` says why it was not saved (``why``). The copy is the file's whole
        content, brought up to this version's schema in memory when the file is older."""
        mem = sqlite3.connect(":memory:")
        conn = getattr(self, "conn", None)
        if conn is not None and not self._unmade and not self._newer:
            try:                                # its rows: only new and changed folders are read
                conn.rollback()
                mem.executescript("\n".join(conn.iterdump()))
            except sqlite3.Error as e:
                if self._index_error(e) is None:
                    raise
                mem.close()                     # (a file that could not even be read: none to copy)
                mem = sqlite3.connect(":memory:")
        if conn is not None:
            conn.close()
        self.conn = mem
        self._unmade = False
        self.unsaved = why
        self.migrate()

    def write_or_keep_in_memory(self, write: Callable[[], Any]) -> Any:
        """``write()`` (a change to the index); where the index file cannot be written (a
        read-only share), ``write()`` again on a copy kept in memory (:meth:`keep_in_memory`)."""
        try:
            return write()
        except IndexReadOnly as e:
            if self.unsaved is not None:
                raise
            self.keep_in_memory(str(e))
            return write()
