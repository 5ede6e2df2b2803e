"""Where the display finds the API, and how far the server's clock is from ours."""

from __future__ import annotations

from layso.counter_display.events import _clock_offset, api_base


def test_api_base_and_clock_offset():
    assert api_base("http://10.0.0.5:8080/") == "http://10.0.0.5:8080/api/v1"
    assert api_base("http://10.0.0.5:8080/api/v1") == "http://10.0.0.5:8080/api/v1"
    # server clock 10 s ahead: Date says 12:00:10 when we think it is 12:00:00
    ours = 1_700_000_000.0
    offset = _clock_offset("Tue, 14 Nov 2023 22:13:30 GMT", ours - 0.1, ours + 0.1)
    assert abs(offset - (1_700_000_010.5 - ours)) < 0.01
    assert _clock_offset(None, ours, ours) == 0.0
