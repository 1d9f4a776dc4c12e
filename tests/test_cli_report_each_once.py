"""``report`` gives each recording once: a session named on the command line and found again
under ``--class`` (an instructor's demonstration kept with the class), or named twice, was
drawn twice and its events written twice to the CSV, counting twice in the class's figures."""

from __future__ import annotations

import csv

from tests.conftest import gc
from tests.ui.review.conftest import make_session


def _recordings(csv_path):
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        return [row["recording"] for row in csv.DictReader(fh)]


def test_a_session_named_and_in_the_class_is_reported_once(tmp_path):
    root = tmp_path / "class"
    demo = make_session(root / "demo", trainee="instructor", cycles=3)
    make_session(root / "anna", trainee="anna", cycles=3, seed=1)
    r = gc("report", demo, "--class", root, "-o", tmp_path / "r.html", "--csv", tmp_path / "e.csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"wrote {tmp_path / 'r.html'} (2 recordings)")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count('<section class="recording"') == 2
    rows = _recordings(tmp_path / "e.csv")
    assert set(rows) == {str(demo), str(root / "anna")}
    single = gc("report", demo, "-o", tmp_path / "one.html", "--csv", tmp_path / "one.csv")
    assert single.returncode == 0, single.stderr
    assert rows.count(str(demo)) == len(_recordings(tmp_path / "one.csv"))


def test_a_session_named_twice_is_reported_once(tmp_path):
    s = make_session(tmp_path / "anna", trainee="anna", cycles=3)
    r = gc("report", s, tmp_path / "." / "anna", "-o", tmp_path / "r.html")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"wrote {tmp_path / 'r.html'} (1 recording)"
