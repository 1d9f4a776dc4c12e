"""``gradecoach report``: the HTML page parsed back and checked against the events."""

from __future__ import annotations

import base64
import csv
import json
import struct
from pathlib import Path

import numpy as np
import pytest

from firmware_bridge.session import write_force_csv
from firmware_bridge.simulator import Noise, Sim, technique
from analysis.scheme import GradingScheme
from ui.cli import main

from ._report_page import Page
from .conftest import make_session, tear

REPO = Path(__file__).resolve().parents[3]


def _png_size(img: dict) -> tuple[int, int]:
    src = img["src"]
    assert src.startswith("data:image/png;base64,")
    raw = base64.b64decode(src.split(",", 1)[1])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", raw[16:24])


def _events(folder):
    return [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines() if x.strip()]


def test_session_report_tables_match_events(tmp_path, capsys):
    s = make_session(tmp_path / "ana", kinds=("III", "IV", "V", "V"), target="III", seed=4)
    meta = json.loads((s / "session.json").read_text())
    meta["comments"] = [{"t_s": 3.5, "text": "elbow <locked>", "author": "dr k"}]
    (s / "session.json").write_text(json.dumps(meta))
    out, ev_csv = tmp_path / "r.html", tmp_path / "ev.csv"
    assert main(["report", str(s), "-o", str(out), "--csv", str(ev_csv)]) == 0
    page = Page(out.read_text())
    ev = _events(s)
    cycles = [e for e in ev if e["type"] == "cycle"]
    thrusts = [e for e in ev if e["type"] == "thrust"]
    assert len(thrusts) == 2 and len(cycles) >= 10
    # every figure present, embedded, a real PNG of sensible size
    alts = [i["alt"] for i in page.images]
    assert alts == ["force of ana", "grade histogram", "thrusts"]
    assert all(_png_size(i)[0] >= 600 and _png_size(i)[1] >= 200 for i in page.images)
    # per-set numbers recomputed from the cycle events themselves
    sets = page.table("sets")
    assert len(sets) == len({c["set_index"] for c in cycles})
    for row in sets:
        mine = [c for c in cycles if c["set_index"] == int(row["set"]) - 1]
        assert int(row["cycles"]) == len(mine)
        assert float(row["mean crest (N)"]) == pytest.approx(np.mean([c["crest_n"] for c in mine]), abs=0.051)
        assert float(row["mean freq (Hz)"]) == pytest.approx(np.mean([c["freq_hz"] for c in mine]), abs=0.0051)
    rows = page.table("thrusts")
    assert len(rows) == 2
    for row, t in zip(rows, thrusts):
        assert float(row["peak (N)"]) == pytest.approx(t["peak_n"], abs=0.051)
        assert float(row["preload (N)"]) == pytest.approx(t["preload_n"], abs=0.051)
        assert float(row["time to peak (ms)"]) == pytest.approx(t["time_to_peak_ms"], abs=0.051)
        assert float(row["mean rate (N/s)"]) == pytest.approx(t["rate_n_per_s"], abs=0.51)
    com = page.table("comments")
    assert com == [{"at (s)": "3.50", "by": "dr k", "comment": "elbow <locked>"}]
    # the CSV holds every event but the summary, at full precision
    with open(ev_csv, newline="") as fh:
        got = list(csv.DictReader(fh))
    assert len(got) == len(ev) - 1
    peaks = [float(r["peak_n"]) for r in got if r["type"] == "thrust"]
    assert peaks == [t["peak_n"] for t in thrusts]


def test_bare_csv_with_audio_and_calibration_flags(tmp_path):
    import soundfile as sf
    sim = Sim(30.0, 90.0, seed=5)
    technique("III", sim, GradingScheme(30.0, 90.0), cycles=8)
    t, y = sim.sample(250.0, Noise())
    write_force_csv(tmp_path / "take.csv", t, y)
    sf.write(str(tmp_path / "take.wav"), np.zeros(int(t[-1] * 8000), np.float32), 8000)
    out = tmp_path / "r.html"
    assert main(["report", str(tmp_path / "take.csv"), "--audio", str(tmp_path / "take.wav"),
                 "--r1", "30", "--r2", "90", "--target", "III", "-o", str(out)]) == 0
    page = Page(out.read_text())
    assert [i["alt"] for i in page.images] == ["force of take.csv", "grade histogram"]
    sets = page.table("sets")
    assert sum(int(r["cycles"]) for r in sets) >= 6
    assert "III" in sets[0]["grades"]
    # same file, other calibration: the grades change
    assert main(["report", str(tmp_path / "take.csv"), "--r1", "200", "--r2", "300", "-o", str(out)]) == 0
    assert "III" not in Page(out.read_text()).table("sets")[0]["grades"]


