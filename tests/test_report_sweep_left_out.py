"""A class report names, at the top of its page, the session folders it left out because they
could not be read: they were said on the terminal only, and the page read as if the class had
no more sessions."""

from __future__ import annotations

import re

import pytest

from tests.conftest import class_folder

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_left_out_sessions_are_listed_on_the_page(tmp_path, capsys):
    from ui.cli import main
    group = class_folder(tmp_path / "class", "ana", "ben", "cleo")
    (group / "ben" / "force.csv").write_text("t_s,force_n\n")     # (nothing recorded)
    out = tmp_path / "r.html"
    assert main(["report", "--class", str(group), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "left out:" in err
    page = out.read_text(encoding="utf-8")
    said = re.findall(r'<p class="left-out">([^<]*)</p><ul class="warnings left-out">(.*?)</ul>', page)
    assert said and said[0][0] == "1 session folder could not be read and is not in this report:"
    items = re.findall(r"<li>([^<]*)</li>", said[0][1])
    assert len(items) == 1 and "ben" in items[0] and "force.csv" in items[0]
    assert page.index('class="left-out"') < page.index("<h2>Overview</h2>")
    assert len(re.findall(r'<section class="recording"', page)) == 2


def test_a_class_read_whole_has_no_such_list(tmp_path, capsys):
    from ui.cli import main
    group = class_folder(tmp_path / "class", "ana", "ben")
    out = tmp_path / "r.html"
    assert main(["report", "--class", str(group), "-o", str(out)]) == 0
    capsys.readouterr()
    assert 'class="left-out"' not in out.read_text(encoding="utf-8")
