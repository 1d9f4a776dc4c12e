"""``screenshot -o`` never costs a recording: Qt empties a file it cannot write an image to,
so ``screenshot --replay a.csv -o a.csv`` left a.csv at 0 bytes (with "could not write the
image"), and a mistyped name (shot.pgn) left an empty file behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"


def gc(*args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "ui.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, env=env)


def one_line_error(r, *words):
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert all(w in lines[0] for w in words), lines[0]


@pytest.fixture
def folder(tmp_path):
    shutil.copy(FIX / "lumbar_grade3.csv", tmp_path / "a.csv")
    from firmware_bridge.session import SessionMeta, SessionWriter, read_force_csv
    d = read_force_csv(FIX / "lumbar_grade3.csv")
    w = SessionWriter(tmp_path / "s", SessionMeta(r1_n=40.0, r2_n=120.0))
    w.append_force(d.t_s, d.values)
    w.close(500.0)
    return tmp_path


@pytest.mark.parametrize("how", ["onto the csv", "onto the csv as a device", "into the session", "not an image"])
def test_an_output_that_is_not_a_new_image_is_refused_and_nothing_changes(folder, how):
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    args = {"onto the csv": ("--replay", folder / "a.csv", "-o", folder / "a.csv"),
            "onto the csv as a device": ("--device", f"file:{folder / 'a.csv'}", "-o", folder / "a.csv"),
            "into the session": ("--replay", folder / "s", "-o", folder / "s" / "shot.png"),
            "not an image": ("--replay", folder / "a.csv", "-o", folder / "shot.pgn")}[how]
    r = gc("screenshot", *args, "--at", 2, "--r1", 40, "--r2", 120)
    one_line_error(r, "-o ")
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_a_png_beside_the_recording_is_written(folder):
    r = gc("screenshot", "--replay", folder / "a.csv", "--at", 5, "-o", folder / "a.png", "--r1", 40, "--r2", 120)
    assert r.returncode == 0, r.stderr
    assert (folder / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
