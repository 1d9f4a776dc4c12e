"""The sessions CSV counts a recording's pops as its page and replay do: ``pops`` every pop heard
(the page's first number, replay's "N pops"), ``pops_with_thrust`` those tied to a thrust, both
blank only where the sound was not analysed; and it gives the sound's length, ``audio_s``,
beside the force's ``duration_s``, as the page's "16.1 s (audio 16.6 s)"."""

from __future__ import annotations

import csv
import io

from tests._cli_in_process import gc_in_process
from tests._pops_audio import PEAKS_S, force_csv, pops_flac


def _report(capfd, tmp_path, *inputs) -> tuple[dict, str]:
    """The sessions CSV's one row and the page's "pops" line of a report of ``inputs``."""
    r = gc_in_process(capfd, "report", *inputs, "-o", tmp_path / "r.html", "--sessions-csv", tmp_path / "s.csv")
    assert r.returncode == 0, r.stderr
    [row] = csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8-sig")))
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    return row, page.split("<dt>pops</dt><dd>", 1)[1].split("<", 1)[0]


def test_sound_alone_its_pops_counted_as_the_page_and_replay_count_them(tmp_path, capfd):
    flac = pops_flac(tmp_path / "clip.flac", [1.0, 2.5, 4.0], 6.0)
    row, said = _report(capfd, tmp_path, flac)
    assert said == "3 (0 with a thrust)"
    assert (row["pops"], row["pops_with_thrust"]) == ("3", "0")
    table = gc_in_process(capfd, "replay", flac, "--format", "table").stdout
    assert table.splitlines()[0].endswith(f", {row['pops']} pops")
    assert float(row["duration_s"]) == float(row["audio_s"]) == 6.0


def test_force_with_sound_all_its_pops_and_those_tied_and_the_sounds_length(tmp_path, capfd):
    force = force_csv(tmp_path / "f.csv", 10.0)
    flac = pops_flac(tmp_path / "s.flac", [1.0, PEAKS_S[0]], 11.0)      # (one before any thrust)
    row, said = _report(capfd, tmp_path, force, "--audio", flac)
    assert said == "2 (1 with a thrust)"
    assert (row["pops"], row["pops_with_thrust"]) == ("2", "1")
    assert float(row["audio_s"]) == 11.0 and float(row["duration_s"]) < 10.0


def test_force_without_sound_its_pops_blank_and_with_silent_sound_none(tmp_path, capfd):
    force = force_csv(tmp_path / "f.csv", 10.0)
    row, said = _report(capfd, tmp_path, force)
    assert said == "no audio recorded"
    assert row["pops"] == row["pops_with_thrust"] == row["audio_s"] == ""
    row, said = _report(capfd, tmp_path, force, "--audio", pops_flac(tmp_path / "s.flac", [], 10.0))
    assert said == "none heard"
    assert (row["pops"], row["pops_with_thrust"]) == ("0", "0")


def test_a_sessions_csv_written_before_these_columns_is_replaced(tmp_path, capfd):
    (tmp_path / "s.csv").write_text("\ufeffrecording,name,trainee,date,target,score_pct,n_cycles,n_thrusts,"
                                    "thrusts_on_target,letups,pops,duration_s,warnings\n"
                                    "f.csv,f.csv,,,,,0,2,,0,,9.9,1\n", encoding="utf-8")
    row, _ = _report(capfd, tmp_path, force_csv(tmp_path / "f.csv", 10.0))
    assert row["duration_s"] != "9.9" and row["audio_s"] == ""
