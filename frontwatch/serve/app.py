"""The FastAPI application: the JSON API over the store and the map page (``frontwatch serve``).

Read-only unless a token is configured (``FRONTWATCH_TOKEN``): then POST /documents reads and
stores an article for callers that present it (``Authorization: Bearer <token>``). Errors are
JSON: ``{"error": "<one line naming the input and the problem>", "status": <code>}``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import json
import os
import tempfile
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from frontwatch.extract.codes import acled_sub_event_types
from frontwatch.query.control import normalize_country
from frontwatch.serve.cache import StoreCache
from frontwatch.serve.control import ControlService, timeline_json
from frontwatch.serve.documents import document_json
from frontwatch.serve.events import (
    EventFilters,
    FilterError,
    event_by_id,
    parse_bbox,
    search_events,
)
from frontwatch.serve.responses import ResponseCache
from frontwatch.serve.storeversion import StoreVersion
from frontwatch.store.db import open_store
from frontwatch.store.repository import Store
from frontwatch.store.tables import ActorRow, EventRow

TOKEN_ENV = "FRONTWATCH_TOKEN"
MAX_POST_BYTES = 5_000_000
STATIC = Path(str(resources.files("frontwatch.serve").joinpath("static")))


class JSONBytes(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else orjson.dumps(content)


def _error(status: int, message: str) -> HTTPException:
    return HTTPException(status_code=status, detail=message)


@dataclass
class Services:
    store: Store
    version: StoreVersion
    control: ControlService
    cache: StoreCache
    responses: ResponseCache
    token: str | None
    write_lock: threading.Lock


def services(request: Request) -> Services:
    return request.app.state.services


Svc = Annotated[Services, Depends(services)]


# ---- events ---------------------------------------------------------------------------------

events_router = APIRouter(tags=["events"])


@events_router.get("/events", response_class=JSONBytes, summary="Events, filtered, one page at a time")
def list_events(
    request: Request,
    svc: Svc,
    place: Annotated[str | None, Query(description="Place id (gn:…) or name")] = None,
    actor: Annotated[str | None, Query(description="Actor id, name or alias (actor1, actor2 or associate)")] = None,
    type: Annotated[str | None, Query(description="frontwatch event type, e.g. territory_change")] = None,
    acled_sub_type: Annotated[
        str | None, Query(alias="acled", description="ACLED sub-event type, e.g. 'Armed clash'")
    ] = None,
    status: Annotated[str | None, Query(description="confirmed, claimed, disputed, planned, negated")] = None,
    since: Annotated[dt.date | None, Query(description="Events overlapping this day or later")] = None,
    until: Annotated[dt.date | None, Query(description="Events starting on or before this day")] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
    q: Annotated[str | None, Query(description="Text in the evidence sentence or trigger", max_length=200)] = None,
    document: Annotated[str | None, Query(description="Only events of this document")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    order: Annotated[Literal["asc", "desc"], Query(description="by date: oldest (asc) or newest first")] = "asc",
) -> Any:
    def page() -> bytes:
        filters = EventFilters(
            place_ids=_place_ids(svc.store, place) if place else None,
            actor_ids=tuple(a.id for a in svc.store.actors_matching(actor)) if actor else None,
            type=type,
            acled=acled_sub_type,
            status=status,
            since=since,
            until=until,
            bbox=parse_bbox(bbox) if bbox else None,
            text=q,
            document=document,
        )
        return orjson.dumps(search_events(svc.store, svc.cache, filters, limit=limit, offset=offset, order=order))

    try:
        return JSONBytes(svc.responses.get_or_make(_cache_key(request), page))
    except FilterError as exc:
        raise _error(422, str(exc)) from None


def _cache_key(request: Request) -> str:
    # encoded again, so that a value holding "&" or "=" cannot pass for other parameters
    return request.url.path + "?" + urlencode(sorted(request.query_params.multi_items()))


@events_router.get("/events/{event_id}", response_class=JSONBytes, summary="One event, its evidence and source")
def get_event(svc: Svc, event_id: str) -> Any:
    record = event_by_id(svc.store, svc.cache, event_id)
    if record is None:
        raise _error(404, f"no event with id {event_id!r}")
    return JSONBytes(record)


def _place_ids(store: Store, name_or_id: str) -> tuple[str, ...]:
    found = store.places_matching(name_or_id)
    if not found:  # names the store does not spell that way ("Kiev"): ask the gazetteer
        from frontwatch.query.places import find_places

        found = find_places(store, name_or_id)
    return tuple(p.id for p in found)


# ---- control and places ------------------------------------------------------------------------

control_router = APIRouter(tags=["control"])


@control_router.get("/control", response_class=JSONBytes, summary="Who controls each place on a day (GeoJSON)")
def control(
    svc: Svc,
    at: Annotated[dt.date | None, Query(description="The day (default: the last day the store knows of)")] = None,
    country: Annotated[str | None, Query(description="ISO 3166 code or country name")] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
) -> Any:
    try:
        box = parse_bbox(bbox) if bbox else None
    except FilterError as exc:
        raise _error(422, str(exc)) from None
    day = at or svc.control.timelines().last
    if day is None:  # an empty store
        return JSONBytes({"type": "FeatureCollection", "at": None, "features": []})
    return JSONBytes(svc.control.geojson_at(day, normalize_country(country) if country else None, box))


@control_router.get("/places/{place_id}/timeline", response_class=JSONBytes, summary="Who held a place when")
def place_timeline(svc: Svc, place_id: str) -> Any:
    places = svc.store.places_by_id([place_id])
    if not places:
        raise _error(404, f"no place with id {place_id!r}")
    timelines = svc.control.timelines()
    changes = svc.store.changes([place_id])
    holds = svc.store.holds([place_id])
    events = search_events(svc.store, svc.cache, EventFilters(place_ids=(place_id,)), limit=500)
    return JSONBytes(
        {
            "place": places[0].to_json(),
            "intervals": timeline_json(timelines, place_id),
            "changes": [c.to_json() for c in changes],
            "holds": [h.to_json() for h in holds],
            "events": events["events"],
        }
    )


@control_router.get("/meta", response_class=JSONBytes, summary="Date range, counts and ACLED sub-types")
def meta(svc: Svc) -> Any:
    timelines = svc.control.timelines()
    return JSONBytes(
        {
            "first": timelines.first.isoformat() if timelines.first else None,
            "last": timelines.last.isoformat() if timelines.last else None,
            "counts": svc.store.counts(),
            "acled_sub_types": acled_sub_event_types(),
            "writable": svc.token is not None,
        }
    )


# ---- actors ---------------------------------------------------------------------------------

actors_router = APIRouter(tags=["actors"])


@actors_router.get("/actors", response_class=JSONBytes, summary="Actors, with how many events name them")
def list_actors(svc: Svc) -> Any:
    with Session(svc.store.engine) as session:
        counts: dict[str, int] = {}
        for column in (EventRow.actor1_id, EventRow.actor2_id):
            for actor_id, n in session.execute(select(column, func.count()).group_by(column)):
                if actor_id is not None:
                    counts[actor_id] = counts.get(actor_id, 0) + n
        rows = session.scalars(select(ActorRow).order_by(ActorRow.name, ActorRow.id)).all()
        return JSONBytes([{**_actor_json(r), "events": counts.get(r.id, 0)} for r in rows])


@actors_router.get("/actors/{actor_id}", response_class=JSONBytes, summary="One actor and the places it holds")
def get_actor(svc: Svc, actor_id: str) -> Any:
    with Session(svc.store.engine) as session:
        row = session.get(ActorRow, actor_id)
        if row is None:
            raise _error(404, f"no actor with id {actor_id!r}")
        n_events = session.scalar(
            select(func.count()).where(or_(EventRow.actor1_id == actor_id, EventRow.actor2_id == actor_id))
        )
        record = {**_actor_json(row), "events": n_events or 0}
    timelines = svc.control.timelines()
    record["held"] = [
        {
            "place": timelines.places[pid].to_json(),
            "since": i.since.isoformat() if i.since else None,
            "until": i.until.isoformat() if i.until else None,
            "status": i.status,
        }
        for pid, intervals in timelines.intervals.items()
        for i in intervals
        if i.controller.id == actor_id
    ]
    return JSONBytes(record)


def _actor_json(row: ActorRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "aliases": list(row.aliases or []),
        "country": row.country,
        "kind": row.kind,
    }


# ---- documents --------------------------------------------------------------------------------

documents_router = APIRouter(tags=["documents"])


@documents_router.get(
    "/documents/{document_id}",
    response_class=JSONBytes,
    summary="A document's text and the spans of every fact read in it",
)
def get_document(svc: Svc, document_id: str) -> Any:
    record = document_json(svc.store, document_id)
    if record is None:
        raise _error(404, f"no document with id {document_id!r}")
    return JSONBytes(record)


@documents_router.post(
    "/documents",
    response_class=JSONBytes,
    status_code=201,
    summary="Read and store an article (JSON {text, title, published, url, source, id} or an HTML page)",
)
async def post_document(request: Request, svc: Svc) -> Any:
    _check_token(request, svc.token)
    body = await request.body()
    if len(body) > MAX_POST_BYTES:
        raise _error(413, f"the request body is {len(body)} bytes; at most {MAX_POST_BYTES} are accepted")
    if not body.strip():
        raise _error(422, "the request body is empty: send an article as JSON or HTML")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return await run_in_threadpool(_ingest, svc, body, content_type)


def _check_token(request: Request, token: str | None) -> None:
    if token is None:
        raise _error(403, f"this server is read-only: start it with {TOKEN_ENV} set to accept documents")
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        raise _error(401, "missing or wrong token: send 'Authorization: Bearer <token>'")


def _ingest(svc: Services, body: bytes, content_type: str) -> Response:
    """Read the article with the same readers as `frontwatch ingest`, then store it whole or not at all."""
    from frontwatch.extract.reader import read_article
    from frontwatch.ingest.readers import InputError, read_inputs

    if content_type in ("application/json", ""):
        try:
            record = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise _error(422, f"the request body is not valid JSON: {exc}") from None
        suffix, data = ".jsonl", json.dumps(record, ensure_ascii=False).encode("utf-8")
    elif content_type in ("text/html", "application/xhtml+xml"):
        suffix, data = ".html", body
    else:
        raise _error(415, f"content type {content_type!r} is not accepted: send application/json or text/html")
    with tempfile.TemporaryDirectory(prefix="frontwatch-post-") as folder:
        path = Path(folder) / f"request{suffix}"
        path.write_bytes(data)
        items = list(read_inputs([str(path)]))
    if len(items) != 1 or isinstance(items[0], InputError):
        problem = str(items[0]).split(": ", 1)[-1] if items else "no article found"
        raise _error(422, f"the article cannot be read: {problem}")
    article = items[0]
    with svc.write_lock:
        reading = read_article(article)
        stored = svc.store.save(reading)
    return JSONBytes(
        {
            "document": article.id,
            "stored": stored,
            "events": len(reading.events),
            "control_changes": len(reading.control),
        },
        status_code=201 if stored else 200,
    )


# ---- the application ----------------------------------------------------------------------------


def create_app(db_url: str, token: str | None = None) -> FastAPI:
    """The application over the store at ``db_url``; ``token`` (else $FRONTWATCH_TOKEN) enables POST."""
    store = open_store(db_url)
    version = StoreVersion(store)
    token = (token if token is not None else os.environ.get(TOKEN_ENV)) or None  # "" means no token

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(app.state.services.control.timelines)  # build before the first request
        yield
        version.close()
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="frontwatch",
        summary="Sourced, dated, geocoded conflict events and who controls each place over time.",
        version=_version(),
    )
    app.state.services = Services(
        store,
        version,
        ControlService(store, version),
        StoreCache(store, version),
        ResponseCache(version),
        token,
        threading.Lock(),
    )
    for router in (events_router, control_router, actors_router, documents_router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path {request.url.path} (the API is described at /docs)"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return JSONBytes(
            {"error": message, "status": exc.status_code},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> Response:
        problems = [_problem(e) for e in exc.errors()]
        return JSONBytes({"error": "; ".join(problems), "status": 422}, status_code=422)

    return app


def app_from_env() -> FastAPI:
    """The application for uvicorn's workers: the store named by $FRONTWATCH_SERVE_DB (set by `serve`)."""
    from frontwatch.store.db import resolve_db_url

    return create_app(os.environ.get("FRONTWATCH_SERVE_DB") or resolve_db_url(None))


def _problem(error: dict[str, Any]) -> str:
    where = " ".join(str(p) for p in error.get("loc", ()))
    given = error.get("input")
    shown = f" (got {given!r})" if given is not None and not isinstance(given, dict | list) else ""
    return f"{where}: {error.get('msg', 'invalid')}{shown}"


def _version() -> str:
    from frontwatch import __version__

    return __version__
