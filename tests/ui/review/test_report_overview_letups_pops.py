"""The class overview says, for each recording with thrusts, how many had a let-up and how many
pops were tied to them, so an examiner sees which candidate let the force up or popped without
opening each section; blank for a recording without thrusts, "–" for pops no sound was there
to count."""

from __future__ import annotations

import json

from ui.cli import main

from .conftest import make_session
from ._report_page import Page


def _events(folder):
    return [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines() if x.strip()]


def test_the_overview_counts_let_ups_and_pops(tmp_path, capsys):
    root = tmp_path / "class"
    heard = make_session(root / "ana-v", trainee="Ana", kinds=("V", "V"), target="V", seed=1, audio=True)
    make_session(root / "bo-v", trainee="Bo", kinds=("V",), target="V", seed=2)
    make_session(root / "cem-osc", trainee="Cem", kinds=("III",), target="III", seed=3)
    out = tmp_path / "class.html"
    assert main(["report", "--class", str(root), "-o", str(out)]) == 0
    capsys.readouterr()
    rows = {r["recording"]: r for r in Page(out.read_text(encoding="utf-8")).table("overview")}
    events = _events(heard)
    thrusts = [e for e in events if e["type"] == "thrust"]
    tied = [e for e in events if e["type"] == "cavitation" and e.get("thrust") is not None]
    assert thrusts and tied
    assert rows["ana-v"]["let-ups"] == str(sum(bool(e["letup"]) for e in thrusts))
    assert rows["ana-v"]["pops with a thrust"] == str(len(tied))
    assert rows["bo-v"]["let-ups"] in ("0", "1") and rows["bo-v"]["pops with a thrust"] == "–"      # (no sound recorded)
    assert rows["cem-osc"]["let-ups"] == rows["cem-osc"]["pops with a thrust"] == ""
