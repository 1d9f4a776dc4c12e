"""``gradecoach replay CAPTURE.jsonl``: a BLE sensor's recorded notifications (``ble_record``'s
capture, fixtures/ble) analysed as any recording is, decoded and timed by the BLE source itself.

It said "unknown input type". The samples, their times, the samples lost and the CRC errors are
the ones the live source gives for the same notifications (its fake-radio replay in
tests/firmware_bridge), and so are the cycles found; a broken capture is one line naming the
file and its line, exit 2.

The commands run in this process (``gc_here``: ``ui.cli.main``, as the program runs it), but for
a capture with no notifications, refused by ``gradecoach`` run as a program of its own.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import InputError
from analysis.scheme import GradingScheme
from firmware_bridge import ble_profiles as bp
from firmware_bridge.ble_capture import parse_capture
from firmware_bridge.ble_record import FIXTURES, LATENCY_S, read_stream, truth, write_stream
from firmware_bridge.replay import analyze_input, load_input
from tests._cli_in_process import gc_in_process
from tests.conftest import ROOT, gc
from tests.firmware_bridge.ble_replay import radio_fakes, record_replay

FIX = ROOT / "fixtures" / "ble"
SCHEME = GradingScheme(40, 120)


@pytest.fixture
def gc_here(capfd):
    """``gc`` run in this process: ``gc_here(*args, cwd=None)``."""
    return lambda *args, cwd=None: gc_in_process(capfd, *args, cwd=cwd)


def events(r) -> list[dict]:
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def cycles(evs: list[dict]) -> list[dict]:
    return [e for e in evs if e["type"] in ("cycle", "imu_cycle")]


def same(a: dict, b: dict, abs_: float = 1e-3) -> bool:
    """The same event, its numbers within ``abs_``."""
    num = (int, float)
    return a.keys() == b.keys() and all(
        (a[k] == pytest.approx(b[k], abs=abs_)) if isinstance(a[k], num) and not isinstance(a[k], bool)
        else a[k] == b[k] for k in a)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_a_capture_replays_the_samples_the_live_source_gives(name):
    chunks, _, src = radio_fakes.replay(radio_fakes.Radio(name))
    inp = load_input(FIX / f"{name}.jsonl")
    t_live, f_live, _ = radio_fakes.concat(chunks)
    np.testing.assert_array_equal(inp.force.t_s, t_live)
    np.testing.assert_array_equal(inp.force.values, f_live)
    meta = read_stream(FIX / f"{name}.jsonl")[0]
    t_dev, want_n = truth(meta)
    np.testing.assert_allclose(inp.force.values, want_n, rtol=1e-6, atol=1e-3)     # every sample, in N
    if meta.get("timed", True):                                                     # on the device's clock
        offset = inp.force.t_s - (t_dev - meta["device_t0_us"]) * 1e-6
        assert LATENCY_S[0] - 1e-6 <= offset.min() and offset.max() <= LATENCY_S[1] + 1e-6
    if meta.get("imu"):
        t_imu, v_imu, _ = radio_fakes.concat(chunks, "imu")
        np.testing.assert_array_equal(inp.imu.t_s, t_imu)
        np.testing.assert_array_equal(inp.imu.values, v_imu)
    else:
        assert inp.imu is None
    assert inp.warnings == [] and inp.gaps == [] and src.stats.dropped == src.stats.crc_errors == 0


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_replay_of_a_capture_finds_the_cycles_of_the_live_recording(tmp_path, name, gc_here):
    radio = radio_fakes.Radio(name)
    record_replay(radio, tmp_path / "live", SCHEME, imu=bool(radio.meta.get("imu")))
    live = cycles(events(gc_here("replay", tmp_path / "live", "--r1", 40, "--r2", 120, "--format", "jsonl")))
    got = events(gc_here("replay", FIX / f"{name}.jsonl", "--r1", 40, "--r2", 120, "--format", "jsonl"))
    # (force.csv keeps forces to 0.001 N: the crests and troughs read back from it differ that much)
    assert len(cycles(got)) == len(live) and all(same(a, b) for a, b in zip(cycles(got), live))
    assert got[-1]["type"] == "summary"
    if name == "progressor_grade4":
        assert [c["grade"] for c in cycles(got)] == ["IV"] * 13


def test_the_table_screenshot_and_report_take_a_capture(tmp_path, gc_here):
    r = gc_here("replay", FIX / "progressor_grade4.jsonl", "--r1", 40, "--r2", 120, "--format", "table")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].endswith("progressor_grade4.jsonl: 10.0 s, 13 cycles, 0 thrusts, no audio")
    assert "IV:13" in r.stdout
    png = tmp_path / "shot.png"
    r = gc_here("screenshot", "--replay", FIX / "progressor_grade4.jsonl", "--at", 6, "-o", png,
                "--r1", 40, "--r2", 120)
    assert r.returncode == 0, r.stderr
    assert png.stat().st_size > 1000
    r = gc_here("report", FIX / "progressor_grade4.jsonl", "-o", tmp_path / "r.html", "--r1", 40, "--r2", 120)
    assert r.returncode == 0, r.stderr
    assert "progressor_grade4" in (tmp_path / "r.html").read_text()


def _without(name: str, drop: range, tmp_path: Path) -> tuple[Path, list]:
    meta, records = read_stream(FIX / f"{name}.jsonl")
    records = [r for i, r in enumerate(records) if i not in drop]
    path = tmp_path / f"{name}-lossy.jsonl"
    write_stream(path, meta, records)
    return path, records


@pytest.mark.parametrize("name", ["progressor_grade4", "gradecoach_grade3"])
def test_notifications_missing_from_a_capture_are_counted_lost_and_marked_as_the_live_source_does(tmp_path, name,
                                                                                                  gc_here):
    path, records = _without(name, range(40, 43), tmp_path)
    chunks, notices, src = radio_fakes.replay(radio_fakes.Radio(FIXTURES[name]["profile"], records=records))
    k = FIXTURES[name]["per_notification"]
    assert src.stats.dropped == 3 * k
    r = gc_here("replay", path, "--r1", 40, "--r2", 120, "--format", "jsonl")
    evs = events(r)
    assert f"{path}: {3 * k} samples lost in 1 gap" in r.stderr
    gaps = [e for e in evs if e["type"] == "gap"]
    want = [n for n in notices if n.kind == "gap"]
    assert [(g["t_start"], g["t_end"], g["reason"]) for g in gaps] == \
           [(pytest.approx(n.t_s, abs=1e-6), pytest.approx(n.t_end_s, abs=1e-6), "dropped samples") for n in want]
    inp = load_input(path)
    t_live, f_live, _ = radio_fakes.concat(chunks)
    np.testing.assert_array_equal(inp.force.t_s, t_live)
    np.testing.assert_array_equal(inp.force.values, f_live)


def test_a_corrupted_frame_is_counted_as_a_crc_error_as_live(tmp_path, gc_here):
    meta, records = read_stream(FIX / "gradecoach_grade3.jsonl")
    t, c, data = records[50]
    records[50] = (t, c, data[:5] + bytes([data[5] ^ 0x5A]) + data[6:])
    path = tmp_path / "crc.jsonl"
    write_stream(path, meta, records)
    _, _, src = radio_fakes.replay(radio_fakes.Radio("gradecoach", records=records))
    assert src.stats.crc_errors >= 1
    r = gc_here("replay", path, "--r1", 40, "--r2", 120, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    n = src.stats.crc_errors
    assert f"{path}: {n} CRC error{'s' if n != 1 else ''}" in r.stderr


GOOD_META = json.dumps({"meta": {"profile": "progressor"}})
GOOD_LINE = json.dumps({"t_host_s": 0.05, "char": bp.PROFILES["progressor"].notify_uuid, "hex": "01"})


@pytest.mark.parametrize("text, line, says", [
    ("", None, "empty"),
    ("\n\n", None, "empty"),
    (GOOD_LINE + "\n", 1, "first line is not the capture's"),
    (GOOD_META + "\nthis is not json\n", 2, "not a JSON object"),
    (GOOD_META + "\n" + GOOD_LINE.replace('"01"', '"0g"') + "\n", 2, "is not the notification's bytes"),
    (GOOD_META + "\n" + GOOD_LINE.replace(bp.PROFILES["progressor"].notify_uuid, bp.NUS_TX_UUID) + "\n", 2,
     "is not the one the progressor profile notifies on"),
    (GOOD_META.replace("progressor", "toaster") + "\n" + GOOD_LINE + "\n", 1, "profile 'toaster'"),
    (GOOD_META + "\n" + GOOD_LINE.replace("0.05", '"soon"') + "\n", 2, "t_host_s 'soon'"),
    (GOOD_META + "\n" + GOOD_LINE + "\n" + GOOD_LINE.replace("0.05", "0.01") + "\n", 3, "before the previous"),
    (GOOD_META + "\n" + GOOD_META + "\n", 2, "a second meta line"),
])
def test_a_broken_capture_is_one_line_naming_the_file_and_line(tmp_path, text, line, says, gc_here):
    path = tmp_path / "bad.jsonl"
    path.write_text(text)
    r = gc_here("replay", path)
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert lines[0].startswith(f"gradecoach: error: {path}{'' if line is None else f':{line}'}: ")
    assert says in lines[0]


def test_a_capture_with_no_samples_says_so(tmp_path, gc_here):
    path = tmp_path / "meta-only.jsonl"
    path.write_text(GOOD_META + "\n")
    r = gc("replay", path)                          # (as a program of its own: exit status and stderr)
    assert (r.returncode, r.stderr.splitlines()) == (
        2, [f"gradecoach: error: {path}: no notifications after its meta line; nothing to replay"])
    path.write_text(GOOD_META + "\n" + GOOD_LINE + "\n")          # (a one-byte notification holds no sample)
    r = gc_here("replay", path)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1
    assert r.stderr.startswith(f"gradecoach: error: {path}: 1 notification but no samples: ")


def test_an_events_file_is_not_taken_for_a_capture(tmp_path, gc_here):
    path = tmp_path / "events.jsonl"
    path.write_text('{"type": "cycle", "t_start": 0.0}\n')
    r = gc_here("replay", path)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1
    assert f"{path}: a file of events (JSON lines, as replay -o writes), not a recording or a BLE capture" in r.stderr


# --- anything in the file: events, or one line ------------------------------------------------

_CHARS = [bp.PROFILES[p].notify_uuid for p in bp.PROFILES] + ["", "2a37"]
_junk = st.one_of(
    st.builds(lambda t, c, h: json.dumps({"t_host_s": t, "char": c, "hex": h}),
              st.one_of(st.floats(), st.integers(), st.text(max_size=3), st.none()), st.sampled_from(_CHARS),
              st.text("0123456789abcdefxyz ", max_size=12)),
    st.text(max_size=30).map(lambda t: t.replace("\n", " ").replace("\r", " ")),
    st.binary(max_size=30).map(lambda b: b.replace(b"\n", b" ").replace(b"\r", b" ").decode("latin-1")),
)
_FIXTURE_NOTES = {name: read_stream(FIX / f"{name}.jsonl") for name in FIXTURES}


@st.composite
def captures(draw) -> bytes:
    """A capture's bytes: a profile's notifications (a fixture's, cut, mutated, or random bytes) at
    increasing times, now and then a broken line, a meta line missing or wrong, or any bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    name = draw(st.sampled_from(sorted(FIXTURES)))
    meta, notes = _FIXTURE_NOTES[name]
    start = draw(st.integers(0, len(notes) - 1))
    picked = notes[start:start + draw(st.integers(0, 60))]
    lines, t = [], 0.0
    for t0, char, data in picked:
        how = draw(st.integers(0, 5))
        if how == 0:
            data = draw(st.binary(max_size=40))
        elif how == 1 and data:
            i = draw(st.integers(0, len(data) - 1))
            data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1:]
        elif how == 2:
            data = data[:draw(st.integers(0, len(data)))]
        t += draw(st.sampled_from([0.0, 0.001, 0.01, 0.05, 0.3, 2.0]))
        lines.append(json.dumps({"t_host_s": round(t, 6), "char": char, "hex": data.hex()}))
        if draw(st.integers(0, 40)) == 0:
            lines.append(draw(_junk))
    head = {0: [], 1: [json.dumps({"meta": {"profile": "toaster"}})]}.get(draw(st.integers(0, 15)),
                                                                         [json.dumps({"meta": meta})])
    return ("\n".join(head + lines) + "\n").encode("utf-8", "surrogatepass")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=captures())
def test_any_capture_gives_events_or_one_line(tmp_path, raw):
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(raw)
    try:
        inp = load_input(path)
    except InputError as e:
        msg = str(e)
        assert msg.startswith(str(path)) and "\n" not in msg and msg.strip()
        return
    evs = analyze_input(inp, SCHEME)
    assert evs and evs[-1].TYPE == "summary"
    assert inp.force is not None or inp.imu is not None
    for sd in (inp.force, inp.imu):
        if sd is not None:
            assert np.all(np.isfinite(sd.t_s)) and np.all(np.diff(sd.t_s) > 0)


def test_the_fixtures_read_as_their_lines_say():
    for name in FIXTURES:
        path = FIX / f"{name}.jsonl"
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        with path.open("rb") as f:
            assert parse_capture(f, path) == (rows[0]["meta"], [(r["t_host_s"], r["char"], bytes.fromhex(r["hex"]))
                                                                for r in rows[1:]])
        assert read_stream(path) == parse_capture(path.read_text().splitlines(), path)
