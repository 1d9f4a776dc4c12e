"""A class report's overview counts the cycles of a recording made with a hand-worn IMU alone as
the IMU's ("16 (IMU)"), as its own section ("IMU cycles") and the review's session details do; it
said 0, as if the mobilisation had not been done. A recording with force counts its graded force
cycles, as before. Made by the real command line on session folders."""

from __future__ import annotations

import re

import pytest

from ui.cli import main
from ui.review.data import describe_session, open_review

from .conftest import mobilisation_sessions
from ._report_page import Page
from ._screen_change_facts import facts

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_the_overview_counts_an_imu_only_recordings_cycles_as_the_imus(tmp_path, capsys):
    root, imu, both = mobilisation_sessions(tmp_path)
    out = tmp_path / "class.html"
    assert main(["report", "--class", str(root), "-o", str(out)]) == 0
    capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    head, *rows = Page(text).tables["overview"]
    by_name = {r[head.index("recording")]: dict(zip(head, r)) for r in rows}
    review = {f.name: dict(describe_session(open_review(f, movement=False))) for f in (imu, both)}

    n_imu = review["imu"]["IMU cycles"].split(",")[0]
    assert int(n_imu) >= 12
    assert by_name["imu"]["cycles"] == f"{n_imu} (IMU)"
    assert by_name["both"]["cycles"] == review["both"]["cycles"] != "0"
    # each recording's own section names the IMU's cycles as the review does, and no force cycles
    names = re.findall(r'<section class="recording" id="r\d+"><h2>\d+\. (\w+)</h2>', text)
    assert sorted(names) == ["both", "imu"]
    sections = dict(zip(names, facts(text)))
    assert dict(sections["imu"])["IMU cycles"] == review["imu"]["IMU cycles"]
    assert dict(sections["both"])["IMU cycles"] == review["both"]["IMU cycles"]
    assert "cycles" not in dict(sections["imu"]) and "cycles" not in review["imu"]
