"""Read articles from files, folders and stdin into :class:`~frontwatch.schema.Article` records.

Inputs: plain text or Markdown (first non-empty line is the title), HTML pages (main text
and metadata through trafilatura, offline), JSON Lines in the ``articles.jsonl`` format
(optionally gzip-compressed), WARC web archives (``.warc``, ``.warc.gz``: each HTML response
record is one page), folders of these (recursive, sorted, hidden files skipped) and ``-`` for
stdin (sniffed).

Everything is streamed: folders are walked, and JSONL lines and WARC records read, one at a
time, so a batch of millions of articles never sits in memory.

Every problem with one input becomes an :class:`InputError` in the output stream, in
place of the article, so one bad file or line never stops a batch.

Publication date precedence: the date the input itself gives (a JSONL record's
``published``, the page metadata) wins; the ``published`` argument (the CLI's
``--published``) only fills the gap for inputs that carry none. A batch mixing dated and
undated inputs thus keeps every article's own date. With neither, ``published`` stays
None: the current date is never used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
import os
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from frontwatch.ingest.dates import parse_published
from frontwatch.schema import Article

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
WARC_SUFFIXES = (".warc", ".warc.gz")
STDIN = "-"
STDIN_ORIGIN = "<stdin>"

# Share of control characters (other than tab, newline, CR, form feed) above which decoded
# bytes are taken for binary data rather than text.
_MAX_CONTROL_SHARE = 0.005
_READ_CHUNK = 1 << 20


class InputError(Exception):
    """A clear, one-line problem with one input: ``str(e) == f"{origin}: {problem}"``."""

    def __init__(self, origin: str, problem: str) -> None:
        super().__init__(f"{origin}: {problem}")
        self.origin = origin
        self.problem = problem


@dataclass(frozen=True)
class _Line:
    """One raw JSONL line; ``data`` is None when the line was over the size limit (then only ``size``)."""

    number: int
    data: bytes | None
    size: int


def read_inputs(
    paths: Iterable[str], published: dt.date | None = None, max_bytes: int = 20_000_000
) -> Iterator[Article | InputError]:
    """Yield one Article (or InputError) per article found in ``paths``, in input order."""
    for path in paths:
        if path == STDIN:
            yield from _read_stdin(published, max_bytes)
            continue
        p = Path(path)
        if p.is_dir():
            for file in _walk(p):
                yield from _read_file(file, published, max_bytes)
        elif p.exists():
            yield from _read_file(p, published, max_bytes)
        else:
            yield InputError(path, "no such file or folder")


def _walk(root: Path) -> Iterator[Path]:
    """Every non-hidden file under ``root``, lazily, in name order at each level (reproducible runs)."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if not entry.is_symlink():  # as os.walk: linked folders are not followed (no cycles)
                yield from _walk(Path(entry.path))
        else:
            yield Path(entry.path)


def _kind_from_name(name: str) -> str | None:
    """"jsonl", "html", "text", or None to sniff the content. ``name`` has any .gz removed."""
    suffix = Path(name).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def _read_file(path: Path, published: dt.date | None, max_bytes: int) -> Iterator[Article | InputError]:
    origin = str(path)
    if path.name.lower().endswith(WARC_SUFFIXES):
        from frontwatch.ingest.warc import read_warc  # warcio is only imported for archives

        yield from read_warc(path, published, max_bytes)
        return
    compressed = path.name.lower().endswith(".gz")
    inner_name = path.name[:-3] if compressed else path.name
    kind = _kind_from_name(inner_name)
    try:
        opener = gzip.open if compressed else open
        with opener(path, "rb") as stream:
            if kind is None and _starts_with_brace(stream):
                kind = "jsonl"
            if kind == "jsonl":
                yield from _read_jsonl(origin, _lines(stream, max_bytes), published, max_bytes)
                return
            if not compressed:
                size = path.stat().st_size
                if size > max_bytes:
                    yield InputError(origin, _too_big(size, max_bytes))
                    return
            data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:  # a compressed file that unpacks past the limit
                yield InputError(origin, _too_big(len(data), max_bytes, at_least=True))
                return
    except (OSError, EOFError) as exc:
        yield InputError(origin, f"cannot read: {exc.strerror or exc}")
        return
    yield read_document(origin, data, kind, published, path.name)


