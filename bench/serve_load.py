"""Load benchmark of `frontwatch serve`: wrk against a server on localhost over a 100,000-event store.

1. Builds (once; reused when present) a synthetic store in the real tables: 5,000 documents,
   100,000 events, 2,000 places with 10,000 control changes and 2,000 holds, 40 actors, over
   2015–2025 (random but seeded: the same store every time).
2. Starts ``frontwatch serve --workers N`` on a free port.
3. Runs ``wrk`` (bounded: ``--seconds`` per run) on its URL mixes, each request picking a
   random URL of its mix:
   ``control``  /control?at=DAY for 400 random days;
   ``events``   /events with the indexed filters (none, offset pages, type, status, a date
                window, a place, newest first), default page size 50: 160 URLs, so after the
                first requests answers come from the response cache;
   ``events-fresh`` 20,000 distinct /events URLs (date, type, page): mostly cache misses;
   ``events-scan`` 4,000 distinct /events URLs with filters that read every row (text, actor),
                measured apart: no target is claimed for them;
   ``events-acled`` 2,000 distinct /events?acled=... URLs (the 25 ACLED sub-event types, 80 pages
                each): an indexed lookup on the stored code since the codes are stored.
4. Prints requests/s, latency p50/p90/p99 and errors (non-2xx answers, socket errors) per mix.

    .venv/bin/python bench/serve_load.py [--seconds 15] [--workers 2] [--connections 16]
        [--db PATH] [--json OUT]

Needs ``wrk`` (apt-get install -y wrk). Targets (issue 7): ≥ 500 requests/s on /control and
/events, p99 ≤ 100 ms, zero errors, on the 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from frontwatch.extract.codes import acled_sub_event_types
from frontwatch.schema import EVENT_TYPES
from frontwatch.store.db import fill_event_codes, open_store
from frontwatch.store.tables import ActorRow, ControlChangeRow, DocumentRow, EventRow, HoldRow, PlaceRow

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path(tempfile.gettempdir()) / "frontwatch-serve-load.db"
N_DOCUMENTS, EVENTS_PER_DOCUMENT = 5_000, 20
N_PLACES, CHANGES_PER_PLACE, N_HOLDS = 2_000, 5, 2_000
FIRST, LAST = dt.date(2015, 1, 1), dt.date(2025, 12, 31)
# (country, min_lon, min_lat, max_lon, max_lat): where the synthetic places are
REGIONS = [
    ("SYR", 36.0, 32.5, 41.5, 37.0),
    ("UKR", 30.0, 46.5, 39.5, 51.5),
    ("SDN", 24.0, 9.0, 36.0, 19.0),
    ("MMR", 94.0, 16.0, 99.0, 26.0),
    ("MLI", -11.0, 12.0, 4.0, 20.0),
]
TARGET_RPS, TARGET_P99_MS = 500, 100


# ---- the synthetic store ------------------------------------------------------------------------


def build_store(path: Path, seed: int = 7) -> dict[str, int]:
    """Write the synthetic store through the real tables (bulk inserts); return its counts."""
    rng = random.Random(seed)
    span = (LAST - FIRST).days
    with open_store(f"sqlite:///{path}") as store, Session(store.engine) as session, session.begin():
        actors: dict[str, list[str]] = {}
        actor_rows = []
        for country, *_ in REGIONS:
            ids = [f"state:{country}"] + [f"bench-{country.lower()}-{k}" for k in range(7)]
            actors[country] = ids
            actor_rows.append(dict(id=ids[0], name=f"State of {country}", aliases=[], country=country,
                                   kind="state_forces"))
            actor_rows += [dict(id=i, name=f"Group {i[-5:]}", aliases=[f"G{i[-5:]}"], country=country,
                                kind="rebel_group") for i in ids[1:]]
        session.execute(insert(ActorRow), actor_rows)

        places: dict[str, list[str]] = {c: [] for c, *_ in REGIONS}
        place_rows = []
        for k in range(N_PLACES):
            country, lon0, lat0, lon1, lat1 = REGIONS[k % len(REGIONS)]
            pid = f"gn:{9_000_000 + k}"
            places[country].append(pid)
            place_rows.append(dict(id=pid, name=f"Town {k:04d}", name_key=f"town{k:04d}", geonameid=9_000_000 + k,
                                   lat=round(rng.uniform(lat0, lat1), 4), lon=round(rng.uniform(lon0, lon1), 4),
                                   country=country, kind="city", geo_precision=1, admin1=None))
        session.execute(insert(PlaceRow), place_rows)

        docs = []
        for d in range(N_DOCUMENTS):
            country = REGIONS[d % len(REGIONS)][0]
            published = FIRST + dt.timedelta(days=rng.randrange(span))
            sentences = [f"Fighters of {rng.choice(actors[country])} attacked the town {rng.randrange(1000)} "
                         f"on a day of week {k} in report {d}." for k in range(EVENTS_PER_DOCUMENT)]
            docs.append((f"doc-{d:016x}", country, published, sentences))
        session.execute(insert(DocumentRow), [
            dict(id=doc_id, external_id=None, title=f"Report {doc_id}", published=published,
                 published_basis="record", url=None, site="bench", text=" ".join(sentences), origin="bench",
                 warnings=[], reader_version="bench", actor_ids=[], place_ids=[])
            for doc_id, _, published, sentences in docs
        ])
        session.flush()

        def evidence(doc: tuple[str, str, dt.date, list[str]], k: int) -> dict[str, Any]:
            sentences = doc[3]
            start = sum(len(s) + 1 for s in sentences[:k])
            return dict(evidence_document=doc[0], evidence_sentence=sentences[k], evidence_start=start,
                        evidence_end=start + len(sentences[k]))

        event_rows = []
        for doc in docs:
            doc_id, country, published, _ = doc
            for k in range(EVENTS_PER_DOCUMENT):
                day = published - dt.timedelta(days=rng.randrange(8))
                dated = rng.random() > 0.03
                a1, a2 = rng.sample(actors[country], 2)
                event_rows.append(dict(
                    document_id=doc_id, id=f"{doc_id}:e{k}", type=rng.choice(EVENT_TYPES), actor1_id=a1,
                    actor2_id=a2, associates=[], place_id=rng.choice(places[country]),
                    date_start=day if dated else None, date_end=day if dated else None,
                    date_precision="day" if dated else "unknown", date_basis="text" if dated else "none",
                    date_timex=day.isoformat() if dated else None,
                    status=rng.choices(["confirmed", "claimed", "disputed", "planned", "negated"],
                                       [80, 10, 4, 4, 2])[0],
                    quantity=None, source_id=None, confidence=0.8, trigger=rng.choice(["shelled", "attacked",
                                                                                         "seized", "airstrike"]),
                    **evidence(doc, k)))
        for k in range(0, len(event_rows), 10_000):
            session.execute(insert(EventRow), event_rows[k : k + 10_000])
        fill_event_codes(session)  # the bulk insert skips Store.save, which stores each event's codes

        by_country = {c: [d for d in docs if d[1] == c] for c, *_ in REGIONS}
        change_rows, hold_rows = [], []
        for country, pids in places.items():
            for pid in pids:
                for k in range(CHANGES_PER_PLACE):
                    doc = rng.choice(by_country[country])
                    day = FIRST + dt.timedelta(days=rng.randrange(span))
                    a, b = rng.sample(actors[country], 2)
                    change_rows.append(dict(
                        document_id=doc[0], id=f"{doc[0]}:c{pid}:{k}", event_id=None, place_id=pid,
                        controller_id=a, previous_id=b, previous_inferred=False, date_start=day, date_end=day,
                        date_precision="day", date_basis="text", date_timex=day.isoformat(),
                        status="confirmed" if rng.random() < 0.9 else "claimed", confidence=0.85,
                        **evidence(doc, k % EVENTS_PER_DOCUMENT)))
        for k in range(N_HOLDS):
            country = REGIONS[k % len(REGIONS)][0]
            doc, pid = rng.choice(by_country[country]), rng.choice(places[country])
            day = FIRST + dt.timedelta(days=rng.randrange(span))
            hold_rows.append(dict(
                document_id=doc[0], id=f"{doc[0]}:h{k}", place_id=pid, controller_id=rng.choice(actors[country]),
                at_start=day, at_end=day, at_precision="day", at_basis="text", at_timex=day.isoformat(),
                confidence=0.8, **evidence(doc, k % EVENTS_PER_DOCUMENT)))
        session.execute(insert(ControlChangeRow), change_rows)
        session.execute(insert(HoldRow), hold_rows)
    with open_store(f"sqlite:///{path}") as store:
        return store.counts()


def ensure_store(path: Path) -> dict[str, int]:
    if path.exists():
        with open_store(f"sqlite:///{path}") as store:
            counts = store.counts()
        if counts["events"] == N_DOCUMENTS * EVENTS_PER_DOCUMENT:
            return counts
        path.unlink()
    started = time.monotonic()
    counts = build_store(path)
    print(f"built {path} in {time.monotonic() - started:.1f} s: {counts}", file=sys.stderr)
    return counts


# ---- URL mixes ------------------------------------------------------------------------------------


def url_mixes(seed: int = 11) -> dict[str, list[str]]:
    rng = random.Random(seed)
    span = (LAST - FIRST).days

    def day() -> dt.date:
        return FIRST + dt.timedelta(days=rng.randrange(span))

    control = [f"/control?at={day()}" for _ in range(400)]
    events = ["/events", "/events?order=desc"]
    events += [f"/events?offset={rng.randrange(0, 2_000, 50)}" for _ in range(40)]
    events += [f"/events?type={t}" for t in EVENT_TYPES]
    events += [f"/events?status={s}" for s in ("confirmed", "claimed", "disputed")]
    for _ in range(40):
        start = day()
        events.append(f"/events?since={start}&until={start + dt.timedelta(days=30)}")
    events += [f"/events?place=gn:{9_000_000 + rng.randrange(N_PLACES)}" for _ in range(40)]
    events += [f"/events?type={rng.choice(EVENT_TYPES)}&since={day()}" for _ in range(20)]
    # a new question almost every time: the response cache (1,024 answers) rarely helps
    fresh = [
        f"/events?since={day()}&type={rng.choice(EVENT_TYPES)}&offset={rng.randrange(0, 500, 50)}"
        for _ in range(20_000)
    ]
    # the ACLED filter reads the stored code column through ix_events_acled_date (25 types x 80 pages)
    acled = [f"/events?acled={urllib.request.quote(s)}&offset={k}" for s in acled_sub_event_types() for k in range(80)]
    # distinct too (offsets), so that the cache does not hide the full scans
    scan = [f"/events?q=report%20{rng.randrange(N_DOCUMENTS)}.&offset={k}" for k in range(2_000)]
    scan += [f"/events?actor=bench-{REGIONS[k % 5][0].lower()}-{k % 7}&offset={k}" for k in range(2_000)]
    return {"control": control, "events": events, "events-fresh": fresh, "events-scan": scan,
            "events-acled": acled}


LUA = """
local paths = {%s}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) %% 100000)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


