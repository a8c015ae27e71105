"""The search-first picker's matching, as a pure function."""

from __future__ import annotations

from tracker.ui.kit.search_picker import best_matches

NAMES = {1: "Rhine MedTech Cluster", 2: "Nordic MedTech Cluster", 3: "Medicines for Europe", 4: "Baltic Health"}


def test_names_starting_with_the_text_come_before_words_and_then_inner_matches():
    assert best_matches(NAMES, "med") == [3, 2, 1]


def test_every_typed_word_must_appear():
    assert best_matches(NAMES, "medtech nordic") == [2]


def test_case_is_ignored_and_chosen_records_are_left_out():
    assert best_matches(NAMES, "CLUSTER", exclude=[1]) == [2]


def test_at_most_the_limit_is_offered_and_nothing_for_an_empty_search():
    many = {i: f"Cluster {i:04d}" for i in range(500)}
    assert len(best_matches(many, "cl")) == 50
    assert best_matches(many, "   ") == []
