"""English a person could read on a page: a small word list, matched on what the page shows.

`english_on(html)` reads the visible text (not scripts, styles or attribute names) and the
attributes a person reads (placeholder, title, aria-label, alt, a button's value), and counts a
file input the browser draws itself as "Choose File" (our files.js hides it behind an Indonesian
button). Call it on a response's HTML or on a browser page's `page.content()`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

ENGLISH = (
    "Choose File",
    "No file chosen",
    "Forbidden",
    "Not Found",
    "Internal Server Error",
    "Method Not Allowed",
    "Unauthorized",
    "Bad Request",
    "Unprocessable",
    "Sign in",
    "Sign In",
    "Log in",
    "Login",
    "Logout",
    "Submit",
    "Error",
    "Input should",
    "field required",
    "Field required",
    "Value error",
    "There was an error",
    "documents",
    "Authorize",
    "Deny",
    "Please",
    "You will be redirected",
    "Not authenticated",
    "Loading",
)
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b")
_READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
_UNSEEN = {"script", "style", "template", "noscript"}


class _Readable(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._unseen = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _UNSEEN:
            self._unseen += 1
        self.parts += [value for name, value in attrs.items() if name in _READ_ATTRIBUTES and value]
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.parts.append(attrs["value"])
        if tag == "input" and attrs.get("type") == "file" and "file-hidden" not in (attrs.get("class") or ""):
            self.parts.append("Choose File")

    def handle_endtag(self, tag):
        if tag in _UNSEEN and self._unseen:
            self._unseen -= 1

    def handle_data(self, data):
        if not self._unseen:
            self.parts.append(data)


def readable_text(html: str) -> str:
    reader = _Readable()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())


def english_on(html: str) -> list[str]:
    """The listed English words a person would read on the page, each with a little context."""
    text = readable_text(html)
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in _PATTERN.finditer(text)]


def assert_no_english(html: str, where: str = "") -> None:
    found = english_on(html)
    assert not found, f"English on the page {where}: {found}"


def watch(page) -> list[str]:
    """Check every document a Playwright page loads; assert the returned list empty at the end."""
    found: list[str] = []

    async def check(_) -> None:
        try:
            found.extend(f"{page.url}: {hit}" for hit in english_on(await page.content()))
        except Exception:  # noqa: BLE001  navigated on before it could be read: the next load is checked
            pass

    page.on("load", check)
    return found
