"""Paging properties of the activity stream (hypothesis, derandomized so CI runs the same examples), on
SQLite and, under the postgres marker, PostgreSQL (facts-more-ops §2, §3, §15: pollers page in tight
loops while the log grows):

- getLeadChanges, paged by any batch size with only the offset (embulk, Talend) or with the whole
  newStartPosition passed back (the PHP sample), while syncLead calls write new activities in another
  thread: once the writes are over and the stream is read to its end, every activity that passes the
  filter has come exactly once, in (time, id) order.
- getLeadActivity, paged the same way while the lead gains activities: every activity the lead had when
  the first page was read comes exactly once, newest first, and nothing newer slips in.
"""

from __future__ import annotations

import threading
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from tests import soap_messages as sm
from tests.conftest import SoapCaller

TYPES = (("VisitWebpage", "Visit Webpage"), ("OpenEmail", "Open Email"), ("NewLead", "New Lead"),
         ("ChangeDataValue", "Change Data Value"))
EMAILS = ("ann@example.com", "bob@example.com", "cy@example.com")
# seeded times share values now and then, so that ties are broken by id
SEEDED_AT = st.sampled_from([f"2026-01-01T00:00:{second:02d}Z" for second in range(4)])

seeded_activities = st.lists(st.tuples(st.sampled_from(EMAILS), st.sampled_from(TYPES), SEEDED_AT), max_size=25)
writes = st.lists(st.tuples(st.sampled_from(EMAILS), st.sampled_from(["A", "B", "C"])), max_size=12)
type_filters = st.one_of(st.none(), st.tuples(st.sampled_from(["include", "exclude", "names"]),
                                              st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True)))
MAX_CALLS = 200  # far more than any example needs: a stream that does not end is a failure, not a hang
PROPERTY = settings(max_examples=25, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _start(app, activities) -> Client:
    client = Client(app)
    client.post("/_mock/reset")
    for email in EMAILS:
        assert client.post("/_mock/leads", json={"email": email}).status_code == 201
    if activities:
        response = client.post("/_mock/activities", json=[
            {"email": email, "type": token, "at": at} for email, (token, _), at in activities])
        assert response.status_code == 201, response.json
    return client


class _Writer(threading.Thread):
    """syncLead calls in a thread of their own; the answers of any that failed are kept in `failures`."""

    def __init__(self, app, syncs):
        super().__init__()
        self.soap, self.syncs, self.failures = SoapCaller(app), syncs, []

    def run(self):
        for email, first_name in self.syncs:
            response = self.soap.sync(email, attributes={"FirstName": first_name})
            if response.status != 200:
                self.failures.append(response.body)


def _filter_xml(type_filter) -> dict:
    if type_filter is None:
        return {}
    kind, types = type_filter
    if kind == "names":
        return {"names": [display for _, display in types]}
    tokens = [token for token, _ in types]
    return {"activity_filter": sm.activity_filter(**{kind: tokens})}


def _passes(type_filter, display: str) -> bool:
    if type_filter is None:
        return True
    kind, types = type_filter
    named = display in {d for _, d in types}
    return not named if kind == "exclude" else named


def _page(response, list_path: str) -> tuple[list[int], int, str, str | None]:
    assert response.status == 200, response.body
    records = response.all_text(f"{list_path}/id")
    position = response.xml.find(f"{{{sm.SOAP_ENV}}}Body/*/*/newStartPosition")
    return ([int(record) for record in records], int(response.xml.findtext(".//remainingCount")),
            position.findtext("offset") or "", position.findtext("latestCreatedAt"))


@PROPERTY
@given(activities=seeded_activities, syncs=writes, batch_size=st.integers(1, 7), type_filter=type_filters,
       whole_position=st.booleans())
def test_get_lead_changes_returns_every_activity_once_in_order_while_the_log_grows(
        app, activities, syncs, batch_size, type_filter, whole_position):
    client = _start(app, activities)
    soap = SoapCaller(app)
    writer = _Writer(app, syncs)
    oldest = "2000-01-01T00:00:00Z"
    seen: list[int] = []
    offset = ""
    writer.start()
    try:
        for _ in range(MAX_CALLS):
            writes_over = not writer.is_alive()  # before the call: a write may end while it runs
            start = sm.start_position(oldest=oldest if whole_position or not offset else None, offset=offset or None)
            ids, remaining, offset, _ = _page(
                soap.call(sm.get_lead_changes_body(start, batch_size=batch_size, **_filter_xml(type_filter))),
                "result/leadChangeRecordList/leadChangeRecord")
            assert len(ids) <= batch_size
            seen += ids
            if not ids:
                if writes_over:
                    break
                writer.join()  # caught up with the writer: let it finish, then read the rest
        else:
            raise AssertionError(f"the stream did not end after {MAX_CALLS} calls")
    finally:
        writer.join()
    assert writer.failures == []
    expected = [a["id"] for a in client.get("/_mock/activities").json if _passes(type_filter, a["type"])]
    assert seen == expected


@PROPERTY
@given(activities=seeded_activities, syncs=writes, batch_size=st.integers(1, 7), type_filter=type_filters,
       whole_position=st.booleans())
def test_get_lead_activity_returns_the_leads_activities_once_newest_first_while_it_gains_more(
        app, activities, syncs, batch_size, type_filter, whole_position):
    if type_filter is not None and type_filter[0] == "names":
        type_filter = ("include", type_filter[1])  # getLeadActivity has no name filter
    client = _start(app, activities)
    soap = SoapCaller(app)
    writer = _Writer(app, syncs)
    seen: list[int] = []
    latest = offset = None
    writer.start()
    try:
        for _ in range(MAX_CALLS):
            start = sm.start_position(latest=latest if whole_position else None, offset=offset)
            ids, remaining, offset, latest = _page(
                soap.call(sm.get_lead_activity_body("EMAIL", "ann@example.com", start_position=start,
                                                    batch_size=batch_size, **_filter_xml(type_filter))),
                "leadActivityList/activityRecordList/activityRecord")
            seen += ids
            if remaining == 0:
                break
        else:
            raise AssertionError(f"the stream did not end after {MAX_CALLS} calls")
    finally:
        writer.join()
    assert writer.failures == []
    log = [a for a in client.get("/_mock/activities", query_string={"email": "ann@example.com"}).json
           if _passes(type_filter, a["type"])]
    keys = [(datetime.fromisoformat(a["at"].replace("Z", "+00:00")), a["id"]) for a in log]
    first_key = keys[[a["id"] for a in log].index(seen[0])] if seen else None
    expected = [a["id"] for a, key in zip(log, keys) if first_key is not None and key <= first_key][::-1]
    assert seen == expected
