"""A microphone set too loud: the sound flattened at its ceiling (at full scale, or clipped and
then scaled down) is said as clipping, with the gain to turn down, and a thrust whose sound
around it is clipped and where no pop was heard has unknown pops ("–"), not "no pop"."""

from __future__ import annotations

import json

import pytest
import soundfile as sf

from tests._loud_sound import loud_copies
from tests.conftest import ROOT, gc

CAL = ("--r1", 40, "--r2", 120)
CSV = ROOT / "fixtures" / "thrust_pops.csv"


@pytest.fixture(scope="module")
def loud(tmp_path_factory):
    return loud_copies(tmp_path_factory.mktemp("clip"), {"hot": (300, 1.0), "hotnorm": (300, 0.89),
                                                         "hot100": (100, 1.0), "plain": (1, 1.0)})


def replay(audio):
    r = gc("replay", CSV, "--audio", audio, *CAL, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.splitlines()[-1]), r.stderr


@pytest.mark.parametrize("name", ["hot", "hotnorm"])
def test_clipped_sound_is_said_and_its_thrusts_pops_are_unknown_not_none(loud, name):
    summary, err = replay(loud[name])
    assert "clipping (41 % of the sound at its ceiling): turn the input gain down" in err, err
    assert "muted or dead microphone" not in err
    assert [t["pops"] for t in summary["thrusts"]] == [None] * 6
    table = gc("replay", CSV, "--audio", loud[name], *CAL, "--format", "table").stdout
    rows = [x for x in table.splitlines() if x.strip()[:1].isdigit()]
    assert len(rows) == 6 and all(r.endswith("  –") for r in rows), table


def test_partly_clipped_sound_leaves_pops_heard_and_unknown_where_none_were(loud):
    summary, err = replay(loud["hot100"])
    assert "clipping (6.2 % of the sound at its ceiling)" in err, err
    pops = [t["pops"] for t in summary["thrusts"]]
    assert pops[3] is None and pops[5] is None, pops         # (4 pops under the flattened sound)
    assert pops[1] == 1


def test_sound_at_a_sensible_level_is_not_said_to_clip(loud):
    summary, err = replay(loud["plain"])
    assert "clipping" not in err
    assert [t["pops"] for t in summary["thrusts"]] == [4, 1, 2, 0, 2, 4]


def test_record_says_a_clipping_microphone_at_its_end_and_keeps_it(tmp_path, loud):
    import os
    import subprocess
    import sys

    from tests.conftest import file_microphone

    x, _ = sf.read(str(loud["hot"]), dtype="int16")
    raw = tmp_path / "mic.raw"
    x[:48000 * 3].astype("<i2").tofile(raw)
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(file_microphone(home, raw)))
    out = tmp_path / "s"
    r = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:hvla", "--out", str(out),
                        "--duration", "1", "--audio", "default", "--quiet"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert "audio.flac: clipping (" in r.stderr and "turn the input gain down" in r.stderr, r.stderr
    assert r.stderr.count("clipping (") == 1, r.stderr          # (said once, though the summary keeps it too)
    audio = json.loads((out / "session.json").read_text())["streams"]["audio"]
    assert audio["clipped_share"] > 0.1, audio
