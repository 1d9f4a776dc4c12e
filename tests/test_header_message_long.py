"""A header's words in a message are cut to about 80 characters with "…": a 10 MB first line was
echoed whole, twice (the cell "found 'force_nxxx…'" and the header "found 't_s,force_nxxx…'"), a
20 MB "one-line" error. A character one cannot see (a second byte-order mark, a soft hyphen) is
shown written out and named: "header lacks column 't_s'; … found 't_s,force_n'" read as if the
header were right."""

from __future__ import annotations

from tests.conftest import gc

ROWS = "".join(f"{i * 0.002:.3f},{60 + i % 7}\n" for i in range(600))


def test_a_header_of_ten_megabytes_is_said_in_a_short_line(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("t_s,force_n" + "x" * (10 << 20) + "\n" + ROWS)
    r = gc("replay", p)
    assert r.returncode == 2
    [line] = r.stderr.splitlines()
    assert len(line) < 600
    cell, header = "force_n" + "x" * 72 + "…", "t_s,force_n" + "x" * 68 + "…"
    assert line.startswith(f"gradecoach: error: {p}:1: header lacks column 'force_n' (found '{cell}': ")
    assert line.endswith(f"; expected t_s,force_n, found '{header}'")


def test_a_second_byte_order_mark_is_shown(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("\ufeff\ufefft_s,force_n\n" + ROWS, encoding="utf-8")
    r = gc("replay", p)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        f"gradecoach: error: {p}:1: header lacks column 't_s' (found '\\ufefft_s': an invisible character, "
        f"U+FEFF, in it; remove it); expected t_s,force_n, found '\\ufefft_s,force_n'"]
