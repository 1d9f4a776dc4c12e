"""``replay --demo`` with an INPUT as well is refused in one line: it replayed the demo and
said nothing of the recording given, so a user read the demo's grades as their own."""

from __future__ import annotations

from tests.conftest import ROOT, gc

LUMBAR = ROOT / "fixtures" / "lumbar_grade3.csv"


def test_demo_and_an_input_are_refused():
    r = gc("replay", "--demo", LUMBAR, "--format", "jsonl")
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.splitlines() == [f"gradecoach: error: --demo replays the bundled demo recording: give it or "
                                     f"{LUMBAR}, not both"]


def test_demo_alone_replays_the_demo():
    r = gc("replay", "--demo", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert '"type": "summary"' in r.stdout.splitlines()[-1]
