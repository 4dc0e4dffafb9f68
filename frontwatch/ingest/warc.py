"""News pages from WARC web archives (``.warc``, ``.warc.gz``), streamed record by record.

Each ``response`` record of an HTML page with HTTP status 200 goes through the same HTML
path as a page on disk (frontwatch.ingest.readers.read_document: trafilatura, page metadata
for the publication date). Other records (requests, metadata, images, redirects, errors) are
not articles and are passed over. The record's target URI stands in for a page URL the HTML
does not give; the crawl date (WARC-Date) is never taken for a publication date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from frontwatch.ingest.readers import InputError, read_document
from frontwatch.schema import Article

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def read_warc(path: Path, published: dt.date | None, max_bytes: int) -> Iterator[Article | InputError]:
    """Yield one Article (or InputError) per HTML page archived in the WARC file ``path``."""
    pages = 0
    try:
        with open(path, "rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), start=1):
                if not _is_html_page(record):
                    continue
                pages += 1
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                origin = f"{path}#{number}" + (f" {uri}" if uri else "")
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    yield InputError(origin, f"page is over the {max_bytes / 1e6:g} MB limit for one article")
                    continue
                item = read_document(origin, data, "html", published, None)
                if isinstance(item, Article):
                    item.url = item.url or uri or None
                    item.external_id = record.rec_headers.get_header("WARC-Record-ID")
                yield item
    except ArchiveLoadFailed as exc:
        yield InputError(str(path), f"not a readable WARC file: {str(exc).splitlines()[0]}")
        return
    except (OSError, EOFError, ValueError) as exc:  # truncated or corrupt archive
        yield InputError(str(path), f"cannot read further: {exc}")
        return
    if pages == 0:
        yield InputError(str(path), "no HTML pages (HTTP 200 text/html responses) in this WARC file")


def _is_html_page(record: object) -> bool:
    if getattr(record, "rec_type", None) != "response":
        return False
    http = getattr(record, "http_headers", None)
    if http is None or http.get_statuscode() != "200":
        return False
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return content_type in HTML_TYPES
