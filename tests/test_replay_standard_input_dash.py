"""``replay -`` and ``--audio -`` read standard input, as ``-o -`` writes standard output and as a
CI pipeline expects: they said "-: no such file or folder" and "-: no such audio file"."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"


def _replay(stdin: Path, *args) -> subprocess.CompletedProcess:
    with open(stdin, "rb") as fh:
        return subprocess.run([sys.executable, "-m", "ui.cli", "replay", *map(str, args), "--r1", "40", "--r2", "120",
                               "--format", "jsonl"], stdin=fh, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_force_and_sound_read_from_standard_input_as_from_their_files():
    piped = _replay(FIX / "thrust_pops.csv", "-", "--audio", FIX / "thrust_pops.flac")
    assert piped.returncode == 0, piped.stderr
    sound = _replay(FIX / "thrust_pops.flac", FIX / "thrust_pops.csv", "--audio", "-")
    assert sound.returncode == 0, sound.stderr
    s1, s2 = (json.loads(r.stdout.splitlines()[-1]) for r in (piped, sound))
    assert [t["pops"] for t in s1["thrusts"]] == [t["pops"] for t in s2["thrusts"]] == [4, 1, 2, 0, 2, 4]


def test_both_from_standard_input_is_one_line():
    r = _replay(FIX / "thrust_pops.csv", "-", "--audio", "-")
    assert (r.returncode, r.stderr) == (2, "gradecoach: error: replay - --audio -: standard input holds one of them; "
                                           "give the other as a file\n")
