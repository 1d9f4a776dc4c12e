"""A class report names each trainee one way: the overview, each recording's section and the
events CSV's ``trainee`` column (which a term's spreadsheet pivots by) give the spelling the
library gives, not each session's own ("anna kowalska" and "Anna Kowalska", "Ben O’Brien" and
"ben o'brien", " FATIMA  zahra " made a pivot table of 5 trainees for 3 people)."""

from __future__ import annotations

import csv
import html
import itertools
import re

from ui.cli import main
from ui.library import spellings

from .conftest import make_session

# (folder, trainee as typed, created)
SESSIONS = [("anna-1", "Anna Kowalska", "2026-12-01T09:00:00"),
            ("anna-2", "anna kowalska", "2026-12-02T09:00:00"),
            ("anna-3", "Anna Kowalska", "2026-12-02T09:30:00"),
            ("ben-1", "ben o'brien", "2026-12-02T10:00:00"),
            ("ben-2", "Ben O’Brien", "2026-12-02T10:00:00"),
            ("fatima-1", "Fatima Zahra", "2026-12-02T11:00:00"),
            ("fatima-2", " FATIMA  zahra ", "2026-12-02T11:30:00")]
# most sessions' spelling; among equals the latest's; at the same time the one with capitals;
# tidied (spaces)
NAMES = {"anna": "Anna Kowalska", "ben": "Ben O’Brien", "fatima": "FATIMA zahra"}


def test_the_report_and_its_csv_name_each_trainee_one_way(tmp_path, capsys):
    root = tmp_path / "class"
    for i, (folder, trainee, created) in enumerate(SESSIONS):
        make_session(root / folder, trainee=trainee, created=created, seed=i, cycles=4)
    page, events = tmp_path / "class.html", tmp_path / "class.csv"
    assert main(["report", "--class", str(root), "-o", str(page), "--csv", str(events)]) == 0
    capsys.readouterr()
    with open(events, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_recording = {r["name"]: r["trainee"] for r in rows}
    assert by_recording == {folder: NAMES[folder.split("-")[0]] for folder, _, _ in SESSIONS}
    assert len({r["trainee"] for r in rows}) == 3
    text = html.unescape(page.read_text(encoding="utf-8"))
    overview = text.split("<h2>Overview</h2>", 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><td>\d+</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>", overview)
    assert {folder: who for folder, who in cells} == by_recording
    facts = re.findall(r"<dt>trainee</dt><dd>([^<]*)</dd>", text)
    assert sorted(facts) == sorted(by_recording.values())
    # one candidate's report is titled so too
    assert main(["report", "--class", str(root), "--trainee", "fatima zahra", "-o", str(page)]) == 0
    title = re.search(r"<title>([^<]*)</title>", page.read_text(encoding="utf-8")).group(1)
    assert html.unescape(title) == "gradecoach report: class, FATIMA zahra"


def test_one_spelling_whatever_order_the_sessions_come_in():
    sessions = [("anna kowalska", "2026-12-02T09:00:00"), ("Anna Kowalska", "2026-12-02T09:00:00"),
                (" ANNA  KOWALSKA", "2026-12-02T09:00:00")]
    for order in itertools.permutations(sessions):
        assert spellings(order) == {"anna kowalska": "Anna Kowalska"}
