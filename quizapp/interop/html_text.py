"""Anki's HTML fields reduced to plain text, safely.

Built on the standard library's `html.parser`: only the text between tags is kept (no markup
survives, whatever the tags or attributes), character references are decoded once, `<br>` and
block tags become newlines, `<script>`/`<style>` contents are dropped, and `[sound:...]`
references and `<img>` tags are dropped and counted (media are not imported). Control
characters other than tab and newline are removed, spaces collapsed and blank lines limited
to one, so the text fits the bank format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    ]
)
SKIP_CONTENT_TAGS = frozenset({"script", "style", "head", "title", "template", "object", "svg"})
MEDIA_TAGS = frozenset({"img", "audio", "video", "source", "embed", "iframe"})
SOUND = re.compile(r"\[sound:[^\]]*\]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff]")
SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    media: int  # media references dropped ([sound:...], <img>, ...)


class _Reducer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.media = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_CONTENT_TAGS:
            self._skip += 1
        elif tag in MEDIA_TAGS:
            self.media += tag != "source"
        elif tag == "br" or tag in BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "td" or tag == "th":
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SKIP_CONTENT_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_CONTENT_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> Text:
    """The plain text of an Anki field (see the module docstring) and its media count."""
    sounds = len(SOUND.findall(html))
    parser = _Reducer()
    parser.feed(SOUND.sub(" ", html))
    parser.close()
    text = "".join(parser.parts)
    text = SOUND.sub(" ", text)  # an entity-encoded [sound:] becomes one only after decoding
    text = CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return Text("\n".join(out).strip(), sounds + parser.media)
