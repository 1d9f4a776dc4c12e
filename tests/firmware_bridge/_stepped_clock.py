"""A force recording whose clock steps back once, as a file source plays it."""

from __future__ import annotations

from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "lumbar_grade3.csv"
AT = 4000           # the first row (0 = the first after the header) written 0.5 s early: line AT + 2
BACK_S = 0.5


def _stepped(tmp_path, bad_line: int | None = None) -> Path:
    """The fixture with its times from row AT on 0.5 s early; with ``bad_line``, that line's force
    unreadable besides."""
    lines = FIXTURE.read_text().splitlines()
    out = [lines[0]]
    for i, row in enumerate(lines[1:]):
        t, f = row.split(",")
        out.append(f"{float(t) - (BACK_S if i >= AT else 0.0):.6f},{f}")
    if bad_line is not None:
        out[bad_line - 1] = out[bad_line - 1].split(",")[0] + ",n/a"
    p = tmp_path / "stepped.csv"
    p.write_text("\n".join(out) + "\n")
    return p
