"""The session library: an index of session folders in SQLite (default) or PostgreSQL.

Session folders stay the source of truth; the index is a disposable cache of what the
review window's library table, progress view and class reports need. ``refresh`` brings it
up to date (new or changed folders re-read, rows of folders that are gone dropped, a folder
moved by hand found again by its fingerprint, the row of a folder that became unreadable
dropped with a warning); ``rebuild`` recreates it from the folders.

Where the numbers come from: a session's stored ``events.jsonl`` is used when it ends in a
summary made with the calibration and target now in ``session.json`` — that is the analysis
the trainee saw, and reading it costs milliseconds even for an hour-long recording. When the
file is missing, truncated (no summary: the recording did not finish) or made with another
calibration, the analysis is re-run on the raw data (``firmware_bridge.replay.analyze_input``
with the session's calibration), so the index never shows grades the raw data does not give.

A damaged SQLite index (not a database, or a torn/corrupt file) is never read around:
``refresh`` and the review window refuse it in one line naming the command that remakes it,
and ``rebuild`` moves it aside to ``gradecoach-library.sqlite.broken`` (``.broken-2`` … when
that is taken) and starts a new one, saying so in :attr:`Library.notes`. Recreating it
silently on ``list`` is avoided on purpose: an index shared by several stations may only look
damaged to one of them. Only a file that begins as an SQLite file does (or is empty), or bears
the index's own name, is taken for a damaged index: ``--db`` naming anything else (a CSV, a
report) is refused in one line and left as it is, as is an SQLite file of another program
(tables that are not the index's), before anything is written into it.

The index file is made when the first session is written into it: a folder without sessions
gets none. Where it cannot be written (a read-only share, even one whose index needs a schema
upgrade; a full disk; another station writing it for longer than :data:`BUSY_TIMEOUT_S`),
``list`` and the review window go on with a copy in memory (:meth:`Library.keep_in_memory`)
and say the index was not saved; ``rebuild`` says so in one line.

Its parts: :mod:`~ui.library.schema` (tables, migrations, errors), :mod:`~ui.library.names`
(names and times as compared and sorted), :mod:`~ui.library.stats` (a session's key numbers),
:mod:`~ui.library.stored` (stored events or the raw data analysed again),
:mod:`~ui.library.folders` (session folders and their rows), :mod:`~ui.library.index` (the
:class:`Library`), :mod:`~ui.library.sqlite_file` (its SQLite file), :mod:`~ui.library.pg`
(its PostgreSQL connection).
"""

from ui.library.schema import (BUSY_TIMEOUT_S, COLUMNS, INDEX_NAME, MIGRATIONS, PG_MIGRATION_LOCK, SCHEMA_VERSION,
                               SQLITE_MAGIC, IndexBusy, IndexDamaged, IndexFull, IndexNewer, IndexReadOnly)
from ui.library.names import (closest_names, name_key, nfc, no_such_trainee, same_name, short_date, sort_key,
                              spellings, time_key)
from ui.library.stats import (ON_TARGET, SCORE_HEADING, cycles_shown, describe_target, describe_thrust_verdict,
                              is_hvla, score_heading, session_stats, session_target, target_text)
from ui.library.stored import (session_events, stored_events_problem, stored_pops_without_sound,
                               summary_disagreement, use_stored_events)
from ui.library.folders import (discover, fingerprint, finished, folder_of_sessions, index_row, sessions_inside,
                                stopped_early_note)
from ui.library.index import Library, RefreshResult

__all__ = [
    "BUSY_TIMEOUT_S", "COLUMNS", "INDEX_NAME", "MIGRATIONS", "PG_MIGRATION_LOCK", "SCHEMA_VERSION", "SQLITE_MAGIC",
    "IndexBusy", "IndexDamaged", "IndexFull", "IndexNewer", "IndexReadOnly",
    "closest_names", "name_key", "nfc", "no_such_trainee", "same_name", "short_date", "sort_key", "spellings",
    "time_key",
    "ON_TARGET", "SCORE_HEADING", "cycles_shown", "describe_target", "describe_thrust_verdict", "is_hvla",
    "score_heading", "session_stats", "session_target", "target_text",
    "session_events", "stored_events_problem", "stored_pops_without_sound", "summary_disagreement",
    "use_stored_events",
    "discover", "fingerprint", "finished", "folder_of_sessions", "index_row", "sessions_inside", "stopped_early_note",
    "Library", "RefreshResult",
]
