"""Audio that ends near a thrust: the thrust's pops are known (0: none) only when the audio covers
the whole window around its peak in which a pop could be tied to it; a pop after the cut was
not heard, so the thrust's pops are unknown ("–"), not "no pop"."""

from __future__ import annotations

import csv as csv_module
import json

import pytest
import soundfile as sf

from tests.conftest import gc
from ui.cli import main

CAL = ("--r1", 40, "--r2", 120)


@pytest.fixture(scope="module")
def thrusts(tmp_path_factory):
    """Six simulated thrusts with their sound: the fourth came without a pop, the fifth with four."""
    d = tmp_path_factory.mktemp("edge")
    csv = d / "t.csv"
    r = gc("simulate", "--thrust", "--sets", 6, "--audio", 16000, "--seed", 1, "-o", csv)
    assert r.returncode == 0, r.stderr
    truth = [json.loads(x) for x in (d / "t.expected.jsonl").read_text().splitlines()]
    peaks = [e["t_peak"] for e in truth if e["type"] == "thrust"]
    pops = [e for e in truth if e["type"] == "cavitation"]
    assert len(peaks) == 6 and not [p for p in pops if p["thrust"] == 3]
    assert len([p for p in pops if p["thrust"] == 4]) == 4
    x, sr = sf.read(str(d / "t.flac"), dtype="float32")
    return d, csv, peaks, x, sr


def replay(csv, flac):
    r = gc("replay", csv, "--audio", flac, *CAL, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    table = gc("replay", csv, "--audio", flac, *CAL, "--format", "table").stdout
    rows = [x for x in table.splitlines() if x.strip()[:1].isdigit()]
    return json.loads(r.stdout.splitlines()[-1])["thrusts"], rows


def test_audio_cut_120_ms_before_a_thrusts_peak_leaves_its_pops_unknown_not_none(thrusts):
    d, csv, peaks, x, sr = thrusts
    cut = d / "cut.flac"
    sf.write(str(cut), x[:int(round((peaks[4] - 0.120) * sr))], sr)     # its 4 pops came after the cut
    rows, table = replay(csv, cut)
    assert [t["pops"] for t in rows[3:]] == [0, None, None]      # the fourth heard whole, without a pop
    assert rows[4]["first_pop_ms_from_peak"] is None
    assert table[3].endswith("  no pop"), table
    assert table[4].endswith("  –") and "no pop" not in table[4], table


def test_a_thrust_without_a_pop_is_no_pop_only_when_the_audio_outlasts_its_window(thrusts):
    """The tie window is 150 ms; the detector finds a pop only with about 10 ms of it before the
    audio's end, so audio ending 4 ms after the window leaves the thrust unknown, 20 ms after it not."""
    d, csv, peaks, x, sr = thrusts
    full, _ = replay(csv, d / "t.flac")
    assert [t["pops"] for t in full] == [1, 4, 3, 0, 4, 1]
    t_peak = full[3]["t_peak"]
    got = []
    for after_ms in (4, 20):
        cut = d / f"cut{after_ms}.flac"
        sf.write(str(cut), x[:int(round((t_peak + 0.150 + after_ms / 1e3) * sr))], sr)
        rows, table = replay(csv, cut)
        got.append((rows[3]["pops"], table[3].endswith("  no pop")))
    assert got == [(None, False), (0, True)]


def test_a_silent_stretch_ending_in_a_thrusts_window_leaves_its_pops_unknown(thrusts):
    """A microphone muted for a few seconds (every sample 0), unmuted 60 ms before the fourth
    thrust's peak (the silence is found in 100 ms frames: it ends 60-160 ms before the peak):
    part of the window a pop could be tied to it from was not heard, so its pops are unknown, as
    where the audio ends; the thrusts heard whole keep their counts."""
    d, csv, peaks, x, sr = thrusts
    muted = x.copy()
    muted[int(round((peaks[3] - 3.0) * sr)):int(round((peaks[3] - 0.060) * sr))] = 0.0
    flac = d / "muted.flac"
    sf.write(str(flac), muted, sr)
    rows, table = replay(csv, flac)
    assert [t["pops"] for t in rows] == [1, 4, 3, None, 4, 1]
    assert table[3].endswith("  –") and "no pop" not in table[3], table


def test_audio_cut_among_a_thrusts_pops_counts_the_pops_heard_as_a_least_number(thrusts):
    """The fifth thrust's four pops, the audio cut 8 ms after its second: two were heard, and more
    may have come after the cut, so it has "at least 2 pops" (the jsonl says so too), while the
    thrusts heard whole keep their plain counts."""
    d, csv, peaks, x, sr = thrusts
    truth = [json.loads(v) for v in (d / "t.expected.jsonl").read_text().splitlines()]
    pops = sorted(e["t"] for e in truth if e["type"] == "cavitation" and e["thrust"] == 4)
    cut = d / "among.flac"
    sf.write(str(cut), x[:int(round((pops[1] + 0.008) * sr))], sr)   # (the third 8.4 ms after it)
    rows, table = replay(csv, cut)
    assert [t["pops"] for t in rows[:5]] == [1, 4, 3, 0, 2]
    assert [t["pops_partly_heard"] for t in rows[:5]] == [False, False, False, False, True]
    assert "  at least 2 pops, first heard " in table[4], table
    assert "at least" not in "".join(table[:4]), table
    # the report: "≥2" in its thrusts table, pops_partly_heard in its CSV
    page, events = d / "among.html", d / "among.csv"
    assert main(["report", str(csv), "--audio", str(cut), *map(str, CAL), "-o", str(page), "--csv", str(events)]) == 0
    html = page.read_text()
    assert html.count("<td>≥") == 1 and "<td>≥2</td><td>-2" in html
    with open(events, newline="", encoding="utf-8-sig") as fh:
        got = [(r["pops"], r["pops_partly_heard"]) for r in csv_module.DictReader(fh) if r["type"] == "thrust"]
    assert got == [("1", "no"), ("4", "no"), ("3", "no"), ("0", "no"), ("2", "yes"), ("", "")]
