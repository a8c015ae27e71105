"""User text is text: an issue titled with script payloads shows them literally and runs nothing."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .helpers import create_issue, main, open_page, settle, visit

PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    "[click](javascript:window.__xss=1)",
]
TITLE = "XSS " + " ".join(PAYLOADS)
SUMMARY = "\n".join(PAYLOADS) + "\n**bold** :red[red]"


def _assert_nothing_ran(page: Page) -> None:
    page.wait_for_timeout(500)  # a broken image fires onerror asynchronously
    assert page.evaluate("window.__xss") is None
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert main(page).locator("script").count() == 0


def test_script_payloads_in_a_title_render_as_text_and_never_run(page: Page, base_url: str):
    visit(page, base_url, "/issues", user="officer")
    issue_id = create_issue(page, TITLE, summary=SUMMARY)

    expect(page.get_by_role("heading", name=TITLE, exact=True)).to_be_visible()
    details = page.get_by_role("tabpanel", name="Details")
    for line in SUMMARY.splitlines():
        expect(details).to_contain_text(line)
    _assert_nothing_ran(page)

    # Where the title appears elsewhere: the list's "open an issue" picker, and a fresh page load.
    page.get_by_role("button", name="All issues").click()
    settle(page)
    picker = page.get_by_label("Open an issue by title")
    picker.click()
    picker.fill("XSS")
    expect(page.get_by_role("option", name=f"#{issue_id} · {TITLE}")).to_be_visible()
    _assert_nothing_ran(page)
    page.keyboard.press("Escape")

    visit(page, base_url, f"/issues?issue={issue_id}", user="director")
    expect(page.get_by_role("heading", name=TITLE, exact=True)).to_be_visible()
    _assert_nothing_ran(page)
    open_page(page, "Overview")
    _assert_nothing_ran(page)
