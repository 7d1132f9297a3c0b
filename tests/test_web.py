"""The web page in headless Chromium (Debian's, driven by Playwright) against the live service:
search, facets, measure page, related measures, graph view, entity page, SPARQL page, 404s.
Screenshots go to test-output/screenshots/; page timings are printed (a benchmark, not a test)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server import ROOT, running_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def url(built_data: Path) -> Iterator[str]:
    with running_server(built_data) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: scripts/test installs Debian's chromium and fonts-wqy-zenhei")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


def test_search_facet_measure_related_and_graph(url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/")
    loaded = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    page.fill("#q", "哪些措施涉及外国人才")
    page.click("#go")
    page.wait_for_selector("li.hit[data-number]")
    numbers = page.locator("li.hit").evaluate_all("items => items.map(i => i.dataset.number)")
    assert set(numbers[:3]) == {"52", "53", "54"}
    assert "q=" in page.url and "匹配原因" in page.inner_text("#hits")
    print(f"\n[web timings] DOMContentLoaded {loaded:.0f} ms; search results shown "
          f"{page.evaluate('window.__lastSearchMs'):.0f} ms after submit")
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)

    page.locator("[data-facet=unit] button.chip").first.click()
    page.wait_for_function("location.search.includes('unit=')")
    page.wait_for_selector("li.hit[data-number]")
    assert "unit=" in page.url
    page.screenshot(path=str(SHOTS / "search-facet.png"), full_page=True)

    page.locator("li.hit a").first.click()
    page.wait_for_selector("#related li.hit")
    assert page.locator("#passage mark").count() == 1
    assert "措施" in page.title()
    page.wait_for_function("window.__cy && window.__cy.nodes().length > 1")
    page.screenshot(path=str(SHOTS / "measure.png"), full_page=True)

    related_href = page.locator("#related li.hit a").first.get_attribute("href")
    page.locator("#related li.hit a").first.click()
    page.wait_for_url("**" + related_href.split("#")[0])

    page.wait_for_function("window.__cy && window.__cy.nodes().length > 1")
    page.locator("#graph").scroll_into_view_if_needed()
    target = page.evaluate("""() => {
        const node = window.__cy.nodes().filter(n => n.data('href') && !n.data('center'))[0];
        const box = document.getElementById('graph').getBoundingClientRect();
        const p = node.renderedPosition();
        return {x: box.left + p.x, y: box.top + p.y, href: node.data('href')};
    }""")
    page.screenshot(path=str(SHOTS / "graph.png"))
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url("**" + target["href"].split("#")[0])


def test_entity_page_with_hierarchy(url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/e/places/nanjing")
    page.wait_for_selector("h1")
    assert "南京市" in page.inner_text("h1") and "所辖地区的措施" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "entity-place.png"), full_page=True)


def test_sparql_page_runs_canned_query_and_downloads_csv(url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/query")
    page.wait_for_selector("#examples option", state="attached")
    page.select_option("#examples", "measures-per-lead-unit")
    page.click("#run")
    page.wait_for_selector("table.results tbody tr")
    assert page.locator("table.results tbody tr").count() == 21
    with page.expect_download() as download:
        page.click("#downloads a:text('CSV')")
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert content.splitlines()[0].startswith("unit,unit_label,measures")
    page.screenshot(path=str(SHOTS / "sparql.png"), full_page=True)


def test_empty_state_errors_and_404(url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/?q=人才&due_before=2000-01")
    page.wait_for_selector(".empty")
    assert "没有找到" in page.inner_text(".empty")
    page.goto(url + "/?q=人才&due_before=2021-13")
    page.wait_for_selector("#error:not([hidden])")
    assert "due_before" in page.inner_text("#error")
    response = page.goto(url + "/m/jiangsu-kjt-2021-sanfuwu/999")
    assert response.status == 404 and "未找到" in page.inner_text("h1")
    assert page.goto(url + "/e/fields/no-such-field").status == 404
    page.screenshot(path=str(SHOTS / "not-found.png"))


def test_phone_width(url: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(url + "/?q=" + "南京有哪些措施")
    phone.wait_for_selector("li.hit")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 400
    phone.screenshot(path=str(SHOTS / "search-phone.png"), full_page=True)
    context.close()
