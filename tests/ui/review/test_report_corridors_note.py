"""A class report whose V (HVLA) recordings were judged against different corridors says so
under the overview, as it says different calibrations: two trainees' thrusts scored 100 and 0
side by side had nothing in the table to say one was judged against 120–135 N and the other
against the trainer's 100–160 N."""

from __future__ import annotations

import html
import json
import re

from ui.cli import main

from .conftest import make_session


def _note(page) -> str | None:
    found = re.search(r'<p class="calibrations">([^<]*)</p>', page.read_text(encoding="utf-8"))
    return html.unescape(found.group(1)) if found else None


def test_the_overview_names_the_corridors_each_recording_was_judged_against(tmp_path, capsys):
    root = tmp_path / "class"
    make_session(root / "ana-v", trainee="Ana", kinds=("V", "V"), target="V", seed=1)
    bo = make_session(root / "bo-v", trainee="Bo", kinds=("V", "V"), target="V", seed=2)
    meta = json.loads((bo / "session.json").read_text(encoding="utf-8"))
    meta["target_detail"] = {"text": "V", "grade": "V", "preload_n": [120.0, 135.0], "peak_n": [500.0, 700.0]}
    (bo / "session.json").write_text(json.dumps(meta), encoding="utf-8")
    page = tmp_path / "r.html"
    assert main(["report", "--class", str(root), "-o", str(page)]) == 0
    assert _note(page) == ("Thrusts judged against different corridors: V, preload 100–160 N, peak 400–650 N "
                           "(recording 1); V, preload 120–135 N, peak 500–700 N (recording 2).")
    # judged alike: no line
    (bo / "session.json").write_text(json.dumps({k: v for k, v in meta.items() if k != "target_detail"}),
                                     encoding="utf-8")
    assert main(["report", "--class", str(root), "-o", str(page)]) == 0
    capsys.readouterr()
    assert _note(page) is None
