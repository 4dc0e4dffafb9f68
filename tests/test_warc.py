"""WARC web archives: HTML responses are read as articles through the HTML path; the rest is passed over."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from frontwatch.ingest.readers import InputError, read_inputs
from frontwatch.schema import Article

PAGE = """<!doctype html><html><head><title>{title}</title>
<meta property="article:published_time" content="2024-02-17"></head>
<body><article><h1>{title}</h1><p>{body}</p><p>Residents said the fighting had lasted for weeks.</p></article>
</body></html>"""


def _record(writer: WARCWriter, uri: str, payload: bytes, content_type: str, status: str = "200 OK") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(payload), http_headers=headers))


def write_warc(path: Path, gzipped: bool) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        page1 = PAGE.format(title="Avdiivka falls", body="Russian forces took Avdiivka on 17 February 2024.")
        _record(writer, "https://news.example/avdiivka", page1.encode(), "text/html; charset=utf-8")
        _record(writer, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
        missing = b"<html><body>Not found</body></html>"
        _record(writer, "https://news.example/gone", missing, "text/html", "404 Not Found")
        page2 = PAGE.format(title="Goma", body="M23 rebels captured Goma in eastern Congo, the UN said.")
        _record(writer, "https://news.example/goma", page2.encode("cp1252"), "text/html")


@pytest.mark.parametrize("gzipped", [False, True])
def test_html_responses_of_a_warc_are_articles(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    write_warc(path, gzipped)
    items = list(read_inputs([str(path)]))
    assert all(isinstance(i, Article) for i in items), items
    articles = [i for i in items if isinstance(i, Article)]
    assert [a.url for a in articles] == ["https://news.example/avdiivka", "https://news.example/goma"]
    assert "took Avdiivka on 17 February 2024" in articles[0].text
    assert articles[0].title == "Avdiivka falls"
    assert str(articles[0].published) == "2024-02-17" and articles[0].published_basis == "metadata"
    assert articles[0].origin.startswith(f"{path}#2 https://news.example/avdiivka")
    assert articles[1].external_id and articles[1].external_id.startswith("<urn:uuid:")
    assert articles[0].id != articles[1].id


def test_a_warc_in_a_folder_is_read_with_the_other_files(tmp_path: Path) -> None:
    write_warc(tmp_path / "a.warc.gz", gzipped=True)
    (tmp_path / "b.txt").write_text("Kidal\nMalian troops entered Kidal on 14 November 2023.\n")
    items = list(read_inputs([str(tmp_path)]))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Article"]


def test_a_file_that_is_not_a_warc_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "broken.warc.gz"
    bad.write_bytes(gzip.compress(b"this is not an archive\n" * 20))
    (error,) = list(read_inputs([str(bad)]))
    assert isinstance(error, InputError) and error.origin == str(bad)
    assert "WARC" in error.problem or "cannot read" in error.problem


def test_a_warc_without_pages_says_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.warc"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=False)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
    (error,) = list(read_inputs([str(path)]))
    assert isinstance(error, InputError) and "no HTML pages" in error.problem
