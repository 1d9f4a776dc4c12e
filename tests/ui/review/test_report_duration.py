"""The report gives a recording's length as replay's table does: the force's, with the sound's
beside it where that differs ("6.8 s (audio 7.3 s)"); it gave the sound's alone, longer than
the force plot above it."""

from __future__ import annotations

import re

from ui.cli import main


def _replay_length(capsys, *args) -> str:
    capsys.readouterr()                                 # (what came before)
    assert main(["replay", *args, "--format", "table"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    return first.split(": ", 1)[1].split(", ")[0]


def test_report_duration_is_replays_length(tmp_path, capsys):
    sim = tmp_path / "x.csv"
    assert main(["simulate", "--thrust", "--audio", "48000", "-o", str(sim)]) == 0
    audio = sim.with_suffix(".flac")
    length = _replay_length(capsys, str(sim), "--audio", str(audio))
    assert "(audio " in length                          # (the sound runs past the force)
    out = tmp_path / "r.html"
    assert main(["report", str(sim), "--audio", str(audio), "-o", str(out)]) == 0
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", out.read_text()))
    assert facts["duration"] == length

