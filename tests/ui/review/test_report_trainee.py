"""'report --class FOLDER --trainee NAME': one trainee's sessions of a class, the name matched
whatever its case, accents, spacing or Unicode form; and a session without a trainee reads
'no trainee' in the class overview, as the review says."""

from __future__ import annotations

import html
import re
import unicodedata

import pytest

from ui.cli import main

from .conftest import make_session


@pytest.fixture
def klass(tmp_path):
    root = tmp_path / "class"
    people = [("e1", "Émile Dubois"), ("e2", unicodedata.normalize("NFD", "ÉMILE  DUBOIS")), ("a1", "Ana"),
              ("n1", ""), ("e3", "Emile Dubois ")]
    for i, (name, who) in enumerate(people):
        make_session(root / name, trainee=who, created=f"2025-03-0{i + 1}T10:00:00", seed=i, cycles=3)
    return root


def _overview(page):
    table = page.split('<table class="overview">')[1].split("</table>")[0]
    return [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])]


def test_a_class_report_of_one_trainee(klass, tmp_path, capsys):
    out = tmp_path / "emile.html"
    assert main(["report", "--class", str(klass), "--trainee", "emile dubois", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out} (3 recordings)"
    page = out.read_text(encoding="utf-8")
    rows = _overview(page)
    assert [r[1] for r in rows] == ["e1", "e2", "e3"]
    # three spellings, one session each: the latest of those with his name's accents names him, as
    # library list does (the latest's, without them, did)
    assert "<title>gradecoach report: class, ÉMILE DUBOIS</title>" in page


def test_no_sessions_of_the_trainee_is_one_line_naming_those_there(klass, tmp_path, capsys):
    out = tmp_path / "x.html"
    assert main(["report", "--class", str(klass), "--trainee", "Zoë", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (f"gradecoach: error: {klass}: no sessions of 'Zoë' under it; trainees: (no trainee), Ana, "
                   f"ÉMILE DUBOIS\n")
    assert not out.exists()


def test_trainee_without_class_is_one_line(klass, tmp_path, capsys):
    assert main(["report", str(klass / "a1"), "--trainee", "Ana", "-o", str(tmp_path / "x.html")]) == 2
    assert capsys.readouterr().err == ("gradecoach: error: --trainee picks a trainee's sessions of a class: "
                                       "give --class FOLDER\n")


def test_the_overview_says_no_trainee(klass, tmp_path):
    """The overview's trainee cell was blank for a session without one."""
    out = tmp_path / "all.html"
    assert main(["report", "--class", str(klass), "-o", str(out)]) == 0
    rows = {r[1]: r for r in _overview(out.read_text(encoding="utf-8"))}
    assert rows["n1"][2] == "no trainee"
    assert rows["a1"][2] == "Ana"
