"""The README's quick start says what ./run, ./test and .ci/run do, as the scripts do it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
SETUP = (ROOT / "scripts" / "setup.sh").read_text()


def test_the_readme_gives_the_download_size_and_apt_command_setup_prints():
    size = re.search(r"about (\d+) MB", SETUP).group(1)
    assert f"about {size} MB" in " ".join(README.split())
    assert "sudo apt-get update && sudo apt-get install -y" in SETUP
    assert "`sudo apt-get update && sudo apt-get\ninstall -y …`" in README or \
           "`sudo apt-get update && sudo apt-get install -y …`" in " ".join(README.split())


def test_the_readme_says_how_to_reach_gradecoach_and_what_ci_runs():
    flat = " ".join(README.split())
    for words in ("./run COMMAND", ".venv/bin/gradecoach", ". .venv/bin/activate", "unless `--device` names a sensor"):
        assert words in flat, words
    assert "./test -p no:cacheprovider" in (ROOT / ".ci" / "run").read_text() and "`.ci/run` runs `./test`" in flat
    assert "gradecoach --version" in flat
