"""A trainee's name typed with a run of spaces inside it ("Ann  Lee") is the name typed with one:
the library's list of trainees and a class report name them one way, as most of their sessions
spell it, spaced as a name is. "Ann  Lee" and "Ann Lee" were counted as two spellings, so a
third, "ann lee" typed once, named the trainee for being the latest, and a name only ever typed
with two spaces was listed with them."""

from __future__ import annotations

import html
import itertools
import re

import pytest

from tests.conftest import gc
from ui.library import Library, spellings

# (folder, trainee as typed, created): Ann Lee typed so twice, spaced two ways, "ann lee" last
SESSIONS = [("ann-1", "Ann  Lee", "2026-11-01T10:00:00"), ("ann-2", "Ann Lee", "2026-11-02T10:00:00"),
            ("ann-3", "ann lee", "2026-11-03T10:00:00"), ("bo-1", "Bo   Berg", "2026-11-04T10:00:00")]
HINT = "trainees: Ann Lee, Bo Berg"


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    from tests.ui.review.conftest import make_session

    root = tmp_path_factory.mktemp("lib") / "class"
    for i, (folder, trainee, created) in enumerate(SESSIONS):
        make_session(root / folder, trainee=trainee, created=created, seed=i, cycles=3)
    return root


def test_library_names_each_trainee_once_spaced_as_a_name(klass):
    listed = gc("library", "list", klass, "--trainee", "nobody")
    assert (listed.returncode, listed.stdout) == (2, "")
    assert listed.stderr.endswith(f"; {HINT}\n"), listed.stderr
    with Library(klass) as lib:
        assert lib.trainees() == ["Ann Lee", "Bo Berg"]
    for typed in ("ann lee", "Ann    Lee"):
        rows = gc("library", "list", klass, "--trainee", typed)
        assert rows.returncode == 0
        assert [line.split()[-1] for line in rows.stdout.splitlines()[1:]] == ["ann-1", "ann-2", "ann-3"]


def test_report_names_the_trainee_as_the_library_does(klass, tmp_path):
    page = tmp_path / "r.html"
    assert gc("report", "--class", klass, "--trainee", "ann lee", "-o", page).returncode == 0
    title = re.search(r"<title>([^<]*)</title>", page.read_text(encoding="utf-8")).group(1)
    assert html.unescape(title) == "gradecoach report: class, Ann Lee"


def test_one_spelling_whatever_the_order():
    sessions = [(trainee, created) for _, trainee, created in SESSIONS]
    for order in itertools.permutations(sessions):
        assert spellings(order) == {"ann lee": "Ann Lee", "bo berg": "Bo Berg"}
