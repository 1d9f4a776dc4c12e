"""One trainee, one spelling: library list finds names as report and review do (accents aside),
and the library's and the report's lists of trainees, and a report's title, name each trainee
as most of their sessions spell it."""

from __future__ import annotations

import html
import re

import pytest

from ui.cli import main

from .conftest import make_session

# (folder, trainee, created): Ana's spelling of most sessions is neither her first session's nor
# the first folder's; Bo's two spellings tie, the latest wins
SESSIONS = [("a0", "ANA MARÍA LÓPEZ", "2025-03-05T10:00:00"),
            ("a1", "ana maría lópez", "2025-03-01T10:00:00"),
            ("a2", "Ana María López", "2025-03-02T10:00:00"),
            ("a3", "Ana María López ", "2025-03-03T10:00:00"),
            ("b0", "Bo", "2025-03-01T10:00:00"),
            ("b1", "BO", "2025-03-02T10:00:00"),
            ("z0", "Zeynep Çelik", "2025-03-01T10:00:00")]
HINT = "trainees: Ana María López, BO, Zeynep Çelik"


@pytest.fixture
def klass(tmp_path):
    root = tmp_path / "class"
    for i, (name, trainee, created) in enumerate(SESSIONS):
        make_session(root / name, trainee=trainee, created=created, seed=i, cycles=4)
    return root


def test_library_list_finds_a_trainee_whatever_the_accents(klass, capsys):
    """'library list --trainee "zeynep celik"' found nothing while 'report --trainee' found her."""
    assert main(["library", "list", str(klass), "--trainee", "zeynep celik"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[-1] for line in out[1:]] == ["z0"]


def test_library_and_report_name_a_trainee_alike(klass, capsys):
    """The library's hint said 'ana maría lópez' (her first session's spelling), the report's
    'ANA MARÍA LÓPEZ' (its first folder's); a report on her was titled with that spelling."""
    assert main(["library", "list", str(klass), "--trainee", "nobody"]) == 2
    assert capsys.readouterr().err.endswith(f"; {HINT}\n")
    out = klass.parent / "r.html"
    assert main(["report", "--class", str(klass), "--trainee", "nobody", "-o", str(out)]) == 2
    assert capsys.readouterr().err.endswith(f"; {HINT}\n")
    for typed in ("ana maria lopez", "ANA MARÍA LÓPEZ"):
        assert main(["report", "--class", str(klass), "--trainee", typed, "-o", str(out)]) == 0
        title = re.search(r"<title>([^<]*)</title>", out.read_text(encoding="utf-8")).group(1)
        assert html.unescape(title) == "gradecoach report: class, Ana María López"
