"""A CSV saved by Excel in a decimal-comma locale, whose first line names its separator
(``sep=;``), is replayed as the same recording saved plainly; a bare CSV whose force is a
sensor's raw ADC counts is refused in one line saying a calibration is needed and how to replay
such counts, not as unknown units.

Replays run in this process (``gc_in_process``); a refusal of each kind also runs as a program
of its own."""

from __future__ import annotations

import json

from tests._cli_in_process import gc_in_process
from tests.conftest import ROOT, gc

LUMBAR = ROOT / "fixtures" / "lumbar_grade3.csv"


def _events(r) -> list[dict]:
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def _excel(rows: list[str], sep: str = ";") -> str:
    """Rows as Excel saves them in a decimal-comma locale: ``sep`` between cells, decimal commas."""
    return "\n".join(r.replace(",", sep).replace(".", ",") for r in rows)


def test_a_sep_line_names_the_separator(tmp_path, capfd):
    rows = LUMBAR.read_text().splitlines()[:2002]                  # its first 4 s, at 500 Hz
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join(rows) + "\n")
    want = _events(gc_in_process(capfd, "replay", plain, "--r1", 2, "--r2", 12, "--format", "jsonl"))
    assert sum(e["type"] == "cycle" for e in want) == 2
    variants = {
        "semicolon.csv": ("sep=;\n" + _excel(rows) + "\n").encode(),
        # quoted, after a byte-order mark, with Windows line ends
        "quoted.csv": ("\ufeff\"sep=;\"\r\n" + _excel(rows).replace("\n", "\r\n") + "\r\n").encode("utf-8"),
        "tab.csv": ("sep=\t\n" + _excel(rows, "\t") + "\n").encode(),
        "colon.csv": ("sep=:\n" + _excel(rows, ":") + "\n").encode(),
        "comma.csv": ("sep=,\n" + "\n".join(rows) + "\n").encode(),
    }
    for name, raw in variants.items():
        p = tmp_path / name
        p.write_bytes(raw)
        got = _events(gc_in_process(capfd, "replay", p, "--r1", 2, "--r2", 12, "--format", "jsonl"))
        assert got == want, name


def test_a_sep_line_keeps_the_line_numbers(tmp_path, capfd):
    rows = LUMBAR.read_text().splitlines()[:2002]
    p = tmp_path / "bad.csv"
    p.write_text("sep=;\n" + _excel(rows[:10] + ["x;1"] + rows[10:]) + "\n")
    r = gc_in_process(capfd, "replay", p, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert f"(first: {p}:12: non-numeric cell 'x')" in r.stderr          # the file's line 12
    alone = tmp_path / "alone.csv"
    alone.write_text("sep=;\n")
    r = gc("replay", alone)
    assert r.returncode == 2
    assert r.stderr == (f"gradecoach: error: {alone}:1: a line 'sep=;' naming the separator and no header after "
                        f"it; expected t_s,force_n\n")


def test_raw_counts_in_a_bare_csv_need_a_calibration(tmp_path, capfd):
    rows = LUMBAR.read_text().splitlines()[:2002]
    for column in ("force (counts)", "Force_counts", "force [ADC]"):
        p = tmp_path / "counts.csv"
        p.write_text("\n".join([f"t_s,{column}"] + rows[1:]) + "\n")
        args = ("replay", p, "--r1", 2, "--r2", 12)
        # (the first as a program of its own: its exit status and stderr as a shell has them)
        r = gc(*args) if column == "force (counts)" else gc_in_process(capfd, *args)
        assert r.returncode == 2
        assert "Traceback" not in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
        assert r.stderr.startswith(f"gradecoach: error: {p}:1: column {column!r} is raw ADC counts, which need a "
                                   f"calibration to be newtons and a CSV has none: "), r.stderr
        assert "unknown units" not in r.stderr
        assert 'session.json says "sensor": {"force_units": "counts"}' in r.stderr


def test_raw_counts_replay_from_a_session_folder_as_said(tmp_path, capfd):
    """What the message for counts says works: the file as a session folder's force.csv, its
    column named force_n, with session.json naming counts as the force's units."""
    rows = LUMBAR.read_text().splitlines()[:2002]
    folder = tmp_path / "counts-session"
    folder.mkdir()
    (folder / "force.csv").write_text("\n".join(["t_s,force_n"] + rows[1:]) + "\n")
    (folder / "session.json").write_text(json.dumps({"schema_version": 1, "complete": True,
                                                     "sensor": {"force_units": "counts"}}))
    r = gc_in_process(capfd, "replay", folder, "--format", "jsonl")
    got = _events(r)
    assert got[-1]["n_cycles"] == 2
    assert "raw ADC counts" in r.stderr
