"""A library indexed before a recording's length counted the time its sensor was lost at the end
kept that session's samples' span (4.0 s for 'record --duration 14' of a sensor lost at 4 s)
until the folder changed or the library was rebuilt: the index reads only the folders whose
files changed. Its schema upgrade reads every row again, so the list says 14.0 s."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests._lost_sensor import DATA_S, END_S, RATE, _lost_session
from ui.cli import main
from ui.library import INDEX_NAME


def _listed(root, capsys) -> dict[str, float]:
    assert main(["library", "list", str(root), "--format", "jsonl"]) == 0
    return {r["path"]: r["duration_s"] for r in map(json.loads, capsys.readouterr().out.splitlines())}


def test_an_old_index_gives_a_lost_sensors_recording_its_whole_length_after_the_upgrade(tmp_path, capsys):
    _lost_session(tmp_path / "hal1")
    assert _listed(tmp_path, capsys) == {"hal1": pytest.approx(END_S)}
    # the index as the version before wrote it: the samples' span, the folder unchanged since
    db = sqlite3.connect(tmp_path / INDEX_NAME)
    db.execute("UPDATE sessions SET duration_s = ?", (DATA_S - 1 / RATE,))
    db.commit()
    assert _listed(tmp_path, capsys) == {"hal1": pytest.approx(DATA_S - 1 / RATE)}   # (kept: same version)
    db.execute("DELETE FROM schema_migrations WHERE version >= 9")
    for column in ("n_beyond_r2", "audio_s", "n_pops"):             # (added by versions 10, 11 and 12)
        db.execute(f"ALTER TABLE sessions DROP COLUMN {column}")
    db.commit()
    db.close()
    assert _listed(tmp_path, capsys) == {"hal1": pytest.approx(END_S)}
