"""A saved profile no practice can use (R1 not below R2), or a profiles file of another shape,
is one line naming the file and what is wrong: it was dropped silently, and
'trainer --profile NAME' then said no such profile was saved."""

from __future__ import annotations

import pytest

from tests.conftest import gc
from ui.trainer.profiles import profiles_path


@pytest.mark.parametrize("content, said", [
    ('{"profiles": {"manikin": {"r1_n": 120, "r2_n": 40}}}',
     "profile 'manikin' in {path}: R1 120 N must be below R2 40 N"),
    ('[{"r1_n": 40, "r2_n": 120}]',
     '{path}: a JSON list, not the object {{"profiles": {{NAME: {{"r1_n": …, "r2_n": …}}}}}} gradecoach saves'),
])
def test_trainer_names_the_profile_that_cannot_be_used(content, said):
    path = profiles_path()
    path.parent.mkdir(parents=True)
    path.write_text(content)
    r = gc("trainer", "--profile", "manikin", "--device", "emulator")
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["gradecoach: error: " + said.format(path=path)]
    assert path.read_text() == content                                # left as it was
