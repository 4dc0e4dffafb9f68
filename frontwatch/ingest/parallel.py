"""``frontwatch ingest --workers N``: articles are read on a Dask cluster and written here.

The work is split where it is cheap to split: reading an article (parsing, extraction,
resolution) is independent per article and runs on the cluster's workers; writing runs in
this process alone, so the database has one writer and no lock contention.

* Inputs are streamed (frontwatch.ingest.readers) and at most ``window`` articles are on the
  cluster or waiting to be written at any time: memory does not grow with the batch. They go
  to the workers ``task_size`` at a time, which keeps the scheduler's per-task cost small.
* Documents are keyed by a content hash: ids already in the store are skipped before any
  worker reads them, so a re-run of a partly done ingest only reads what is missing.
* Results are written in input order, ``batch_size`` articles per transaction
  (Store.save_many): each article is stored whole or not at all, and the store ends up
  exactly as a one-process ingest leaves it (actor and place records keep what was stored
  first, so the order matters). A killed ingest loses at most the batch in flight.
* A failed article (an exception in its reading, or in its write) is reported with its origin
  and the rest goes on. A worker that dies has its tasks retried by the Dask scheduler on
  another worker (up to its ``allowed-failures``, 3 by default); an article that kills
  every worker it meets is then reported as failed.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from frontwatch.ingest.readers import InputError
from frontwatch.schema import Article, Reading

if TYPE_CHECKING:
    from distributed import Client, Future

    from frontwatch.store.repository import Store

Reader = Callable[[Article], Reading]
Say = Callable[[str], None]

DEFAULT_BATCH = 32  # articles per transaction: large enough to amortise a commit, small enough to lose little
# Articles per Dask task: each task costs the scheduler (in this process, for a LocalCluster) and the
# worker a few milliseconds, a tenth of reading one article, so several articles share one task.
# 16 rather than 4 cut this process's CPU per article (bench/ingest_scale.py, docs/scale.md);
# the window of articles in flight grows with it (8 tasks per worker).
DEFAULT_TASK_SIZE = 16
_LOOKAHEAD = 256  # inputs whose ids are checked against the store in one query
_FLUSH_SECONDS = 2.0  # write a part batch after this long, so slow streams still show progress


class ClusterError(Exception):
    """The Dask cluster cannot be started or reached; one line, naming the scheduler."""


@dataclass
class IngestSummary:
    stored: int = 0
    duplicates: int = 0  # already in the store, or twice in the input
    failed: int = 0  # bad inputs and articles whose reading or writing failed
    events: int = 0
    changes: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.stored + self.duplicates + self.failed


@dataclass(frozen=True)
class ReadFailure:
    """What a worker sends back instead of a reading: the article's origin and why it failed."""

    origin: str
    message: str


def read_on_worker(articles: list[Article], reader: Reader) -> list[Reading | ReadFailure]:
    """The task each worker runs on a few articles; an exception becomes a ReadFailure naming the article."""
    results: list[Reading | ReadFailure] = []
    for article in articles:
        try:
            results.append(reader(article))
        except Exception as exc:  # one article's failure must not stop the batch
            results.append(ReadFailure(article.origin, f"could not be read: {type(exc).__name__}: {exc}"))
    return results


def default_reader(article: Article) -> Reading:
    from frontwatch.extract.reader import read_article  # loaded once per worker, on its first article

    return read_article(article)


@contextmanager
def dask_client(workers: int | None, scheduler: str | None) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, else of a new LocalCluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="15s")
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=max(1, workers or 1),
        threads_per_worker=1,  # the parser holds the GIL: one article per process at a time
        processes=True,
        dashboard_address=":0",  # its HTTP server on any free port: never a clash with another cluster
        memory_limit=0,  # the parser's model is the same size on every article: no pausing or spilling
        silence_logs=logging.ERROR,
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


