"""``gradecoach report --csv``: a term's events as a spreadsheet takes them. The same columns
whatever the recordings (they followed the first recording's events: ``report ben-5 ben-1``
began t_onset,… and ``report ben-1 ben-5`` t_start,…; a class of cycles alone had no thrust
columns); on every row the recording as the page names it, its trainee, date, target and
calibration; the sets and thrusts numbered as the page numbers them; and each thrust's verdict
on a V target, and what missed, as the page's thrusts table says it."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import fields

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from analysis.events import CavitationEvent, CycleEvent, GapEvent, ThrustEvent, WarningEvent  # noqa: E402
from analysis.imu import ImuCycleEvent  # noqa: E402
from tests.ui.review.conftest import make_session  # noqa: E402
from tests.ui.review._report_page import Page  # noqa: E402
from ui.cli import main  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def group(tmp_path_factory):
    g = tmp_path_factory.mktemp("class") / "sessions"
    g.mkdir()
    make_session(g / "anna-1", trainee="Anna", created="2025-03-01T10:00:00", target="V", kinds=("III", "V", "V"), seed=1)
    make_session(g / "ben-1", trainee="Ben", created="2025-03-02T10:00:00", target="III", kinds=("III",), seed=2)
    make_session(g / "ben-5", trainee="Ben", created="2025-03-09T11:30:00", target="V", kinds=("V",), seed=3,
                 r1=30.0, r2=100.0)
    return g


def _csv(path):
    with open(path, newline="", encoding="utf-8-sig") as fh:
        head = next(csv.reader(fh))
        fh.seek(0)
        return head, list(csv.DictReader(fh))


def test_the_columns_do_not_change_with_the_recordings(group, tmp_path):
    heads = {}
    for order in (("ben-5", "ben-1"), ("ben-1", "ben-5"), ("ben-1",), ("ben-5",)):
        out = tmp_path / f"{'+'.join(order)}.csv"
        assert main(["report", *(str(group / n) for n in order), "-o", str(tmp_path / "r.html"),
                     "--csv", str(out)]) == 0
        heads[order] = _csv(out)[0]
    first = heads[("ben-5", "ben-1")]
    assert all(h == first for h in heads.values()), heads
    # a class of cycles alone (ben-1) has a thrust's columns, blank
    for col in ("t_onset", "peak_n", "letup", "on_target", "missed", "pops"):
        assert col in heads[("ben-1",)]
    assert first[:2] == ["recording", "type"] and first[-4:] == ["pops", "first_pop_ms_from_peak", "pops_partly_heard",
                                                                   "pops_masked"]


def test_every_event_field_has_its_column():
    from ui.report import CSV_COLUMNS
    for cls in (CycleEvent, ThrustEvent, CavitationEvent, GapEvent, WarningEvent, ImuCycleEvent):
        missing = [f.name for f in fields(cls) if f.name not in CSV_COLUMNS]
        assert missing == [], cls.__name__


def test_rows_say_whose_when_against_what_and_number_as_the_page(group, tmp_path):
    page_path, table = tmp_path / "class.html", tmp_path / "events.csv"
    assert main(["report", "--class", str(group), "-o", str(page_path), "--csv", str(table)]) == 0
    page = Page(page_path.read_text(encoding="utf-8"))
    _, rows = _csv(table)
    overview = page.table("overview")
    by_name = {r["recording"]: r for r in overview}
    assert set(by_name) == {"anna-1", "ben-1", "ben-5"}
    for r in rows:
        shown = by_name[r["name"]]              # (the page's name, not the folder's path)
        assert r["recording"] == str(group / r["name"])
        # (the date to the second, the overview's to the minute where no other shares it)
        assert (r["trainee"], r["date"][:16], r["target"]) == (shown["trainee"], shown["date"][:16], shown["target"])
        assert len(r["date"]) == len("2025-03-01 10:00:00")
    calib = {r["name"]: (r["r1_n"], r["r2_n"], r["alpha"]) for r in rows}
    assert calib == {"anna-1": ("40.0", "120.0", "0.5"), "ben-1": ("40.0", "120.0", "0.5"),
                     "ben-5": ("30.0", "100.0", "0.5")}
    assert {r["date"] for r in rows if r["name"] == "ben-5"} == {"2025-03-09 11:30:00"}

    # the sets and thrusts numbered as the page numbers them; the events' own indices kept
    cycles = [r for r in rows if r["type"] == "cycle"]
    assert cycles and all(int(r["set_number"]) == int(r["set_index"]) + 1 for r in cycles)
    heads = [t for t in page.tables["thrusts"] if t[0] == "thrust"]
    cells = [t for t in page.tables["thrusts"] if t[0] != "thrust"]
    shown_thrusts = [dict(zip(heads[0], c)) for c in cells]     # (anna-1's two, then ben-5's one)
    thrusts = [r for r in rows if r["type"] == "thrust"]
    assert [r["thrust_number"] for r in thrusts] == [t["thrust"] for t in shown_thrusts] == ["1", "2", "1"]
    assert [int(r["index"]) for r in thrusts] == [0, 1, 0]
    # the verdict on the V target and what missed, as the thrusts table says it
    for r, shown in zip(thrusts, shown_thrusts):
        verdict = shown["on target"]
        assert r["on_target"] in ("yes", "no")
        assert verdict == ("yes" if r["on_target"] == "yes" else f"no — {r['missed']}"), (verdict, r)
    assert any(r["on_target"] == "no" and "peak" in r["missed"] for r in thrusts)
    # a cycle against a mobilisation target as the sets' "on target (%)" counts it
    ben1 = [r for r in cycles if r["name"] == "ben-1"]
    sets = {s["set"]: s for s in Page(page_path.read_text(encoding="utf-8").split('id="r2"')[1]
                                      .split("</section>")[0]).table("sets")}
    for number, s in sets.items():
        mine = [r for r in ben1 if r["set_number"] == number]
        assert float(s["on target (%)"]) == pytest.approx(100.0 * sum(r["on_target"] == "yes" for r in mine)
                                                          / len(mine), abs=0.051)
    assert all(r["on_target"] == "" for r in cycles if r["name"] == "anna-1")   # (a V target: thrusts judged)


def test_standard_output_has_the_same_columns_without_the_mark(group, tmp_path, capsys):
    assert main(["report", str(group / "ben-1"), "-o", str(tmp_path / "r.html"), "--csv", str(tmp_path / "e.csv")]) == 0
    capsys.readouterr()
    assert main(["report", str(group / "ben-1"), "-o", str(tmp_path / "r.html"), "--csv", "-"]) == 0
    out = capsys.readouterr().out
    assert not out.startswith("\ufeff")
    assert (tmp_path / "e.csv").read_bytes().startswith(b"\xef\xbb\xbfrecording,type,trainee,name,date,target,")
    assert next(csv.reader(io.StringIO(out))) == _csv(tmp_path / "e.csv")[0]
