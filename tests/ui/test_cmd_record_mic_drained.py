"""'gradecoach record --audio': the sound the microphone still holds when the recording stops is
analysed as well as written, so the stored events cover all of audio.flac. It was written to the
file after the analysis had finished, so the file held more than the events were found in (a real
microphone's last blocks at the stop). The microphone is ALSA's file plugin, which runs faster
than real time: what it still holds at the stop is far more than a real one's."""

from __future__ import annotations

import json

import soundfile as sf

from tests.ui.conftest import run_record


def test_the_events_cover_all_the_sound_recorded(tmp_path, mic_home):
    run_record("--device", "emulator:hvla", "--out", tmp_path / "s", "--duration", "1", "--audio", "default", "--quiet",
               home=mic_home)
    folder = tmp_path / "s"
    entry = json.loads((folder / "session.json").read_text())["streams"]["audio"]
    info = sf.info(str(folder / "audio.flac"))
    rate = entry["rate_measured_hz"] or entry["rate_hz"]       # (null: the clock did not settle)
    t_last = entry["t0_s"] + (info.frames - 1) / rate
    summary = json.loads((folder / "events.jsonl").read_text().splitlines()[-1])
    assert summary["type"] == "summary"
    start, end = summary["spans_s"]["audio"]
    assert abs(start - entry["t0_s"]) < 1e-6
    assert abs(end - t_last) < 1e-3                 # the analysis heard the file to its end
