"""bash fixtures/regenerate.sh in a checkout set up by ./run or ./test, with no gradecoach on PATH:
it remakes every committed fixture byte for byte over the ones there (so with --overwrite), adds
nothing, and the bundled demo (ui/demo) links to three of them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"


def test_regenerate_finds_the_checkouts_gradecoach_and_remakes_every_fixture_over_the_old(tmp_path):
    shutil.copytree(FIX, tmp_path / "fixtures", ignore=shutil.ignore_patterns("ble"))
    made = sorted(p for p in (tmp_path / "fixtures").rglob("*") if p.is_file() and p.name != "regenerate.sh")
    assert len(made) >= 60
    for p in made:                                              # what is there is written over
        p.write_bytes(b"stale\n")
    (tmp_path / ".venv").symlink_to(sys.prefix)                 # the checkout's environment
    r = subprocess.run(["bash", "fixtures/regenerate.sh"], cwd=tmp_path, env={"PATH": "/usr/bin:/bin"},
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    after = sorted(p for p in (tmp_path / "fixtures").rglob("*") if p.is_file() and p.name != "regenerate.sh")
    assert after == made                                        # nothing added
    assert [p.name for p in made if p.read_bytes() != (FIX / p.relative_to(tmp_path / "fixtures")).read_bytes()] == []
    for n in ("demo_mixed.csv", "demo_mixed.expected.jsonl", "demo_mixed.flac"):
        assert (ROOT / "ui" / "demo" / n).read_bytes() == (FIX / n).read_bytes()
