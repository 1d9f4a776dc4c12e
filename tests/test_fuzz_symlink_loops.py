"""A symbolic link that loops (``ln -s x.csv x.csv``) given as an input, an output, a library's
root or found in a session folder is one line naming it, "…: a symbolic link that loops", and
exit 2: it was a 30-line traceback ending "RuntimeError: Symlink loop from …" (Path.resolve), or
a message that misled ("no such folder"; a session whose session.json loops opened "missing;
using defaults", its calibration silently dropped)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import gc
from tests.ui.review.conftest import make_session

LOOPS = "a symbolic link that loops"


def loop(path: Path) -> Path:
    os.symlink(path.name, path)
    return path


@pytest.fixture
def good(tmp_path) -> Path:
    t = [i * 0.002 for i in range(1500)]
    p = tmp_path / "good.csv"
    p.write_text("t_s,force_n\n" + "".join(f"{a:.3f},{60 + (a * 7 % 3) * 10:.2f}\n" for a in t))
    return p


def one_line(r, line: str) -> None:
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: error: {line}"]


def test_an_input_that_loops(tmp_path):
    x = loop(tmp_path / "loop.csv")
    one_line(gc("replay", x, "-o", tmp_path / "o.jsonl"), f"{x}: {LOOPS}")
    one_line(gc("screenshot", "--replay", x, "--at", "1", "-o", tmp_path / "s.png"), f"{x}: {LOOPS}")
    assert not (tmp_path / "o.jsonl").exists() and not (tmp_path / "s.png").exists()


@pytest.mark.parametrize("cmd, option", [("replay", "-o"), ("report", "-o"), ("report", "--csv"),
                                         ("simulate", "-o")])
def test_an_output_that_loops(tmp_path, good, cmd, option):
    # (replay's: o.jsonl, as replay refuses a .csv name whatever it is)
    out = loop(tmp_path / ("o.csv" if option == "--csv" else "o.html" if cmd == "report" else
                           "o.jsonl" if cmd == "replay" else "o.csv"))
    args = {"replay": ["replay", good, "-o", out],
            "report": ["report", good, *(["-o", tmp_path / "r.html", "--csv", out] if option == "--csv"
                                         else ["-o", out])],
            "simulate": ["simulate", "-o", out]}[cmd]
    one_line(gc(*args), f"{option} {out}: {LOOPS}; remove the link or give another file name")
    assert out.is_symlink()


def test_an_index_that_loops(tmp_path):
    make_session(tmp_path / "class" / "a", cycles=3)
    db = loop(tmp_path / "db.sqlite")
    one_line(gc("library", "rebuild", tmp_path / "class", "--db", db),
             f"--db {db}: {LOOPS}; remove the link or give another file name")


@pytest.mark.parametrize("args", [["library", "list"], ["library", "rebuild"], ["review"], ["review", "--root"]])
def test_a_library_root_that_loops(tmp_path, args):
    root = loop(tmp_path / "libloop")
    one_line(gc(*args, root), f"{root}: {LOOPS}")


def test_a_session_json_that_loops_is_not_taken_for_missing(tmp_path):
    s = make_session(tmp_path / "s", cycles=3)
    (s / "session.json").unlink()
    loop(s / "session.json")
    one_line(gc("replay", s), f"{s / 'session.json'}: {LOOPS}")


def test_a_stream_that_loops_is_said(tmp_path):
    s = make_session(tmp_path / "s", cycles=3)
    (s / "force.csv").unlink()
    loop(s / "force.csv")
    one_line(gc("replay", s), f"{s / 'force.csv'}: {LOOPS}")


def test_a_recording_that_loops_is_named_by_every_command_that_reads_it(tmp_path):
    """``replay loop.csv`` said "no such file or folder"; ``report loop.csv`` was a traceback;
    ``record --device file:loop.csv`` said no such file."""
    x = loop(tmp_path / "loop.csv")
    one_line(gc("replay", x), f"{x}: {LOOPS}")
    one_line(gc("report", x, "-o", tmp_path / "r.html"), f"{x}: {LOOPS}")
    one_line(gc("record", "--device", f"file:{x}", "--out", tmp_path / "s"), f"{x}: {LOOPS}")
    assert not (tmp_path / "s").exists() and not (tmp_path / "r.html").exists()


def test_a_session_folder_given_to_record_that_loops(tmp_path, good):
    """``record --out outloop`` said "a session is already there (another recording took the folder
    first)"."""
    out = loop(tmp_path / "outloop")
    one_line(gc("record", "--device", f"file:{good}", "--out", out),
             f"--out {out}: {LOOPS}; remove the link or choose a new folder")
