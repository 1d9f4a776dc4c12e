"""A session whose sound file was deleted after it was recorded (audio.wav and its entry in
session.json gone) while its stored events keep the pops heard in it."""

from __future__ import annotations

import csv
import json
import re

from firmware_bridge.replay import analyze_input, load_input
from ui.cli import main
from ui.library import Library

from .conftest import make_session
from ._report_page import Page


def _without_sound(folder):
    (folder / "audio.wav").unlink()
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    del meta["streams"]["audio"]
    mp.write_text(json.dumps(meta))
    return folder


def test_stored_pops_without_their_sound_are_left_out_as_replay_does(tmp_path, capsys):
    """The thrust table read pops '–' beside first-pop values (-22, +1, -12 ms) and the CSV kept
    the stored cavitation rows, while replaying the folder found no pops."""
    folder = make_session(tmp_path / "root" / "heard", kinds=("III", "V"), audio=True, target="V")
    stored = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
    n_pops = sum(e["type"] == "cavitation" for e in stored)
    assert n_pops >= 1 and any(t.get("first_pop_ms_from_peak") is not None for t in stored[-1]["thrusts"])
    _without_sound(folder)
    out, table = tmp_path / "r.html", tmp_path / "r.csv"
    assert main(["report", str(folder), "-o", str(out), "--csv", str(table)]) == 0
    err = capsys.readouterr().err
    assert f"its {n_pops} pop{'s' if n_pops != 1 else ''} were heard in sound the folder no longer has" in err
    text = out.read_text(encoding="utf-8")
    rows = Page(text).table("thrusts")
    assert rows and all(r["pops"] == "–" and r["first pop (ms after peak; - before)"] == "–" for r in rows)
    fact = re.search(r"<dt>pops</dt><dd>([^<]*)</dd>", text).group(1)
    assert fact == (f"unknown: the sound file is gone; the {n_pops} pop{'s' if n_pops != 1 else ''} "
                    f"of the stored analysis left out")
    with open(table, newline="", encoding="utf-8-sig") as fh:
        kinds = [r["type"] for r in csv.DictReader(fh)]
    replayed = [e for e in analyze_input(load_input(folder)) if e.to_dict().get("type") == "cavitation"]
    assert kinds.count("cavitation") == len(replayed) == 0
    with Library(tmp_path / "root", str(tmp_path / "i.sqlite")) as lib:       # the index decides alike
        lib.refresh()
        assert [r["stats_source"] for r in lib.rows()] == ["analysis"]
