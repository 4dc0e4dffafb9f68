"""Reading articles from text, Markdown, HTML, JSON Lines, folders and stdin; every kind of bad input."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import shutil
import sys
from pathlib import Path

import pytest

from frontwatch.ingest.dates import find_trailing_date, parse_published
from frontwatch.ingest.readers import InputError, read_inputs
from frontwatch.schema import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
DAY = dt.date(2020, 1, 1)


def read(*paths: str | Path, **kwargs: object) -> list[Article | InputError]:
    return list(read_inputs([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def only_article(results: list[Article | InputError]) -> Article:
    assert len(results) == 1, results
    assert isinstance(results[0], Article), results[0]
    return results[0]


def only_error(results: list[Article | InputError]) -> InputError:
    assert len(results) == 1, results
    assert isinstance(results[0], InputError), results[0]
    return results[0]


# --- text and Markdown ---------------------------------------------------------------------


def test_markdown_heading_is_the_title_and_the_rest_the_body() -> None:
    article = only_article(read(FIXTURES / "article.md"))
    assert article.title == "Ukraine retakes Izium as Russian forces pull back"
    assert article.text.startswith("KYIV — Ukrainian forces retook")
    assert article.text.endswith("being regrouped.")
    assert article.external_id == "article.md"
    assert article.origin == str(FIXTURES / "article.md")
    assert article.published is None and article.published_basis is None


def test_text_file_with_windows_line_ends() -> None:
    article = only_article(read(FIXTURES / "article.txt"))
    assert article.title == "Iraqi forces retake Ramadi"
    assert article.text == "BAGHDAD — Iraqi forces declared on Monday that they had retaken Ramadi."


def test_unknown_extension_that_decodes_as_text_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "story.dat"
    path.write_text("Title line\nTroops entered Wad Madani.\n", encoding="utf-8")
    article = only_article(read(path))
    assert (article.title, article.text) == ("Title line", "Troops entered Wad Madani.")


def test_single_line_file_is_text_without_title(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("Troops entered Bakhmut on Tuesday.\n", encoding="utf-8")
    article = only_article(read(path))
    assert (article.title, article.text) == ("", "Troops entered Bakhmut on Tuesday.")


def test_cp1252_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\u00e9 talks\n\u201cWe hold the town,\u201d he said.\n".encode("cp1252"))
    article = only_article(read(path))
    assert article.title == "Café talks"
    assert article.text == "“We hold the town,” he said."


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfTitle\nBody text here.\n")
    assert only_article(read(path)).title == "Title"


# --- HTML ------------------------------------------------------------------------------------


def test_html_page_gives_text_and_metadata_without_page_junk() -> None:
    article = only_article(read(FIXTURES / "page.html"))
    assert article.title == "Rebels take Wad Madani after days of fighting"
    assert article.published == dt.date(2023, 12, 19)
    assert article.published_basis == "metadata"
    assert article.url == "https://news.example.org/africa/wad-madani-2023"
    assert article.site == "Example News"
    assert article.external_id == "page.html"
    assert article.text.startswith("KHARTOUM — The paramilitary Rapid Support Forces")
    assert "aid agencies said many were on the move again." in article.text
    for junk in ("Subscribe", "Weather forecast", "Copyright", "Privacy policy", "Home"):
        assert junk not in article.text
    # The headline is the title, not repeated as the first line of the text.
    assert not article.text.startswith("Rebels take")


def test_malformed_html_still_gives_its_text() -> None:
    article = only_article(read(FIXTURES / "undated.htm"))
    assert "still held the eastern city of Bakhmut" in article.text
    assert "Unclosed tags follow" in article.text
    assert article.published is None


def test_html_without_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>")
    error = only_error(read(path))
    assert error.origin == str(path)
    assert "no article text" in error.problem


def test_html_is_sniffed_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "page"
    shutil.copy(FIXTURES / "page.html", path)
    assert only_article(read(path)).site == "Example News"


# --- JSON Lines -----------------------------------------------------------------------------


def test_jsonl_records_and_broken_lines_each_come_through() -> None:
    path = FIXTURES / "articles.jsonl"
    results = read(path)
    assert [type(r).__name__ for r in results] == [
        "Article",
        "Article",
        "InputError",
        "InputError",
        "InputError",
        "Article",
        "InputError",
    ]
    first, second, broken, no_text, bad_date, sixth, empty = results
    assert isinstance(first, Article) and isinstance(second, Article) and isinstance(sixth, Article)
    assert first.external_id == "a-1" and first.site == "Wire" and first.url == "https://example.org/tabqa"
    assert first.origin == f"{path}:1"
    assert (first.published, first.published_basis) == (dt.date(2017, 5, 11), "record")
    assert (second.published, second.published_basis) == (None, None)
    assert str(broken).startswith(f"{path}:3: not valid JSON")
    assert str(no_text) == f'{path}:4: record has no "text"'
    # Line 5 is blank and skipped; line numbers stay those of the file.
    assert str(bad_date).startswith(f"{path}:6:") and "yesterday-ish" in str(bad_date)
    assert (sixth.published, sixth.origin) == (dt.date(2017, 11, 5), f"{path}:7")
    assert str(empty) == f'{path}:8: record has empty "text"'


def test_gzipped_jsonl_reads_like_plain(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl.gz"
    path.write_bytes(gzip.compress((FIXTURES / "articles.jsonl").read_bytes()))
    results = read(path)
    assert [a.external_id for a in results if isinstance(a, Article)] == ["a-1", "a-2", "a-6"]
    assert sum(isinstance(r, InputError) for r in results) == 4


def test_jsonl_size_limit_applies_per_record_not_per_file(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    small = '{"id": "s%d", "text": "Troops entered the town."}\n'
    huge = '{"id": "huge", "text": "' + "x" * 5000 + '"}\n'
    path.write_text(small % 1 + huge + small % 2, encoding="utf-8")
    results = read(path, max_bytes=1000)
    assert path.stat().st_size > 1000
    assert [r.external_id for r in results if isinstance(r, Article)] == ["s1", "s2"]
    error = results[1]
    assert isinstance(error, InputError)
    assert error.origin == f"{path}:2" and "over the 0.001 MB limit" in error.problem


def test_jsonl_without_extension_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "feed"
    path.write_text('\n  {"id": "x", "text": "Troops entered the town."}\n', encoding="utf-8")
    assert only_article(read(path)).origin == f"{path}:2"


def test_truncated_gzip_gives_an_error_after_the_good_records(tmp_path: Path) -> None:
    data = gzip.compress(('{"id": "a", "text": "Troops entered the town."}\n' * 2000).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    results = read(path)
    assert isinstance(results[0], Article)
    assert isinstance(results[-1], InputError) and results[-1].origin == str(path)


# --- publication date precedence --------------------------------------------------------------


def test_published_argument_fills_gaps_only() -> None:
    inputs = [FIXTURES / "articles.jsonl", FIXTURES / "page.html", FIXTURES / "article.md"]
    results = read(*inputs, published=DAY)
    articles = {a.external_id: a for a in results if isinstance(a, Article)}
    assert (articles["a-1"].published, articles["a-1"].published_basis) == (dt.date(2017, 5, 11), "record")
    assert (articles["a-2"].published, articles["a-2"].published_basis) == (DAY, "cli")
    assert (articles["page.html"].published, articles["page.html"].published_basis) == (
        dt.date(2023, 12, 19),
        "metadata",
    )
    assert (articles["article.md"].published, articles["article.md"].published_basis) == (DAY, "cli")


# --- folders and stdin ----------------------------------------------------------------------


def test_folder_is_read_recursively_in_path_order_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b.md").write_text("B\nFighting near Kupiansk.\n")
    (tmp_path / "a.txt").write_text("A\nFighting near Lyman.\n")
    (tmp_path / "sub" / "c.txt").write_text("C\nFighting near Izium.\n")
    (tmp_path / ".hidden" / "d.txt").write_text("D\nNever read.\n")
    (tmp_path / ".e.txt").write_text("E\nNever read.\n")
    results = read(tmp_path)
    assert [r.title for r in results if isinstance(r, Article)] == ["A", "B", "C"]
    assert len(results) == 3


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, (FIXTURES / "articles.jsonl").read_bytes())
    results = read("-")
    assert [r.external_id for r in results if isinstance(r, Article)] == ["a-1", "a-2", "a-6"]
    broken = results[2]
    assert isinstance(broken, InputError) and broken.origin == "<stdin>:3"


def test_stdin_html(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, (FIXTURES / "page.html").read_bytes())
    article = only_article(read("-"))
    assert article.site == "Example News" and article.origin == "<stdin>" and article.external_id is None


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, b"\n\n# Heading\n\nTroops held Lyman.\n")
    article = only_article(read("-", published=DAY))
    assert (article.title, article.text, article.published_basis) == ("Heading", "Troops held Lyman.", "cli")


def test_empty_stdin_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, b"  \n")
    assert only_error(read("-")).problem == "empty file"


# --- bad inputs: each is an error, and the batch goes on -------------------------------------


def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    files = {
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "controls": bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17]) * 20,
        "empty": b"",
        "blank": b"  \n\n \t\n",
        "undecodable": "Caf\u00e9 ".encode("cp1252") + b"\x81\x8d\x90 text\n",
        "title_only": b"# Only a heading\n",
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_bytes(data)
    return paths


def test_each_bad_input_gives_a_clear_error_and_the_batch_goes_on(tmp_path: Path) -> None:
    bad = bad_inputs(tmp_path)
    missing = tmp_path / "missing.txt"
    order = [bad["binary"], FIXTURES / "article.txt", bad["controls"], bad["empty"], bad["blank"]]
    order += [bad["undecodable"], missing, bad["title_only"], FIXTURES / "article.md"]
    results = read(*order)
    assert len(results) == len(order)
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["InputError", "Article"] + ["InputError"] * 6 + ["Article"]
    problems = {r.origin: r.problem for r in results if isinstance(r, InputError)}
    assert "binary" in problems[str(bad["binary"])] and "NUL" in problems[str(bad["binary"])]
    assert "binary" in problems[str(bad["controls"])]
    assert problems[str(bad["empty"])] == "empty file"
    assert problems[str(bad["blank"])] == "empty file"
    assert "cannot decode" in problems[str(bad["undecodable"])]
    assert problems[str(missing)] == "no such file or folder"
    assert "no article text" in problems[str(bad["title_only"])]
    for r in results:
        if isinstance(r, InputError):
            assert str(r) == f"{r.origin}: {r.problem}" and "\n" not in str(r)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # sparse: the size is checked before anything is read
        f.truncate(50_000_000)
    error = only_error(read(path))
    assert str(error) == f"{path}: is 50.0 MB, over the 20 MB limit for one article"


def test_compressed_file_that_unpacks_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "story.txt.gz"
    path.write_bytes(gzip.compress(b"Title\n" + b"word " * 1000))
    assert "over the 0.002 MB limit" in only_error(read(path, max_bytes=2000)).problem
    assert only_article(read(path)).title == "Title"


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2017-11-05",
        "2017-11-05T08:30:00Z",
        "2017-11-05T23:30:00-05:00",
        "5 November 2017",
        "Nov. 5, 2017",
        "November 5th, 2017",
        "Sunday, 5 Nov 2017",
        "2017/11/05",
        "Sun, 05 Nov 2017 08:30:00 GMT",
    ],
)
def test_parse_published_formats(value: str) -> None:
    assert parse_published(value) == dt.date(2017, 11, 5)


@pytest.mark.parametrize("value", ["yesterday-ish", "November 2017", "05/11/2017", "2017-02-30", ""])
def test_parse_published_rejects_what_is_not_a_full_date(value: str) -> None:
    with pytest.raises(ValueError, match=repr(value)):
        parse_published(value)


def test_parse_published_error_message() -> None:
    with pytest.raises(ValueError) as info:
        parse_published("yesterday-ish")
    assert str(info.value) == "'yesterday-ish': not a date; use YYYY-MM-DD"


def test_find_trailing_date() -> None:
    line = "- Israel Closes Border Crossings Into Gaza - December 15, 2017"
    assert find_trailing_date(line) == (line.index("December"), dt.date(2017, 12, 15))
    assert find_trailing_date("Troops entered the city on Dec. 15, 2017.") is None
    assert find_trailing_date("It happened in May 2017") is None
