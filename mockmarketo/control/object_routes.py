"""The shape every typed object route of the control API shares (`/_mock/<route>/<type>`: custom object
records, MObjects): GET lists a type's objects, POST seeds one JSON object or a list of them in one
transaction (all or none: 201 with what was stored, 400 for a bad one, 409 for a taken key or id),
DELETE deletes every object of the type."""

from __future__ import annotations

from collections.abc import Callable

from mockmarketo.control.leads import LeadJsonError, time_from_json
from mockmarketo.domain.seeding import SeedConflict, SeedError


class ObjectJsonError(ValueError):
    """An object of a request body that cannot be stored, said in one line (HTTP 400)."""


def seeded(payload: dict, where: str, seed: Callable):
    """seed(created_at, updated_at) with the times of `payload`; its SeedError becomes an ObjectJsonError
    and its SeedConflict names `where` too."""
    created_at = time_from_json(where, "created_at", payload.get("created_at"))
    updated_at = time_from_json(where, "updated_at", payload.get("updated_at"))
    try:
        return seed(created_at, updated_at)
    except SeedError as error:
        raise ObjectJsonError(f"{where}: {error}") from None
    except SeedConflict as error:
        raise SeedConflict(f"{where}: {error}") from None


def object_routes(api, route: str, repository, type_of: Callable, listed: Callable, seed_one: Callable,
                  to_json: Callable, list_args: tuple[str, ...] = ()) -> dict:
    """The routes of `/_mock/<route>/<type>` for the ControlApi `api`.

    type_of(name) -> the type, or ControlError 404; listed(repo, type, args) -> its objects;
    seed_one(repo, type, payload, where) -> the stored object, or ObjectJsonError / SeedConflict;
    to_json(type, object) -> its JSON; `repository` is the store repository class the callbacks get.
    """
    from mockmarketo.control.api import ControlError

    def object_type(request):
        return type_of(request.path.split(f"/{route}/", 1)[1].strip("/"))

    def get(request):
        args = api._args(request, list_args)
        instance, kind = api._instance_name(request), object_type(request)
        with api.marketo.objects(instance, repository, write=False) as repo:
            found = listed(repo, kind, args)
        return 200, [to_json(kind, item) for item in found]

    def post(request):
        api._args(request, ())
        instance, kind = api._instance_name(request), object_type(request)
        payload = api._body(request)
        items = payload if isinstance(payload, list) else [payload]
        name = getattr(kind, "name", route)
        try:
            with api.marketo.objects(instance, repository) as repo:
                stored = [seed_one(repo, kind, item, f"{name}[{index}]" if isinstance(payload, list) else name)
                          for index, item in enumerate(items)]
        except (ObjectJsonError, LeadJsonError, SeedConflict) as error:
            raise ControlError(409 if isinstance(error, SeedConflict) else 400, str(error)) from None
        answer = [to_json(kind, item) for item in stored]
        return 201, answer if isinstance(payload, list) else answer[0]

    def delete(request):
        api._args(request, ())
        instance, kind = api._instance_name(request), object_type(request)
        with api.marketo.objects(instance, repository) as repo:
            deleted = repo.delete_all(kind)
        return 200, {"deleted": deleted}

    return {f"{route}/*": {"GET": get, "POST": post, "DELETE": delete}}
