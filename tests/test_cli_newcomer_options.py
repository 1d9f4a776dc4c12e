"""A target a newcomer mistypes is refused in one line that names --target, whichever command
took it, before anything is read or written."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, gc

CSV = ROOT / "fixtures" / "lumbar_grade3.csv"


@pytest.mark.parametrize("command", ["record", "replay", "report", "screenshot"])
@pytest.mark.parametrize("target,why", [
    ("3", "not a grade; use I, II, III, IV (III/IV may end in --, -, +, ++) or V/HVLA"),
    ("II+", "only III and IV take a modifier")])
def test_a_bad_target_is_said_as_the_option_given(tmp_path, command, target, why):
    """It said "unknown target '3'; ..." (or "target 'II+': only III and IV take a modifier")
    without the option's name, as no other option's message does; then "--target 3: unknown target
    '3'; ...", the value twice."""
    args = {"record": ["--device", "emulator:grade3", "--out", tmp_path / "s"],
            "replay": [CSV],
            "report": [CSV, "-o", tmp_path / "r.html"],
            "screenshot": ["--replay", CSV, "--at", "3", "-o", tmp_path / "a.png"]}[command]
    r = gc(command, *args, "--target", target)
    assert r.returncode == 2 and r.stdout == "" and not list(tmp_path.iterdir())
    assert r.stderr == f"gradecoach: error: --target {target}: {why}\n"
