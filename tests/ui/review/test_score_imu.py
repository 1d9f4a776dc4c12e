"""A thrust session recorded with a hand-worn IMU alone: its thrusts' let-up cannot be known
(no force), so its score ("% of thrusts without letting up") is "–", as the trainer shows,
in the library, the Progress tab, the report and the session panel; it read 100 %."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from ui.cli import main
from ui.library import INDEX_NAME, MIGRATIONS, Library, session_stats
from ui.review.window import LIBRARY_COLUMNS, ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def root(tmp_path, capsys):
    """A V session of "ivy" with an IMU only, and one with a force sensor whose thrusts let up."""
    sim = tmp_path / "sim" / "x.csv"
    assert main(["simulate", "--grade", "V", "--rate", "200", "--imu", "100", "--seed", "4",
                 "-o", str(sim)]) == 0
    capsys.readouterr()
    root = tmp_path / "root"
    folder = root / "imu"
    folder.mkdir(parents=True)
    shutil.copy(sim.with_name("x.imu.csv"), folder / "imu.csv")
    (folder / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2025-03-10T10:00:00", "trainee": "ivy", "technique": "HVLA", "target": "V",
        "complete": True, "streams": {"imu": {"file": "imu.csv", "rate_hz": 100.0}}}))
    assert main(["replay", str(folder), "--format", "jsonl"]) == 0
    thrusts = [e for e in map(json.loads, capsys.readouterr().out.splitlines()) if e["type"] == "thrust"]
    assert thrusts and all(t["letup_n"] is None and not t["letup"] for t in thrusts)
    make_session(root / "force", trainee="ivy", created="2025-03-01T10:00:00", kinds=("V",), target="V", seed=5)
    return root


def test_the_library_lists_no_score_for_an_imu_alone(root, capsys):
    assert main(["library", "list", str(root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    imu = next(ln for ln in lines if ln.rstrip().endswith(" imu"))
    force = next(ln for ln in lines if ln.rstrip().endswith(" force"))
    assert " – " in imu and "%" not in imu, imu
    assert "100 %" in force, force                   # (its thrusts' let-up is measured)


def test_progress_and_report_show_no_score_for_an_imu_alone(root, qtbot, tmp_path):
    win = ReviewWindow(root)
    qtbot.addWidget(win)
    win.show()
    win.show_progress("ivy")
    pv = win.progress_view
    heads = [pv.table.horizontalHeaderItem(c).text() for c in range(pv.table.columnCount())]
    col = heads.index("score (% of thrusts on target)")        # (both sessions are V sessions)
    assert [pv.table.item(r, col).text() for r in range(2)] == ["100", "–"]
    score_col = [k for _, k in LIBRARY_COLUMNS].index("score_pct")
    assert sorted(win.model.item(r, score_col).text() for r in range(2)) == ["100", "–"]
    rs = win.open_session(root / "imu")
    win.session_view.select_event(rs.of_type("thrust")[0])
    assert win.session_view.details_dict()["let-up"] == "–"         # (it said "none")
    out = tmp_path / "r.html"
    assert main(["report", str(root / "imu"), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<dt>score (% of thrusts on target)</dt><dd>–</dd>" in page


def test_an_index_made_before_reads_the_imu_session_again(root):
    """An index of the earlier version holds the IMU session at 100 %: opened now, it is
    migrated and that session read again."""
    db = root / INDEX_NAME
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied TEXT)")
    for v in (1, 2):
        for stmt in MIGRATIONS[v]:
            con.execute(stmt)
        con.execute("INSERT INTO schema_migrations VALUES (?, 'x')", (v,))
    con.commit()
    con.close()
    with Library(root) as lib:
        lib.refresh()
        con = sqlite3.connect(db)
        con.execute("UPDATE sessions SET score_pct = 100.0")          # as the earlier version scored it
        con.execute("DELETE FROM schema_migrations WHERE version > 2")
        con.execute("ALTER TABLE sessions DROP COLUMN n_imu_cycles")    # (added by version 4)
        con.execute("ALTER TABLE sessions DROP COLUMN stopped_early")   # (added by version 5)
        for column in ("finished", "cut_off", "cut_short", "cut_short_whole"):     # (added by version 6)
            con.execute(f"ALTER TABLE sessions DROP COLUMN {column}")
        for column in ("n_beyond_r2", "audio_s", "n_pops"):             # (added by versions 10, 11 and 12)
            con.execute(f"ALTER TABLE sessions DROP COLUMN {column}")
        con.commit()
        con.close()
    with Library(root) as lib:
        lib.refresh()
        scores = {r["path"]: r["score_pct"] for r in lib.rows()}
    assert scores == {"force": 100.0, "imu": None}


def test_a_thrust_of_known_let_up_is_scored_beside_an_imus():
    # (forces within the trainer's corridors for V: a thrust is judged by them too)
    events = [{"type": "thrust", "letup": True, "letup_n": 12.0, "time_to_peak_ms": 100.0, "preload_n": 120.0,
               "peak_n": 500.0},
              {"type": "thrust", "letup": False, "letup_n": 0.0, "time_to_peak_ms": 100.0, "preload_n": 120.0,
               "peak_n": 500.0},
              {"type": "thrust", "letup": False, "letup_n": None, "time_to_peak_ms": 50.0, "preload_n": None,
               "peak_n": None}]
    assert session_stats(events, "V")["score_pct"] == 50.0