class ParallelIngest:
    """Reads ``items`` on ``client``'s cluster and writes the readings into ``store``.

    ``on_progress`` is called with the running summary after every write; ``say`` gets one line
    per failure.
    """

    def __init__(
        self,
        store: Store,
        client: Client,
        *,
        batch_size: int = DEFAULT_BATCH,
        window: int | None = None,
        task_size: int = DEFAULT_TASK_SIZE,
        reader: Reader = default_reader,
        say: Say = print,
        on_progress: Callable[[IngestSummary], None] | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.batch_size = max(1, batch_size)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        self.task_size = max(1, task_size)
        self.window = window or max(2 * self.batch_size, 8 * workers * self.task_size)
        self.reader = reader
        self.say = say
        self.on_progress = on_progress
        self.summary = IngestSummary()
        from distributed import as_completed

        self._completed = as_completed()
        self._seq_of: dict[str, int] = {}  # future key → input sequence number
        # In flight (by the sequence number of a task's first article), or read and waiting for
        # its turn to be written (by its own sequence number).
        self._futures: dict[int, tuple[list[Article], Future]] = {}
        self._in_flight = 0  # articles in self._futures
        self._unsent: list[Article] = []
        self._unsent_seq = 0
        self._results: dict[int, tuple[Article, Reading | ReadFailure]] = {}
        self._pending_ids: set[str] = set()
        self._next_seq = 0  # the next sequence number to write
        self._batch: list[Reading] = []
        self._last_flush = time.monotonic()

    def run(self, items: Iterable[Article | InputError]) -> IngestSummary:
        seq = itertools.count()
        for chunk in _chunks(items, _LOOKAHEAD):
            stored = self.store.stored_ids(a.id for a in chunk if isinstance(a, Article))
            for item in chunk:
                if isinstance(item, InputError):
                    self._fail(str(item))
                elif item.id in stored or item.id in self._pending_ids:
                    self.summary.duplicates += 1
                else:
                    while self._futures and self._in_flight + len(self._results) >= self.window:
                        self._collect_one()
                    self._queue(next(seq), item)
            self._progress()
        self._submit()
        while self._futures:
            self._collect_one()
        self._write_ready(final=True)
        return self.summary

    # ---- the cluster side ---------------------------------------------------------------

    def _queue(self, seq: int, article: Article) -> None:
        if not self._unsent:
            self._unsent_seq = seq
        self._unsent.append(article)
        self._pending_ids.add(article.id)
        if len(self._unsent) >= self.task_size:
            self._submit()

    def _submit(self) -> None:
        if not self._unsent:
            return
        seq, articles = self._unsent_seq, self._unsent
        self._unsent = []
        key = f"frontwatch-read-{seq}-{articles[0].id}"
        future = self.client.submit(read_on_worker, articles, self.reader, key=key, pure=False)
        self._futures[seq] = (articles, future)
        self._in_flight += len(articles)
        self._seq_of[future.key] = seq
        self._completed.add(future)

    def _collect_one(self) -> None:
        """Wait for one reading to come back, then write whatever is ready in input order."""
        future = next(self._completed)
        seq = self._seq_of.pop(future.key)
        articles, _ = self._futures.pop(seq)
        self._in_flight -= len(articles)
        try:
            results = future.result()
        except Exception as exc:  # e.g. KilledWorker: the task took down every worker it met
            problem = f"could not be read: {type(exc).__name__}: {exc}"
            results = [ReadFailure(a.origin, problem) for a in articles]
        future.release()
        for offset, (article, result) in enumerate(zip(articles, results, strict=True)):
            self._results[seq + offset] = (article, result)
        self._write_ready()

    # ---- the writing side ---------------------------------------------------------------

    def _write_ready(self, final: bool = False) -> None:
        while self._next_seq in self._results:
            article, result = self._results.pop(self._next_seq)
            self._next_seq += 1
            if isinstance(result, ReadFailure):
                self._pending_ids.discard(article.id)
                self._fail(f"{result.origin}: {result.message}")
            else:
                self._batch.append(result)
        due = time.monotonic() - self._last_flush >= _FLUSH_SECONDS
        if self._batch and (final or due or len(self._batch) >= self.batch_size):
            self._flush()

    def _flush(self) -> None:
        batch, self._batch = self._batch, []
        try:
            outcomes: list[bool | Exception] = list(self.store.save_many(batch))
        except Exception:
            # Something in the batch cannot be written: nothing was. Write one by one to keep the rest.
            outcomes = [self._save_one(r) for r in batch]
        for reading, outcome in zip(batch, outcomes, strict=True):
            self._pending_ids.discard(reading.article.id)
            if isinstance(outcome, Exception):
                self._fail(f"{reading.article.origin}: could not be stored: {type(outcome).__name__}: {outcome}")
            elif outcome:
                self.summary.stored += 1
                self.summary.events += len(reading.events)
                self.summary.changes += len(reading.control)
            else:
                self.summary.duplicates += 1
        self._last_flush = time.monotonic()
        self._progress()

    def _save_one(self, reading: Reading) -> bool | Exception:
        try:
            return self.store.save(reading)
        except Exception as exc:
            return exc

    def _fail(self, message: str) -> None:
        self.summary.failed += 1
        self.summary.failures.append(message)
        self.say(f"skipped {message}")

    def _progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.summary)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# ---- the command line ----------------------------------------------------------------------


def ingest_on_cluster(
    items: Iterable[Article | InputError],
    store: Store,
    *,
    workers: int | None,
    scheduler: str | None,
    batch_size: int = DEFAULT_BATCH,
    quiet: bool = False,
) -> IngestSummary:
    """What ``frontwatch ingest --workers N [--scheduler URL]`` runs: a progress bar on stderr
    (articles done, rate, stored, already stored, errors) and one line per failure."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.completed:,.0f} articles"),
        TextColumn("{task.fields[rate]:.1f}/s"),
        TextColumn("stored {task.fields[stored]:,}, already {task.fields[duplicates]:,}, "
                   "errors {task.fields[failed]:,}"),
        TimeElapsedColumn(),
        console=console,
        transient=quiet,
        disable=quiet,
    )
    started = time.monotonic()

    def show(summary: IngestSummary) -> None:
        rate = summary.done / max(time.monotonic() - started, 1e-9)
        progress.update(
            task, completed=summary.done, rate=rate, stored=summary.stored,
            duplicates=summary.duplicates, failed=summary.failed,
        )

    def say(line: str) -> None:
        console.print(line, markup=False, highlight=False, soft_wrap=True)

    with dask_client(workers, scheduler) as client, progress:
        task = progress.add_task("ingest", total=None, rate=0.0, stored=0, duplicates=0, failed=0)
        run = ParallelIngest(store, client, batch_size=batch_size, say=say, on_progress=show)
        summary = run.run(items)
        show(summary)
    return summary
