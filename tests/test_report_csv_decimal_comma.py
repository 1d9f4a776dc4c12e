"""``report --decimal-comma`` writes its CSVs as a spreadsheet set to a decimal comma (German,
French, Dutch Excel) opens them: cells between semicolons, 1,5 for 1.5. Opened there, the
comma-separated files put each whole row into one cell, and 3.797 s read as a date or 3797."""

from __future__ import annotations

import csv
import io

from tests._cli_in_process import gc_in_process

FIXTURE = "fixtures/thrust_pops.csv"


def _rows(path, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=delimiter))


def _as_point(cell: str) -> str:
    try:
        float(cell.replace(",", "."))
    except ValueError:
        return cell
    return cell.replace(",", ".")


def test_the_csvs_hold_the_same_cells_with_semicolons_and_decimal_commas(tmp_path, capfd):
    plain, comma = tmp_path / "plain", tmp_path / "comma"
    for out, extra in ((plain, []), (comma, ["--decimal-comma"])):
        out.mkdir()
        r = gc_in_process(capfd, "report", FIXTURE, "-o", out / "r.html", "--csv", out / "events.csv",
                          "--sessions-csv", out / "sessions.csv", *extra)
        assert r.returncode == 0, r.stderr
    for name in ("events.csv", "sessions.csv"):
        points, commas = _rows(plain / name, ","), _rows(comma / name, ";")
        assert len(commas[0]) == len(points[0]) > 5                 # (one cell a row when read with ',')
        assert [[_as_point(c) for c in row] for row in commas] == points
        numbers = [c for row in commas[1:] for c in row if c and c[0].isdigit() and c.replace(",", "").isdigit()]
        assert any("," in c for c in numbers) and not any("." in c for row in commas[1:] for c in row
                                                         if c.replace(".", "").isdigit())
    thrust = dict(zip(_rows(comma / "events.csv", ";")[0],
                      next(r for r in _rows(comma / "events.csv", ";") if r[1] == "thrust")))
    assert "," in thrust["t_peak"] and float(thrust["t_peak"].replace(",", ".")) > 0


def test_standard_output_takes_it_too(tmp_path, capfd):
    r = gc_in_process(capfd, "report", FIXTURE, "-o", tmp_path / "r.html", "--csv", "-", "--decimal-comma")
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout), delimiter=";"))
    assert rows[0][:2] == ["recording", "type"] and all(len(row) == len(rows[0]) for row in rows)
    t_peak = rows[0].index("t_peak")
    assert [row[t_peak] for row in rows if row[1] == "thrust"][0] == "3,171"
