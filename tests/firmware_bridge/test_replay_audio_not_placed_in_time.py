"""Replay of a session whose microphone delivered sound far off its own rate (a file played as the
microphone: session.json's audio ``rate_delivered_hz``, as ``record`` judged it) analysed its
audio.flac again and counted the pops as if placed in time with the force: 0 for every thrust, with
"8 pops heard, none near a thrust" beside the kept warning that they are unknown, or pops tied to
thrusts they need not belong to. Now every thrust's pops are unknown ("–"), the pops heard are
listed tied to no thrust, and nothing is said of where they lie against the thrusts.

Real parts: the recorder writing the force of the fixture's first two thrusts, the replay command;
the folder's audio is a quiet room with pops at chosen times and its session.json entry is that of
such an input (``firmware_bridge.audio.mic_loss``'s ``rate_delivered_hz``)."""

from __future__ import annotations

import json

from analysis.scheme import GradingScheme
from firmware_bridge.audio import delivered_note
from firmware_bridge.recorder import finish_meta, first_chunks, new_meta, record
from firmware_bridge.session import SOURCE_WARNINGS_KEY, SessionWriter
from firmware_bridge.sources import FileSource
from tests._cli_in_process import gc_in_process
from tests._pops_audio import PEAKS_S, RATE_HZ, force_csv, pops_flac

UNTIL_S = 9.0                   # the fixture's first two thrusts
DELIVERED_HZ = 2.0 * RATE_HZ


def _session(tmp_path, pops_s, kept_warning: bool):
    """A recorded folder of the first two thrusts' force, its audio.flac with pops at ``pops_s``,
    from an input that delivered twice its rate; ``kept_warning``: session.json keeps ``record``'s
    warning (a recording made before it did has only the rate)."""
    out = tmp_path / "rec"
    src = FileSource(str(force_csv(tmp_path / "force.csv", UNTIL_S)), speed=60.0)
    src.open()
    scheme = GradingScheme(40.0, 120.0)
    w = SessionWriter(out, new_meta(src, scheme))
    ticks = iter(range(10 ** 6))
    try:
        finish_meta(w, src, record(src, w, scheme, pending=first_chunks(src), clock=lambda: float(next(ticks))))
    finally:
        src.close()
        w.close(1000.0)
    pops_flac(out / "audio.flac", pops_s, UNTIL_S + 1.0)
    meta = json.loads((out / "session.json").read_text())
    meta["streams"]["audio"] = {"file": "audio.flac", "rate_hz": float(RATE_HZ), "channels": 1, "t0_s": 0.0,
                                "rate_measured_hz": None, "device": "file plugin", "overflows": 0,
                                "dropped_blocks": 0, "lost_s": 0.0, "rate_delivered_hz": DELIVERED_HZ}
    said = f"{delivered_note(DELIVERED_HZ, RATE_HZ, 'audio input')}, so the thrusts' pops are unknown"
    if kept_warning:
        meta.setdefault("extra", {})[SOURCE_WARNINGS_KEY] = [said]
    (out / "session.json").write_text(json.dumps(meta))
    return out


def _replay(capfd, tmp_path, out):
    r = gc_in_process(capfd, "replay", out, "-o", tmp_path / "r.jsonl")
    assert r.returncode == 0, r.stderr
    events = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()]
    t = gc_in_process(capfd, "replay", out, "--format", "table")
    return t, events


def test_pops_away_from_the_thrusts_are_unknown_not_none_and_not_said_misplaced(tmp_path, capfd):
    out = _session(tmp_path, [p + 1.5 for p in PEAKS_S[:2]], kept_warning=True)
    r, events = _replay(capfd, tmp_path, out)
    s = events[-1]
    assert s["type"] == "summary" and s["n_thrusts"] == 2, s
    assert [t["pops"] for t in s["thrusts"]] == [None, None], s["thrusts"]
    assert s["n_cavitations"] == 2 and not any("near a thrust" in w for w in s["warnings"]), s["warnings"]
    assert sum("not placed in time with the force" in w for w in s["warnings"]) == 1, s["warnings"]
    assert "near a thrust" not in r.stdout + r.stderr and "no pop" not in r.stdout, (r.stdout, r.stderr)
    assert r.stdout.splitlines()[0].endswith("2 thrusts, 2 pops (unknown at 2 of 2 thrusts)"), r.stdout


def test_pops_at_the_thrusts_are_tied_to_none_and_an_older_recording_is_judged_by_its_rate(tmp_path, capfd):
    out = _session(tmp_path, PEAKS_S[:2], kept_warning=False)
    r, events = _replay(capfd, tmp_path, out)
    s = events[-1]
    assert [t["pops"] for t in s["thrusts"]] == [None, None], s["thrusts"]
    pops = [e for e in events if e["type"] == "cavitation"]
    assert len(pops) == 2 and all(e["thrust"] is None for e in pops), pops
    said = [w for w in s["warnings"] if "not placed in time with the force" in w]
    assert said == [f"{out / 'audio.flac'}: {delivered_note(DELIVERED_HZ, RATE_HZ)}, so the thrusts' pops are "
                    f"unknown"], s["warnings"]
    assert (r.stdout + r.stderr).count("not placed in time") == 1, (r.stdout, r.stderr)
