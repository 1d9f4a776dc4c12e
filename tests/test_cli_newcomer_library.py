"""``gradecoach library`` on a class's folder of 20 sessions, as a newcomer uses it: an option
that only ``list`` honours given to ``rebuild``, and a blank trainee name, are one line each and
leave the index as it was."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import gc
from tests.ui.review.conftest import mount_read_only, read_only_share  # noqa: F401 (a fixture)

TRAINEES = ("Anna", "Ben", "Cara", "Dan", "Emile")


@pytest.fixture(scope="module")
def twenty(tmp_path_factory):
    """A folder of 20 sessions (four of each trainee), indexed once by 'library rebuild'."""
    from tests.ui.review.conftest import make_session

    root = tmp_path_factory.mktemp("class")
    for i in range(4):
        for t in TRAINEES:
            make_session(root / f"{t.lower()}-{i}", trainee=t, created=f"2026-11-{i + 1:02d}T10:00:00", cycles=3)
    r = gc("library", "rebuild", root)
    assert r.returncode == 0 and r.stdout.startswith("indexed 20 sessions"), r.stderr
    return root


def _sha(path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def test_rebuild_refuses_a_trainee_it_would_not_use(twenty):
    """'library rebuild ROOT --trainee Anna' indexed all 20 sessions, saying nothing of the name:
    it looked as if only Anna's had been indexed (or as if the others had been dropped)."""
    index = twenty / "gradecoach-library.sqlite"
    before = _sha(index)
    r = gc("library", "rebuild", twenty, "--trainee", "Anna")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == ("gradecoach: error: --trainee Anna: only 'list' picks a trainee's sessions; 'rebuild' "
                        "indexes every session under ROOT\n")
    assert _sha(index) == before
    # list honours it: Anna's four
    listed = gc("library", "list", twenty, "--trainee", "anna", "--format", "jsonl")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 4


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_trainee_is_one_line_not_an_empty_table(twenty, blank):
    """'--trainee ""' (a script's empty variable) printed the table's header with no row, and
    "no sessions of '' under ROOT" beside it, exit 0."""
    r = gc("library", "list", twenty, "--trainee", blank)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == "gradecoach: error: --trainee: give a trainee's name, e.g. --trainee Anna (or leave it out " \
                       "for everyone)\n"


def test_the_twenty_sessions_are_listed_each_once(twenty):
    r = gc("library", "list", twenty)
    assert r.returncode == 0 and r.stderr == ""
    rows = r.stdout.splitlines()[1:]
    assert len(rows) == 20 and len({row.split()[-1] for row in rows}) == 20


def test_a_damaged_index_on_a_read_only_share_says_what_to_do(tmp_path, read_only_share):
    """'list' said to run 'rebuild', and 'rebuild' then said only that the damaged index 'cannot
    be moved aside (Read-only file system)': no way on. It now names --db, which works."""
    from tests.ui.review.conftest import make_session

    lib, share = read_only_share
    for t in TRAINEES:
        make_session(lib / t.lower(), trainee=t, cycles=3)
    assert gc("library", "rebuild", lib).returncode == 0
    index = lib / "gradecoach-library.sqlite"
    raw = bytearray(index.read_bytes())
    raw[4096:7096] = b"\xff" * 3000
    index.write_bytes(bytes(raw))
    mount_read_only(lib, share)
    r = gc("library", "rebuild", share)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith(f"gradecoach: error: {share / 'gradecoach-library.sqlite'}: the library index is "
                               f"damaged (")
    assert r.stderr.endswith("cannot be moved aside (Read-only file system); give --db FILE somewhere writable for "
                             "a new index of these sessions\n")
    assert index.read_bytes() == bytes(raw)
    elsewhere = tmp_path / "elsewhere.sqlite"
    r = gc("library", "list", share, "--db", elsewhere, "--format", "jsonl")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == len(TRAINEES), r.stderr
