"""Scene text: the scenario's Markdown drawn by one widget, in the theme's colours.

Textual's Markdown widget mounts a widget per block, which costs tens of milliseconds at every
scene change; scene texts use a small part of Markdown (paragraphs, emphasis, lists, quotes,
headings, code), so this converts them to styled `Content` for a single widget instead.
"""

from __future__ import annotations

from functools import cache

from textual.content import Content
from textual.widgets import Static


@cache
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).disable("html_block").disable("html_inline")


def _inline(token) -> Content:
    """Styled content of an `inline` token (bold, italic, code, links as their text)."""
    parts: list[tuple[str, str] | str] = []
    styles: list[str] = []
    for child in token.children or ():
        kind = child.type
        if kind == "text":
            parts.append((child.content, " ".join(styles)) if styles else child.content)
        elif kind == "code_inline":
            parts.append((child.content, "bold $accent"))
        elif kind in ("softbreak",):
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "strong_open":
            styles.append("bold")
        elif kind == "em_open":
            styles.append("italic")
        elif kind == "link_open":
            styles.append("underline")
        elif kind in ("strong_close", "em_close", "link_close") and styles:
            styles.pop()
        elif kind == "image":
            parts.append(child.content or "")
    return Content.assemble(*parts)


def markdown_content(text: str) -> Content:
    """Content for a Markdown text: blocks separated by blank lines."""
    tokens = _parser().parse(text or "")
    blocks: list[tuple[Content, int]] = []  # (block, the list it is in, 0: none)
    list_id = 0
    prefix: list[str] = []  # list/quote prefixes for the next inline
    counters: list[int | None] = []  # None: bullet list; n: ordered list's next number
    heading: str | None = None
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading = token.tag
        elif kind == "heading_close":
            heading = None
        elif kind == "bullet_list_open":
            list_id += 0 if counters else 1
            counters.append(None)
        elif kind == "ordered_list_open":
            list_id += 0 if counters else 1
            counters.append(int(token.attrs.get("start", 1) or 1))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            counters.pop()
        elif kind == "list_item_open":
            depth = "  " * (len(counters) - 1)
            if counters and counters[-1] is not None:
                marker = f"{counters[-1]}. "
                counters[-1] += 1
            else:
                marker = "• "
            prefix.append(depth + marker)
        elif kind == "list_item_close":
            if prefix:
                prefix.pop()
        elif kind == "blockquote_open":
            prefix.append("▌ ")
        elif kind == "blockquote_close":
            if prefix:
                prefix.pop()
        elif kind == "inline":
            body = _inline(token)
            if heading is not None:
                body = body.stylize("bold $accent")
            lead = "".join(prefix)
            if "▌ " in prefix:
                body = body.stylize("italic")
            blocks.append(
                (
                    Content.assemble((lead, "bold $accent"), body) if lead else body,
                    list_id if counters else 0,
                )
            )
            # only the first paragraph of a list item carries its marker
            if prefix and not prefix[-1].startswith("▌"):
                prefix[-1] = " " * len(prefix[-1])
        elif kind in ("fence", "code_block"):
            blocks.append((Content.styled(token.content.rstrip("\n"), "$accent"), 0))
        elif kind == "hr":
            blocks.append((Content.styled("─" * 20, "$text-muted"), 0))
    # list items follow each other without blank lines; other blocks get one
    out: list[Content] = []
    previous = 0
    for block, in_list in blocks:
        if out:
            out.append(Content("\n" if in_list and in_list == previous else "\n\n"))
        out.append(block)
        previous = in_list
    return Content.assemble(*out) if out else Content("")


class SceneText(Static):
    """A Static that shows Markdown."""

    def __init__(self, markdown: str = "", **kwargs) -> None:
        super().__init__(markdown_content(markdown) if markdown else "", **kwargs)
        self.markdown = markdown

    def update_markdown(self, markdown: str) -> None:
        self.markdown = markdown
        self.update(markdown_content(markdown))