def _starts_with_brace(stream: IO[bytes]) -> bool:
    """Whether the first non-space byte is ``{`` (JSON Lines); rewinds the stream."""
    first = b""
    for _ in range(64):  # look at most 256 KB ahead for a first non-space byte
        chunk = stream.read(4096)
        first = chunk.lstrip()[:1]
        if first or not chunk:
            break
    stream.seek(0)
    return first == b"{"


def _read_stdin(published: dt.date | None, max_bytes: int) -> Iterator[Article | InputError]:
    """Sniff stdin from its first non-blank line: ``{`` means JSON Lines, else HTML or text."""
    lines = _lines(sys.stdin.buffer, max_bytes)
    head: list[_Line] = []
    for line in lines:
        head.append(line)
        if line.data is None or line.data.strip():
            break
    first = head[-1] if head else None
    if first is not None and (first.data is None or first.data.lstrip()[:1] == b"{"):
        yield from _read_jsonl(STDIN_ORIGIN, _chain(head, lines), published, max_bytes)
        return
    chunks: list[bytes] = []
    total = 0
    for line in _chain(head, lines):
        total += line.size
        if line.data is not None and total <= max_bytes:
            chunks.append(line.data)
    if total > max_bytes:
        yield InputError(STDIN_ORIGIN, _too_big(total, max_bytes))
        return
    yield read_document(STDIN_ORIGIN, b"".join(chunks), None, published, None)


def _chain(head: list[_Line], rest: Iterator[_Line]) -> Iterator[_Line]:
    yield from head
    yield from rest


def _lines(stream: IO[bytes], max_bytes: int) -> Iterator[_Line]:
    """Stream lines without ever holding more than ``max_bytes`` of one line in memory."""
    number = 0
    while True:
        data = stream.readline(max_bytes + 1)
        if not data:
            return
        number += 1
        if len(data) <= max_bytes or data.endswith(b"\n"):
            yield _Line(number, data, len(data))
            continue
        size = len(data)
        while data and not data.endswith(b"\n"):  # skip the rest of an oversized line
            data = stream.readline(_READ_CHUNK)
            size += len(data)
        yield _Line(number, None, size)


def _too_big(size: int, max_bytes: int, at_least: bool = False) -> str:
    over = "over" if at_least else ""
    amount = f"{over} {size / 1e6:.1f} MB".strip()
    return f"is {amount}, over the {max_bytes / 1e6:g} MB limit for one article"


