"""``gradecoach evaluate`` as a CI job adding fixtures meets it: a sound beside a recording that
cannot be read fails it, its pops not scored (they were all counted missed, as a detector
regression would be); the sound or the expected events given instead of
the recording, and a folder's CSVs without expected events, are said; what replay warns of the
input (a corrupt IMU file beside it) is said too; an expected grade III with a modifier of
null is a plain III."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import ROOT, gc


@pytest.fixture
def pops(tmp_path):
    for suffix in (".csv", ".expected.jsonl"):
        shutil.copy(ROOT / "fixtures" / f"thrust_pops{suffix}", tmp_path / f"thrust_pops{suffix}")
    return tmp_path / "thrust_pops.csv"


def test_an_unreadable_sound_beside_fails_the_recording(pops):
    """A sound beside that is no sound (a text file) was warned of as 'analysed without the
    audio', then an error said the command could not go on (exit 2): it fails the recording as a
    missing one does, in one line."""
    pops.with_suffix(".flac").write_text("not audio")
    r = gc("evaluate", pops)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stdout.splitlines()[0].endswith(
        "; 13 expected pops not scored: thrust_pops.flac: unreadable audio (its content is not WAV, FLAC, OGG, "
        "Opus, MP3 or AIFF)")
    assert "--max-missed-pops" in r.stdout.splitlines()[1]
    assert r.stderr == ""
    assert gc("evaluate", pops, "--no-audio").returncode == 0


@pytest.mark.parametrize("given, said", [
    ("thrust_pops.flac", "{d}/thrust_pops.flac: a sound: evaluate takes the force recording (thrust_pops.csv), "
                         "and scores the pops of the sound beside it"),
    ("thrust_pops.expected.jsonl", "{d}/thrust_pops.expected.jsonl: the expected events, not a recording: give "
                                   "the recording beside them, thrust_pops.csv"),
])
def test_the_sound_or_the_labels_given_instead_of_the_recording(pops, given, said):
    shutil.copy(ROOT / "fixtures" / "thrust_pops.flac", pops.with_suffix(".flac"))
    r = gc("evaluate", pops.parent / given)
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["gradecoach: error: " + said.format(d=pops.parent)]


def test_a_folders_csvs_without_labels_are_named(pops):
    shutil.copy(pops, pops.parent / "orphan.csv")
    shutil.copy(pops, pops.parent / "typo.csv")
    shutil.copy(pops.with_suffix(".expected.jsonl"), pops.parent / "typo.expectd.jsonl")
    r = gc("evaluate", pops.parent, "--no-audio")
    assert r.returncode == 0, r.stderr
    assert (f"gradecoach: warning: {pops.parent}: 2 CSVs without expected events (NAME.expected.jsonl) not "
            f"evaluated: orphan.csv, typo.csv") in r.stderr.splitlines()


def test_a_corrupt_imu_file_beside_is_said(tmp_path):
    for suffix in (".csv", ".expected.jsonl"):
        shutil.copy(ROOT / "fixtures" / f"lumbar_grade3{suffix}", tmp_path / f"g3{suffix}")
    (tmp_path / "g3.imu.csv").write_bytes(b"\x00\x01garbage")
    r = gc("evaluate", tmp_path / "g3.csv")
    assert r.returncode == 0
    assert f"{tmp_path / 'g3.imu.csv'}:1: not a text CSV file" in r.stderr


def test_an_expected_modifier_of_null_is_a_plain_grade(tmp_path):
    for suffix in (".csv", ".expected.jsonl"):
        shutil.copy(ROOT / "fixtures" / f"lumbar_grade3{suffix}", tmp_path / f"g3{suffix}")
    t = tmp_path / "g3.expected.jsonl"
    lines = [json.loads(x) for x in t.read_text().splitlines()]
    plain = [e for e in lines if e["type"] == "cycle" and e["grade"] == "III" and not e["modifier"]]
    assert plain
    for e in plain:
        e["modifier"] = None
    t.write_text("".join(json.dumps(e) + "\n" for e in lines))
    r = gc("evaluate", tmp_path / "g3.csv")
    assert r.returncode == 0, r.stdout
    assert "--min-modifier-accuracy" not in r.stdout


def test_a_settings_line_without_rate_hz(tmp_path):
    for suffix in (".csv", ".expected.jsonl"):
        shutil.copy(ROOT / "fixtures" / f"lumbar_grade3{suffix}", tmp_path / f"g3{suffix}")
    t = tmp_path / "g3.expected.jsonl"
    lines = [json.loads(x) for x in t.read_text().splitlines()]
    del lines[0]["rate_hz"]
    t.write_text("".join(json.dumps(e) + "\n" for e in lines))
    r = gc("evaluate", tmp_path / "g3.csv")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {t}:1: no rate_hz in the settings line (a positive number)"]


def test_an_imu_recording_is_scored_against_its_expected_movement(tmp_path):
    """``simulate --imu`` writes NAME.imu-expected.jsonl beside NAME.imu.csv: evaluate scores the
    IMU's cycles (0.5 mm or more found, their amplitude) and thrusts against it; it said 'no
    NAME.imu.expected.jsonl beside it', a name simulate never writes."""
    for name in ("imu_grade3.imu.csv", "imu_grade3.imu-expected.jsonl"):
        shutil.copy(ROOT / "fixtures" / name, tmp_path / name)
    imu = tmp_path / "imu_grade3.imu.csv"
    r = gc("evaluate", imu)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith(f"{imu}: IMU cycles 12 of 12 found (0.5 mm or more), amplitude error median ")
    t = tmp_path / "imu_grade3.imu-expected.jsonl"
    lines = [json.loads(x) for x in t.read_text().splitlines()]
    last = lines[-1]
    extra = [dict(last, t_start=last["t_start"] + k * 100, t_end=last["t_end"] + k * 100,
                  t_crest=last["t_crest"] + k * 100, displacement_mm=2.0) for k in (1, 2, 3)]
    t.write_text("".join(json.dumps(e) + "\n" for e in lines + extra))
    r = gc("evaluate", imu)
    assert r.returncode == 1
    out = r.stdout.splitlines()
    assert out[1] == ("  below the thresholds: IMU cycles of 0.5 mm or more found of those expected: 80.0 % "
                      "(at least 85 %, --min-imu-cycles-found)")
    assert out[2].startswith(f"    --min-imu-cycles-found: IMU cycle of 2.0 mm cresting at {extra[0]['t_crest']:.2f} s "
                             f"not found")
