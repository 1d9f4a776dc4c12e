"""``--trainee`` naming no one, on ``library list`` and ``report --class``, as an instructor types
it: a trainee the folder has never seen (a typo, a first name alone) is one line naming the
value, the trainees likeliest meant and every trainee there, exit 2, from both commands alike;
'list' printed its table's header alone (or nothing, as jsonl) and exited 0, as if the trainee
had no sessions yet, while 'report' refused it. A name differing only in case or surrounding
spaces is the trainee, in both."""

from __future__ import annotations

import pytest

from tests.conftest import gc

# (folder, trainee, created)
SESSIONS = [("a1", "Anna", "2026-11-01T10:00:00"), ("b1", "Ben", "2026-11-02T10:00:00"),
            ("e1", "Émile Dubois", "2026-11-03T10:00:00"), ("a2", "Anna", "2026-11-04T10:00:00")]


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    from tests.ui.review.conftest import make_session

    root = tmp_path_factory.mktemp("lib") / "class"
    for i, (name, trainee, created) in enumerate(SESSIONS):
        make_session(root / name, trainee=trainee, created=created, seed=i, cycles=3)
    return root


def _report(klass, trainee, out):
    return gc("report", "--class", klass, "--trainee", trainee, "-o", out)


@pytest.mark.parametrize("fmt", ["table", "jsonl"])
def test_an_unknown_trainee_is_one_line_and_exit_2_in_list_as_in_report(klass, tmp_path, fmt):
    line = f"gradecoach: error: {klass}: no sessions of 'zed' under it; trainees: Anna, Ben, Émile Dubois\n"
    listed = gc("library", "list", klass, "--trainee", "zed", "--format", fmt)
    assert (listed.returncode, listed.stdout, listed.stderr) == (2, "", line)
    out = tmp_path / "zed.html"
    reported = _report(klass, "zed", out)
    assert (reported.returncode, reported.stdout, reported.stderr) == (2, "", line)
    assert not out.exists()


@pytest.mark.parametrize("typed, meant", [("Emile", "Émile Dubois"), ("dubois", "Émile Dubois"),
                                          ("ann", "Anna"), ("Ana", "Anna"), ("emile dubios", "Émile Dubois")])
def test_a_first_name_or_a_typo_names_the_trainee_meant(klass, tmp_path, typed, meant):
    line = (f"gradecoach: error: {klass}: no sessions of {typed!r} under it (did you mean {meant!r}?); "
            f"trainees: Anna, Ben, Émile Dubois\n")
    listed = gc("library", "list", klass, "--trainee", typed)
    assert (listed.returncode, listed.stdout, listed.stderr) == (2, "", line)
    if typed == "Emile":                                # (the report's line is the same: once is enough)
        reported = _report(klass, typed, tmp_path / "e.html")
        assert (reported.returncode, reported.stderr) == (2, line)


@pytest.mark.parametrize("typed", ["ANNA", "  anna  ", "aNNa\t"])
def test_case_and_surrounding_spaces_find_the_trainee_in_both(klass, tmp_path, typed):
    listed = gc("library", "list", klass, "--trainee", typed, "--format", "jsonl")
    assert listed.returncode == 0 and listed.stderr == ""
    assert [line.split('"path": "')[1][:2] for line in listed.stdout.splitlines()] == ["a1", "a2"]
    if typed == "  anna  ":
        out = tmp_path / "anna.html"
        reported = _report(klass, typed, out)
        assert reported.returncode == 0 and reported.stdout == f"wrote {out} (2 recordings)\n"


def test_a_blank_trainee_is_the_same_line_in_report_as_in_list(klass, tmp_path):
    """'report --trainee ""' said "no sessions of '' under it; trainees: …"."""
    line = ("gradecoach: error: --trainee: give a trainee's name, e.g. --trainee Anna (or leave it out for "
            "everyone)\n")
    for blank in ("", "  "):
        listed = gc("library", "list", klass, "--trainee", blank)
        reported = _report(klass, blank, tmp_path / "b.html")
        assert (listed.returncode, listed.stderr) == (reported.returncode, reported.stderr) == (2, line)


def test_a_trainee_picked_from_a_folder_without_sessions(tmp_path):
    """'list --trainee zed' on a folder holding no session printed the header alone, exit 0; the
    report said it in one line, exit 2. Without --trainee, 'list' still lists nothing, exit 0."""
    empty = tmp_path / "empty"
    empty.mkdir()
    line = f"gradecoach: error: {empty}: no session folders (with session.json) under it\n"
    listed = gc("library", "list", empty, "--trainee", "zed")
    assert (listed.returncode, listed.stdout, listed.stderr) == (2, "", line)
    reported = _report(empty, "zed", tmp_path / "z.html")
    assert (reported.returncode, reported.stderr) == (2, line)
    everyone = gc("library", "list", empty)
    assert everyone.returncode == 0
    assert everyone.stderr == f"gradecoach: no session folders (with session.json) under {empty}\n"


def test_unreadable_folders_are_said_before_the_line_in_both(klass, tmp_path):
    """'report' named no trainee at all ("trainees: " and nothing) when no session.json of the
    class could be read, and did not say why; 'list' warned of each."""
    bad = tmp_path / "bad"
    (bad / "b1").mkdir(parents=True)
    (bad / "b1" / "session.json").write_text("{not json", encoding="utf-8")
    why = f"{bad / 'b1' / 'session.json'}:1: not valid JSON (Expecting property name enclosed in double quotes)"
    line = f"gradecoach: error: {bad}: its one session folder could not be read\n"
    listed = gc("library", "list", bad, "--trainee", "zed")
    assert (listed.returncode, listed.stdout, listed.stderr) == (2, "", f"gradecoach: warning: {why}\n{line}")
    reported = _report(bad, "zed", tmp_path / "z.html")
    assert (reported.returncode, reported.stderr) == (2, f"gradecoach: warning: left out: {why}\n{line}")


def test_a_session_json_with_a_byte_order_mark_is_its_trainees_alone(klass, tmp_path):
    """A session.json saved by Windows Notepad (a byte order mark first) was taken for unreadable
    by 'report --trainee', so Ben's session was in Anna's report (3 recordings); 'list' and the
    report read it as Ben's."""
    import shutil

    root = tmp_path / "class"
    shutil.copytree(klass, root, ignore=shutil.ignore_patterns("gradecoach-library.sqlite*"))
    meta = root / "b1" / "session.json"
    meta.write_bytes(b"\xef\xbb\xbf" + meta.read_bytes())
    out = tmp_path / "anna.html"
    reported = _report(root, "anna", out)
    assert reported.returncode == 0 and reported.stdout == f"wrote {out} (2 recordings)\n"
    listed = gc("library", "list", root, "--trainee", "anna", "--format", "jsonl")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 2
