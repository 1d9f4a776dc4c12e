"""``replay --help`` says which output format each use gets: --demo writes its table also into
a pipe, which the help did not say ("table (default on a terminal)")."""

from __future__ import annotations

from tests.conftest import gc


def test_help_says_the_demo_is_a_table_in_a_pipe_too():
    shown = " ".join(gc("replay", "--help").stdout.split())
    assert "table (default on a terminal, and for --demo) or jsonl (one event per line; the default in a pipe " \
           "or a file)" in shown
    demo = gc("replay", "--demo")                       # (captured: a pipe)
    assert demo.returncode == 0
    assert demo.stdout.splitlines()[0].endswith("75.7 s (audio 76.2 s), 53 cycles, 2 thrusts, 7 pops")
    piped = gc("replay", "--demo", "--format", "jsonl")
    assert piped.stdout.splitlines()[-1].startswith('{"type": "summary"')
