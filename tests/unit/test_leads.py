"""Lead times a coach types ("1d,2h,60m,90s"): what is accepted, what is refused and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.leads import MAX_LEADS, Lead, format_leads, parse_leads


def test_a_mixed_list_is_read_and_sorted_longest_first() -> None:
    leads = parse_leads("90s,60m,1d,2h")

    assert leads == (Lead(1, "d"), Lead(2, "h"), Lead(60, "m"), Lead(90, "s"))


@pytest.mark.parametrize("text", [None, "", "   ", "default", "DEFAULT", " Default "])
def test_nothing_or_default_means_the_default_plan(text: str | None) -> None:
    assert parse_leads(text) is None


def test_spaces_and_capitals_are_forgiven() -> None:
    assert parse_leads(" 1D , 2h,  30M ") == (Lead(1, "d"), Lead(2, "h"), Lead(30, "m"))


def test_sorting_is_by_length_of_time_not_by_number() -> None:
    # 90 minutes is longer than 1 hour although 90 > 1 and "m" sorts after "h".
    assert parse_leads("1h,90m,3000s") == (Lead(90, "m"), Lead(1, "h"), Lead(3000, "s"))


def test_fourteen_days_is_the_longest_allowed() -> None:
    assert parse_leads("14d") == (Lead(14, "d"),)
    assert parse_leads("336h") == (Lead(336, "h"),)


def test_six_leads_are_allowed() -> None:
    leads = parse_leads("1d,2d,3d,4d,5d,6d")

    assert leads is not None
    assert len(leads) == MAX_LEADS == 6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0m", "a lead time must be more than zero"),
        ("1d,0s", "a lead time must be more than zero"),
        ("15d", "15d is more than 14 days before"),
        ("337h", "337h is more than 14 days before"),
        ("60m,1h", "the same lead time is given twice"),
        ("1d,24h", "the same lead time is given twice"),
        ("2h,2h", "the same lead time is given twice"),
        ("1d,2d,3d,4d,5d,6d,7d", "at most 6 lead times"),
    ],
)
def test_wrong_lists_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        parse_leads(text)


@pytest.mark.parametrize(("text", "bad"), [("2w", "2w"), ("1d, soon", "soon"), ("1d,,2h", "")])
def test_an_unknown_unit_names_the_part_and_shows_the_form(text: str, bad: str) -> None:
    with pytest.raises(ValueError, match="is not a lead time") as caught:
        parse_leads(text)

    assert str(caught.value).startswith(f"{bad!r} is not a lead time")
    assert "like 1d,2h,60m" in str(caught.value)


@pytest.mark.parametrize("text", ["-1h", "1.5h", "h", "12345m", "1 h"])
def test_anything_but_a_whole_number_and_a_unit_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a lead time"):
        parse_leads(text)


def test_format_leads_round_trips() -> None:
    leads = parse_leads("2h,1d")

    assert format_leads(leads) == "1d,2h"
    assert parse_leads(format_leads(leads)) == leads
    assert format_leads(None) == "default"


def test_each_lead_names_its_own_slot() -> None:
    assert [lead.slot for lead in parse_leads("1d,90s") or ()] == ["lead-1d", "lead-90s"]


def test_hours_minutes_and_seconds_are_elapsed_time() -> None:
    starts = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)

    assert Lead(2, "h").before(starts) == starts - timedelta(hours=2)
    assert Lead(45, "m").before(starts) == starts - timedelta(minutes=45)
    assert Lead(90, "s").before(starts) == starts - timedelta(seconds=90)


def test_a_day_is_the_same_wall_clock_time_the_day_before_across_the_october_change() -> None:
    # Monday 26 October 2026 10:00 GMT; the Saturday before was on BST.
    starts = datetime(2026, 10, 26, 10, 0, tzinfo=UTC)

    assert Lead(1, "d").before(starts) == datetime(2026, 10, 25, 10, 0, tzinfo=UTC)
    # Two days back is Saturday 24 October 10:00 BST = 09:00 UTC: 49 hours, not 48.
    assert Lead(2, "d").before(starts) == datetime(2026, 10, 24, 9, 0, tzinfo=UTC)
