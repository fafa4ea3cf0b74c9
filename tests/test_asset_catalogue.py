"""AssetCatalogue: an instance's configured assets and those added to it, as the Program MObject and the
control API read and change them."""

from __future__ import annotations

from datetime import datetime

import pytest

from mockmarketo.domain.assets import Program, ProgramCost
from mockmarketo.domain.catalogue import AssetCatalogue, AssetError
from tests import marketing_messages as mm

T = datetime(2026, 3, 2, 12, 0)


@pytest.fixture
def app(database_url):
    return mm.marketing_app(database_url)


def catalogue(repo, app) -> AssetCatalogue:
    return AssetCatalogue(app.marketo.settings.assets, repo.marketing.assets, app.marketo.fields)


def test_saved_program_replaces_the_configured_one_in_its_instance_until_the_reset(app, client):
    with app.marketo.store.transaction("default") as repo:
        assets = catalogue(repo, app)
        program = assets.program(program_id=1001)
        program.costs.append(ProgramCost("2026-03", "2000", "Speaker", 1))
        program.tags["Region"] = "NA"
        assets.save_program(program, T)
    with app.marketo.store.transaction("default", write=False) as repo:
        saved = catalogue(repo, app).program("webinar 2026")
    assert (saved.costs, saved.tags, saved.updated_at) == ([ProgramCost("2026-03", "2000", "Speaker", 1)],
                                                           {"Region": "NA"}, T)
    client.post("/_mock/reset")
    with app.marketo.store.transaction("default", write=False) as repo:
        assert catalogue(repo, app).program("Webinar 2026").costs == []


def test_added_program_gets_the_next_id_and_its_times(app):
    with app.marketo.store.transaction("default") as repo:
        added = catalogue(repo, app).add(Program(0, "Spring", workspace="EMEA"), T)
    with app.marketo.store.transaction("default", write=False) as repo:
        [_, spring] = catalogue(repo, app).programs()
    assert (added.id, spring.name, spring.workspace, spring.created_at, spring.updated_at) == (1002, "Spring", "EMEA", T, T)


def test_taken_name_is_a_conflict_naming_the_key(app):
    with app.marketo.store.transaction("default") as repo, pytest.raises(AssetError) as refused:
        catalogue(repo, app).add(Program(0, "WEBINAR 2026"), T)
    assert (str(refused.value), refused.value.key, refused.value.conflict) == (
        "name: 'WEBINAR 2026' is taken by program 1001", "name", True)


def test_unknown_channel_is_a_bad_reference(app):
    with app.marketo.store.transaction("default") as repo, pytest.raises(AssetError) as refused:
        catalogue(repo, app).add(Program(0, "Spring", channel="Podcast"), T)
    assert (refused.value.key, refused.value.conflict) == ("channel", False)
