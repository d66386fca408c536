"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test runs at two widths (a 1280 px desktop and a 360 px phone) unless marked
``@pytest.mark.viewport(360)``. A test fails when the browser reports a console error
(a CSP violation shows up as one) or an uncaught script error. A full-page screenshot
of every page a test looks at lands in ``var/screenshots/<test>-<width>-NN-<path>.png``
(taken just before the test leaves the page), and of the last state in
``var/screenshots/<test>-<width>.png``.
"""

import functools
import os
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from congvu.testing import PASSWORD, Province, build_province

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORTS = {1280: {"width": 1280, "height": 800}, 360: {"width": 360, "height": 740}}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
TIMEOUT_MS = 20_000  # a loaded CI machine: first pages of a live server can take > 10 s

expect.set_options(timeout=TIMEOUT_MS)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "viewport(*widths): run a browser test only at these widths (1280, 360)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "viewport_width" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("viewport")
        widths = marker.args if marker else tuple(VIEWPORTS)
        metafunc.parametrize("viewport_width", widths, ids=[f"{w}px" for w in widths])


# --- Browser ------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing (Debian package chromium; `make chromium`)")
    # Playwright's sync API runs an event loop in the main thread; Django would otherwise
    # refuse database access from the test body ("SynchronousOnlyOperation"). Set only
    # while browsers run, so the rest of the suite keeps Django's guard.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@dataclass
class BrowserWatch:
    """Console errors and page errors of one test, with the few a test expects."""

    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Accept console errors matching ``pattern`` (e.g. the 404 of a refused page)."""
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def browser_watch() -> BrowserWatch:
    return BrowserWatch()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:80]


# Actions that may leave the current document: the page is photographed just before
# them (once per document), so each screenshot shows the page the test looked at.
LEAVING_ACTIONS = {
    Page: ("goto", "reload", "go_back", "go_forward"),
    Locator: ("click", "dblclick", "press", "select_option"),
}
_MARK_SEEN = "() => { const seen = window.__cvShot === true; window.__cvShot = true; return seen; }"


@pytest.fixture
def new_page(
    browser: Browser, viewport_width: int, browser_watch: BrowserWatch, request, monkeypatch
) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh context (own cookies); ``javascript=False`` for no-JS runs."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = f"{request.node.originalname}-{viewport_width}"
    for old in SCREENSHOTS.glob(f"{prefix}*.png"):
        old.unlink()
    contexts = []
    pages: list[Page] = []
    counter = iter(range(1, 1000))

    def shoot(page: Page, name: str) -> None:
        # A screenshot that fails (a page closing mid-shot) is reported, not fatal.
        try:
            page.screenshot(path=SCREENSHOTS / name, full_page=True)
        except Exception as exc:
            warnings.warn(f"screenshot {name} failed: {exc}", stacklevel=1)

    def shoot_if_new(page: Page) -> None:
        """A numbered screenshot of the current document, unless it already has one."""
        if page not in pages or page.is_closed() or page.url == "about:blank":
            return
        try:
            if page.evaluate(_MARK_SEEN):
                return
        except Exception:  # navigating right now: nothing stable to photograph
            return
        path = page.url.split("//", 1)[-1].split("/", 1)[-1].split("?", 1)[0]
        shoot(page, f"{prefix}-{next(counter):02d}-{_slug(path) or 'home'}.png")

    for cls, names in LEAVING_ACTIONS.items():
        for name in names:
            original = getattr(cls, name)

            def before(self, *args, __original=original, **kwargs):
                shoot_if_new(self if isinstance(self, Page) else self.page)
                return __original(self, *args, **kwargs)

            monkeypatch.setattr(cls, name, functools.wraps(original)(before))

    def make(javascript: bool = True) -> Page:
        context = browser.new_context(
            viewport=VIEWPORTS[viewport_width],
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            java_script_enabled=javascript,
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: (
                browser_watch.errors.append(
                    f"console: {msg.text} [{msg.location.get('url', '')}] on {page.url}"
                )
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda exc: browser_watch.errors.append(f"pageerror: {exc}"))
        pages.append(page)
        return page

    yield make
    for i, page in enumerate(pages):
        if not page.is_closed():
            shoot(page, f"{prefix}{'' if i == 0 else f'-{i + 1}'}.png")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    result = yield
    watch = getattr(item, "funcargs", {}).get("browser_watch")
    if watch is not None and (bad := watch.unexpected()):
        pytest.fail("Browser reported errors:\n" + "\n".join(bad), pytrace=False)
    return result


# --- Data and server -------------------------------------------------------------


@pytest.fixture
def province(transactional_db, live_server) -> Province:
    """The small Khánh Hòa of congvu.testing, committed so the live server sees it."""
    return build_province()


@pytest.fixture
def site(live_server, province) -> str:
    """The live server's base URL, with the province loaded."""
    return live_server.url


def login(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and wait for the overview page."""
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(f"{base_url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def open_menu(page: Page) -> None:
    """On a narrow screen the navigation sits behind the hamburger button: open it."""
    # Until the stylesheets have loaded the toggler shows at every width (flaky at 1280 px).
    page.wait_for_load_state("load")
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator("#nav-main")).to_be_visible()


def menu_link(page: Page, name: str):
    """The navigation link ``name``, its menu opened first when it sits in one."""
    open_menu(page)
    link = page.locator("#nav-main").get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        inner = page.get_by_role("link", name=name, exact=True, include_hidden=True)
        page.locator("#nav-main li.dropdown").filter(has=inner).locator(".dropdown-toggle").click()
    return link
