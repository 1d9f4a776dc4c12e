"""A played session is practised against its own target as it was recorded (session.json's
``extra.target_detail``): a V target's preload and peak corridors, a III+ target's pacer rate.
The trainer started on it (``--device file:SESSION``) or choosing it with S, and ``record
--device file:SESSION``, judged its thrusts against the default corridors (100–160 / 400–650 N),
drew no pacer, and the new recording kept no ``target_detail`` (``library list`` then scored the
copy's thrusts against the default corridors). Here one simulated thrust, preload 149 N and peak
598 N: on target by the default corridors, off by the session's own (preload 120–135 N)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ui.cli import main

from ._played_target import OWN_III, OWN_V, played_session
from .conftest import built_trainer

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def detail_of(folder: Path):
    return json.loads((folder / "session.json").read_text())["extra"].get("target_detail")


@pytest.fixture(scope="module")
def sessions(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("played_target")
    return {"V": played_session(tmp / "anna_v", tmp, "V", OWN_V),
            "III+": played_session(tmp / "anna_iii", tmp, "III+", OWN_III)}


def _caption(win) -> str:
    return " ".join(win.grade_panel.caption.text().split())


def _record_to_end(qtbot, win, eng) -> Path:
    folder = win.start_recording()
    qtbot.waitUntil(lambda: eng.finished, timeout=30_000)
    win.refresh()
    assert win.stop_recording() == folder
    return folder


def test_the_trainer_started_on_a_played_session_judges_thrusts_in_its_corridors(qtbot, sessions, tmp_path):
    win, eng = built_trainer(qtbot, tmp_path, "--device", f"file:{sessions['V']}")
    try:
        assert (win.target.preload_n, win.target.peak_n) == ((120.0, 135.0), (500.0, 700.0))
        assert eng.thrust_scheme.preload_corridor_n == (120.0, 135.0)
        win.worker.start()
        folder = _record_to_end(qtbot, win, eng)
        assert len(eng.thrusts) == 1
        assert _caption(win).startswith("target V: off target — preload 149 N above 120–135 N"), _caption(win)
    finally:
        win.close()
    assert detail_of(folder) == OWN_V           # the recording made from it keeps them


def test_a_played_session_chosen_with_s_brings_its_corridors_and_takes_them_away(qtbot, sessions, tmp_path):
    win, eng = built_trainer(qtbot, tmp_path, "--device", "emulator:grade3")
    try:
        assert win.switch_source(f"file:{sessions['V']}")
        assert (win.target.preload_n, win.target.peak_n) == ((120.0, 135.0), (500.0, 700.0))
        assert eng.thrust_scheme.peak_corridor_n == (500.0, 700.0)
        assert win.switch_source("emulator:grade3")
        assert win.target is None and eng.thrust_scheme.preload_corridor_n is None
    finally:
        win.close()


@pytest.mark.parametrize("flags, rate", [([], 1.2), (["--rate", "2"], 2.0)], ids=["its own", "given"])
def test_a_played_session_paces_at_its_own_rate(qtbot, sessions, tmp_path, flags, rate):
    win, eng = built_trainer(qtbot, tmp_path, "--device", f"file:{sessions['III+']}", *flags)
    try:
        assert win.target.text == "III+" and win.pacer.rate_hz == rate and win.pacer.isVisible()
        win.switch_source("emulator:grade3")
        assert win.pacer.isVisible() == bool(flags)            # (--rate alone: III at that rate)
        win.switch_source(f"file:{sessions['III+']}")          # chosen with S: its own rate, or --rate's
        assert win.pacer.rate_hz == rate and win.pacer.isVisible()
    finally:
        win.close()


def _score(capsys, root: Path) -> dict[str, str]:
    capsys.readouterr()
    assert main(["library", "list", str(root), "--db", str(root / "index.sqlite"), "--format", "jsonl"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    return {Path(r["path"]).name: r for r in rows}


def test_record_from_a_played_session_keeps_its_target_detail(sessions, tmp_path, capsys):
    import shutil
    root = tmp_path / "class"
    shutil.copytree(sessions["V"], root / "original")
    assert main(["record", "--device", f"file:{root / 'original'}", "--out", str(root / "copy"), "--quiet"]) == 0
    assert detail_of(root / "copy") == OWN_V
    rows = _score(capsys, root)
    assert rows["copy"]["target"] == rows["original"]["target"] == "V"
    assert rows["copy"]["score_pct"] == rows["original"]["score_pct"] == 0.0     # (100 by the default corridors)
    assert main(["record", "--device", f"file:{root / 'original'}", "--out", str(tmp_path / "given"), "--quiet",
                 "--target", "V"]) == 0
    assert detail_of(tmp_path / "given") is None          # --target V: the picker's corridors, as before


def test_rate_alone_gives_way_to_a_played_sessions_target_at_that_rate_and_comes_back(qtbot, sessions, tmp_path):
    """``--rate 2`` without ``--target`` practises III at 2 Hz; a played session chosen with S
    brings its own target, paced at 2 Hz, and the emulator chosen after it has III at 2 Hz again.
    The III stayed over the session's target, as if chosen with T."""
    win, eng = built_trainer(qtbot, tmp_path, "--device", "emulator:grade3", "--rate", "2")
    try:
        assert (win.target.text, win.pacer.rate_hz) == ("III", 2.0)
        win.switch_source(f"file:{sessions['III+']}")
        assert (win.target.text, win.pacer.rate_hz) == ("III+", 2.0)
        win.switch_source("emulator:grade3")
        assert (win.target.text, win.pacer.rate_hz) == ("III", 2.0)
    finally:
        win.close()
