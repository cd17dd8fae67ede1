"""Characters a reader cannot see: zero-width spaces, joiners, soft hyphens, BOMs, bidi controls, NUL.

They arrive by copy and paste (a word copied from a web page carries a soft hyphen or a zero-width space) and
from people who want to forge a duplicate that looks identical. One definition serves answer matching (what
a player typed) and bank validation (an empty-looking prompt, two choices that only look different).
"""

from __future__ import annotations

import unicodedata

_KEEP = frozenset("\t\n\r")


def _invisible(ch: str) -> bool:
    """Format characters (Cf: ZWSP, ZWJ, soft hyphen, BOM, bidi marks) and controls (Cc), not layout."""
    return ch not in _KEEP and unicodedata.category(ch) in ("Cf", "Cc")


def strip_invisible(text: str) -> str:
    """``text`` without the characters a reader cannot see; tabs and line breaks are kept."""
    return "".join(ch for ch in text if not _invisible(ch))


def looks_empty(text: str) -> bool:
    """True when nothing visible is left once invisible characters and white space are removed."""
    return not strip_invisible(text).strip()
