"""An output given as ``-`` is standard output where a command writes text there (replay -o -,
report --csv -, as a pipeline expects), else refused in one line: a file literally named ``-`` was written
(``replay … -o -`` replaced it, ``report … --csv -`` said "wrote r.html (1 recording) and -
(20 events)"). ``./-`` still names such a file."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import gc


@pytest.fixture(scope="module")
def l3(tmp_path_factory):
    d = tmp_path_factory.mktemp("dash")
    r = gc("simulate", "--grade", "III", "--cycles", "6", "-o", d / "l3.csv")
    assert r.returncode == 0, r.stderr
    return d / "l3.csv"


def test_replay_o_dash_is_standard_output(l3, tmp_path):
    r = gc("replay", l3, "--r1", "40", "--r2", "120", "-o", "-", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    events = [json.loads(line) for line in r.stdout.splitlines()]
    assert events[-1]["type"] == "summary" and sum(e["type"] == "cycle" for e in events) >= 5
    assert not (tmp_path / "-").exists()
    # the same as without -o
    assert r.stdout == gc("replay", l3, "--r1", "40", "--r2", "120", cwd=tmp_path).stdout


def test_replay_o_dot_slash_dash_is_a_file(l3, tmp_path):
    r = gc("replay", l3, "--r1", "40", "--r2", "120", "-o", "./-", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    assert (tmp_path / "-").read_text().count('"type": "cycle"') >= 5


def test_report_csv_dash_is_standard_output(l3, tmp_path):
    """``report … --csv -`` wrote a file named ``-``: the events go to standard output, without the
    byte order mark a file has for Excel, and the line saying what was written to standard error."""
    import csv
    r = gc("report", l3, "--r1", "40", "--r2", "120", "-o", "r.html", "--csv", "-", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert not r.stdout.startswith("\ufeff") and rows[0]["type"] == "cycle"
    assert sum(x["type"] == "cycle" for x in rows) >= 5
    assert r.stderr.splitlines() == [f"wrote r.html (1 recording) and its {len(rows)} events to standard output"]
    assert not (tmp_path / "-").exists() and (tmp_path / "r.html").is_file()
    # the same rows as a file of them holds
    assert gc("report", l3, "--r1", "40", "--r2", "120", "-o", "r.html", "--csv", "e.csv", cwd=tmp_path).returncode == 0
    assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines() == r.stdout.splitlines()


def test_other_outputs_given_as_dash_are_refused(tmp_path):
    for args in (["emulate", "--truth", "-", "--link", tmp_path / "link"],
                 ["library", "list", tmp_path, "--db", "-"]):
        r = gc(*args, cwd=tmp_path)
        assert r.returncode == 2, r.stderr
        assert r.stderr.splitlines() == [f"gradecoach: error: {args[args.index('-') - 1]} -: this is written to a "
                                         f"file, not to standard output; give a file name (./- for a file named -)"]
        assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("args, said", [
    (["record", "--device", "file:{l3}", "--out", "-"], "--out -: a session is a folder, not standard output"),
    (["trainer", "--device", "file:{l3}", "--sessions", "-"], "--sessions -: recordings go into a folder"),
], ids=["record --out", "trainer --sessions"])
def test_a_session_folder_given_as_dash_is_refused(l3, tmp_path, args, said):
    """``record --out -`` recorded into a folder named ``-`` (the trainer's ``--sessions -`` made
    one too): refused in one line, nothing made."""
    r = gc(*[a.format(l3=l3) for a in args], cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"gradecoach: error: {said}"), lines
    assert not (tmp_path / "-").exists()


def test_emulate_link_dash_is_refused(tmp_path):
    """``emulate --link -`` made a link named ``-`` in the current folder."""
    r = gc("emulate", "--link", "-", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.splitlines()[0].startswith("gradecoach: error: --link -: the link is a name in a folder")
    assert not os.path.lexists(tmp_path / "-")