def test_truncated_session_reports_what_is_intact(tmp_path, capsys):
    s = tear(make_session(tmp_path / "cut", kinds=("III", "III"), seed=6))
    out = tmp_path / "r.html"
    assert main(["report", str(s), "-o", str(out)]) == 0
    page = Page(out.read_text())
    assert any("unfinished (still recording, or cut off)" in w for w in page.warnings)
    assert any("last line cut off" in w for w in page.warnings)
    assert sum(int(r["cycles"]) for r in page.table("sets")) >= 3
    err = capsys.readouterr().err
    assert f"gradecoach: warning: {s}: unfinished (still recording, or cut off)" in err   # the folder named once
    assert f"{s}: {s}" not in err


def test_class_report_of_several_sessions(tmp_path, capsys):
    group = tmp_path / "class-a"
    for i, who in enumerate(("ana", "ben", "cem")):
        make_session(group / who / "w1", trainee=who, kinds=("III",) if i != 1 else ("II",), seed=10 + i,
                     cycles=6)
    out = tmp_path / "class.html"
    assert main(["report", "--class", str(group), "-o", str(out)]) == 0
    page = Page(out.read_text())
    ov = page.table("overview")
    assert [r["trainee"] for r in ov] == ["ana", "ben", "cem"]
    assert float(ov[1]["score (%)"]) == 0.0 and float(ov[0]["score (%)"]) > 50
    for r, who in zip(ov, ("ana", "ben", "cem")):
        cyc = [e for e in _events(group / who / "w1") if e["type"] == "cycle"]
        assert int(r["cycles"]) == len(cyc)
    assert len(page.images) == 1 + 3 * 2           # scores + (force, histogram) per recording
    err = capsys.readouterr().err.splitlines()      # not a terminal: plain progress lines
    assert "drawing: 3/3" in err[-1] and all("\r" not in line for line in err)


def test_class_report_piped_to_a_log_is_a_few_lines(tmp_path, capsys):
    """A class of ten piped to a log: its first and last recording read and drawn, not a line
    for every one of them twice."""
    group = tmp_path / "class-b"
    for i in range(10):
        make_session(group / f"t{i}" / "w1", trainee=f"t{i}", seed=40 + i, cycles=4)
    assert main(["report", "--class", str(group), "-o", str(tmp_path / "class.html")]) == 0
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith(("reading", "drawing"))]
    assert err[0].startswith("reading: 1/10") and err[-1].startswith("drawing: 10/10")
    assert any(line.startswith("reading: 10/10") for line in err)
    assert len(err) <= 8                              # 20 before; one more per 5 s on a slow machine


def test_bad_inputs_are_one_line(tmp_path, capsys):
    assert main(["report", str(tmp_path / "missing"), "-o", str(tmp_path / "r.html")]) == 2
    assert main(["report", "--class", str(tmp_path), "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "no such file" in err[0] and "no session folders" in err[1]


def test_report_counts_pops_per_thrust_and_lists_the_others(tmp_path):
    """An instructor's report of a thrust session with the microphone: pops per thrust and when
    the first came; a pop during the mobilisation before is listed apart."""
    import shutil

    import soundfile as sf

    from firmware_bridge.audio_sim import pop_wave

    fix = REPO / "fixtures"
    shutil.copy(fix / "thrust_pops.csv", tmp_path / "t.csv")
    x, sr = sf.read(str(fix / "thrust_pops.flac"), dtype="float32")
    w = pop_wave(np.random.default_rng(9), sr)
    k = int(1.0 * sr)                                   # a knuckle at 1.0 s, long before any thrust
    x[k:k + len(w)] += 0.2 * w / np.abs(w).max()
    sf.write(str(tmp_path / "t.flac"), x, sr)
    out = tmp_path / "r.html"
    assert main(["report", str(tmp_path / "t.csv"), "--audio", str(tmp_path / "t.flac"), "--r1", "40", "--r2", "120",
                 "-o", str(out)]) == 0
    page = Page(out.read_text())
    truth = [json.loads(x) for x in (fix / "thrust_pops.expected.jsonl").read_text().splitlines()[1:]]
    rows = page.table("thrusts")
    assert [int(r["pops"]) for r in rows] == [sum(1 for t in truth if t["type"] == "cavitation" and t["thrust"] == i)
                                              for i in range(len(rows))]
    # (signed as the header says: a pop before the peak is "-14", one after it "+2")
    first = "first pop (ms after peak; - before)"
    assert rows[3][first] == "–" and rows[0][first].startswith(("+", "-"))
    free = page.table("free-pops")
    assert len(free) == 1 and abs(float(free[0]["at (s)"]) - 1.0) < 0.005 and free[0]["during set"] == "–"
