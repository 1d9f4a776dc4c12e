"""A session's target as the library lists it: as the trainer and ``record --target`` store it
("hvla" is V, "iv" IV, " iii+ " III+), whatever spelling an older gradecoach wrote into its
session.json. The list showed "IV" and "iv", "V" and "hvla" as written, so a script keeping the
IV sessions (``--format jsonl``) missed some and a column sorted by target split one target in
two. An index made by an older gradecoach, whose rows keep the targets as written, is brought
to the same spelling at its next refresh, without reading the sessions again; the session
folders are left as they are."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import gc
from ui.library import INDEX_NAME, Library

# (folder, target as an older gradecoach wrote it, what the simulator does, listed target)
SESSIONS = [("a", "IV", "IV", "IV"), ("b", "iv", "IV", "IV"), ("c", "hvla", "V", "V"),
            ("d", "V", "V", "V"), ("e", " iii+ ", "III+", "III+")]
LISTED = {folder: listed for folder, _, _, listed in SESSIONS}
WRITTEN = {folder: written for folder, written, _, _ in SESSIONS}


@pytest.fixture
def klass(tmp_path):
    from tests.ui.review.conftest import make_session

    root = tmp_path / "class"
    for i, (folder, written, kind, _) in enumerate(SESSIONS):
        make_session(root / folder, trainee="Anna", target=written, kinds=(kind,), seed=i, cycles=3,
                     created=f"2026-11-0{i + 1}T10:00:00")
    for folder, written in WRITTEN.items():               # (as written: the simulator's own spelling)
        assert json.loads((root / folder / "session.json").read_text())["target"] == written
    return root


def _files(root: Path) -> dict[str, bytes]:
    """Every file of the session folders under ``root`` (the index aside), with its content."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(INDEX_NAME)}


def _listed(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The targets ``library list`` gives, by folder: in its table and in its jsonl."""
    table = gc("library", "list", root)
    assert (table.returncode, table.stderr) == (0, "")
    head, *lines = table.stdout.splitlines()
    at = head.index("target")
    shown = {line.split()[-1]: line[at:at + 6].strip() for line in lines}
    jsonl = gc("library", "list", root, "--format", "jsonl")
    assert (jsonl.returncode, jsonl.stderr) == (0, "")
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    return shown, {r["path"]: r["target"] for r in records}


def _stored(root: Path) -> dict[str, str]:
    con = sqlite3.connect(root / INDEX_NAME)
    try:
        return dict(con.execute("SELECT path, target FROM sessions"))
    finally:
        con.close()


def test_a_target_is_listed_as_the_trainer_spells_it(klass):
    before = _files(klass)
    assert _listed(klass) == (LISTED, LISTED)
    assert _stored(klass) == LISTED
    assert _files(klass) == before                         # (session.json as the older version wrote it)


def test_an_older_index_lists_its_targets_so_at_its_next_refresh(klass):
    assert gc("library", "rebuild", klass).returncode == 0
    # the index as an older gradecoach left it: each session's target as its session.json has it
    con = sqlite3.connect(klass / INDEX_NAME)
    con.executemany("UPDATE sessions SET target = ? WHERE path = ?", [(t, p) for p, t in WRITTEN.items()])
    con.commit()
    con.close()
    assert _stored(klass) == WRITTEN
    before = _files(klass)
    assert _listed(klass) == (LISTED, LISTED)
    assert _stored(klass) == LISTED
    assert _files(klass) == before
    # brought up to date without a session read again (no folder changed)
    with Library(klass) as lib:
        con = sqlite3.connect(klass / INDEX_NAME)
        con.executemany("UPDATE sessions SET target = ? WHERE path = ?", [(t, p) for p, t in WRITTEN.items()])
        con.commit()
        con.close()
        res = lib.refresh()
        assert (res.updated, res.unchanged, res.failed) == (0, len(SESSIONS), [])
        assert {Path(r["folder"]).name: r["target"] for r in lib.rows()} == LISTED
        assert [r["path"] for r in lib.rows()] == [folder for folder, *_ in SESSIONS]
