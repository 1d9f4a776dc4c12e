"""The library's warning about stored events that contradict their summary lists grades in
grade order (III-, III, III+), as the review and the report list them; it listed them in the
order the file gave them."""

from __future__ import annotations

from ui.library.stored import summary_disagreement


def _cycle(grade: str) -> dict:
    return {"type": "cycle", "grade": grade, "set_index": 0, "beyond_r2": False}


def test_the_disagreement_lists_grades_in_grade_order():
    events = [_cycle("III+"), _cycle("III"), _cycle("III-")]
    summary = {"type": "summary", "n_cycles": 3, "grade_histogram": {"III+": 2, "III-": 1},
               "sets": [], "thrusts": [], "n_thrusts": 0}
    said = summary_disagreement(events + [summary])
    assert said is not None
    assert "(III-: 1, III: 1, III+: 1)" in said and "(III-: 1, III+: 2)" in said, said
