"""Ingest on a Dask cluster: the same store as one process, idempotent re-runs, failures reported
with their origin while the batch goes on, and a worker that dies has its articles read again."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cloudpickle
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from frontwatch.extract.reader import read_article
from frontwatch.ingest.parallel import ParallelIngest, dask_client
from frontwatch.ingest.readers import InputError, read_inputs
from frontwatch.schema import Article, Reading
from frontwatch.store.db import open_store
from frontwatch.store.repository import Store
from frontwatch.store.tables import ActorRow, PlaceRow

REPO = Path(__file__).resolve().parent.parent
CORPUS = [
    str(REPO / "frontwatch" / "demo" / "articles.jsonl"),
    str(REPO / "tests" / "fixtures" / "cli" / "articles.jsonl"),
    str(REPO.parent / "shared" / "corpus" / "dev" / "articles.jsonl"),  # when the shared corpus is there
]
CORPUS = [p for p in CORPUS if Path(p).exists()]

# The readers below live in this module; workers get them by value, not by importing tests/.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with dask_client(workers=2, scheduler=None) as c:
        yield c


def articles() -> list[Article | InputError]:
    return list(read_inputs(CORPUS))


def serial_store(url: str) -> Store:
    """What the one-process `frontwatch ingest` stores: read and save in input order."""
    store = open_store(url)
    for item in articles():
        if isinstance(item, Article):
            store.save(read_article(item))
    return store


def snapshot(store: Store, url: str) -> dict[str, Any]:
    """Everything a query can see: each document's reading, the shared actor and place records, and the
    stored control timelines (written once per batch, not once per article: they must still agree)."""
    engine = create_engine(url)
    with Session(engine) as session:
        actors = [(r.id, r.name, r.aliases, r.country, r.kind) for r in session.scalars(select(ActorRow))]
        places = [(r.id, r.name, r.geonameid, r.lat, r.country, r.kind) for r in session.scalars(select(PlaceRow))]
    engine.dispose()
    readings = {a.id: store.reading(a.id).to_json() for a in store.documents()}  # type: ignore[union-attr]
    timelines = {p.id: [repr(i) for i in store.timeline(p.id)] for p in store.controlled_places()}
    return {"readings": readings, "actors": sorted(actors), "places": sorted(places), "timelines": timelines}


def test_two_workers_store_what_one_process_stores(client: Any, db_url: str, tmp_path: Path) -> None:
    serial_url = f"sqlite:///{tmp_path / 'serial.db'}"
    with serial_store(serial_url) as serial:
        expected = snapshot(serial, serial_url)
    with open_store(db_url) as store:
        summary = ParallelIngest(store, client, batch_size=4, say=lambda _: None).run(articles())
        assert summary.failed == 0 and summary.stored == len(expected["readings"]) >= 8
        assert snapshot(store, db_url) == expected
        assert expected["timelines"]  # the corpus reports control: the comparison covers timelines
        assert summary.events == sum(len(r["events"]) for r in expected["readings"].values())


def refuse(article: Article) -> Reading:
    raise AssertionError(f"{article.origin} was read again")


def test_a_rerun_reads_and_stores_only_what_is_missing(client: Any, db_url: str) -> None:
    items = articles()
    with open_store(db_url) as store:
        first = ParallelIngest(store, client, batch_size=3, say=lambda _: None).run(items[:6])
        assert first.stored == 6
        second = ParallelIngest(store, client, batch_size=3, say=lambda _: None).run(items)
        assert (second.stored, second.duplicates, second.failed) == (len(items) - 6, 6, 0)
        counts = store.counts()
        # Everything is stored now: a third run must not send a single article to a worker.
        third = ParallelIngest(store, client, reader=refuse, say=lambda _: None).run(items + items[:2])
        assert (third.stored, third.duplicates, third.failed) == (0, len(items) + 2, 0)
        assert store.counts() == counts


def fail_on_kidal(article: Article) -> Reading:
    if "Kidal" in article.text:
        raise RuntimeError("parser exploded")
    return read_article(article)


def test_a_failed_article_is_reported_with_its_origin_and_the_rest_is_stored(client: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "M23 rebels captured Goma on 27 January 2025.", "published": "2025-01-28"}\n{oops\n')
    items = [*articles(), *read_inputs([str(broken)])]
    said: list[str] = []
    with open_store(f"sqlite:///{tmp_path / 'fw.db'}") as store:
        summary = ParallelIngest(store, client, batch_size=4, reader=fail_on_kidal, say=said.append).run(items)
        kidal = [a for a in items if isinstance(a, Article) and "Kidal" in a.text]
        assert kidal and summary.failed == len(kidal) + 1
        for article in kidal:
            assert any(article.origin in s and "RuntimeError: parser exploded" in s for s in said)
        assert any(f"{broken}:2" in s and "not valid JSON" in s for s in said)
        good = [a for a in items if isinstance(a, Article) and "Kidal" not in a.text]
        assert summary.stored == len(good) and store.stored_ids(a.id for a in good) == {a.id for a in good}


def die_once(article: Article, flag: str) -> Reading:
    """Kill the worker process on the first Goma article it sees (a segfault, an OOM kill)."""
    if "Goma" in article.text and not os.path.exists(flag):
        Path(flag).write_text(str(os.getpid()))
        os._exit(1)
    return read_article(article)


def test_the_articles_of_a_worker_that_dies_are_read_again(client: Any, tmp_path: Path) -> None:
    flag = tmp_path / "died"
    items = articles()
    with open_store(f"sqlite:///{tmp_path / 'fw.db'}") as store:
        reader = functools.partial(die_once, flag=str(flag))
        summary = ParallelIngest(store, client, batch_size=4, reader=reader, say=lambda _: None).run(items)
        assert flag.exists()  # a worker did die
        assert (summary.stored, summary.failed) == (len(items), 0)
        goma = [a.id for a in items if isinstance(a, Article) and "Goma" in a.text]
        assert goma and store.stored_ids(goma) == set(goma)
