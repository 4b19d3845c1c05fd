"""Dates as pages print them."""

from __future__ import annotations

import pytest

from summitreader.core.dates import date_rank, find_date, is_date_only, is_time_only


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("June 19, 2024 - 05:07 By Yonhap", "2024-06-19"),
        ("Updated on: June 19, 2024 12:51 IST", "2024-06-19"),
        ("Wed 19 Jun 2024 10.02 BST", "2024-06-19"),
        ("19 June 2024", "2024-06-19"),
        ("2024-06-19T10:00:00Z", "2024-06-19"),
        ("19-06-2024 09:31 IST", "2024-06-19"),
        ("06/19/2024", "2024-06-19"),  # the part above 12 settles the order
        ("07/10/2024 14:02", "2024-10-07"),  # ambiguous: day first
        ("19.06.2024", "2024-06-19"),
        ("19. Juni 2024", "2024-06-19"),
        ("le 1er juin 2024", "2024-06-01"),
        ("22 de mayo de 2024", "2024-05-22"),
        ("입력 2024.09.03 10:02", "2024-09-03"),
        ("2024년 9월 3일", "2024-09-03"),
        ("2025年3月14日 19時05分", "2025-03-14"),
        ("June 19th, 2024", "2024-06-19"),
    ],
)
def test_find_date(text: str, iso: str) -> None:
    found = find_date(text)
    assert found is not None and found[0] == iso


@pytest.mark.parametrize("text", ["3 hours ago", "31/02/2024", "Room 101", "version 2.3.4", ""])
def test_no_date(text: str) -> None:
    assert find_date(text) is None


def test_rank_prefers_published_over_updated() -> None:
    line = "Updated: 20-06-2024 | Created: 19-06-2024"
    updated = line.index("20-06")
    created = line.index("19-06")
    assert date_rank(line, created) > date_rank(line, updated)


def test_date_only_and_time_only() -> None:
    assert is_date_only("Tuesday, June 25, 2024")
    assert is_date_only("Sat 12 Oct 2024 10.02 BST")
    assert not is_date_only("The summit ended on June 20, 2024.")
    assert is_time_only("10.02 BST") and is_time_only("Updated at 10.09 BST")
    assert not is_time_only("10.02 BST Trains halted on the line")


def test_page_settles_numeric_order() -> None:
    from summitreader.core.dates import numeric_order

    assert numeric_order("Posted 04/02/2025 … older: (03/14/2025)") is False
    assert numeric_order("Publié le 04/02/2025 … mis à jour 25/02/2025") is True
    assert numeric_order("04/02/2025 only") is None
    assert find_date("04/02/2025", day_first=False) == ("2025-04-02", 0, 10)
    assert find_date("04/02/2025", day_first=True) == ("2025-02-04", 0, 10)
    assert find_date("04/02/2025") == ("2025-02-04", 0, 10)
