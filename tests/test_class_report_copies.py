"""``report --class`` says of a session folder copied under the class, as ``library list`` says
it, that the two folders hold the same recording and that it is listed twice, on the terminal
and in the page: it counted "2 recordings" without a word."""

from __future__ import annotations

import html
import shutil

from tests._cli_in_process import gc_in_process
from tests.ui.review.conftest import make_session


def _class(tmp_path):
    root = tmp_path / "class"
    make_session(root / "anna-1", trainee="anna", cycles=3)
    shutil.copytree(root / "anna-1", root / "anna-copy")
    make_session(root / "ben-1", trainee="ben", created="2025-03-02T10:00:00", cycles=3, seed=1)
    return root


def _copy_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "hold the same recording" in line]


def test_class_report_says_a_copied_folder_is_listed_twice_as_library_list_does(tmp_path, capfd):
    root = _class(tmp_path)
    listed = gc_in_process(capfd, "library", "list", root, "--trainee", "anna")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 3       # (both listed)
    said = _copy_lines(listed.stderr)
    assert said == [f"gradecoach: warning: anna-1 and anna-copy under {root.resolve()} hold the same recording "
                    f"(a copy?): it is listed twice"]
    for who in (["--trainee", "anna"], []):
        out = tmp_path / "r.html"
        r = gc_in_process(capfd, "report", "--class", root, *who, "-o", out)
        assert r.returncode == 0, r.stderr
        assert _copy_lines(r.stderr) == said
        page = out.read_text(encoding="utf-8")
        line = said[0].removeprefix("gradecoach: warning: ")
        assert page.count(f"<li>{html.escape(line)}</li>") == 1
        # counted as the library lists it: each folder, as library list's two rows
        assert f"({2 if who else 3} recordings)" in r.stdout


def test_class_report_of_folders_each_its_own_says_nothing_of_copies(tmp_path, capfd):
    root = _class(tmp_path)
    shutil.rmtree(root / "anna-copy")
    out = tmp_path / "r.html"
    r = gc_in_process(capfd, "report", "--class", root, "-o", out)
    assert r.returncode == 0 and _copy_lines(r.stderr) == []
    assert 'class="warnings copies"' not in out.read_text(encoding="utf-8")
