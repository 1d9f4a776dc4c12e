"""The library index itself: :class:`Library` opens it (SQLite or PostgreSQL), migrates it,
reads its rows and brings them up to date with the session folders."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from analysis.errors import InputError
from firmware_bridge.file_kind import not_a_file, resolved
from ui.library.folders import ENDING_COLUMNS, _signature, discover, ending, index_row, refused_sessions
from ui.library.names import name_key, sort_key, spellings, time_key
from ui.library.schema import (BUSY_TIMEOUT_S, COLUMNS, INDEX_NAME, MIGRATIONS, PG_MIGRATION_LOCK, SCHEMA_VERSION,
                               IndexDamaged, IndexNewer, IndexReadOnly)
from ui.library.sqlite_file import SqliteFile
from ui.library.stats import target_text


@dataclass
class RefreshResult:
    added: int = 0
    updated: int = 0
    moved: int = 0
    dropped: int = 0
    unchanged: int = 0
    failed: list = field(default_factory=list)   # one-line messages

    def __str__(self) -> str:
        s = (f"{self.added} added, {self.updated} updated, {self.moved} moved, {self.dropped} dropped, "
             f"{self.unchanged} unchanged")
        return s + (f", {len(self.failed)} unreadable" if self.failed else "")


class Library(SqliteFile):
    """The index of the sessions under ``root``.

    Parameters
    ----------
    root : path
        Folder holding session folders (at any depth).
    db : str, optional
        ``postgresql://…`` for a shared server, a file path or ``sqlite:///path`` for SQLite
        (not inside a recorded session's folder); default ``ROOT/gradecoach-library.sqlite``.
    repair : bool
        Move a damaged SQLite index aside (``….broken``) and start a new one instead of
        refusing it with :class:`IndexDamaged`; what ``rebuild`` wants.
    memory_if_read_only : bool
        Where the SQLite index cannot be written (a read-only share whose index needs a schema
        upgrade, a full disk, another station writing it for longer than ``busy_timeout_s``),
        go on with a copy in memory (:meth:`keep_in_memory`) instead of raising
        :class:`IndexReadOnly`; what ``list`` and the review window want.
    busy_timeout_s : float, optional
        Seconds to wait for another station writing the SQLite index (default
        :data:`BUSY_TIMEOUT_S`), then :class:`IndexBusy`.

    Attributes
    ----------
    notes : list of str
        One-line messages about the index itself (a damaged one moved aside), and about a link
        under the root that :meth:`refresh` passed over (one to the root or a folder above it,
        whose sessions are not the library's), each once.
    unsaved : str or None
        Why the index is kept in memory only, not saved (see :meth:`keep_in_memory`).
    """

    def __init__(self, root: str | os.PathLike, db: str | None = None, *, repair: bool = False,
                 memory_if_read_only: bool = False, busy_timeout_s: float | None = None) -> None:
        self.busy_timeout_s = BUSY_TIMEOUT_S if busy_timeout_s is None else busy_timeout_s
        self.root = resolved(root)             # (a link that loops: one line, not a traceback)
        if not self.root.is_dir():
            raise InputError(f"{root}: no such folder")
        self.db = db or str(self.root / INDEX_NAME)
        self.notes: list[str] = []
        self._unmade = False                    # (SQLite: no index file yet, see _open_sqlite)
        self._newer = False                     # (the index is of a newer version: IndexNewer)
        self.unsaved: str | None = None         # why the index is only in memory (keep_in_memory)
        self.pg = self.db.startswith(("postgresql://", "postgres://"))
        if self.pg:
            from ui.library.pg import connect
            self.conn = connect(self.db)
            self.migrate()
            return
        scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", self.db)
        if scheme and scheme.group(1).lower() != "sqlite":
            raise InputError(f"{self.db}: unsupported index URL (give an SQLite file or postgresql://…)")
        self.path = self.db[len("sqlite:///"):] if self.db.startswith("sqlite:///") else self.db
        if os.path.isdir(self.path):
            raise InputError(f"--db {self.db}: a folder; give a file name, e.g. "
                             f"{os.path.join(self.path, INDEX_NAME)}")
        folder = os.path.dirname(os.path.abspath(self.path))
        if not os.path.isdir(folder):          # (said so, rather than that it cannot be written)
            raise InputError(f"--db {self.db}: no such folder {folder}")
        if db is not None:                     # not into a recording's folder, as no output goes
            from ui.options import output_path
            output_path(self.path, option="--db")
        if why := not_a_file(self.path):      # (SQLite said "disk I/O error" of a named pipe)
            raise InputError(f"{'--db ' if db is not None else ''}{self.db}: {why}; give an index file")
        try:
            self._open_sqlite()
            if repair:
                self._check()
        except IndexDamaged as e:
            if not repair:
                raise
            self._start_afresh(e)
        except IndexReadOnly as e:
            if not memory_if_read_only:
                raise
            self.keep_in_memory(str(e))

    # --- plumbing -----------------------------------------------------------------------------
    def _sql(self, q: str) -> str:
        return q.replace("?", "%s") if self.pg else q

    def execute(self, q: str, params: tuple = ()) -> list[tuple]:
        with self._errors():
            cur = self.conn.cursor()
            try:
                cur.execute(self._sql(q), params)
                return cur.fetchall() if cur.description else []
            finally:
                cur.close()

    def commit(self) -> None:
        with self._errors():
            self.conn.commit()

    def version(self) -> int:
        self.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied TEXT)")
        rows = self.execute("SELECT MAX(version) FROM schema_migrations")
        return int(rows[0][0] or 0)

    def migrate(self) -> None:
        """Apply every migration newer than the index's version, all in one transaction, one
        station at a time: two stations opening a new index at once made the same tables twice,
        and one of them failed with a traceback. PostgreSQL: an advisory lock held from reading
        the version to the commit; SQLite: a write lock taken once a migration is needed (an
        index that is up to date stays readable on a read-only share)."""
        if self.pg:
            self.execute("SELECT pg_advisory_xact_lock(?)", (PG_MIGRATION_LOCK,))
        v = self.version()
        if not self.pg or v >= SCHEMA_VERSION:
            self.commit()
        if v > SCHEMA_VERSION:
            self._newer = True
            raise IndexNewer(f"{self.db}: library index version {v} is newer than this gradecoach "
                             f"({SCHEMA_VERSION}), left as it is (the newer gradecoach may keep in it what the "
                             f"session folders do not); upgrade gradecoach, or give --db FILE for an index of "
                             f"this version's own")
        if v == SCHEMA_VERSION:
            return
        if not self.pg:
            with self._errors():
                self.conn.execute("BEGIN IMMEDIATE")    # waits for another process migrating it
            v = self.version()                      # ... which may have done it all meanwhile
        try:
            for n in range(v + 1, SCHEMA_VERSION + 1):
                for stmt in MIGRATIONS[n]:
                    self.execute(stmt)
                self.execute("INSERT INTO schema_migrations (version, applied) VALUES (?, ?)",
                             (n, time.strftime("%Y-%m-%dT%H:%M:%S")))
            self.commit()
        except Exception:
            with self._errors():
                self.conn.rollback()
            raise

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- reading ------------------------------------------------------------------------------
    def rows(self, trainee: str | None = None) -> list[dict[str, Any]]:
        """All rows (``path`` made absolute), oldest first (by the instant each was recorded,
        :func:`time_key`); optionally one trainee's.

        ``trainee`` matches whatever the case, accents, spacing and Unicode form ("anna" finds
        "Anna" and "Anna ", "zeynep celik" "Zeynep Çelik", as ``report --trainee`` and the
        review's filter find them), as names are typed by hand at each recording (see
        :func:`name_key`); compared in Python because SQL's LOWER folds ASCII only ("Chloé").

        Each row's ``trainee`` is spelt as :meth:`trainees` and the report spell them
        (:func:`spellings`: "fatima " among "Fatima"'s sessions is "Fatima", "Emile Dubois"
        among "Émile Dubois"'s "Émile Dubois"), so a list grouped by trainee has one name for
        each; ``trainee_typed`` is the name as typed at that recording.
        """
        out = []
        want = None if trainee is None else name_key(trainee)
        rows = [dict(zip(COLUMNS, r)) for r in self.execute(f"SELECT {', '.join(COLUMNS)} FROM sessions")]
        spelt = spellings((d["trainee"], d["created"]) for d in rows)
        for d in rows:
            key = name_key(d["trainee"])
            if want is not None and key != want:
                continue
            d["trainee_typed"] = d["trainee"]
            if key:                                 # (no trainee: as stored, "" or None)
                d["trainee"] = spelt[key]
            d["folder"] = str(self.root / d["path"])
            out.append(d)
        return sorted(out, key=lambda d: (time_key(d["created"]), d["path"]))

    def copies(self) -> list[list[str]]:
        """The sessions indexed more than once: for each recording found in several folders (a
        folder copied by hand, a backup kept under the root), their paths, sorted; each is
        listed and counted in every report on the class."""
        by: dict[str, list[str]] = {}
        for path, fp in self.execute("SELECT path, fingerprint FROM sessions"):
            by.setdefault(fp, []).append(path)
        return sorted(sorted(paths) for paths in by.values() if len(paths) > 1)

    def trainees(self) -> list[str]:
        """Each trainee once, as :meth:`rows` matches them (whatever the case, accents, spacing
        and Unicode form), under the spelling most of their sessions have (:func:`spellings`);
        sorted ignoring case and accents (:func:`sort_key`)."""
        names = spellings(self.execute("SELECT trainee, created FROM sessions"))
        return sorted(names.values(), key=sort_key)

    # --- writing ------------------------------------------------------------------------------
    def _upsert(self, row: dict[str, Any]) -> None:
        if not self.pg and self._unmade:
            self._make_file()
        cols = ", ".join(COLUMNS)
        marks = ", ".join("?" for _ in COLUMNS)
        sets = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "path")
        self.execute(f"INSERT INTO sessions ({cols}) VALUES ({marks}) ON CONFLICT (path) DO UPDATE SET {sets}",
                     tuple(row.get(c) for c in COLUMNS))

    def refresh(self, progress: Callable[[int, int, str], None] | None = None,
                read: Callable[[Path, Path], dict[str, Any]] | None = None) -> RefreshResult:
        """Bring the index up to date with the folders under the root.

        Only new and changed folders are read: ``progress(i, n, path)`` is called before
        reading the i-th (from 0) of those ``n``, and ``(n, n, "")`` at the end.
        ``read(folder, root)`` makes a folder's row (default :func:`index_row`; the review
        window runs it on a worker thread). Each row is committed as it is read. An unchanged
        row that does not say how its files end (written before the index kept it) gets it
        (:func:`~ui.library.folders.ending`: session.json and the stream files' ends only). A
        row whose target an older gradecoach kept as session.json spells it ("hvla", "iv") gets
        the trainer's spelling ("V", "IV": :func:`~ui.library.stats.target_text`), without its
        session read again, so an index of an older version lists, sorts and picks one target
        one way from its first refresh; the session folders are left as they are.
        """
        read = read or index_row
        if not self.pg and self._unmade and os.path.exists(self.path):
            self._make_file()                   # another station made it meanwhile: its rows are used
        res = RefreshResult(failed=refused_sessions(self.root))     # (no session of theirs is found)
        known = {}
        respelt = []
        for p, fp, sig, fin, target in self.execute(
                "SELECT path, fingerprint, signature, finished, target FROM sessions"):
            known[p] = (fp, sig, fin)
            if target and target_text(target) != target:
                respelt.append((target_text(target), p))
        if respelt:                             # (kept as written by an older gradecoach)
            for row in respelt:
                self.execute("UPDATE sessions SET target = ? WHERE path = ?", row)
            self.commit()
        passed: list[str] = []
        folders = discover(self.root, passed)           # (a link to a folder above the root: said once)
        self.notes += [p for p in passed if p not in self.notes]
        found = {f.relative_to(self.root).as_posix(): f for f in folders}
        gone = {p: known[p][0] for p in known if p not in found}
        todo, unsaid = [], []
        for rel, folder in found.items():
            if rel in known and known[rel][1] is not None and known[rel][1] == _signature(folder):
                res.unchanged += 1
                if known[rel][2] is None:       # (how its files end: read after the signature, as index_row)
                    unsaid.append((rel, folder))
            else:
                todo.append((rel, folder))
        if unsaid:
            sets = ", ".join(f"{c} = ?" for c in ENDING_COLUMNS)
            for rel, folder in unsaid:
                e = ending(folder)
                self.execute(f"UPDATE sessions SET {sets} WHERE path = ?",
                             tuple(e[c] for c in ENDING_COLUMNS) + (rel,))
            self.commit()
        for i, (rel, folder) in enumerate(todo):
            if progress:
                progress(i, len(todo), rel)
            try:
                row = read(folder, self.root)
            except InputError as e:
                res.failed.append(str(e))
                if rel in known:                # its old numbers no longer match its files (as after rebuild)
                    self.execute("DELETE FROM sessions WHERE path = ?", (rel,))
                    self.commit()
                    res.dropped += 1
                continue
            if rel in known:
                res.updated += 1
            else:
                old = next((p for p, fp in gone.items() if fp == row["fingerprint"]), None)
                if old is not None:          # the same recording, moved by hand
                    self.execute("DELETE FROM sessions WHERE path = ?", (old,))
                    del gone[old]
                    res.moved += 1
                else:
                    res.added += 1
            self._upsert(row)
            self.commit()
        for p in gone:
            self.execute("DELETE FROM sessions WHERE path = ?", (p,))
            res.dropped += 1
        self.commit()
        if progress:
            progress(len(todo), len(todo), "")
        return res

    def update(self, folder: str | os.PathLike) -> None:
        """Index one session folder under the root again (it was changed from here, e.g. a
        saved analysis), without looking at the others. A session under the root through a
        symbolic link (a folder of links to sessions) is indexed under its path through the
        link, as :meth:`refresh` finds it: resolved, it was under the root no more, and its
        row kept its old figures until the next refresh."""
        try:
            real = resolved(folder)
        except InputError:                                # (no session there to index)
            return
        here = Path(os.path.abspath(folder))              # (its path through a link, kept)
        if self.root in here.parents:
            folder = here
        elif self.root in real.parents:
            folder = real
        else:                                             # not one of this library's sessions
            return
        self._upsert(index_row(folder, self.root))
        self.commit()

    def rebuild(self, progress: Callable[[int, int, str], None] | None = None,
                read: Callable[[Path, Path], dict[str, Any]] | None = None) -> RefreshResult:
        """Forget every row and index the folders again (a damaged SQLite index is moved aside);
        ``progress`` and ``read`` as for :meth:`refresh`."""
        if not self.pg:
            try:
                self._check()
            except IndexDamaged as e:
                self._start_afresh(e)
        self.execute("DELETE FROM sessions")
        self.commit()
        return self.refresh(progress, read)
