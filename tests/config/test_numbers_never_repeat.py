"""Two fields never print the same number: the rule (`shared_number`) against brute force."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from layso.server.domain.numbering import ServiceRules, format_number, shared_number


def printed(rules: ServiceRules) -> set[str]:
    """Every number the field can print in one day, as the hall would read it (any case)."""
    return {format_number(rules.prefix, seq, rules.width).upper()
            for seq in range(rules.start, rules.last_seq + 1)}


@st.composite
def fields(draw) -> ServiceRules:
    width = draw(st.integers(1, 3))
    start = draw(st.integers(0, 10 ** width - 1))
    return ServiceRules(prefix=draw(st.sampled_from(["", "1", "10", "11", "0", "01", "A", "a",
                                                     "A1", "1A", "B", "9"])),
                        start=start, width=width,
                        daily_cap=draw(st.none() | st.integers(1, 1200)), cutoff=None, open=True)


@settings(max_examples=1500, deadline=None)
@given(fields(), fields())
def test_shared_number_is_found_exactly_when_two_fields_can_print_one_number(a, b):
    both = printed(a) & printed(b)
    found = shared_number(a, b)
    assert (found is not None) == bool(both)
    if found is not None:
        assert found.upper() in both
        assert shared_number(b, a) is not None


def test_the_cases_of_the_issue():
    def rules(prefix: str, width: int = 3, start: int = 1, cap: int | None = None):
        return ServiceRules(prefix, start, width, cap, None, True)

    assert shared_number(rules("1"), rules("1")) == "1001"
    assert shared_number(rules("10", width=2), rules("1", width=3)) == "1001"
    assert shared_number(rules(""), rules("")) == "001"
    assert shared_number(rules("1"), rules("2")) is None
    assert shared_number(rules("", width=4), rules("1")) == "1001"   # 1001 from both
    assert shared_number(rules("", width=4, start=2000), rules("1")) is None
    assert shared_number(rules("10", width=2), rules("1", start=100)) is None
