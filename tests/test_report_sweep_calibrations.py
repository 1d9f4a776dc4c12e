"""A class report whose recordings were graded against different calibrations says so under its
overview, with each calibration's recordings by their numbers there: the same set scored 100
and 50 side by side, with nothing in the table to say why. A class graded alike has no such line."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import class_folder
from tests.ui.review.conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _calibrations(page: str) -> list[str]:
    return re.findall(r'<p class="calibrations">([^<]*)</p>', page)


def test_mixed_calibrations_are_named_under_the_overview(tmp_path, capsys):
    from ui.cli import main
    group = tmp_path / "class"
    make_session(group / "ana", trainee="Ana", seed=3, cycles=4)
    carla = make_session(group / "carla", trainee="Carla", seed=3, cycles=4, events=False)
    meta = json.loads((carla / "session.json").read_text())
    meta.update(r1_n=30.0, r2_n=100.0, alpha=0.7)
    (carla / "session.json").write_text(json.dumps(meta))
    make_session(group / "dan", trainee="Dan", seed=4, cycles=4)
    out = tmp_path / "r.html"
    assert main(["report", "--class", str(group), "-o", str(out)]) == 0
    capsys.readouterr()
    page = out.read_text(encoding="utf-8")
    assert _calibrations(page) == ["Graded against different calibrations: R1 40.0 N, R2 120.0 N, alpha 0.5 "
                                   "(recordings 1, 3); R1 30.0 N, R2 100.0 N, alpha 0.7 (recording 2)."]
    # (after the overview table, before the score chart)
    assert page.index("</table>") < page.index('class="calibrations"') < page.index('alt="scores by recording"')


def test_a_class_graded_alike_has_no_such_line(tmp_path, capsys):
    from ui.cli import main
    group = class_folder(tmp_path / "class", "ana", "ben", "cleo")
    out = tmp_path / "r.html"
    assert main(["report", "--class", str(group), "-o", str(out)]) == 0
    capsys.readouterr()
    assert _calibrations(out.read_text(encoding="utf-8")) == []
