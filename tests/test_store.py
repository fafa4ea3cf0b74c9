"""The lead store on each backend (issue 5, "PostgreSQL" and "Concurrency and durability"): a SQLite file by
default, PostgreSQL under the `postgres` marker (see the `database_url` fixture), the in-memory SQLite where
noted. The store is used directly, without SOAP."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, update
from sqlalchemy.exc import IntegrityError

from mockmarketo.domain.leads import Lead
from mockmarketo.store import LeadStore, SchemaVersionError
from mockmarketo.store import tables as t

FIRST_ID = 1000001


@pytest.fixture
def store(database_url):
    opened = LeadStore(database_url)
    yield opened
    opened.close()


def create(store: LeadStore, instance: str = "default", **fields) -> Lead:
    with store.transaction(instance, FIRST_ID) as repo:
        return repo.create(Lead(id=fields.pop("id", 0), **fields))


def read(store: LeadStore, instance: str = "default"):
    return store.transaction(instance, write=False)


def test_created_leads_take_ids_from_first_id_in_order(store):
    ids = [create(store, email=f"n{i}@example.com").id for i in range(3)]
    assert ids == [1000001, 1000002, 1000003]


def test_created_lead_reads_back_with_every_field(store):
    create(store, email="Ann@Example.com", foreign_sys_person_id="F-1", foreign_sys_type="CUSTOM",
           attributes={"FirstName": "Ann", "Company": "Acme"}, cookies=["id:561-HYG-937&token:_mch-a"],
           partition="Europe")
    with read(store) as repo:
        lead = repo.by_id(1000001)
    assert (lead.email, lead.foreign_sys_person_id, lead.foreign_sys_type, lead.attributes, lead.cookies,
            lead.partition) == ("Ann@Example.com", "F-1", "CUSTOM", {"Company": "Acme", "FirstName": "Ann"},
                                ["id:561-HYG-937&token:_mch-a"], "Europe")


def test_save_writes_back_attributes_and_new_cookies(store):
    create(store, email="ann@example.com", attributes={"FirstName": "Ann"}, cookies=["c1"])
    with store.transaction("default", FIRST_ID) as repo:
        lead = repo.by_id(1000001)
        lead.attributes["FirstName"] = "Anna"
        lead.cookies.append("c2")
        repo.save(lead)
    with read(store) as repo:
        lead = repo.by_id(1000001)
    assert (lead.attributes, lead.cookies) == ({"FirstName": "Anna"}, ["c1", "c2"])


def test_by_email_matches_any_case_newest_first(store):
    # Email is not a unique key; several leads may share it and getLead lists the newest first (facts §9.1)
    for email in ("dup@example.com", "DUP@example.com", "Dup@Example.COM"):
        create(store, email=email)
        time.sleep(0.002)
    with read(store) as repo:
        found = [lead.id for lead in repo.by_email("dUp@eXample.com")]
    assert found == [1000003, 1000002, 1000001]


def test_by_cookie_finds_the_lead_holding_it(store):
    create(store, email="a@example.com", cookies=["cookie-a"])
    create(store, email="b@example.com", cookies=["cookie-b"])
    with read(store) as repo:
        assert (repo.by_cookie("cookie-b").id, repo.by_cookie("cookie-z")) == (1000002, None)


def test_foreign_id_is_unique_within_an_instance(store):
    create(store, email="a@example.com", foreign_sys_person_id="F-1")
    with pytest.raises(IntegrityError):
        create(store, email="b@example.com", foreign_sys_person_id="F-1")
    with read(store) as repo:
        assert [lead.email for lead in repo.all()] == ["a@example.com"]


def test_one_foreign_id_may_be_used_in_two_instances(store):
    create(store, "one", foreign_sys_person_id="F-1")
    create(store, "two", foreign_sys_person_id="F-1")
    with read(store, "two") as repo:
        assert repo.by_foreign_id("F-1").id == 1000001


def test_an_explicit_id_moves_the_next_id_past_it(store):
    create(store, id=2000000, email="a@example.com")
    assert create(store, email="b@example.com").id == 2000001


def test_ids_are_not_reused_after_reopening_the_database(database_url):
    first = LeadStore(database_url)
    create(first, email="a@example.com")
    create(first, email="b@example.com")
    first.close()
    again = LeadStore(database_url)
    try:
        assert create(again, email="c@example.com").id == 1000003
    finally:
        again.close()


def test_a_rolled_back_create_leaves_no_lead(store):
    with pytest.raises(RuntimeError):
        with store.transaction("default", FIRST_ID) as repo:
            repo.create(Lead(id=0, email="gone@example.com"))
            raise RuntimeError("client went away")
    with read(store) as repo:
        assert repo.by_email("gone@example.com") == []


def test_instances_have_their_own_leads_and_ids(store):
    create(store, "one", email="same@example.com")
    create(store, "one", email="other@example.com")
    create(store, "two", email="same@example.com")
    with read(store, "two") as repo:
        assert ([lead.id for lead in repo.by_email("same@example.com")], repo.count()) == ([1000001], 1)


def test_dropped_instance_starts_again_from_first_id(store):
    create(store, email="a@example.com")
    store.drop_instance("default")
    assert create(store, email="b@example.com").id == 1000001


def test_database_of_another_schema_version_is_refused(database_url):
    LeadStore(database_url).close()
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(update(t.schema_info).values(version=t.SCHEMA_VERSION + 1))
    engine.dispose()
    with pytest.raises(SchemaVersionError) as refused:
        LeadStore(database_url)
    assert f"has mockmarketo schema version {t.SCHEMA_VERSION + 1}; this mockmarketo uses version " \
           f"{t.SCHEMA_VERSION} (use a new database, or the mockmarketo version that made it)" in str(refused.value)


def test_database_holding_other_tables_of_our_names_is_refused(database_url):
    engine = create_engine(database_url)
    foreign = MetaData()
    Table("leads", foreign, Column("id", Integer, primary_key=True))
    foreign.create_all(engine)
    engine.dispose()
    with pytest.raises(SchemaVersionError) as refused:
        LeadStore(database_url)
    assert str(refused.value).endswith("holds tables that mockmarketo did not make; refusing to use it")


def _race_to_create(url: str, email: str, threads: int = 8) -> list[Lead]:
    """`threads` write transactions that each look for `email` and create it when absent, all at once."""
    racing = LeadStore(url)
    barrier = threading.Barrier(threads)
    errors = []

    def sync_once():
        try:
            barrier.wait(timeout=10)
            with racing.transaction("default", FIRST_ID) as repo:
                if not repo.by_email(email):
                    time.sleep(0.02)  # widen the window between the read and the write
                    repo.create(Lead(id=0, email=email))
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    workers = [threading.Thread(target=sync_once) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    try:
        assert errors == []
        with racing.transaction("default", write=False) as repo:
            return repo.by_email(email)
    finally:
        racing.close()


def test_simultaneous_writes_of_one_new_email_create_one_lead(database_url):
    # the write lock is taken before the read (issue 5: "two simultaneous syncLead calls ... create one lead")
    assert [lead.id for lead in _race_to_create(database_url, "race@example.com")] == [1000001]


def test_simultaneous_writes_of_one_new_email_create_one_lead_in_memory():
    assert [lead.id for lead in _race_to_create("sqlite://", "race@example.com")] == [1000001]


def test_first_writes_of_a_new_instance_from_many_connections_all_succeed(store):
    # PostgreSQL creates the instance row with ON CONFLICT DO NOTHING, then locks it
    barrier = threading.Barrier(8)
    ids, errors = [], []

    def first_write(index):
        try:
            barrier.wait(timeout=10)
            ids.append(create(store, "fresh", email=f"w{index}@example.com").id)
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    workers = [threading.Thread(target=first_write, args=(i,)) for i in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert (errors, sorted(ids)) == ([], list(range(1000001, 1000009)))
