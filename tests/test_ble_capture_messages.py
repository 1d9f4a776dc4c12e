"""A BLE capture's faults said as what they are: a missing ``t_host_s`` as "no t_host_s" (it was
"t_host_s None is not a time in s"), a meta line without a profile as "no profile" (was "profile
None is none of the supported ones"), a lone absurd time at the line that has it (it was said at
the next line, "3.24705 is before the previous line's 1e+09"), and a last line torn by a killed
recording left out with a warning (the whole capture was refused, exit 2)."""

from __future__ import annotations

import json
import re

from tests.conftest import ROOT, gc

NUS = ROOT / "fixtures" / "ble" / "nus_timed_grade2.jsonl"


def _lines():
    return NUS.read_text().splitlines(keepends=True)


def _write(tmp_path, lines, name="c.jsonl"):
    p = tmp_path / name
    p.write_text("".join(lines))
    return p


def test_no_t_host_s(tmp_path):
    lines = _lines()
    d = json.loads(lines[4])
    del d["t_host_s"]
    lines[4] = json.dumps(d) + "\n"
    p = _write(tmp_path, lines)
    r = gc("replay", p)
    assert r.returncode == 2
    assert r.stderr == f"gradecoach: error: {p}:5: no t_host_s (the notification's arrival time in s)\n"


def test_no_profile(tmp_path):
    lines = _lines()
    lines[0] = json.dumps({"meta": {"rate_hz": 200}}) + "\n"
    p = _write(tmp_path, lines)
    r = gc("replay", p)
    assert r.returncode == 2
    assert r.stderr == f"gradecoach: error: {p}:1: no profile in its meta line (one of gradecoach, nus, progressor)\n"


def test_a_lone_absurd_time_is_said_at_its_own_line(tmp_path):
    lines = _lines()
    before, after = json.loads(lines[50])["t_host_s"], json.loads(lines[52])["t_host_s"]
    lines[51] = re.sub(r'"t_host_s": [0-9.e-]+', '"t_host_s": 1e9', lines[51])
    p = _write(tmp_path, lines)
    r = gc("replay", p)
    assert r.returncode == 2
    assert r.stderr == (f"gradecoach: error: {p}:52: t_host_s 1e+09 is after the next line's {after:g}, which goes "
                        f"on from the line before ({before:g}); a capture is in order of arrival\n")


def test_a_time_going_back_for_good_is_still_said_where_it_goes_back(tmp_path):
    lines = _lines()
    d = json.loads(lines[51])
    lines[51:] = [json.dumps({**json.loads(x), "t_host_s": json.loads(x)["t_host_s"] - 0.2}) + "\n"
                  for x in lines[51:]]
    p = _write(tmp_path, lines)
    r = gc("replay", p)
    assert r.returncode == 2 and f"{p}:52: t_host_s {d['t_host_s'] - 0.2:g} is before the previous line's" in r.stderr


def test_a_torn_last_line_is_left_out_with_a_warning(tmp_path):
    text = NUS.read_text()
    p = tmp_path / "torn.jsonl"
    p.write_text(text[:-30])
    whole = gc("replay", NUS, "--r1", "40", "--r2", "120", "--format", "jsonl")
    r = gc("replay", p, "--r1", "40", "--r2", "120", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    n = len(text.splitlines())
    warnings = [e["message"] for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "warning"]
    assert (f"{p}: its last line, {n}, is cut off (the recording was stopped while writing it): left out, "
            f"the notifications before it replayed") in warnings
    cycles = [e for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "cycle"]
    assert cycles and len(cycles) == len([x for x in whole.stdout.splitlines() if '"cycle"' in x])


def test_a_bad_line_with_its_line_end_is_still_refused(tmp_path):
    lines = _lines()
    lines[-1] = lines[-1][:-30] + "\n"
    p = _write(tmp_path, lines)
    r = gc("replay", p)
    assert r.returncode == 2 and f"{p}:{len(lines)}: not a JSON object" in r.stderr
