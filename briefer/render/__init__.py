"""Render briefings and digests: one module per output format (JSON is the contract's own
dump)."""

from __future__ import annotations

from ..sanitize import strip_controls
from ..schema import Briefing, Digest
from .digest_markdown import render_digest_markdown
from .html import render_digest_html
from .markdown import render_markdown
from .text import render_text


def render(briefing: Briefing, fmt: str) -> str:
    """Return `briefing` as md, json, jsonl or text, ending with a newline. No format carries
    a control character from outside: JSON escapes them, the others drop them."""
    return strip_controls(_render(briefing, fmt))


def render_digest(digest: Digest, fmt: str) -> str:
    """Return `digest` as md, html or json, ending with a newline, free of control characters."""
    return strip_controls(_render_digest(digest, fmt))


def _render(briefing: Briefing, fmt: str) -> str:
    if fmt == "json":
        return briefing.model_dump_json(indent=2) + "\n"
    if fmt == "jsonl":
        return briefing.model_dump_json() + "\n"
    if fmt == "md":
        return render_markdown(briefing)
    if fmt == "text":
        return render_text(briefing)
    raise ValueError(f"unknown format {fmt!r}")


def _render_digest(digest: Digest, fmt: str) -> str:
    if fmt == "json":
        return digest.model_dump_json(indent=2) + "\n"
    if fmt == "md":
        return render_digest_markdown(digest)
    if fmt == "html":
        return render_digest_html(digest)
    raise ValueError(f"unknown digest format {fmt!r}")


__all__ = ["render", "render_digest"]
