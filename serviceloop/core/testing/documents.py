"""Reading generated documents back in tests: PDF text (pdftotext) and page counts."""

from __future__ import annotations

import shutil
import subprocess


def pdf_text(content: bytes, *, joined: bool = True) -> str:
    """The PDF's text (poppler's pdftotext). `joined`: without whitespace, since table cells
    wrap Chinese text anywhere."""
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is required"
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    text = out.stdout.decode()
    return "".join(text.split()) if joined else text


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    return ["".join(p.split()) for p in pdf_text(content, joined=False).split("\f") if p.strip()]
