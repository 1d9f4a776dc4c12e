"""A CSV saved by Excel on Windows as "CSV" (not "CSV UTF-8") is in Windows-1252: an umlaut in a note
or in a column not read (``Müller``) is the byte FC, not UTF-8. Such a file was refused as "not
UTF-8 text"; it is read as Windows-1252 (its numbers are the same in both), as its header already
was, and a cell quoted from it reads as written.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.errors import InputError
from firmware_bridge.csv_stream import read_csv_bytes
from tests.conftest import gc


def _text(n: int) -> str:
    t = np.arange(n) / 500
    rows = [f"{a:.3f};{50 + 30 * np.sin(2 * np.pi * a):.2f};Müller".replace(".", ",") for a in t]
    return "Time (s);Force (N);Therapeut\r\n" + "\r\n".join(rows) + "\r\n"


def test_replay_reads_an_excel_csv_in_windows_1252(tmp_path):
    p = tmp_path / "mobilisation.csv"
    p.write_bytes(_text(2000).encode("cp1252"))
    want = tmp_path / "utf8.csv"
    want.write_bytes(_text(2000).encode("utf-8"))
    r, w = gc("replay", p, "--format", "jsonl"), gc("replay", want, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert r.stdout == w.stdout and '"n_cycles": 3' in r.stdout


@pytest.mark.parametrize("n", [20, 3000])                 # read row by row; at pyarrow's speed
def test_a_note_line_in_windows_1252_is_a_bad_row_quoted_as_written(tmp_path, n):
    p = tmp_path / "x.csv"
    text = _text(n).replace("Müller\r\n", "Müller\r\nNotiz: für Müller;;\r\n", 1)
    d = read_csv_bytes(p, text.encode("cp1252"), max_bad_share=0.5)
    assert d.problems == [f"{p}:3: non-numeric cell 'Notiz: für Müller'"]
    assert len(d.t_s) == n and d.notes == []


def test_bytes_that_are_not_windows_1252_either_are_refused_naming_the_line(tmp_path):
    p = tmp_path / "x.csv"
    raw = _text(20).encode("cp1252").replace("Müller".encode("cp1252"), b"M\x81ller", 1)
    with pytest.raises(InputError) as e:
        read_csv_bytes(p, raw)
    assert str(e.value) == f"{p}:2: not UTF-8 text (nor Windows-1252); save it as \"CSV UTF-8\""
