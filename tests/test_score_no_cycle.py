"""A session aimed at a grade in which no cycle was done has its score said "no cycle", as record
says it ("target III: no cycle"), in library list and the report's overview, as a V session with
no thrust says "no thrust": both showed "–", as for a session with no target."""

from __future__ import annotations

import html
import re

from tests._cli_in_process import gc_in_process
from ui.library.stats import score_shown


def test_the_score_cell_tells_no_cycle_from_no_target():
    assert score_shown(None, "III", 0, n_cycles=0) == "no cycle"
    assert score_shown(None, None, 0, n_cycles=0) == "–"                 # no target
    assert score_shown(None, "III", 0, n_cycles=5) == "–"                # cycles that cannot be judged
    assert score_shown(None, "III", 0) == "–"                            # (cycles not known)
    assert score_shown(None, "V", 0, n_cycles=0) == "no thrust"
    assert score_shown(75.0, "III", 0, n_cycles=0) == "75"


def test_library_list_and_the_report_say_no_cycle(tmp_path, capfd):
    root = tmp_path / "class"
    for name, target in (("short", "III"), ("none", None)):
        args = ["record", "--device", "emulator:grade3", "--out", root / name, "--duration", "0.5", "--r1", "40",
                "--r2", "120", "--quiet", *(["--target", target] if target else [])]
        assert gc_in_process(capfd, *args).returncode == 0
    r = gc_in_process(capfd, "library", "list", root)
    assert r.returncode == 0, r.stderr
    cells = {row.split()[-1]: row for row in r.stdout.splitlines()[1:]}
    assert " no cycle " in cells["short"] and " no cycle " not in cells["none"]
    r = gc_in_process(capfd, "report", "--class", root, "-o", tmp_path / "r.html")
    assert r.returncode == 0, r.stderr
    page = html.unescape((tmp_path / "r.html").read_text(encoding="utf-8"))
    table = page.split('<table class="overview">')[1].split("</table>")[0]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)]
    assert sorted(row[5] for row in rows if row) == ["no cycle", "–"]
