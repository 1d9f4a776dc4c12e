"""A .csv that is not text a CSV reader reads, or whose rows are in the wrong order as a whole, is
said as what it is, with what to do.

A gzip-compressed CSV said "x.csv:1: not a text CSV file", as did a zip archive and a spreadsheet
workbook saved as .csv; they now say "compressed (gzip): decompress it first (gunzip)", "a zip
archive: unpack it first (unzip)", "a spreadsheet workbook (.xlsx): save it as CSV". A file sorted
newest first said "time jumps ahead of the rows after it (17.524, then 17.522) (8762 of 8763 rows
bad)"; it now says "its times run backwards (17.524, then 17.522: newest first?): sort it by time".
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from analysis.errors import InputError
from firmware_bridge.csv_stream import _read_bytes, read_csv_bytes
from tests.conftest import ROOT, gc

FIXTURE = ROOT / "fixtures" / "lumbar_grade3.csv"


def _zip(entries: dict[str, bytes], first_stored: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, (name, data) in enumerate(entries.items()):
            z.writestr(name, data, zipfile.ZIP_STORED if first_stored and k == 0 else zipfile.ZIP_DEFLATED)
    return buf.getvalue()


XML = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types>' + b"<Default/>" * 40 + b"</Types>"
# the entries a spreadsheet program writes first, in its order: an .xlsx's (Excel) and an .ods's
XLSX = _zip({"[Content_Types].xml": XML, "_rels/.rels": XML, "docProps/app.xml": XML, "xl/workbook.xml": XML,
             "xl/worksheets/sheet1.xml": FIXTURE.read_bytes()})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": XML}, first_stored=True)


@pytest.mark.parametrize("packed, said", [
    (gzip.compress(FIXTURE.read_bytes()), "compressed (gzip): decompress it first (gunzip)"),
    (bz2.compress(FIXTURE.read_bytes()), "compressed (bzip2): decompress it first (bunzip2)"),
    (lzma.compress(FIXTURE.read_bytes()), "compressed (xz): decompress it first (unxz)"),
    (_zip({"lumbar_grade3.csv": FIXTURE.read_bytes()}), "a zip archive: unpack it first (unzip)"),
    (XLSX, "a spreadsheet workbook (.xlsx): save it as CSV"),
    (ODS, "a spreadsheet (.ods): save it as CSV"),
])
def test_a_compressed_csv_or_a_workbook_is_said_as_what_it_is(tmp_path, packed, said):
    p = tmp_path / "x.csv"
    p.write_bytes(packed)
    r = gc("replay", p)
    assert r.returncode == 2 and r.stderr == f"gradecoach: error: {p}: {said}\n"


@settings(max_examples=100, deadline=None)
@given(magic=st.sampled_from([b"\x1f\x8b", b"BZh9", b"\xfd7zXZ\0", b"\x28\xb5\x2f\xfd", b"PK\x03\x04"]),
       rest=st.binary(max_size=5000))
@example(magic=b"\x1f\x8b", rest=b"\x08\x00" + b"t_s,force_n\n0,1\n" * 400)
@example(magic=b"PK\x03\x04", rest=b"[Content_Types].xml")
def test_any_bytes_after_a_compressed_files_start_are_said_as_compressed(magic, rest):
    with pytest.raises(InputError) as e:
        read_csv_bytes("x.csv", magic + rest)
    # (an Office document is a zip: "x.csv: an Office document (an .xlsx workbook?): save it as CSV")
    assert str(e.value).startswith(("x.csv: compressed (", "x.csv: a ", "x.csv: an "))
    assert str(e.value).endswith(("(gunzip)", "(bunzip2)", "(unxz)", "(unzstd)", "(unzip)", "save it as CSV"))


def test_a_file_sorted_newest_first_is_said_so(tmp_path):
    rows = FIXTURE.read_text().splitlines()
    p = tmp_path / "x.csv"
    p.write_text("\n".join([rows[0]] + rows[:0:-1]) + "\n")
    r = gc("replay", p)
    assert r.returncode == 2
    assert r.stderr == (f"gradecoach: error: {p}:3: its times run backwards (17.524, then 17.522: newest first?): "
                        f"sort it by time\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.integers(1, 50), min_size=2, max_size=40), copies=st.integers(1, 200),
       bad=st.sets(st.integers(0, 10), max_size=2), fast=st.booleans())
def test_rows_newest_first_are_refused_naming_where_and_in_order_read(tmp_path, steps, copies, bad, fast):
    """Times going up by any steps (ms), a few cells unreadable: newest first, refused at the
    second readable row (line 3, or after the unreadable ones) naming its two times, read row by
    row or at pyarrow's speed alike; oldest first, read."""
    t, times = 0, [0]
    for s in steps * copies:
        t += s
        times.append(t)
    rows = [f"{x / 1000},{x % 97}" for x in times]
    p = tmp_path / "x.csv"
    d = _read_bytes(p, ("t_s,force_n\n" + "\n".join(rows) + "\n").encode(), ("t_s", "force_n"), 0.2, fast=fast)
    assert len(d.t_s) == len(rows)
    newest = rows[::-1]
    bad &= set(range(len(rows)))
    assume(len(rows) - len(bad) >= 3)
    for k in bad:
        newest[k] = "n/a,1"
    good = [k for k in range(len(newest)) if k not in bad]
    with pytest.raises(InputError) as e:
        _read_bytes(p, ("t_s,force_n\n" + "\n".join(newest) + "\n").encode(), ("t_s", "force_n"), 0.2, fast=fast)
    a, b = (float(newest[k].split(",")[0]) for k in good[:2])
    assert str(e.value) == f"{p}:{good[1] + 2}: its times run backwards ({a}, then {b}: newest first?): sort it by time"
