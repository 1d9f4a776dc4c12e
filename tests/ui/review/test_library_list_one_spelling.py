"""``library list`` (its table and its jsonl for scripts) and the review's library table name
each trainee one way, as the report does: a session typed "fatima " among "Fatima"'s, or
"Emile Dubois" among "Émile Dubois"'s, was listed under its own spelling there while the
report's overview and CSVs said "Fatima" and "Émile Dubois", so a script grouping the jsonl
by trainee counted more trainees than there were."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ui.cli import main
from ui.review.window import FOLDER_ROLE

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

# (folder, trainee as typed, created): Émile typed without his accents more often than with them
SESSIONS = [("f1", "Fatima", "2026-01-05T10:00:00"),
            ("f2", "fatima ", "2026-01-12T10:00:00"),
            ("f3", "Fatima", "2026-01-19T10:00:00"),
            ("e1", "Émile Dubois", "2026-01-05T11:00:00"),
            ("e2", "Emile Dubois", "2026-01-12T11:00:00"),
            ("e3", "Emile Dubois", "2026-01-19T11:00:00")]
NAMED = {"f": "Fatima", "e": "Émile Dubois"}


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    root = tmp_path_factory.mktemp("spelt") / "class"
    for i, (folder, trainee, created) in enumerate(SESSIONS):
        make_session(root / folder, trainee=trainee, created=created, seed=i, cycles=3)
    return root


def test_jsonl_names_each_trainee_as_the_report_does(klass, capsys):
    assert main(["library", "list", str(klass), "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["path"]: r["trainee"] for r in records} == {f: NAMED[f[0]] for f, _, _ in SESSIONS}
    # the name typed at each recording is still there for a script, under its own key
    assert {r["path"]: r["trainee_typed"] for r in records} == {f: t.strip() for f, t, _ in SESSIONS}


def test_table_names_each_trainee_one_way(klass, capsys):
    assert main(["library", "list", str(klass)]) == 0
    head, *lines = capsys.readouterr().out.splitlines()
    at, end = head.index("trainee"), head.index("technique")
    assert {line.split()[-1]: line[at:end].strip() for line in lines} == {f: NAMED[f[0]] for f, _, _ in SESSIONS}


def test_review_library_table_names_each_trainee_one_way(klass, qtbot):
    win = shown_review(qtbot, klass)
    assert win.proxy.rowCount() == len(SESSIONS)
    shown = {win.proxy.index(i, 0).data(FOLDER_ROLE): win.proxy.index(i, 0).data() for i in range(len(SESSIONS))}
    assert {Path(f).name: who for f, who in shown.items()} == {f: NAMED[f[0]] for f, _, _ in SESSIONS}
    # the Progress tab of the session typed "fatima " is titled and filled as Fatima's
    row = next(i for i in range(len(SESSIONS)) if Path(win.proxy.index(i, 0).data(FOLDER_ROLE)).name == "f2")
    win.table.selectRow(row)
    win.progress_selected()
    assert win.progress_view.title.text().startswith("progress of Fatima: 3 ")
