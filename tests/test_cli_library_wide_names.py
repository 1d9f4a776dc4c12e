"""``library list`` lines its columns up under names written in wide characters: "李小龙" takes
six columns of a terminal, not three, and its row's technique, target and the rest were shifted
three columns left of the others'. A name wider than the trainee column is cut with "…" by the
columns it takes."""

from __future__ import annotations

import unicodedata

from tests.conftest import gc
from tests.ui.review.conftest import make_session


def _columns(text: str) -> int:
    """How many columns of a terminal ``text`` takes (a wide or full-width character two)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def test_wide_names_keep_the_columns_aligned(tmp_path):
    for i, who in enumerate(("李小龙", "Anna", "Aleksandra Kowalska-Wiśniewska")):
        make_session(tmp_path / f"s{i}", trainee=who, created=f"2025-03-0{i + 1}T10:00:00", seed=i)
    r = gc("library", "list", tmp_path)
    assert r.returncode == 0, r.stderr
    head, *rows = r.stdout.splitlines()
    assert len(rows) == 3
    # the technique's column starts at the same terminal column on every line
    starts = {_columns(line[:line.index("PA L4" if line is not head else "technique")]) for line in [head, *rows]}
    assert len(starts) == 1, r.stdout
    assert {_columns(line[:line.rindex(" s")]) for line in rows} == {_columns(head[:head.index("path")]) - 1}


def test_a_wide_name_too_long_is_cut_by_its_columns(tmp_path):
    make_session(tmp_path / "a", trainee="欧阳" * 10, created="2025-03-01T10:00:00")   # 40 columns
    make_session(tmp_path / "b", trainee="Anna", created="2025-03-02T10:00:00", seed=1)
    head, *rows = gc("library", "list", tmp_path).stdout.splitlines()
    wide = next(line for line in rows if "欧阳" in line)
    name = wide[18:wide.index("…") + 1]
    assert name == "欧阳" * 7 + "…"               # 28 columns and the "…", within 30
    assert _columns(wide[:wide.index("PA L4")]) == head.index("technique")
