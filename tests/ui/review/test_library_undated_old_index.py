"""A library indexed before a session.json without 'created' was dated unknown ("–") kept the
date it gave such a session then (session.json's time of change) until the folder changed: the
index read only the folders whose files changed. Its schema upgrade reads those rows again."""

from __future__ import annotations

import json
import sqlite3

from ui.cli import main
from ui.library import INDEX_NAME, short_date

from .conftest import make_session


def test_an_old_index_dates_an_undated_session_unknown_after_the_upgrade(tmp_path, capsys):
    make_session(tmp_path / "anna-1", trainee="Anna", created="2026-10-05T10:00:00+0200", seed=1, cycles=3)
    folder = make_session(tmp_path / "anna-0", trainee="Anna", seed=3, cycles=3)
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    del meta["created"]
    mp.write_text(json.dumps(meta))
    assert main(["library", "list", str(tmp_path)]) == 0
    capsys.readouterr()
    # the index as the version before wrote it: the undated session dated by session.json's change
    db = sqlite3.connect(tmp_path / INDEX_NAME)
    db.execute("UPDATE sessions SET created = '2026-11-30T09:00:00' WHERE path = 'anna-0'")
    db.execute("DELETE FROM schema_migrations WHERE version >= 8")
    for column in ("n_beyond_r2", "audio_s", "n_pops"):             # (added by versions 10, 11 and 12)
        db.execute(f"ALTER TABLE sessions DROP COLUMN {column}")
    db.commit()
    db.close()
    assert main(["library", "list", str(tmp_path)]) == 0
    listed = [(line[:16].strip(), line.split()[-1]) for line in capsys.readouterr().out.splitlines()[1:]]
    # (10:00 at +02:00, in this computer's time zone)
    assert listed == [(short_date("2026-10-05T10:00:00+0200"), "anna-1"), ("–", "anna-0")]
    db = sqlite3.connect(tmp_path / INDEX_NAME)
    assert dict(db.execute("SELECT path, created FROM sessions")) == {"anna-0": "",
                                                                      "anna-1": "2026-10-05T10:00:00+0200"}
    db.close()
