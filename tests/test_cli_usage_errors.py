"""A surplus argument is the sub-command's usage error ('gradecoach replay: error: …'), as its
other usage errors are; it was the top command's ('gradecoach: error: unrecognized arguments')."""

from __future__ import annotations

from tests.conftest import ROOT, gc

LUMBAR = ROOT / "fixtures" / "lumbar_grade3.csv"


def test_a_second_input_is_replays_usage_error():
    r = gc("replay", LUMBAR, LUMBAR)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach replay: error: unrecognized arguments: {LUMBAR}"]
