"""The library (the review's trainee column, list's trainees hint), the review's filter and the
class report order and find trainees by one key, and head a score alike."""

from __future__ import annotations

import pytest

from ui.library import Library
from ui.report import class_order, item_section, load_item, spell_trainees
from ui.review.compare import _stat_headings

from .conftest import make_session

NAMES = ["Ana  María López", "Ana Beatriz Ruiz", "Émile Dubois", "Ŧomas Kask", "Paŀlàs Vidal", "Łukasz Nowak",
         "Zoë Müller"]


def test_the_library_sorts_trainees_as_the_class_report_orders_them(tmp_path):
    """A name typed with two spaces ('Ana  María López') sorted before 'Ana Beatriz Ruiz' in the
    library and after it in the class report; 'Paŀlàs' (a Catalan ŀ) and 'Ŧomas' were read as
    'pal·las' and 'tomas' by one and not the other. Both name her with one space ('Ana María
    López'), as the report's overview, sections and CSV do."""
    for i, name in enumerate(NAMES):
        make_session(tmp_path / f"s{i}", trainee=name, created=f"2025-03-0{i + 1}T10:00:00", seed=i, cycles=3)
    with Library(tmp_path) as lib:
        lib.refresh()
        in_library = lib.trainees()
    items = sorted((load_item(tmp_path / f"s{i}") for i in range(len(NAMES))), key=class_order)
    spell_trainees(items)                   # (as the report's overview, sections and CSV name them)
    in_report = [it.trainee for it in items]
    assert in_library == in_report == ["Ana Beatriz Ruiz", "Ana María López", "Émile Dubois", "Łukasz Nowak",
                                       "Paŀlàs Vidal", "Ŧomas Kask", "Zoë Müller"]


@pytest.mark.parametrize("target, heading", [("III", "score (% on target)"),
                                             ("V", "score (% of thrusts on target)")])
def test_the_report_and_the_review_head_a_score_alike(tmp_path, target, heading):
    folder = make_session(tmp_path / "s", target=target, kinds=(target,), cycles=3)
    assert f"<dt>{heading}</dt>" in item_section(load_item(folder), 1)
    assert _stat_headings([target])[0] == heading
