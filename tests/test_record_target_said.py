"""``gradecoach record --target`` says how the trainee did: beside the status line's last grade
("last grade III (target III+: off)", a thrust as the trainer judges it) and, at the end of the
closing line, the score as the library will give it ("target V: on target 50 % (1 of 2 thrusts;
1 let-up)"). It said "last grade V" for a thrust that let up 26 N, and only counted at the end.
The target is stored as the trainer spells it ('hvla' as V), and an empty --trainee is refused."""

from __future__ import annotations

import json

from analysis.scheme import GradingScheme
from firmware_bridge.session import SessionMeta, SessionWriter
from firmware_bridge.simulator import Noise, Sim
from tests._cli_in_process import gc_in_process
from ui.library.stats import session_stats

RATE_HZ = 1000.0


def played(folder, build) -> str:
    """A played session (R1 40 N, R2 120 N) of what ``build(sim, scheme)`` does, as a device."""
    sim = Sim(40.0, 120.0, seed=3)
    build(sim, GradingScheme(40.0, 120.0))
    sim.hold(0.3)
    t, y = sim.sample(RATE_HZ, Noise(noise_n=0.3, tremor_n=0.4))
    w = SessionWriter(folder, SessionMeta(r1_n=40.0, r2_n=120.0))
    w.append_force(t, y)
    w.close(RATE_HZ)
    return f"file:{folder}"


def thrusts(sim, scheme):
    sim.thrust(130.0, 500.0, 120.0)                 # on target (100–160 N, 400–650 N)
    sim.thrust(130.0, 500.0, 120.0, letup_n=25.0)   # let up


def plain_three(sim, scheme):
    sim.mob_set("III", "", 2.0, 5, scheme)          # crests near 80 N: III, not III+


def events(out) -> list[dict]:
    return [json.loads(x) for x in (out / "events.jsonl").read_text().splitlines()]


def test_a_thrust_that_let_up_is_said_off_target_and_the_score_counts_it(tmp_path, capsys):
    out = tmp_path / "h1"
    r = gc_in_process(capsys, "record", "--device", played(tmp_path / "played", thrusts), "--out", out,
                      "--target", "hvla")
    assert r.returncode == 0, r.stderr
    status = [x for x in r.stderr.splitlines() if "last grade V" in x]
    assert status and "last grade V (target V: off target — let-up" in status[-1], r.stderr
    assert any("last grade V (target V: on target)" in x for x in status), r.stderr
    assert r.stdout.startswith("recorded ") and "(0 cycles, 2 thrusts)" in r.stdout
    assert r.stdout.endswith(f"to {out}; target V: on target 50 % (1 of 2 thrusts; 1 let-up)\n")
    meta = json.loads((out / "session.json").read_text())
    assert meta["target"] == "V"                    # ('hvla' as typed: the library listed 'hvla')
    assert session_stats(events(out), meta["target"])["score_pct"] == 50.0


def test_a_plain_three_aimed_at_three_plus_is_said_off_target(tmp_path, capsys):
    out = tmp_path / "g3"
    r = gc_in_process(capsys, "record", "--device", played(tmp_path / "played", plain_three), "--out", out,
                      "--target", "iii+")
    assert r.returncode == 0, r.stderr
    assert "last grade III (target III+: off)" in r.stderr, r.stderr
    ev = events(out)
    n = sum(e["type"] == "cycle" for e in ev)
    score = session_stats(ev, "III+", GradingScheme(40.0, 120.0))["score_pct"]
    assert n >= 3 and score < 50                    # (most crests are plain III)
    assert r.stdout.endswith(f"to {out}; target III+: on target {score:.0f} % of {n} cycles\n")
    assert json.loads((out / "session.json").read_text())["target"] == "III+"


def test_the_target_is_stored_as_the_trainer_spells_it(tmp_path, capsys):
    out = tmp_path / "iv"
    r = gc_in_process(capsys, "record", "--device", "emulator:grade4", "--out", out, "--duration", "0.5",
                      "--target", "iv", "--quiet")
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "session.json").read_text())["target"] == "IV"
    assert r.stdout == f"recorded 501 samples (0 cycles, 0 thrusts) to {out}; target IV: no cycle\n"


def test_an_empty_trainee_is_refused_in_one_line_and_nothing_is_recorded(tmp_path, capsys):
    for given in ("--trainee=", "--trainee=   "):
        r = gc_in_process(capsys, "record", "--device", "emulator:grade4", "--out", tmp_path / "e",
                          "--duration", "1", given)
        assert r.returncode == 2 and r.stdout == ""
        assert r.stderr.count("\n") == 1 and "--trainee" in r.stderr and "no name given" in r.stderr, r.stderr
        assert not (tmp_path / "e").exists()


def test_a_trainee_is_stored_without_the_spaces_around_it(tmp_path, capsys):
    out = tmp_path / "a"
    r = gc_in_process(capsys, "record", "--device", "emulator:grade4", "--out", out, "--duration", "0.2",
                      "--trainee", " Anna ", "--quiet")
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "session.json").read_text())["trainee"] == "Anna"
