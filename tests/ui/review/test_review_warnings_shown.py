"""The warnings a session's stored summary keeps (the sound cut short, samples lost, a recording
cut off) above the review's plots, as the report lists them; none for a clean session; many
folded to the first few and a button for the rest."""

from __future__ import annotations

import html
import json
import re

import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from ui.cli import main

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def report_warnings(text: str) -> list[str]:
    """The warnings a report page lists."""
    return [html.unescape(w) for w in re.findall(r"<li>(.*?)</li>", text)]


def _stored_after_sound_cut(folder):
    """``folder`` (with sound, no events) with its audio.wav cut to half and then analysed, its
    events stored: their summary says the sound ends short of its header."""
    wav = folder / "audio.wav"
    raw = wav.read_bytes()
    wav.write_bytes(raw[:len(raw) // 2])
    evs = analyze_input(load_input(folder), GradingScheme(40.0, 120.0).with_target("III"))
    with open(folder / "events.jsonl", "a", encoding="utf-8", newline="\n") as f:
        f.writelines(json.dumps(e.to_dict()) + "\n" for e in evs)
    return folder


def test_a_stored_warning_is_shown_as_the_report_gives_it(tmp_path, qtbot):
    folder = _stored_after_sound_cut(make_session(tmp_path / "root" / "ana", audio=True, events=False))
    stored = json.loads((folder / "events.jsonl").read_text().splitlines()[-1])["warnings"]
    (cut,) = [w for w in stored if "audio ends at" in w]

    win = shown_review(qtbot, tmp_path / "root")
    rs = win.open_session(folder)
    view = win.session_view
    assert rs.source == "stored"                 # (the sound is not read again on opening)
    assert view.warning.isVisible()
    assert f"warning: {cut}" in view.warning.text().splitlines()
    assert "1 warning(s)" in win.statusBar().currentMessage()

    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    assert report_warnings(out.read_text(encoding="utf-8")) == [cut]       # the same words


def test_a_clean_session_shows_no_warning(tmp_path, qtbot):
    folder = make_session(tmp_path / "root" / "ana", kinds=("III", "V"))
    win = shown_review(qtbot, tmp_path / "root")
    win.open_session(folder)
    view = win.session_view
    assert not view.warning.isVisible() and view.warning.text() == ""
    assert not view.more_warnings.isVisible()
    assert "warning" not in win.statusBar().currentMessage()


def test_many_warnings_are_folded_behind_a_button(tmp_path, qtbot):
    folder = make_session(tmp_path / "root" / "ana", finished=False)
    ep = folder / "events.jsonl"
    lines = ep.read_text().splitlines()
    summary = json.loads(lines[-1])
    dropouts = [f"{folder}: force: {10 * k} samples lost at {k:.2f} s" for k in range(1, 5)]
    summary["warnings"] += dropouts
    ep.write_text("\n".join(lines[:-1] + [json.dumps(summary)]) + "\n")
    every = summary["warnings"]                   # "unfinished (still recording, or cut off)" and four dropouts

    win = shown_review(qtbot, tmp_path / "root")
    win.open_session(folder)
    view = win.session_view
    assert view.warning.text().splitlines() == [f"warning: {w}" for w in every[:2]]
    assert view.more_warnings.isVisible() and view.more_warnings.text() == "show 3 more warnings"
    assert "5 warning(s)" in win.statusBar().currentMessage()

    view.more_warnings.click()
    assert view.warning.text().splitlines() == [f"warning: {w}" for w in every]
    assert view.more_warnings.text() == "show fewer warnings"
    view.more_warnings.click()
    assert len(view.warning.text().splitlines()) == 2
