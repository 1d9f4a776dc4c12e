"""A bare CSV's last line without its line end: a spreadsheet's export often ends so, its last row
whole, and that row is kept; one that does not read as a row after the one before it was cut off,
and is left out in one warning saying so ("x.csv:3002: last line cut off (no line end): left
out"), not counted as a bad row ("1 bad row skipped (first: x.csv:3002: expected 2 columns, found
1)"). A session's own files, every line of which gradecoach ended, leave out such a line however
it reads (tests/firmware_bridge/test_session_files.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from firmware_bridge.csv_stream import _read_bytes, read_csv_bytes
from firmware_bridge.replay import load_input


def _rows(n: int) -> list[str]:
    return [f"{i / 500:.6f},{50 + i % 7}.{i % 10}" for i in range(n)]


@pytest.mark.parametrize("n", [30, 3000])            # read row by row; at pyarrow's speed
def test_a_spreadsheets_last_row_without_a_line_end_is_kept(tmp_path, n):
    p = tmp_path / "x.csv"
    p.write_text("t_s,force_n\n" + "\n".join(_rows(n)) + f"\n{n / 500:.6f},57.")
    inp = load_input(p)
    assert inp.warnings == []
    assert len(inp.force.t_s) == n + 1 and inp.force.t_s[-1] == n / 500 and inp.force.values[-1] == 57.0


@pytest.mark.parametrize("n", [30, 3000])
@pytest.mark.parametrize("torn", ["6.0", "6.000000,", "0.0,52.1"])   # (the last: before the row above)
def test_a_torn_last_line_is_said_cut_off_not_a_bad_row(tmp_path, n, torn):
    p = tmp_path / "x.csv"
    p.write_text("t_s,force_n\n" + "\n".join(_rows(n)) + "\n" + torn.replace("6.0", f"{n / 500:.1f}"))
    inp = load_input(p)
    assert inp.warnings == [f"{p}:{n + 2}: last line cut off (no line end): left out"]
    assert inp.force.skipped_rows == 0 and len(inp.force.t_s) == n


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.sampled_from([5, 40, 2500]), cut=st.integers(1, 40), crlf=st.booleans(), fast=st.booleans())
@example(n=2500, cut=3, crlf=False, fast=True)
def test_a_last_line_torn_anywhere_is_kept_whole_or_said_cut_off(tmp_path, n, cut, crlf, fast):
    """Every whole row is kept; the torn one is kept if it reads as a row after the one before it,
    else said as cut off; never a bad row."""
    rows = _rows(n + 1)
    torn = rows[-1][:min(cut, len(rows[-1]) - 1)]
    end = "\r\n" if crlf else "\n"
    raw = ("t_s,force_n" + end + end.join(rows[:-1]) + end + torn).encode()
    p = tmp_path / "x.csv"
    d = _read_bytes(p, raw, ("t_s", "force_n"), 0.2, fast=fast)
    assert d.skipped_rows == 0 and d.problems == []
    cells = torn.split(",")
    reads = len(cells) == 2 and all(cells) and float(cells[0]) > (n - 1) / 500
    if reads:
        assert d.notes == [] and len(d.t_s) == n + 1
        assert (d.t_s[-1], d.values[-1]) == (float(cells[0]), float(cells[1]))
    else:
        assert d.notes == [f"{p}:{n + 2}: last line cut off (no line end): left out"] and len(d.t_s) == n


def test_a_sessions_torn_line_is_left_out_however_it_reads(tmp_path):
    raw = ("t_s,force_n\n" + "\n".join(_rows(30)) + "\n0.060000,57.").encode()
    d = read_csv_bytes(tmp_path / "force.csv", raw, whole_lines=True)
    assert len(d.t_s) == 30
    assert d.notes == [f"{tmp_path / 'force.csv'}:32: last line cut off (no line end; the recording stopped there): "
                       f"left out"]
