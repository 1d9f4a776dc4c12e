"""Standard output that cannot take the output as it is: a locale whose encoding lacks "–" (ISO
8859-1), a full disk (/dev/full), one the shell closed (``>&-``). Each ended the command with a
traceback; the closed one also kept ``replay -o FILE`` from writing FILE."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "fixtures" / "lumbar_grade3.csv"


def _run(args, stdout=subprocess.PIPE, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE,
                          timeout=120, env=dict(os.environ, **env))


def test_a_latin1_terminal_gets_the_table_with_what_it_cannot_show_replaced():
    r = _run(["replay", str(FIXTURE), "--r1", "40", "--r2", "120", "--format", "table"], PYTHONIOENCODING="latin-1")
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    assert b"Traceback" not in r.stderr
    out = r.stdout.decode("latin-1")
    assert "20 cycles" in out and "set 1" in out
    assert "?" in out                                  # "3.1–16.9 s": the dash it cannot encode


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_standard_output_on_a_full_disk_is_one_line():
    with open("/dev/full", "w") as full:
        r = _run(["replay", str(FIXTURE), "--r1", "40", "--r2", "120"], stdout=full)
    assert r.returncode == 2                           # (as any error; 1 is evaluate's "below the thresholds")
    assert r.stderr.decode().splitlines() == ["gradecoach: error: cannot write the output: No space left on device"]


def test_replay_to_a_file_with_standard_output_closed_writes_the_file(tmp_path):
    out = tmp_path / "e.jsonl"
    r = subprocess.run(f'"{sys.executable}" -m ui.cli replay "{FIXTURE}" --r1 40 --r2 120 -o "{out}" >&-',
                       shell=True, cwd=ROOT, stderr=subprocess.PIPE, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert out.read_text().count('"type": "cycle"') == 20
