"""Thrusts no audio was heard around: their pops are unknown, not none: null in the JSON output,
"–" in the table and the report; 0 only where the audio was listened to and held no pop."""

from __future__ import annotations

import json

import soundfile as sf

from tests.conftest import ROOT, gc

FIX = ROOT / "fixtures"
CAL = ("--r1", 40, "--r2", 120)


def test_thrusts_after_the_audio_ends_have_unknown_pops_in_json_and_table(tmp_path):
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    cut = tmp_path / "cut.flac"
    sf.write(str(cut), x[:10 * sr], sr)                   # the microphone stopped at 10 s
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", cut, *CAL, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout.splitlines()[-1])
    assert s["audio"] is True and s["spans_s"]["audio"][1] < 10.0
    heard = [t["pops"] for t in s["thrusts"] if t["t_peak"] < 10.0]
    unheard = [t for t in s["thrusts"] if t["t_peak"] > 10.2]
    assert len(heard) == 2 and all(n >= 1 for n in heard)           # peaks at 3.2 and 7.6 s
    assert len(unheard) == 4 and all(t["pops"] is None and t["first_pop_ms_from_peak"] is None for t in unheard)
    table = gc("replay", FIX / "thrust_pops.csv", "--audio", cut, *CAL, "--format", "table").stdout
    rows = [x for x in table.splitlines() if x.strip()[:1].isdigit()]
    assert len(rows) == 6
    assert all("pop" in row for row in rows[:2])
    assert all(row.endswith("  –") and "no pop" not in row for row in rows[2:]), rows


def test_a_recording_without_audio_has_unknown_pops_in_json_as_in_the_table():
    """It gave "pops": 0 beside "audio": false, which reads as no pop where nothing listened."""
    r = gc("replay", FIX / "thrust_pops.csv", *CAL, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout.splitlines()[-1])
    assert s["audio"] is False and s["n_thrusts"] == 6
    assert all(t["pops"] is None and t["first_pop_ms_from_peak"] is None for t in s["thrusts"]), s["thrusts"]
    table = gc("replay", FIX / "thrust_pops.csv", *CAL, "--format", "table").stdout
    rows = [x for x in table.splitlines() if x.strip()[:1].isdigit()]
    assert len(rows) == 6 and all(row.endswith("  –") for row in rows), rows


def test_a_thrust_the_audio_heard_without_a_pop_has_0_pops():
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac", *CAL, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout.splitlines()[-1])
    assert s["audio"] is True
    assert [t["pops"] for t in s["thrusts"]] == [4, 1, 2, 0, 2, 4]     # the fourth thrust came without one
    assert s["thrusts"][3]["first_pop_ms_from_peak"] is None
    table = gc("replay", FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac", *CAL, "--format", "table").stdout
    rows = [x for x in table.splitlines() if x.strip()[:1].isdigit()]
    assert rows[3].endswith("  no pop"), rows


def test_audio_that_does_not_overlap_the_force_is_one_warning_naming_both_files_and_spans(tmp_path):
    lines = (FIX / "thrust_pops.csv").read_text().splitlines()
    late = tmp_path / "late.csv"                          # the force 100 s later than the audio
    late.write_text("\n".join([lines[0]] + [f"{float(t) + 100:.6f},{f}" for t, f in
                                            (x.split(",") for x in lines[1:])]) + "\n")
    r = gc("replay", late, "--audio", FIX / "thrust_pops.flac", *CAL, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    said = [x for x in r.stderr.splitlines() if "overlap" in x]
    assert len(said) == 1
    assert str(late) in said[0] and "thrust_pops.flac" in said[0]
    assert "at 0.0–31.8 s" in said[0] and "at 100.0–131.3 s" in said[0], said[0]
    s = json.loads(r.stdout.splitlines()[-1])
    assert s["n_thrusts"] == 6 and all(t["pops"] is None for t in s["thrusts"])
    # overlapping audio says nothing of the kind
    r = gc("replay", FIX / "thrust_pops.csv", "--audio", FIX / "thrust_pops.flac", *CAL, "--format", "jsonl")
    assert "overlap" not in r.stderr


def test_the_report_shows_a_thrust_the_audio_did_not_reach_as_unknown_not_none(tmp_path):
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    cut = tmp_path / "cut.flac"
    sf.write(str(cut), x[:10 * sr], sr)
    page = tmp_path / "r.html"
    r = gc("report", FIX / "thrust_pops.csv", "--audio", cut, *CAL, "-o", page)
    assert r.returncode == 0, r.stderr
    html = page.read_text()
    assert ">None<" not in html
    body = html[html.index("time to peak"):]
    rows = [row for row in body.split("<tr>")[1:] if "<td>" in row][:6]
    pops = [row.split("<td>")[10].split("<")[0] for row in rows]   # the 10th cell: pops
    assert pops[:2] != ["–", "–"] and pops[2:] == ["–"] * 4, pops
