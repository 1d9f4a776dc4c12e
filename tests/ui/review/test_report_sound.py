"""A recording without sound: the report's thrust table reads "–" for its pops and the page
says no audio was recorded, as replay and the review do; it read "0" pops on every thrust."""

from __future__ import annotations

import re

from ui.cli import main

from .conftest import make_session
from ._report_page import Page


def _report(tmp_path, folder) -> str:
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def _fact(text: str, name: str) -> str:
    m = re.search(rf"<dt>{name}</dt><dd>([^<]*)</dd>", text)
    assert m, f"no {name!r} in the facts"
    return m.group(1)


def test_thrusts_recorded_without_sound_have_no_pop_count(tmp_path):
    text = _report(tmp_path, make_session(tmp_path / "quiet", kinds=("III", "V"), audio=False))
    rows = Page(text).table("thrusts")
    assert rows and all(r["pops"] == "–" for r in rows)
    assert _fact(text, "pops") == "no audio recorded"


def test_thrusts_recorded_with_sound_count_their_pops(tmp_path):
    text = _report(tmp_path, make_session(tmp_path / "heard", kinds=("III", "V"), audio=True))
    rows = Page(text).table("thrusts")
    assert rows and all(r["pops"].isdigit() for r in rows)
    assert sum(int(r["pops"]) for r in rows) >= 1             # (the two pops made before its peak)
    assert re.fullmatch(r"\d+ \(\d+ with a thrust\)", _fact(text, "pops"))