# --- decoding ---------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 when
    that decodes cleanly and reads like text. Raise ValueError saying why not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"))
        except UnicodeDecodeError:
            raise ValueError("not valid UTF-16 text") from None
    if b"\x00" in data:
        raise ValueError("binary file (contains NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        return _checked(data.decode("cp1252"))
    except UnicodeDecodeError:
        raise ValueError("cannot decode as UTF-8 or Windows-1252 text") from None


def _checked(text: str) -> str:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if text and controls / len(text) > _MAX_CONTROL_SHARE:
        raise ValueError("binary file (control characters), not text")
    return text


# --- documents (text, Markdown, HTML) -------------------------------------------------


def read_document(
    origin: str, data: bytes, kind: str | None, published: dt.date | None, name: str | None
) -> Article | InputError:
    """One document's bytes as an Article: ``kind`` "html" or "text", or None to sniff."""
    if not data.strip():
        return InputError(origin, "empty file")
    try:
        text = decode_text(data)
    except ValueError as exc:
        return InputError(origin, str(exc))
    if kind is None:
        kind = "html" if looks_like_html(text) else "text"
    try:
        article = _from_html(text) if kind == "html" else _from_text(text)
    except ValueError as exc:
        return InputError(origin, str(exc))
    article.origin = origin
    article.external_id = name
    if article.published is None and published is not None:
        article.published, article.published_basis = published, "cli"
    return article


def looks_like_html(text: str) -> bool:
    """True when the text starts like a web page or carries the tags of one."""
    head = text.lstrip()[:2048].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in head:
        return True
    return any(tag in head for tag in ("<html", "<head>", "<body", "<article", "<p>", "<div"))


def _from_text(text: str) -> Article:
    """First non-empty line is the title (Markdown ``#`` marks removed); the rest is the body."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first, _, rest = text.lstrip().partition("\n")
    is_heading = first.lstrip().startswith("#")
    title = first.strip().strip("#").strip()
    body = rest.strip()
    if not body:
        if is_heading or not title:
            raise ValueError("no article text after the title")
        # A single line that is not a heading is the article itself, with no title.
        return Article(text=title)
    return Article(text=body, title=title)


def _from_html(html: str) -> Article:
    import trafilatura  # slow to import; only pay for it when a page is read

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        # The date must come from the page's metadata, not from dates in its text
        # (those are often the dates of other stories listed on the page).
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not any(ch.isalpha() for ch in text):
        raise ValueError("no article text could be extracted from the HTML")
    title = (doc.title or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest.strip()  # trafilatura repeats the <h1> headline as the first line
    article = Article(text=text, title=title, url=doc.url or None, site=doc.sitename or None)
    # A page date we cannot read is no date; the ``published`` argument may fill in.
    with contextlib.suppress(ValueError):
        if doc.date:
            article.published, article.published_basis = parse_published(doc.date), "metadata"
    return article


# --- JSON Lines -------------------------------------------------------------------------


def _read_jsonl(
    origin: str, lines: Iterator[_Line], published: dt.date | None, max_bytes: int
) -> Iterator[Article | InputError]:
    seen_record = False
    try:
        for line in lines:
            where = f"{origin}:{line.number}"
            if line.data is None:
                seen_record = True
                yield InputError(where, _too_big(line.size, max_bytes))
                continue
            if not line.data.strip():
                continue
            seen_record = True
            yield _record(where, line.data, line.number == 1, published)
    except (OSError, EOFError) as exc:  # e.g. a truncated .jsonl.gz
        yield InputError(origin, f"cannot read further: {exc}")
        return
    if not seen_record:
        yield InputError(origin, "empty file")


def _record(where: str, raw: bytes, first_line: bool, published: dt.date | None) -> Article | InputError:
    try:
        data: Any = json.loads(raw.decode("utf-8-sig" if first_line else "utf-8"))
    except UnicodeDecodeError:
        return InputError(where, "line is not valid UTF-8")
    except json.JSONDecodeError as exc:
        return InputError(where, f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})")
    if not isinstance(data, dict):
        return InputError(where, f"expected a JSON object, got {type(data).__name__}")
    text = data.get("text")
    if text is None:
        return InputError(where, 'record has no "text"')
    if not isinstance(text, str):
        return InputError(where, f'"text" must be a string, got {type(text).__name__}')
    if not text.strip():
        return InputError(where, 'record has empty "text"')
    article = Article(
        text=text,
        title=_string(data.get("title")) or "",
        url=_string(data.get("url")),
        site=_string(data.get("source")),
        external_id=_string(data.get("id")),
        origin=where,
    )
    value = data.get("published")
    if value not in (None, ""):
        if not isinstance(value, str):
            return InputError(where, f'"published" must be a date string, got {value!r}')
        try:
            article.published, article.published_basis = parse_published(value), "record"
        except ValueError as exc:
            return InputError(where, f'"published" {exc}')
    elif published is not None:
        article.published, article.published_basis = published, "cli"
    return article


def _string(value: object) -> str | None:
    """A JSON scalar as a string (ids may be numbers); None for null, empty or nested values."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None
