"""An output written onto a full disk (a real small tmpfs, as root): the earlier file of that
name is kept whole, and no cut-off or empty file is left. And where a new file cannot be made
beside it, an output one may write is still written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ui.cli import main

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"



def _fill(disk: Path) -> None:
    with open(disk / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 512)
        except OSError:
            pass


def _replay(name: str, out: Path) -> int:
    return main(["replay", str(FIXTURES / name), "--r1", "40", "--r2", "120", "--format", "jsonl", "-o", str(out)])


def test_a_full_disk_keeps_the_earlier_output_of_that_name(small_disk, capsys):
    """The earlier file was emptied first, then cut off where the disk filled."""
    out = small_disk / "events.jsonl"
    assert _replay("lumbar_grade3.csv", out) == 0
    before = out.read_bytes()
    out.chmod(0o640)
    _fill(small_disk)
    capsys.readouterr()
    assert _replay("mixed_offset.csv", out) == 2
    assert capsys.readouterr().err == f"gradecoach: error: -o {out}: cannot write (No space left on device)\n"
    assert out.read_bytes() == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["events.jsonl", "filler"]
    (small_disk / "filler").unlink()                # room again: replaced whole, its permissions kept
    assert _replay("mixed_offset.csv", out) == 0
    assert out.read_text().splitlines()[-1].startswith('{"type": "summary"')
    assert out.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in small_disk.iterdir()) == ["events.jsonl"]


def test_a_first_output_that_does_not_fit_leaves_no_file(small_disk, capsys):
    """An empty (or cut-off) events.jsonl was left behind."""
    _fill(small_disk)
    out = small_disk / "events.jsonl"
    assert _replay("lumbar_grade3.csv", out) == 2
    assert capsys.readouterr().err == f"gradecoach: error: -o {out}: cannot write (No space left on device)\n"
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="runs a command as nobody: needs root")
def test_a_writable_output_in_a_folder_one_may_not_add_to_is_written(capsys):
    """Written beside and put in place, it was refused: 'cannot write (Permission denied)'."""
    top = Path(tempfile.mkdtemp(prefix="gradecoach-"))
    try:
        top.chmod(0o755)
        out = top / "events.jsonl"
        out.write_text('{"type": "summary"}\n')          # (an earlier run's events)
        out.chmod(0o666)
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        r = subprocess.run(nobody + [sys.executable, "-m", "ui.cli", "replay", str(FIXTURES / "lumbar_grade3.csv"),
                                     "--r1", "40", "--r2", "120", "--format", "jsonl", "-o", str(out)],
                           cwd=FIXTURES.parent, capture_output=True, text=True)
        assert (r.returncode, r.stderr) == (0, "")
        assert out.read_text().splitlines()[-1].startswith('{"type": "summary"')
        assert sorted(p.name for p in top.iterdir()) == ["events.jsonl"]
    finally:
        shutil.rmtree(top)
