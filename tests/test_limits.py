"""Marketo's API limits emulated with real counters (facts §5.3: 20015 daily quota reset at midnight US
Central, 20023 more than 100 calls in 20 s, 20024 more than 10 concurrent calls)."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest

from mockmarketo.domain.limits import CallLimiter, LimitSettings
from mockmarketo.domain.errors import MarketoError
from tests import soap_messages as sm
from tests.conftest import SoapCaller
from tests.control_helpers import FakeClock, control_app, json_client


def _app(clock, **limits):
    return control_app(clock, limits=LimitSettings(enabled=True, **limits))


@pytest.fixture
def clock():
    return FakeClock()


def test_limits_are_off_by_default(clock):
    app = control_app(clock)
    soap = SoapCaller(app)
    assert json_client(app).get("/_mock/limits").json["enabled"] is False
    assert [soap.sync("a@example.com").status for _ in range(3)] == [200, 200, 200]


def test_numbers_without_enabled_limit_nothing(clock):
    app = control_app(clock, limits=LimitSettings(daily_quota=1, rate_max_calls=1))
    soap = SoapCaller(app)
    assert [soap.sync("a@example.com").status for _ in range(3)] == [200, 200, 200]


def test_enabled_limits_use_marketos_numbers():
    assert LimitSettings(enabled=True) == LimitSettings(True, 10_000, 100, 20, 10)


def test_call_over_the_daily_quota_is_20015(clock):
    soap = SoapCaller(_app(clock, daily_quota=2))
    assert [soap.sync("a@example.com").status for _ in range(2)] == [200, 200]
    response = soap.sync("a@example.com")
    assert (response.status, response.fault_code, response.fault_message) == (
        500, 20015, "Number of calls today exceeded the subscription's quota of 2 calls (20015)")


def test_daily_quota_resets_at_midnight_us_central():
    # 2026-03-02 05:59:59 UTC is 23:59:59 CST (UTC-6; daylight saving starts on 8 March)
    clock = FakeClock(datetime(2026, 3, 2, 5, 59, 59, tzinfo=timezone.utc))
    soap = SoapCaller(_app(clock, daily_quota=1))
    assert soap.sync("a@example.com").status == 200
    assert soap.sync("a@example.com").fault_code == 20015
    clock.advance(1)
    assert soap.sync("a@example.com").status == 200


def test_daily_quota_does_not_reset_at_midnight_utc():
    clock = FakeClock(datetime(2026, 3, 2, 23, 59, 59, tzinfo=timezone.utc))
    soap = SoapCaller(_app(clock, daily_quota=1))
    soap.sync("a@example.com")
    clock.advance(1)
    assert soap.sync("a@example.com").fault_code == 20015


def test_daily_quota_day_follows_daylight_saving_time():
    # in July Chicago is on CDT (UTC-5): midnight is 05:00 UTC
    clock = FakeClock(datetime(2026, 7, 1, 4, 59, 59, tzinfo=timezone.utc))
    soap = SoapCaller(_app(clock, daily_quota=1))
    soap.sync("a@example.com")
    clock.advance(1)
    assert soap.sync("a@example.com").status == 200


def test_call_over_the_rate_limit_is_20023(clock):
    soap = SoapCaller(_app(clock, rate_max_calls=2, rate_window_seconds=20))
    soap.sync("a@example.com")
    clock.advance(1)
    soap.sync("a@example.com")
    clock.advance(1)
    response = soap.sync("a@example.com")
    assert (response.fault_code, response.fault_message) == (
        20023, "The number of calls in the past 20 seconds was greater than 2 (20023)")


def test_rate_window_slides(clock):
    soap = SoapCaller(_app(clock, rate_max_calls=2, rate_window_seconds=20))
    soap.sync("a@example.com")
    clock.advance(10)
    soap.sync("a@example.com")
    clock.advance(10)
    assert soap.sync("a@example.com").status == 200  # the first call is 20 s old: out of the window
    assert soap.sync("a@example.com").fault_code == 20023


def test_refused_calls_are_not_counted(clock):
    soap = SoapCaller(_app(clock, rate_max_calls=2, rate_window_seconds=20))
    soap.sync("a@example.com")
    clock.advance(10)
    soap.sync("a@example.com")
    clock.advance(5)
    assert soap.sync("a@example.com").fault_code == 20023
    clock.advance(5.5)
    assert soap.sync("a@example.com").status == 200


def test_daily_quota_is_checked_before_the_rate(clock):
    soap = SoapCaller(_app(clock, daily_quota=1, rate_max_calls=1))
    soap.sync("a@example.com")
    assert soap.sync("a@example.com").fault_code == 20015


def test_calls_of_unknown_users_are_not_counted(clock):
    soap = SoapCaller(_app(clock, daily_quota=1))
    header = sm.auth_header("nobody", "nothing")
    assert soap.call(sm.get_lead_body("EMAIL", "a@example.com"), header=header).fault_code == 20014
    assert soap.sync("a@example.com").status == 200


def test_limited_call_is_journaled_and_spares_injections(clock):
    app = _app(clock, daily_quota=1)
    soap, client = SoapCaller(app), json_client(app)
    soap.sync("a@example.com")
    client.post("/_mock/faults", json={"code": 20011})
    assert soap.sync("a@example.com").fault_code == 20015
    assert client.get("/_mock/requests?fault_code=20015").json[0]["injection"] is None
    assert len(client.get("/_mock/faults").json) == 1


def test_limits_route_shows_counters(clock):
    app = _app(clock, rate_window_seconds=20)
    soap, client = SoapCaller(app), json_client(app)
    soap.sync("a@example.com")
    clock.advance(15)
    soap.sync("a@example.com")
    clock.advance(10)
    assert client.get("/_mock/limits").json == {
        "enabled": True, "daily_quota": 10000, "rate_max_calls": 100, "rate_window_seconds": 20,
        "max_concurrent": 10, "calls_today": 2, "calls_in_window": 1, "in_flight": 0}


def test_more_concurrent_calls_than_allowed_is_20024(clock):
    app = _app(clock, max_concurrent=2)
    client = json_client(app)
    client.post("/_mock/faults", json={"delay_ms": 200, "times": 2})
    results = []

    def slow_call():
        results.append(SoapCaller(app).sync("a@example.com").status)

    threads = [threading.Thread(target=slow_call) for _ in range(2)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5
    while client.get("/_mock/limits").json["in_flight"] < 2 and time.monotonic() < deadline:
        time.sleep(0.005)
    response = SoapCaller(app).sync("b@example.com")
    for thread in threads:
        thread.join()
    assert (response.fault_code, response.fault_message) == (
        20024, "The number of concurrent calls was greater than 2 (20024)")
    assert results == [200, 200]
    assert SoapCaller(app).sync("b@example.com").status == 200


def test_limiter_releases_the_slot_when_the_call_raises(clock):
    limiter = CallLimiter(lambda: LimitSettings(enabled=True, max_concurrent=1), clock)
    with pytest.raises(RuntimeError):
        with limiter.call():
            raise RuntimeError("boom")
    assert limiter.counters()["in_flight"] == 0


def test_limiter_reset_forgets_counted_calls(clock):
    limiter = CallLimiter(lambda: LimitSettings(enabled=True, daily_quota=1), clock)
    with limiter.call():
        pass
    limiter.reset()
    with limiter.call():
        pass
    with pytest.raises(MarketoError) as raised:
        with limiter.call():
            pass
    assert raised.value.code == 20015
