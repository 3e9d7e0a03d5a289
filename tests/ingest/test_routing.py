"""Splitting a scanned batch by its cover and separator sheets."""

from __future__ import annotations

from dossier.barcodes import CoverCode, ItemCode, MailingCode, SeparatorCode
from dossier.ingest.routing import reply_pages, sheet_pages, split_batch

A = CoverCode(12, "contract", "sales")
B = CoverCode(40, "complaint", "care")
SEP = SeparatorCode()


def _shape(parts):
    return [(part.pages, part.route) for part in parts]


def test_a_scan_without_codes_is_one_part_without_route():
    assert _shape(split_batch([[], [], []])) == [([0, 1, 2], None)]


def test_a_cover_sheet_routes_the_pages_after_it_and_is_dropped():
    parts = split_batch([[A], [], []])
    assert _shape(parts) == [([1, 2], A)]
    assert (parts[0].first_page, parts[0].last_page) == (2, 3)


def test_a_separator_splits_and_keeps_the_route_of_the_cover_before_it():
    assert _shape(split_batch([[A], [], [SEP], [], []])) == [([1], A), ([3, 4], A)]


def test_separators_without_a_cover_make_parts_for_triage():
    assert _shape(split_batch([[], [SEP], [], [SEP], []])) == [([0], None), ([2], None),
                                                              ([4], None)]


def test_a_second_cover_starts_a_new_route():
    assert _shape(split_batch([[A], [], [B], [], []])) == [([1], A), ([3, 4], B)]


def test_pages_before_the_first_cover_wait_in_triage():
    assert _shape(split_batch([[], [A], []])) == [([0], None), ([2], A)]


def test_empty_parts_are_dropped_and_sheets_only_give_nothing():
    assert _shape(split_batch([[A], [SEP], [], [SEP]])) == [([2], A)]
    assert split_batch([[A], [SEP]]) == []
    assert split_batch([]) == []


def test_a_cover_wins_over_a_separator_on_the_same_page():
    assert _shape(split_batch([[SEP, A], []])) == [([1], A)]


def test_other_codes_stay_with_their_page_and_part():
    item, letter = ItemCode(7), MailingCode(3, 250)
    parts = split_batch([[A], [item], [SEP], [letter]])
    assert [part.codes for part in parts] == [[item], [letter]]


def test_sheet_pages_are_the_dropped_ones():
    assert sheet_pages([[A], [], [SEP], [ItemCode(1)]]) == [0, 2]


def test_reply_coupon_pages_are_those_with_a_mailing_code_and_no_sheet():
    letter = MailingCode(3, 250)
    assert reply_pages([[letter], [], [A, letter], [ItemCode(1), letter], [SEP]]) == [0, 3]


def test_skipped_pages_belong_to_no_part_and_do_not_split_one():
    assert _shape(split_batch([[A], [], [MailingCode(3, 250)], []], skip={2})) == [([1, 3], A)]
    assert split_batch([[MailingCode(3, 250)]], skip={0}) == []