# ---- running wrk --------------------------------------------------------------------------------


def run_wrk(base: str, paths: list[str], seconds: int, connections: int, threads: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % ", ".join(json.dumps(p) for p in paths))
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "2s",
             "-s", script.name, base],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script.name)
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, Any]:
    def ms(value: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    percentiles = {int(p): ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)}
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": percentiles.get(50),
        "p90_ms": percentiles.get(90),
        "p99_ms": percentiles.get(99),
        "errors": non_2xx + socket_errors,
    }


# ---- the server ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    frontwatch = Path(sys.executable).with_name("frontwatch")
    process = subprocess.Popen(
        [str(frontwatch), "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)],
        env={**os.environ, "FRONTWATCH_TOKEN": ""},
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            # every worker builds its timelines at start; ask until they all answer fast
            with urllib.request.urlopen(base + "/meta", timeout=30):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("frontwatch serve did not start") from None
            time.sleep(0.5)
    return process, base


def warm_up(base: str, paths: list[str]) -> None:
    for path in paths:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="length of each wrk run")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="where the synthetic store is (re)used")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--mix", action="append", help="run only this mix (repeatable)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    counts = ensure_store(args.db)
    process, base = start_server(args.db, args.workers)
    results: dict[str, Any] = {"store": counts, "workers": args.workers, "connections": args.connections,
                               "seconds": args.seconds, "cpus": os.cpu_count(), "runs": {}}
    try:
        mixes = {k: v for k, v in url_mixes().items() if not args.mix or k in args.mix}
        for name, paths in mixes.items():
            warm_up(base, paths[:20])
            results["runs"][name] = {**run_wrk(base, paths, args.seconds, args.connections, args.threads),
                                     "urls": len(paths)}
    finally:
        process.terminate()
        process.wait(timeout=30)

    print(f"store: {counts['events']:,} events, {counts['places']:,} places, "
          f"{counts['control_changes']:,} control changes; {args.workers} workers, {args.connections} connections, "
          f"{args.seconds} s per run, {os.cpu_count()} CPUs")
    print(f"{'mix':<13} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'errors':>7}  target")
    for name, r in results["runs"].items():
        target = "—" if name in ("events-scan", "events-fresh") else (
            "met" if r["rps"] >= TARGET_RPS and r["p99_ms"] <= TARGET_P99_MS and r["errors"] == 0 else "MISSED")
        print(f"{name:<13} {r['rps']:>8.0f} {r['p50_ms']:>8.1f} {r['p90_ms']:>8.1f} {r['p99_ms']:>8.1f} "
              f"{r['errors']:>7}  {target}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
