"""bash fixtures/regenerate.sh in a checkout set up by ./run or ./test, with no gradecoach on PATH:
it remakes every committed fixture byte for byte (the bundled demo, ui/demo, links to two of them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_regenerate_finds_the_checkouts_gradecoach_and_remakes_the_fixtures(tmp_path):
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "regenerate.sh").write_bytes((ROOT / "fixtures" / "regenerate.sh").read_bytes())
    (tmp_path / ".venv").symlink_to(sys.prefix)                 # the checkout's environment
    r = subprocess.run(["bash", "fixtures/regenerate.sh"], cwd=tmp_path, env={"PATH": "/usr/bin:/bin"},
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    made = sorted(p.name for p in (tmp_path / "fixtures").iterdir() if p.name != "regenerate.sh")
    assert len(made) >= 60
    assert [n for n in made if (tmp_path / "fixtures" / n).read_bytes() != (ROOT / "fixtures" / n).read_bytes()] == []
    for n in ("demo_mixed.csv", "demo_mixed.expected.jsonl"):
        assert (ROOT / "ui" / "demo" / n).read_bytes() == (ROOT / "fixtures" / n).read_bytes()
