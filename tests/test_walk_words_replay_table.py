"""Replay's thrust table speaks a therapist's words: its headings read "peak at (s)", "rate (N/s)",
"let-up", not "t_peak_s", "rate_N/s", "let-up_N", its key says what a "–" duration means without
"the thrust's decision", and a flagged let-up reads with its unit as the trainer's HVLA tab says it
("25.1 N flagged", not "25.1 flagged"). The JSON lines keep their field names."""

from __future__ import annotations

import json
import re

from tests.conftest import ROOT, gc

FIX = ROOT / "fixtures"


def table(text: str) -> tuple[list[str], list[list[str]]]:
    """The thrust table's headings and rows, cells split where two spaces or more part them."""
    lines = text.splitlines()
    at = next(i for i, x in enumerate(lines) if x.lstrip().startswith("thrust  "))
    cells = [re.split(r"\s{2,}", x.strip()) for x in lines[at:] if x.strip()]
    return cells[0], cells[1:]


def test_headings_are_words_with_their_units():
    r = gc("replay", FIX / "thrust_ble_letup.csv", "--format", "table")
    assert r.returncode == 0, r.stderr
    head, rows = table(r.stdout)
    assert head == ["thrust", "peak at (s)", "preload (N)", "peak (N)", "to peak (ms)", "duration (ms)",
                    "rate (N/s)", "max rate (N/s)", "let-up", "pops"]
    for word in ("t_peak_s", "rate_N/s", "max_N/s", "let-up_N", "ttp_ms", "dur_ms", "decision"):
        assert word not in r.stdout, word
    # the let-up with its unit and the flag after it, as the trainer's HVLA tab words it
    jsonl = gc("replay", FIX / "thrust_ble_letup.csv", "--format", "jsonl")
    thrusts = json.loads(jsonl.stdout.splitlines()[-1])["thrusts"]
    assert thrusts and all(t["letup"] for t in thrusts)
    assert [row[8] for row in rows] == [f"{t['letup_n']:.1f} N flagged" for t in thrusts]
    # the machine-readable output keeps its field names
    assert {"t_peak", "rate_n_per_s", "max_rate_n_per_s", "letup_n", "time_to_peak_ms"} <= set(thrusts[0])
