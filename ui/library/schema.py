"""The library index's schema: its tables and their migrations, and the errors an index file
can give (damaged, read-only, busy, full, of a newer version)."""

from __future__ import annotations

from analysis.errors import InputError

INDEX_NAME = "gradecoach-library.sqlite"
SQLITE_MAGIC = b"SQLite format 3\0"          # how every SQLite database file begins
PG_MIGRATION_LOCK = 0x67726164                # advisory lock key of gradecoach's migrations ("grad")
SCHEMA_VERSION = 12
# seconds a station waits for another one writing the shared SQLite index before ``list`` and
# the review window go on without saving it (a refresh commits each session as soon as it is
# read, so another station's writes are short unless its share is slow or it hangs)
BUSY_TIMEOUT_S = 20.0

# version -> statements; DOUBLE PRECISION and TEXT mean the same in SQLite and PostgreSQL
MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE TABLE sessions (path TEXT PRIMARY KEY, fingerprint TEXT, signature TEXT, trainee TEXT, "
        "created TEXT, technique TEXT, target TEXT, score_pct DOUBLE PRECISION, duration_s DOUBLE PRECISION, "
        "n_cycles INTEGER, n_thrusts INTEGER)",
    ],
    2: [
        "ALTER TABLE sessions ADD COLUMN on_target_pct DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN freq_cv_pct DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN amplitude_cv_pct DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN peak_mean_n DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN peak_sd_n DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN ttp_mean_ms DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN ttp_sd_ms DOUBLE PRECISION",
        "ALTER TABLE sessions ADD COLUMN stats_source TEXT",
        "CREATE INDEX sessions_trainee ON sessions (trainee)",
        # rows written by version 1 lack the statistics: make the next refresh re-read them
        "UPDATE sessions SET signature = NULL",
    ],
    3: [
        # a thrust session scored before an IMU's thrusts (whose let-up is unknown) were left out
        # of its score read 100 %: its next refresh reads it again
        "UPDATE sessions SET signature = NULL WHERE n_thrusts > 0",
    ],
    4: [
        # the cycles of a recording made with a hand-worn IMU alone (no force, so no force cycles):
        # a row written before counted none; rows without force cycles are read again on the next
        # refresh, which counts them
        "ALTER TABLE sessions ADD COLUMN n_imu_cycles INTEGER",
        "UPDATE sessions SET signature = NULL WHERE n_cycles = 0 OR n_cycles IS NULL",
    ],
    5: [
        # a recording that stopped early because its folder refused a write (session.json's
        # extra.stopped: a full disk, no permission), in words (describe_stop's row); a row written
        # before does not say: every row is read again on the next refresh (the index does not
        # keep which recordings did not finish; a stored analysis is read in milliseconds)
        "ALTER TABLE sessions ADD COLUMN stopped_early TEXT",
        "UPDATE sessions SET signature = NULL",
    ],
    6: [
        # how each session's files end (ui.library.folders.ending): whether it finished, the stream
        # file whose last line is torn, and the note of one cut short at a line end with whether
        # the stored figures are the whole recording's; kept so that listing a library does not
        # read every session.json and the ends of every force.csv and imu.csv again (half a
        # second for 300 sessions). A row written before has none: the next refresh reads them
        # for it (the files' ends alone, not the whole session again)
        "ALTER TABLE sessions ADD COLUMN finished INTEGER",
        "ALTER TABLE sessions ADD COLUMN cut_off TEXT",
        "ALTER TABLE sessions ADD COLUMN cut_short TEXT",
        "ALTER TABLE sessions ADD COLUMN cut_short_whole INTEGER",
    ],
    7: [
        # a V/HVLA session's score counts the thrusts on target as the trainer judges them (no
        # let-up, preload and peak within the corridors), no longer every thrust without let-up:
        # a row scored before (two 1000 N thrusts on a 70 N preload at 100 %) is read again on
        # the next refresh
        "UPDATE sessions SET signature = NULL WHERE n_thrusts > 0",
    ],
    8: [
        # a session.json without 'created' is dated "" (unknown, shown "–"); a row written before
        # holds session.json's time of change instead, "2026-11-30T09:00:00" (no UTC offset, which
        # a recording's own date has): rows dated so are read again on the next refresh
        "UPDATE sessions SET signature = NULL WHERE created LIKE '____-__-__T__:__:__'",
    ],
    9: [
        # a recording whose sensor was lost before its end lasts to the end of the gap it marked
        # (record went on waiting for the sensor), no longer its samples' span: a row written
        # before gave 4.0 s for a 14 s recording lost at 4 s. The index does not keep the gaps:
        # every row is read again on the next refresh (a stored analysis is read in milliseconds)
        "UPDATE sessions SET signature = NULL",
    ],
    10: [
        # the cycles whose crest went beyond R2 (a safety matter), counted from each session's
        # events: a row written before does not say, and its session is read again on the next
        # refresh; one without cycles has none beyond R2
        "ALTER TABLE sessions ADD COLUMN n_beyond_r2 INTEGER",
        "UPDATE sessions SET n_beyond_r2 = 0 WHERE n_cycles = 0",
        "UPDATE sessions SET signature = NULL WHERE n_cycles > 0 OR n_cycles IS NULL",
    ],
    11: [
        # a session's duration_s is its force's length (else its IMU's), as its report gives it, and
        # its sound's is audio_s: a row written before gave the length to the end of any stream (a
        # longer sound's). Every row is read again on the next refresh
        "ALTER TABLE sessions ADD COLUMN audio_s DOUBLE PRECISION",
        "UPDATE sessions SET signature = NULL",
    ],
    12: [
        # the pops each session's sound held, counted from its events: a row written before does
        # not say, and a session with sound is read again on the next refresh; one without sound
        # has none known (NULL, shown "–")
        "ALTER TABLE sessions ADD COLUMN n_pops INTEGER",
        "UPDATE sessions SET signature = NULL WHERE audio_s IS NOT NULL",
    ],
}

COLUMNS = ("path", "fingerprint", "signature", "trainee", "created", "technique", "target", "score_pct",
           "duration_s", "n_cycles", "n_thrusts", "on_target_pct", "freq_cv_pct", "amplitude_cv_pct",
           "peak_mean_n", "peak_sd_n", "ttp_mean_ms", "ttp_sd_ms", "stats_source", "n_imu_cycles",
           "stopped_early", "finished", "cut_off", "cut_short", "cut_short_whole", "n_beyond_r2",
           "audio_s", "n_pops")


class IndexDamaged(InputError):
    """The SQLite index file is not a database or is corrupt; ``rebuild`` remakes it."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class IndexReadOnly(InputError):
    """The SQLite index cannot be written where it is (a read-only share, a folder this user
    may not write), or not now (:class:`IndexBusy`, :class:`IndexFull`);
    :meth:`Library.keep_in_memory` goes on without saving it."""


class IndexBusy(IndexReadOnly):
    """Another station has been writing the SQLite index for longer than the busy timeout."""


class IndexFull(IndexReadOnly):
    """The disk (or share) holding the SQLite index is full."""


class IndexNewer(IndexReadOnly):
    """The index was brought to a newer schema by a newer gradecoach (on another station): it
    is left as it is, as what that version keeps in it is unknown here, and not copied
    into memory either (its rows may not mean what this version reads)."""
