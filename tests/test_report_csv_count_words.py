"""The line report prints after writing names its events in the right number ("1 event")."""
from tests.conftest import gc


def test_one_event_is_not_events(tmp_path):
    csv = tmp_path / "t.csv"
    assert gc("simulate", "--thrust", "--sets", "1", "-o", csv, "--seed", "3").returncode == 0
    r = gc("report", csv, "--r1", "40", "--r2", "120", "-o", tmp_path / "r.html", "--csv", tmp_path / "e.csv")
    assert r.returncode == 0, r.stderr
    assert "(1 event)" in r.stdout, r.stdout
    r = gc("report", csv, "--r1", "40", "--r2", "120", "-o", tmp_path / "r.html", "--csv", "-")
    assert "its 1 event to standard output" in r.stderr, r.stderr
