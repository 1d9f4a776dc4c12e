"""A serial link too slow for its sensor loses a frame many times a second: the recording tells
the user so in a few lines (the first loss, then running totals at most every few seconds, and
the totals at the end), not one line per gap ('50 samples lost' printed 159 times in 10 s at
9600 baud), while session.json still marks every gap. The emulator runs on a real
pseudo-terminal at 9600 baud, its clock and the recording's ``speed`` times faster than real time.
"""

from __future__ import annotations

import math
import re

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import LOSS_REPORT_S, finish_meta, record
from firmware_bridge.session import open_session
from tests.conftest import pty_recording

SCHEME = GradingScheme(40, 120)


def test_a_link_that_loses_frames_all_the_time_is_told_in_a_few_lines_with_totals(tmp_path):
    speed, duration_s = 4.0, 12.0
    said: list[str] = []
    with pty_recording(tmp_path, "grade3", 1000, SCHEME, speed=speed, baud=9600) as (em, src, w):
        res = record(src, w, SCHEME, duration_s=duration_s, notice=said.append, clock=src.clock)
        finish_meta(w, src, res)
    s = open_session(tmp_path / "sess")
    gaps = [g for g in s.meta.gaps if g["reason"] == "dropped samples"]
    assert len(gaps) > 100 and len(res.gaps) == len(gaps)            # every gap is still stored
    lost = [x for x in said if "lost" in x]
    assert len(lost) <= 2 + math.ceil(duration_s / LOSS_REPORT_S), lost
    assert re.fullmatch(r"serial:\S+: \d+ samples lost", lost[0])      # the first at once
    total = s.meta.extra["device_stats"]["dropped"]
    assert total >= 50 * len(gaps)
    assert lost[-1].endswith(f": {total} samples lost in {len(gaps)} gaps in all"), lost
    assert any(re.search(r"in the last \d+ s \(\d+ samples lost in \d+ gaps so far\)", x) for x in lost), lost
