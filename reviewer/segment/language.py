"""Detect a contract's language (English or Japanese) from the share of Japanese script among its letters."""

from __future__ import annotations

import re

# Kana, CJK ideographs (incl. extension A and compatibility forms), the iteration marks 々〆ヶ and half-width kana.
_JA_CHARS = re.compile(r"[\u3005\u3006\u3041-\u3096\u309d-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
# Latin letters, ASCII and full-width (Japanese text often writes "ＰｏＣ" or "ＡＩ" in full width).
_LATIN_CHARS = re.compile(r"[A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a]")

SAMPLE_CHARS = 20_000
# Japanese script share (of letters) above which a text is Japanese. One Japanese character carries about as much
# as a Latin word of five letters, so a Japanese contract full of "AI", "PoC" and company names stays far above
# this, while an English contract quoting a Japanese party name or address stays far below.
JA_THRESHOLD = 0.15


def japanese_share(text: str) -> float:
    """The share of Japanese characters among the letters of ``text`` (0.0 when it has no letters)."""
    ja = len(_JA_CHARS.findall(text))
    latin = len(_LATIN_CHARS.findall(text))
    return ja / (ja + latin) if ja + latin else 0.0


def detect_language(text: str) -> str:
    """Return "ja" or "en" for a contract text, judging by its first ~20,000 characters."""
    return "ja" if japanese_share(text[:SAMPLE_CHARS]) >= JA_THRESHOLD else "en"
