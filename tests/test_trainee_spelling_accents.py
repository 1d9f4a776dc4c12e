"""A trainee typed once with the accents of their name ("Émile Dubois") and once without
("Emile Dubois", typed later in a hurry) is spelt with them in the library's lists, the report and
its CSVs: the latest session's spelling won, so the report named him "Emile Dubois" and a report
of his first session alone "Émile Dubois"."""

from __future__ import annotations

from ui.library.names import spellings


def test_a_spelling_with_the_names_accents_is_kept_over_one_without():
    said = spellings([("Émile Dubois", "2026-12-03T07:17:00+00:00"), ("Emile Dubois", "2026-12-03T07:18:00+00:00"),
                      ("emile dubois", "2026-12-03T07:19:00+00:00")])
    assert list(said.values()) == ["Émile Dubois"]


def test_accents_count_before_how_often_and_capitals_still_count_among_equals():
    said = spellings([("ZOË", "2026-01-01T10:00:00+00:00"), ("Zoe", "2026-01-02T10:00:00+00:00"),
                      ("Zoe", "2026-01-03T10:00:00+00:00"), ("anna", "2026-01-04T10:00:00+00:00"),
                      ("Anna", "2026-01-01T10:00:00+00:00")])
    assert sorted(said.values()) == ["Anna", "ZOË"]
    # (two spellings with the accents: the one typed more often, then with capitals)
    said = spellings([("zoë", "2026-01-01T10:00:00+00:00"), ("Zoë", "2026-01-02T10:00:00+00:00"),
                      ("Zoë", "2026-01-03T10:00:00+00:00"), ("Zoe", "2026-01-04T10:00:00+00:00")])
    assert list(said.values()) == ["Zoë"]
