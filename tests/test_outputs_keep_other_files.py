"""replay -o never replaces a file gradecoach did not write, whatever its name: events of
someone else's tool (JSON lines whose "type" is none of gradecoach's), a session.json copied
aside, a script, notes. Each was overwritten with exit status 0: any JSON line with a "type"
passed for replay's own events, and a file not named .csv or .tsv that held no rows of numbers
passed for nothing worth keeping. Now each is one line naming what is there, exit status 2, and
the file kept byte for byte; replay's own earlier events are still replaced by a second run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._cli_in_process import gc_in_process

FORCE = Path(__file__).resolve().parent.parent / "fixtures" / "lumbar_grade3.csv"

OTHERS = {
    "data.jsonl": (b'{"type": "note", "who": "me"}\n', 'a file gradecoach did not write ({"type": "note", "who": "me"})'),
    "session_copy.json": (b'{\n  "trainee": "Ana",\n  "r1_n": 40\n}\n', "a file gradecoach did not write ({)"),
    "script.py": (b"print('hello')\n", "a file gradecoach did not write (print('hello'))"),
    "notes.md": (b"# my notes\nroom 3 at nine\n", "a file gradecoach did not write (# my notes)"),
}


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_replay_does_not_write_over_a_file_it_did_not_write(tmp_path, capfd, name):
    body, what = OTHERS[name]
    p = tmp_path / name
    p.write_bytes(body)
    r = gc_in_process(capfd, "replay", FORCE, "--r1", "40", "--r2", "120", "-o", p)
    assert r.returncode == 2
    assert r.stderr == f"gradecoach: error: -o {p}: that is {what}; choose another file, the file is kept as it is\n"
    assert p.read_bytes() == body


def test_a_copy_of_a_recordings_expected_events_under_another_name_is_kept(tmp_path, capfd):
    truth = (FORCE.parent / "thrust_pops.expected.jsonl").read_bytes()
    p = tmp_path / "other.jsonl"
    p.write_bytes(truth)
    r = gc_in_process(capfd, "replay", FORCE, "--r1", "40", "--r2", "120", "-o", p)
    assert (r.returncode, r.stderr) == (2, f"gradecoach: error: -o {p}: that is a recording's expected events; "
                                           f"choose another file, the recording is kept as it is\n")
    assert p.read_bytes() == truth


def test_replays_own_events_are_replaced_by_a_second_run(tmp_path, capfd):
    p = tmp_path / "events.jsonl"
    for _ in range(2):
        assert gc_in_process(capfd, "replay", FORCE, "--r1", "40", "--r2", "120", "-o", p).returncode == 0
    assert p.read_text().splitlines()[-1].startswith('{"type": "summary"')


def test_the_event_types_taken_for_gradecoachs_own_are_every_one_it_writes():
    from analysis import imu
    from analysis.events import _TYPES
    assert imu.ImuCycleEvent.TYPE in _TYPES              # (registered on import)
    from ui.options import OWN_JSON_TYPES
    assert set(_TYPES) <= set(OWN_JSON_TYPES)
