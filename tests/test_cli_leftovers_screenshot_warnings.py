"""``screenshot --replay`` says what reading its inputs found, in the words ``replay`` uses for
the same inputs: an ``--audio`` folder left out, bad rows skipped. It said nothing, so a picture
drawn without the sound, or without some rows, looked like one drawn from everything given."""

from __future__ import annotations

from tests.conftest import ROOT, gc


def test_the_warnings_replay_gives(tmp_path):
    rows = (ROOT / "fixtures" / "demo_mixed.csv").read_text(encoding="utf-8").splitlines()[:3001]
    force = tmp_path / "take1.csv"
    force.write_text("\n".join(rows[:301] + ["0.601,abc"] + rows[301:]) + "\n", encoding="utf-8")
    clips = tmp_path / "clips"
    clips.mkdir()
    said = [f"gradecoach: warning: 1 bad row skipped (first: {force}:302: non-numeric cell 'abc')",
            f"gradecoach: warning: {clips}: a folder, not an audio file; analysed without the audio"]
    replay = gc("replay", force, "--audio", clips, "--r1", 40, "--r2", 120, "--format", "jsonl")
    assert replay.returncode == 0 and sorted(replay.stderr.splitlines()) == sorted(said)
    png = tmp_path / "shot.png"
    r = gc("screenshot", "--replay", force, "--audio", clips, "--at", 5, "-o", png, "--r1", 40, "--r2", 120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"{png}: 1366x768 at t = 5 s\n" and png.stat().st_size > 0
    assert r.stderr.splitlines() == replay.stderr.splitlines()


def test_nothing_to_say(tmp_path):
    png = tmp_path / "shot.png"
    r = gc("screenshot", "--replay", ROOT / "fixtures" / "demo_mixed.csv", "--at", 5, "-o", png, "--r1", 40,
           "--r2", 120)
    assert (r.returncode, r.stderr) == (0, "")


def test_a_played_recording_says_it_too(tmp_path):
    """``--device file:`` says what playing it found, as ``record`` prints it: it was drawn
    without the bad row and said nothing."""
    rows = (ROOT / "fixtures" / "demo_mixed.csv").read_text(encoding="utf-8").splitlines()[:1501]
    force = tmp_path / "take1.csv"
    force.write_text("\n".join(rows[:301] + ["0.601,abc"] + rows[301:]) + "\n", encoding="utf-8")
    png = tmp_path / "shot.png"
    r = gc("screenshot", "--device", f"file:{force}", "--at", 1, "-o", png)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: warning: file:{force}: 1 bad row skipped (first: {force}:302: "
                                     f"non-numeric cell 'abc')"]
