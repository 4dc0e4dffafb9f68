"""`kill -9` of a running `frontwatch ingest`, then a re-run: the store ends up exactly as one
uninterrupted ingest leaves it — each article once, none partly stored, none missing."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import fresh_database
from sqlalchemy import create_engine, text

from frontwatch.extract.reader import read_article
from frontwatch.ingest.readers import read_inputs
from frontwatch.schema import Article
from frontwatch.store.db import open_store
from frontwatch.store.repository import Store

REPO = Path(__file__).resolve().parent.parent
SHARED_DEV = REPO.parent / "shared" / "corpus" / "dev" / "articles.jsonl"  # used when it is there
SOURCES = [REPO / "frontwatch" / "demo" / "articles.jsonl", SHARED_DEV]
COPIES = 5  # each source article several times, each copy its own document (a line added to the text)
KILL_AFTER = 6  # documents stored before the kill: well into the run, well before its end


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    records = [json.loads(line) for p in SOURCES if p.exists() for line in p.read_text().splitlines() if line]
    path = tmp_path_factory.mktemp("kill") / "corpus.jsonl"
    with path.open("w") as out:
        for copy in range(COPIES):
            for n, record in enumerate(records):
                text = f"{record['text']}\n\nCorrespondents' report {copy}."
                out.write(json.dumps({**record, "id": f"{n}-{copy}", "text": text}) + "\n")
    return path


@pytest.fixture(scope="module")
def expected(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The store of one uninterrupted ingest, read in this process."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'fw.db'}"
    with open_store(url) as store:
        for item in read_inputs([str(corpus)]):
            assert isinstance(item, Article)
            store.save(read_article(item))
        return _snapshot(store)


def _snapshot(store: Store) -> dict[str, Any]:
    docs = store.documents()
    return {
        "readings": {a.id: store.reading(a.id).to_json() for a in docs},  # type: ignore[union-attr]
        "counts": store.counts(),
        "timelines": {p.id: [repr(i) for i in store.timeline(p.id)] for p in store.controlled_places()},
    }


def _ingest(corpus: Path, url: str, extra: list[str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "frontwatch.cli", "ingest", str(corpus), "--db", url, "-q", *extra]
    # its own process group, so that the Dask workers it starts can be cleaned up after the test
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _stored(url: str) -> int:
    # A plain query, not open_store: the watcher must not race the ingest to create the tables.
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM documents")).scalar() or 0)
    except Exception:  # no tables yet, or the writer holds the lock for a moment
        return 0
    finally:
        engine.dispose()


def _kill_midway(process: subprocess.Popen[bytes], url: str) -> int:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        stored = _stored(url)
        if stored >= KILL_AFTER:
            os.kill(process.pid, signal.SIGKILL)  # the ingest process itself, as `kill -9 PID`
            process.wait()
            return stored
        if process.poll() is not None:
            pytest.fail(f"ingest ended before it could be killed: {process.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
        time.sleep(0.1)
    pytest.fail("ingest stored nothing within 300 s")


@pytest.mark.parametrize(
    ("backend", "extra"),
    [("sqlite", []), ("sqlite", ["--workers", "2", "--batch-size", "3"]),
     ("postgresql", ["--workers", "2", "--batch-size", "3"])],
    ids=["one-process", "workers-sqlite", "workers-postgresql"],
)
def test_kill_9_then_rerun_stores_each_article_once_and_whole(
    corpus: Path, expected: dict[str, Any], tmp_path: Path, backend: str, extra: list[str]
) -> None:
    total = len(expected["readings"])
    for url in fresh_database(backend, tmp_path):
        process = _ingest(corpus, url, extra)
        try:
            stored = _kill_midway(process, url)
        finally:
            _end_group(process)
        assert KILL_AFTER <= stored < total
        # what survived the kill: only whole articles, each as the uninterrupted ingest has it
        with open_store(url) as store:
            partial = _snapshot(store)
        assert partial["readings"].items() <= expected["readings"].items()
        rerun = _ingest(corpus, url, extra)
        _, err = rerun.communicate(timeout=600)
        _end_group(rerun)
        assert rerun.returncode == 0, err.decode()[-1000:]
        assert f"{total - len(partial['readings'])} stored, {len(partial['readings'])} already stored" in err.decode()
        with open_store(url) as store:
            assert _snapshot(store) == expected


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """Kill whatever the ingest left in its own process group (orphaned Dask workers exit by themselves;
    this only makes sure)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
