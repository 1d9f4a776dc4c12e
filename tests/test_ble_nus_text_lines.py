"""Text lines a NUS sketch prints among its samples ("battery low") are said as text lines that are
not samples, not counted as CRC errors (19 such lines read "19 CRC errors (frames that did not
decode …)")."""

from __future__ import annotations

import json

from tests.conftest import ROOT, gc

NUS = ROOT / "fixtures" / "ble" / "nus_timed_grade2.jsonl"


def _with_text(tmp_path, every=40):
    lines = NUS.read_text().splitlines()
    recs = [json.loads(x) for x in lines[1:]]
    text = b"".join(bytes.fromhex(r["hex"]) for r in recs).split(b"\n")
    out, k = [], 0
    for i, row in enumerate(text[:-1]):
        out.append(row + b"\n")
        if i > 10 and i % every == 0:
            out.append(b"battery low\n")
            k += 1
    t0, t1 = recs[0]["t_host_s"], recs[-1]["t_host_s"]
    char = recs[0]["char"]
    body = [json.dumps({"t_host_s": round(t0 + (t1 - t0) * j / len(out), 6), "char": char, "hex": b.hex()})
            for j, b in enumerate(out)]
    p = tmp_path / "talk.jsonl"
    p.write_text("\n".join([lines[0], *body]) + "\n")
    return p, k


def test_text_lines_are_said_as_such_not_as_crc_errors(tmp_path):
    p, k = _with_text(tmp_path)
    assert k == 19
    r = gc("replay", p, "--r1", "40", "--r2", "120", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    warnings = [e["message"] for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "warning"]
    assert not [w for w in warnings if "CRC error" in w], warnings
    assert (f"{p}: 19 text lines that are not samples (the sketch's messages, the first 'battery low'), "
            f"left out") in warnings
