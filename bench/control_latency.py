"""Latency of ``control --at`` on a large store: synthetic events, the real tables, the real query.

Builds a SQLite store through frontwatch's own tables (``open_store``): ``--places`` places spread
over ``--countries`` countries, ``--events`` territory-change events (each with its control-change
row, as the extractor stores them; one document per ``EVENTS_PER_DOC`` events), statuses mixed
(confirmed, claimed, disputed, planned), dates over ten years. Rows go in by bulk insert; the
stored timelines are then built by the real engine (``Store.rebuild_timelines``). It then times
``frontwatch.query.control.control_at`` — the function behind ``control --at`` — on random days:

* ``bbox``: a 2°×2° box around a random stored place (an analyst's region),
* ``country``: one country (about places/countries places),
* ``all``: every place, once per ``--all-every`` queries (it returns one record per place),
* ``page``: one page of ``--page`` records of the whole-store list (``control --at --limit --offset``),
  at a random offset below the number of places,
* ``page_after``: one page of ``--page`` records after a random place (``control --at --limit
  --after PLACE_ID``, paging by key: what a client walking the whole list does page after page).

    .venv/bin/python bench/control_latency.py                       # 1,000,000 events, 50,000 places
    .venv/bin/python bench/control_latency.py --events 100000 --places 5000 --queries 50
    .venv/bin/python bench/control_latency.py --db /tmp/big.db --keep   # reuse the store next time

Prints the build time, table sizes and p50/p95/max latency (ms) per query kind, and the
figures as JSON with ``--json OUT``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from frontwatch.query.control import control_at
from frontwatch.store.db import open_store
from frontwatch.store.repository import Store
from frontwatch.store.tables import ActorRow, ControlChangeRow, DocumentRow, EventRow, PlaceRow

EVENTS_PER_DOC = 20
BATCH = 20_000
START = dt.date(2014, 1, 1)
DAYS = 3650
STATUSES = ["confirmed"] * 16 + ["claimed"] * 2 + ["disputed", "planned"]
ACTORS_PER_COUNTRY = 6


def build(store: Store, n_events: int, n_places: int, n_countries: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    engine = store._engine  # the benchmark fills the real tables directly, in bulk
    countries = [f"C{i:02d}" for i in range(n_countries)]
    centres = {c: (rng.uniform(-40, 60), rng.uniform(-20, 100)) for c in countries}
    actors = {c: [f"act:{c}-{k}" for k in range(ACTORS_PER_COUNTRY)] for c in countries}
    t0 = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(
            insert(ActorRow),
            [
                {"id": a, "name": f"Actor {a}", "aliases": [], "country": None, "kind": "rebel_group"}
                for group in actors.values()
                for a in group
            ],
        )
        places = []
        for i in range(n_places):
            country = countries[i % n_countries]
            lat0, lon0 = centres[country]
            places.append(
                {
                    "id": f"gn:{i}",
                    "name": f"Town {i}",
                    "name_key": f"town{i}",
                    "geonameid": i,
                    "lat": lat0 + rng.uniform(-5, 5),
                    "lon": lon0 + rng.uniform(-5, 5),
                    "country": country,
                    "kind": "city",
                    "geo_precision": 1,
                    "admin1": None,
                }
            )
        for i in range(0, n_places, BATCH):
            conn.execute(insert(PlaceRow), places[i : i + BATCH])
        n_docs = max(1, n_events // EVENTS_PER_DOC)
        docs = [
            {
                "id": f"doc-{d:016x}",
                "title": f"Synthetic report {d}",
                "published": START + dt.timedelta(days=rng.randrange(DAYS)),
                "text": "",
                "origin": "bench",
                "warnings": [],
                "actor_ids": [],
                "place_ids": [],
            }
            for d in range(n_docs)
        ]
        for i in range(0, n_docs, BATCH):
            conn.execute(insert(DocumentRow), docs[i : i + BATCH])
        events: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        for n in range(n_events):
            place = places[rng.randrange(n_places)]
            side = actors[place["country"]]
            controller, previous = rng.sample(side, 2)
            day = START + dt.timedelta(days=rng.randrange(DAYS))
            doc = docs[n // EVENTS_PER_DOC]["id"]
            common = {
                "document_id": doc,
                "id": f"{doc}:e{n % EVENTS_PER_DOC}",
                "date_start": day,
                "date_end": day,
                "date_precision": "day",
                "date_basis": "text",
                "date_timex": day.isoformat(),
                "status": rng.choice(STATUSES),
                "confidence": 0.8,
                "evidence_document": doc,
                "evidence_sentence": f"{controller} took {place['name']} from {previous}.",
                "evidence_start": 0,
                "evidence_end": 40,
            }
            events.append(
                {
                    **common,
                    "type": "territory_change",
                    "actor1_id": controller,
                    "actor2_id": previous,
                    "associates": [],
                    "place_id": place["id"],
                    "quantity": None,
                    "source_id": None,
                    "trigger": "took",
                }
            )
            changes.append(
                {
                    **common,
                    "event_id": common["id"],
                    "place_id": place["id"],
                    "controller_id": controller,
                    "previous_id": previous,
                    "previous_inferred": False,
                }
            )
            if len(events) >= BATCH:
                conn.execute(insert(EventRow), events)
                conn.execute(insert(ControlChangeRow), changes)
                events, changes = [], []
        if events:
            conn.execute(insert(EventRow), events)
            conn.execute(insert(ControlChangeRow), changes)
    t1 = time.perf_counter()
    store.rebuild_timelines()
    t2 = time.perf_counter()
    return {"insert_s": round(t1 - t0, 1), "timelines_s": round(t2 - t1, 1)}


def measure(
    store: Store, queries: int, all_every: int, n_countries: int, n_places: int, seed: int, page: int
) -> dict[str, Any]:
    rng = random.Random(seed + 1)
    kinds: dict[str, list[float]] = {"bbox": [], "country": [], "all": [], "page": [], "page_after": []}
    sizes: dict[str, list[int]] = {k: [] for k in kinds}
    control_at(store, START + dt.timedelta(days=DAYS // 2), bbox=(0, 0, 1, 1))  # warm-up: connections, caches
    for q in range(queries):
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        centre = store.places_by_id([f"gn:{rng.randrange(n_places)}"])[0]  # a box around a known place
        lat, lon = centre.lat or 0.0, centre.lon or 0.0
        runs: list[tuple[str, dict[str, Any]]] = [
            ("bbox", {"bbox": (lon - 1, lat - 1, lon + 1, lat + 1)}),
            ("country", {"country": f"C{rng.randrange(n_countries):02d}"}),
        ]
        if q % all_every == 0:
            runs.append(("all", {}))
        if page:
            runs.append(("page", {"limit": page, "offset": rng.randrange(n_places)}))
            runs.append(("page_after", {"limit": page, "after": f"gn:{rng.randrange(n_places)}"}))
        for kind, filters in runs:
            t0 = time.perf_counter()
            records = control_at(store, day, **filters)
            kinds[kind].append((time.perf_counter() - t0) * 1000)
            sizes[kind].append(len(records))
    return {
        kind: {
            "queries": len(ms),
            "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(_percentile(ms, 95), 1),
            "max_ms": round(max(ms), 1),
            "records_median": statistics.median(sizes[kind]),
        }
        for kind, ms in kinds.items()
        if ms
    }


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--places", type=int, default=50_000)
    ap.add_argument("--countries", type=int, default=25)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--all-every", type=int, default=20, help="time the whole-store query every N queries")
    ap.add_argument("--page", type=int, default=1000, help="records per page for the page query (0: none)")
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--db", type=Path, help="SQLite file (default: a temporary file, deleted after)")
    ap.add_argument("--keep", action="store_true", help="keep --db and reuse it when it already exists")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    if args.events < 1 or args.places < 1 or args.countries < 1 or args.places < args.countries:
        ap.error("--events, --places and --countries must be positive, with at least one place per country")

    tmp = None
    path = args.db
    if path is None:
        tmp = tempfile.TemporaryDirectory(prefix="fw-bench-")
        path = Path(tmp.name) / "control.db"
    reuse = args.keep and path.exists()
    if path.exists() and not reuse:
        path.unlink()
    figures: dict[str, Any] = {"events": args.events, "places": args.places, "countries": args.countries}
    with open_store(f"sqlite:///{path}") as store:
        if not reuse:
            print(f"building {args.events:,} events over {args.places:,} places in {path} …", file=sys.stderr)
            figures["build"] = build(store, args.events, args.places, args.countries, args.seed)
        figures["rows"] = store.counts()
        figures["latency"] = measure(
            store, args.queries, args.all_every, args.countries, args.places, args.seed, args.page
        )
    figures["db_mb"] = round(path.stat().st_size / 1e6, 1)
    if tmp is not None:
        tmp.cleanup()
    elif not args.keep:
        path.unlink()

    print(json.dumps(figures, indent=2))
    print(f"\ncontrol --at on {args.events:,} events / {args.places:,} places (SQLite):")
    for kind, f in figures["latency"].items():
        print(
            f"  {kind:10} p50 {f['p50_ms']:8.1f} ms   p95 {f['p95_ms']:8.1f} ms   "
            f"({f['queries']} queries, median {f['records_median']:,} records)"
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
