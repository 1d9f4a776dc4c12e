"""A CSV whose header gives the force (or the time) twice was read from whichever column came
first, without a word: ``t_s,force_n,force_n`` was graded on a first column holding half the
force, ``Time (s),Force (N),Load (kg)`` and ``t_ms,t_s,force_n`` gave no warning. Two columns
of the same name are refused, naming the file, line 1 and both; two of one quantity in
different units are read as before, the one used and the one left out said in one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests._cli_in_process import gc_in_process


def written(folder: Path, header: str, n: int = 50) -> Path:
    """A short CSV of ``header`` whose three columns are time (s), force (N) and the force again
    (half of it in ``half`` files: a column that is no newtons of the same force)."""
    t = np.arange(n) * 0.002
    f = 60 + 8 * np.sin(2 * np.pi * 2.0 * t)
    path = folder / "x.csv"
    np.savetxt(path, np.column_stack([t * (1000 if header.startswith("t_ms") else 1), t if "t_ms" in header else f,
                                      f if "t_ms" in header else f / 9.80665]),
               fmt="%.6f", delimiter=",", header=header, comments="")
    return path


@pytest.mark.parametrize("header,cols", [("t_s,force_n,force_n", "'force_n' (column 2) and 'force_n' (column 3)"),
                                         ("Time (s),Force (N),force_n", "'Force (N)' (column 2) and 'force_n' (column 3)"),
                                         ("t_s,force_kg,t_s", "'t_s' (column 1) and 't_s' (column 3)")])
def test_two_columns_of_one_name_are_refused(tmp_path, capfd, header, cols):
    path = written(tmp_path, header)
    r = gc_in_process(capfd, "replay", path)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1, r.stderr
    assert f"{path}:1:" in r.stderr and cols in r.stderr, r.stderr


@pytest.mark.parametrize("header,used,left", [("Time (s),Force (N),Load (kg)", "'Force (N)'", "'Load (kg)'"),
                                              ("t_ms,t_s,force_n", "'t_s'", "'t_ms'")])
def test_two_columns_of_one_quantity_are_said_used_and_left_out(tmp_path, capfd, header, used, left):
    path = written(tmp_path, header)
    r = gc_in_process(capfd, "replay", path)
    assert r.returncode == 0, r.stderr
    said = [x for x in r.stderr.splitlines() if left in x]
    assert len(said) == 1 and f"{path}:1:" in said[0] and f"{used} is used" in said[0], r.stderr
    assert f"{left} left out" in said[0]


def test_record_from_such_a_file_says_it_too(tmp_path, capfd):
    written(tmp_path, "Time (s),Force (N),Load (kg)")
    r = gc_in_process(capfd, "record", "--device", "file:x.csv", "--out", "r", "--duration", 0.05, "--quiet",
                      cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "'Force (N)' is used" in r.stderr and "'Load (kg)' left out" in r.stderr, r.stderr
    written(tmp_path, "t_s,force_n,force_n")
    r = gc_in_process(capfd, "record", "--device", "file:x.csv", "--out", "r2", "--duration", 0.05, "--quiet",
                      cwd=tmp_path)
    assert r.returncode != 0 and "x.csv:1:" in r.stderr and "'force_n' (column 3)" in r.stderr, r.stderr
    assert not (tmp_path / "r2").exists()
