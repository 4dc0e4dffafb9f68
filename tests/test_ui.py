"""The map page in a real headless Chromium (Debian's `chromium`, driven by Playwright).

A `frontwatch serve` process runs on a free port over a demo store built in a temporary folder;
the tests use the page as a person would and save screenshots to test-artifacts/ui/.
Without chromium the tests are skipped, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frontwatch.cli import app as cli_app

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "ui"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AVDIIVKA = "gn:713122"
GOMA = "gn:216281"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "Debian's chromium is not installed (apt-get install -y chromium; scripts/test.sh does it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("ui") / "demo.db"
    result = CliRunner().invoke(cli_app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    port = _free_port()
    frontwatch = Path(sys.executable).with_name("frontwatch")
    env = {**os.environ, "FRONTWATCH_TOKEN": ""}
    process = subprocess.Popen(
        [str(frontwatch), "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(base + "/meta")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"frontwatch serve did not start: {process.stderr.read()!r}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium()
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """The page, loaded; every request that leaves the server is blocked and remembered."""
    context = browser.new_context(viewport={"width": 1400, "height": 820})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)
    outside: list[str] = []

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(server) or url.startswith("data:"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", guard)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    page.outside_requests = outside  # type: ignore[attr-defined]
    yield page
    assert not errors, errors
    context.close()


def _shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))  # type: ignore[attr-defined]
    print(f"screenshot: {ARTIFACTS / name}.png")


def _slide_to(page: object, server: str, day: str) -> None:
    first = dt.date.fromisoformat(_get(server + "/meta")["first"])
    offset = (dt.date.fromisoformat(day) - first).days
    page.fill("#slider", str(offset))  # type: ignore[attr-defined]
    page.wait_for_selector(f"body[data-day='{day}']")  # type: ignore[attr-defined]


def _marker(page: object, place_id: str) -> object:
    return page.locator(f"path.fw-place[data-place-id='{place_id}']")  # type: ignore[attr-defined]


def _legend_colour(page: object, actor_id: str) -> str:
    return page.locator(f"#legend li[data-actor-id='{actor_id}'] .swatch").evaluate(  # type: ignore[attr-defined]
        "e => getComputedStyle(e).backgroundColor"
    )


def test_page_works_offline_with_borders_places_and_legend(page: object, server: str) -> None:
    last = _get(server + "/meta")["last"]
    features = _get(server + f"/control?at={last}")["features"]
    drawn = [f for f in features if f["geometry"] is not None]
    assert page.locator("path.fw-place").count() == len(drawn)  # type: ignore[attr-defined]
    assert page.locator("path.leaflet-interactive, path").count() > 150  # type: ignore[attr-defined]  # borders
    legend = page.locator("#legend li").all_inner_texts()  # type: ignore[attr-defined]
    assert {f["properties"]["controller"]["name"] for f in features} == {t.rsplit(" (", 1)[0] for t in legend}
    _shot(page, "01-loaded")
    assert page.outside_requests == []  # type: ignore[attr-defined]  # no CDN, no tiles


def test_slider_date_sets_place_colour_and_controller(page: object, server: str) -> None:
    marker = _marker(page, AVDIIVKA)
    fill = "e => getComputedStyle(e).fill"

    _slide_to(page, server, "2023-12-25")
    assert marker.get_attribute("data-controller") == "Ukraine"  # type: ignore[attr-defined]
    assert marker.evaluate(fill) == _legend_colour(page, "state:UKR")  # type: ignore[attr-defined]
    before = marker.evaluate(fill)  # type: ignore[attr-defined]
    _shot(page, "02-slider-2023-12-25")

    _slide_to(page, server, "2024-03-01")
    assert marker.get_attribute("data-controller") == "Russia"  # type: ignore[attr-defined]
    assert marker.evaluate(fill) == _legend_colour(page, "state:RUS") != before  # type: ignore[attr-defined]
    assert page.input_value("#date") == "2024-03-01"  # type: ignore[attr-defined]
    _shot(page, "03-slider-2024-03-01")


def test_click_place_shows_its_timeline_and_events(page: object, server: str) -> None:
    _slide_to(page, server, "2025-01-27")
    _marker(page, GOMA).click()  # type: ignore[attr-defined]
    page.wait_for_selector("#place-panel:not([hidden]) .fw-interval")  # type: ignore[attr-defined]
    assert page.inner_text("#place-name").startswith("Goma")  # type: ignore[attr-defined]
    assert "March 23 Movement" in page.inner_text("#place-now")  # type: ignore[attr-defined]
    bars = page.locator("#timeline .fw-interval")  # type: ignore[attr-defined]
    intervals = _get(server + f"/places/{GOMA}/timeline")["intervals"]
    assert bars.count() == len(intervals)
    controllers = [bars.nth(i).get_attribute("data-controller") for i in range(bars.count())]
    assert controllers == [i["controller"]["name"] for i in intervals]
    assert page.locator("#place-events li[data-event-id]").count() >= 1  # type: ignore[attr-defined]
    _shot(page, "04-place-timeline")


def test_open_event_shows_the_highlighted_sentence(page: object, server: str) -> None:
    _slide_to(page, server, "2025-01-27")
    _marker(page, GOMA).click()  # type: ignore[attr-defined]
    events = _get(server + f"/places/{GOMA}/timeline")["events"]
    event = next(e for e in events if e["type"] == "territory_change" and e["date"]["start"] == "2025-01-27")
    page.locator(f"#place-events li[data-event-id='{event['id']}']").click()  # type: ignore[attr-defined]
    page.wait_for_selector("#article:not([hidden]) .fw-evidence")  # type: ignore[attr-defined]
    highlighted = "".join(page.locator("#article .fw-evidence").all_inner_texts())  # type: ignore[attr-defined]
    assert highlighted == event["evidence"]["sentence"]
    assert page.inner_text("#article .fw-mark-place") == "Goma"  # type: ignore[attr-defined]
    assert "M23" in page.inner_text("#article .fw-mark-actor")  # type: ignore[attr-defined]
    assert page.inner_text("#article .fw-mark-date") == "Monday"  # type: ignore[attr-defined]
    _shot(page, "05-article-evidence")


def test_event_table_filters(page: object) -> None:
    page.select_option("#filters [name=type]", "territory_change")  # type: ignore[attr-defined]
    page.click("#filters button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('#events tbody tr td:nth-child(2)')]"
        ".every(td => td.textContent === 'territory_change')"
    )
    rows = page.locator("#events tbody tr[data-event-id]")  # type: ignore[attr-defined]
    assert rows.count() >= 3
    rows.first.click()
    page.wait_for_selector("#article:not([hidden]) .fw-evidence")  # type: ignore[attr-defined]
    _shot(page, "06-table-filtered")


def test_play_replays_control_over_time(page: object, server: str) -> None:
    first = _get(server + "/meta")["first"]
    _slide_to(page, server, first)
    page.click("#play")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        f"() => document.body.dataset.day > '{first}'", timeout=15_000
    )
    page.click("#play")  # type: ignore[attr-defined]  # pause
    page.wait_for_timeout(400)  # type: ignore[attr-defined]  # the last date asked for arrives
    paused = page.get_attribute("body", "data-day")  # type: ignore[attr-defined]
    page.wait_for_timeout(600)  # type: ignore[attr-defined]
    assert page.get_attribute("body", "data-day") == paused  # type: ignore[attr-defined]
    assert page.inner_text("#play") == "▶"  # type: ignore[attr-defined]
