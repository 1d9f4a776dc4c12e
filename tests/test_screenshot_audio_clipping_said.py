"""``screenshot --replay … --audio`` of a microphone set too loud says it clips, as ``replay`` says
it: the warning was made only once the audio had been read to its end, and a screenshot stops
reading at --at. It is said as soon as the sound read so far clips, in one line."""

from __future__ import annotations

import pytest

from tests._loud_sound import loud_copies
from tests.conftest import ROOT, gc

CAL = ("--r1", 40, "--r2", 120, "--target", "V")
CSV = ROOT / "fixtures" / "thrust_pops.csv"


@pytest.fixture(scope="module")
def audio(tmp_path_factory):
    out = loud_copies(tmp_path_factory.mktemp("shotclip"), {"hot": (300, 1.0), "plain": (1, 1.0)})
    return out


@pytest.mark.parametrize("at", [29, 5])
def test_a_screenshot_of_clipped_sound_says_it_clips_once(audio, tmp_path, at):
    png = tmp_path / "s.png"
    r = gc("screenshot", "--replay", CSV, "--audio", audio["hot"], "--at", at, "-o", png, *CAL)
    assert r.returncode == 0, r.stderr
    said = [ln for ln in r.stderr.splitlines() if "clipping (" in ln]
    assert len(said) == 1, r.stderr
    assert said[0].startswith(f"gradecoach: warning: {audio['hot']}: clipping (4")
    assert "% of the sound at its ceiling): turn the input gain down" in said[0]


def test_replay_says_it_once_of_the_whole_sound(audio):
    r = gc("replay", CSV, "--audio", audio["hot"], *CAL, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    said = [ln for ln in r.stderr.splitlines() if "clipping (" in ln]
    assert said == [f"gradecoach: warning: {audio['hot']}: clipping (41 % of the sound at its ceiling): turn the "
                    f"input gain down; a thrust with no pop heard where it clipped has its pops unknown (–), not none"]


def test_sound_at_a_sensible_level_is_not_said_to_clip(audio, tmp_path):
    r = gc("screenshot", "--replay", CSV, "--audio", audio["plain"], "--at", 29, "-o", tmp_path / "s.png", *CAL)
    assert r.returncode == 0 and "clipping" not in r.stderr, r.stderr
