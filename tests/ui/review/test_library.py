"""The session library index: a real SQLite file (and a real PostgreSQL server when one starts)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import pytest

from analysis.errors import InputError
from ui.cli import main
from ui.library import INDEX_NAME, MIGRATIONS, SCHEMA_VERSION, Library

from .conftest import make_read_only, make_session, tear


def _stored(folder):
    return [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines() if line.strip()]


def _expected_score(events, grade, modifier):
    cycles = [e for e in events if e["type"] == "cycle"]
    return 100.0 * sum(e["grade"] == grade and (e["modifier"] or "") == modifier for e in cycles) / len(cycles)


@pytest.fixture
def root(tmp_path):
    make_session(tmp_path / "ana-w1", trainee="ana", created="2025-03-01T10:00:00", target="III", kinds=("III",), seed=1)
    make_session(tmp_path / "ana-w2", trainee="ana", created="2025-03-08T10:00:00", target="IV", kinds=("IV", "V"), seed=2)
    make_session(tmp_path / "ben" / "w1", trainee="ben", created="2025-03-02T09:00:00", target="III", kinds=("II",), seed=3)
    return tmp_path


def test_rebuild_writes_a_real_sqlite_index_with_stats(root):
    with Library(root) as lib:
        res = lib.rebuild()
        assert res.added == 3 and not res.failed
        rows = {r["path"]: r for r in lib.rows()}
    assert set(rows) == {"ana-w1", "ana-w2", "ben/w1"}
    # the index is an ordinary SQLite file beside the sessions
    con = sqlite3.connect(root / INDEX_NAME)
    assert con.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 3
    assert con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == SCHEMA_VERSION
    con.close()
    for path, grade, mod in (("ana-w1", "III", ""), ("ben/w1", "III", "")):
        ev = _stored(root / path)
        assert rows[path]["score_pct"] == pytest.approx(_expected_score(ev, grade, mod))
        assert rows[path]["n_cycles"] == sum(e["type"] == "cycle" for e in ev)
        assert rows[path]["stats_source"] == "stored"
    assert rows["ben/w1"]["score_pct"] == 0.0           # grade II practised, III asked
    thr = [e for e in _stored(root / "ana-w2") if e["type"] == "thrust"]
    assert rows["ana-w2"]["n_thrusts"] == len(thr) == 1
    assert rows["ana-w2"]["peak_mean_n"] == pytest.approx(thr[0]["peak_n"])
    assert rows["ana-w1"]["freq_cv_pct"] > 0 and rows["ana-w1"]["amplitude_cv_pct"] > 0


def test_deleted_and_moved_sessions_are_tolerated(root):
    with Library(root) as lib:
        lib.rebuild()
        shutil.rmtree(root / "ben")
        (root / "archive").mkdir()
        shutil.move(root / "ana-w1", root / "archive" / "ana-week1")
        res = lib.refresh()
        assert (res.dropped, res.moved, res.added) == (1, 1, 0)
        assert sorted(r["path"] for r in lib.rows()) == ["ana-w2", "archive/ana-week1"]
        assert lib.trainees() == ["ana"]
        # a rebuild from the folders gives the same index
        lib.rebuild()
        assert sorted(r["path"] for r in lib.rows()) == ["ana-w2", "archive/ana-week1"]
        assert lib.refresh().unchanged == 2


def test_changed_calibration_is_reanalysed(root):
    with Library(root) as lib:
        lib.rebuild()
        before = {r["path"]: r for r in lib.rows()}["ana-w1"]
        mp = root / "ana-w1" / "session.json"
        meta = json.loads(mp.read_text())
        meta["r1_n"], meta["r2_n"] = 200.0, 300.0      # every crest now falls short of R1
        mp.write_text(json.dumps(meta))
        assert lib.refresh().updated == 1
        after = {r["path"]: r for r in lib.rows()}["ana-w1"]
    assert before["score_pct"] > 50
    assert after["stats_source"] == "analysis" and after["score_pct"] == 0.0
    assert after["n_cycles"] == before["n_cycles"]


def test_truncated_and_unreadable_sessions(root):
    tear(root / "ana-w1")
    (root / "bad").mkdir()
    (root / "bad" / "session.json").write_text('{"trainee": "x",\n  oops')
    with Library(root) as lib:
        res = lib.rebuild()
        rows = {r["path"]: r for r in lib.rows()}
    assert "ana-w1" in rows and rows["ana-w1"]["stats_source"] == "analysis"
    assert rows["ana-w1"]["n_cycles"] >= 1
    assert len(res.failed) == 1 and "session.json:2:" in res.failed[0]


def test_migrates_an_index_written_by_schema_version_1(root):
    con = sqlite3.connect(root / INDEX_NAME)
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied TEXT)")
    for stmt in MIGRATIONS[1]:
        con.execute(stmt)
    con.execute("INSERT INTO schema_migrations VALUES (1, '2024-01-01T00:00:00')")
    con.execute("INSERT INTO sessions (path, trainee, created, score_pct, n_cycles, n_thrusts, signature) "
                "VALUES ('ana-w1', 'ana', '2025-03-01T10:00:00', 12.5, 3, 0, 'old')")
    con.commit()
    con.close()
    with Library(root) as lib:
        assert lib.version() == SCHEMA_VERSION
        old = lib.rows()[0]
        assert old["score_pct"] == 12.5 and old["freq_cv_pct"] is None   # kept, new columns empty
        res = lib.refresh()
        assert res.updated == 1 and res.added == 2                      # version-1 row re-read
        row = {r["path"]: r for r in lib.rows()}["ana-w1"]
    assert row["freq_cv_pct"] is not None and row["score_pct"] != 12.5


def test_newer_index_is_refused_with_one_line(root):
    con = sqlite3.connect(root / INDEX_NAME)
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied TEXT)")
    con.execute("INSERT INTO schema_migrations VALUES (99, 'future')")
    con.commit()
    con.close()
    with pytest.raises(InputError, match="version 99 is newer"):
        Library(root)


def test_cli_rebuild_and_list(root, capsys):
    assert main(["library", "rebuild", str(root)]) == 0
    assert "indexed 3 sessions" in capsys.readouterr().out
    shutil.rmtree(root / "ana-w2")
    assert main(["library", "list", str(root), "--trainee", "ana"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and "ana-w1" in out[1] and "PA L4" in out[1]
    assert out[1].startswith("2025-03-01 10:00  ana")            # the date as the review shows it
    assert main(["library", "list", str(root / "nope")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no such folder" in err[0]


def test_postgresql_index(root, pg_url):
    with Library(root, pg_url) as lib:
        lib.execute("DROP TABLE IF EXISTS sessions")
        lib.execute("DROP TABLE IF EXISTS schema_migrations")
        lib.conn.commit()
    with Library(root, pg_url) as lib:
        assert lib.version() == SCHEMA_VERSION
        assert lib.rebuild().added == 3
        shutil.move(root / "ana-w1", root / "ana-moved")
        shutil.rmtree(root / "ben")
        res = lib.refresh()
        assert (res.moved, res.dropped) == (1, 1)
        rows = {r["path"]: r for r in lib.rows("ana")}
    assert set(rows) == {"ana-moved", "ana-w2"}
    ev = _stored(root / "ana-moved")
    assert rows["ana-moved"]["score_pct"] == pytest.approx(_expected_score(ev, "III", ""))
    assert not (root / INDEX_NAME).exists()


def test_postgresql_unreachable_is_one_line(root):
    pytest.importorskip("psycopg")
    with pytest.raises(InputError, match="cannot connect") as e:
        Library(root, "postgresql://nobody:secret@/nodb?host=/nonexistent-socket-dir&port=1")
    assert "secret" not in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("content", [b"\xff\xfe{}", b"[1, 2]", b'{"streams": {"force": {"file": 7}}, "trainee": 3}'])
def test_odd_session_json_never_stops_a_rebuild(root, content):
    (root / "odd").mkdir()
    (root / "odd" / "force.csv").write_text("t_s,force_n\n0,1\n0.001,2\n")
    (root / "odd" / "session.json").write_bytes(content)
    with Library(root) as lib:
        res = lib.rebuild()
        paths = {r["path"] for r in lib.rows()}
    assert {"ana-w1", "ana-w2", "ben/w1"} <= paths
    assert all("\n" not in f for f in res.failed)
    assert ("odd" in paths) != bool(res.failed)         # indexed (with warnings) or one line, never a crash


def _truncate(path):
    """Cut an SQLite file after its first page, as a copy stopped half-way leaves it."""
    path.write_bytes(path.read_bytes()[:4096])


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_index_is_refused_in_one_line_and_rebuild_remakes_it(root, capsys, damage):
    index = root / INDEX_NAME
    if damage == "garbage":
        index.write_text("garbage\n")
    else:
        assert main(["library", "rebuild", str(root)]) == 0
        assert index.stat().st_size > 4096
        _truncate(index)
    capsys.readouterr()
    for argv in (["library", "list", str(root)], ["review", "--root", str(root)]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "damaged" in err[0] and f"gradecoach library rebuild {root}" in err[0]
    assert main(["library", "rebuild", str(root)]) == 0
    out, err = capsys.readouterr()
    assert "indexed 3 sessions" in out
    assert err.count("\n") == 1 and "damaged" in err and f"{INDEX_NAME}.broken" in err
    assert (root / f"{INDEX_NAME}.broken").is_file()
    con = sqlite3.connect(index)                    # a sound SQLite file again
    assert con.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 3
    con.close()
    assert main(["library", "list", str(root)]) == 0
    assert not capsys.readouterr().err


def test_a_read_only_index_is_listed_and_rebuild_refused_in_one_line(root, capsys):
    assert main(["library", "rebuild", str(root)]) == 0
    make_read_only(root / INDEX_NAME)
    capsys.readouterr()
    assert main(["library", "list", str(root)]) == 0              # nothing to write: printed
    assert len(capsys.readouterr().out.splitlines()) == 4
    make_session(root / "ana-w3", trainee="ana", created="2025-03-15T10:00:00", seed=4)
    before = (root / INDEX_NAME).read_bytes()
    assert main(["library", "list", str(root)]) == 0              # listed from a copy in memory
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 5 and "ana-w3" in out
    err = err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("gradecoach: warning: index not saved: ")
    assert "cannot write the library index" in err[0] and "--db FILE" in err[0]
    assert main(["library", "rebuild", str(root)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write the library index" in err[0] and "--db FILE" in err[0]
    assert (root / INDEX_NAME).read_bytes() == before
    other = root.parent / "elsewhere.sqlite"
    assert main(["library", "list", str(root), "--db", str(other)]) == 0
    assert "ana-w3" in capsys.readouterr().out


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes a read-only folder")
def test_a_read_only_folder_without_an_index_is_one_line(root, capsys):
    root.chmod(0o555)
    try:
        assert main(["library", "rebuild", str(root)]) == 2
    finally:
        root.chmod(0o755)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write the library index" in err[0] and "--db FILE" in err[0]


@pytest.mark.parametrize("breakage", ["session.json", "force deleted", "force junk"])
def test_a_folder_that_became_unreadable_loses_its_row_on_list_as_on_rebuild(root, capsys, breakage):
    assert main(["library", "rebuild", str(root)]) == 0
    folder = root / "ben" / "w1"
    if breakage == "session.json":
        (folder / "session.json").write_text('{"trainee": "ben",\n  oops')
    elif breakage == "force deleted":
        (folder / "force.csv").unlink()
    else:
        (folder / "force.csv").write_text("junk\n1,2\n")
    capsys.readouterr()
    assert main(["library", "list", str(root)]) == 0
    out, err = capsys.readouterr()
    assert "ben/w1" not in out and "ben" not in out
    assert len(err.strip().splitlines()) == 1 and "warning" in err and str(folder) in err
    with Library(root) as lib:
        listed = sorted(r["path"] for r in lib.rows())
    assert main(["library", "rebuild", str(root)]) == 0
    with Library(root) as lib:
        assert sorted(r["path"] for r in lib.rows()) == listed == ["ana-w1", "ana-w2"]


def test_trainee_is_matched_whatever_the_case_and_surrounding_spaces(root, capsys):
    make_session(root / "anna1", trainee="Anna", created="2025-03-03T10:00:00", seed=5)
    make_session(root / "anna2", trainee="anna ", created="2025-03-04T10:00:00", seed=6)
    make_session(root / "chloe", trainee="Chloé", created="2025-03-05T10:00:00", seed=7)
    make_session(root / "annabel", trainee="Annabel", created="2025-03-06T10:00:00", seed=8)
    assert main(["library", "list", str(root), "--trainee", " ANNA"]) == 0
    out = capsys.readouterr().out.splitlines()[1:]
    assert sorted(line.split()[-1] for line in out) == ["anna1", "anna2"]
    assert main(["library", "list", str(root), "--trainee", "CHLOÉ"]) == 0
    assert [line.split()[-1] for line in capsys.readouterr().out.splitlines()[1:]] == ["chloe"]


@pytest.mark.parametrize("url", ["mysql://coach@dbhost/gradecoach", "http://dbhost/index", "sqlite3://x"])
def test_an_unsupported_index_url_is_named(root, capsys, url):
    assert main(["library", "list", str(root), "--db", url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unsupported index URL" in err[0] and "postgresql://" in err[0]
    assert not (root / INDEX_NAME).exists()


def test_rebuild_on_a_terminal_shows_its_progress_and_quietly_in_a_log(root):
    """A large folder takes a while to read: on a terminal a bar counts the sessions; piped to a
    log, stderr stays free of it."""
    import pty
    import subprocess
    import sys

    argv = [sys.executable, "-m", "ui.cli", "library", "rebuild", str(root)]
    cwd = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    master, slave = pty.openpty()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=slave, cwd=cwd)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:                              # (the child closed its end)
            break
        if not chunk:
            break
        err += chunk
    out = p.communicate(timeout=60)[0].decode()
    os.close(master)
    assert p.returncode == 0 and "indexed 3 sessions" in out
    assert b"reading [" in err and b"3/3" in err
    r = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, timeout=60)
    assert r.returncode == 0 and "indexed 3 sessions" in r.stdout and r.stderr == ""
