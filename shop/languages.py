"""Which language a catalog answer is written in.

Pure: no database, no request, no Django settings, so the ASGI endpoints served in front of Django can import
it too. The order is the one in docs/catalog.md ("Languages"): the `lang` the request asks for, then the
buyer's stored preference, then the best match in the Accept-Language header, else English.

The codes are those of `shop.models.Language` (a test keeps the two lists equal).
"""

from __future__ import annotations

import threading

BASE_LANGUAGE = "en"
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it", "ja", "ko", "zh")
_SUPPORTED = frozenset(LANGUAGES)

# Parsed Accept-Language headers: browsers send a handful of distinct values, so a small table answers nearly
# every request without parsing. Bounded: cleared when full, so a client sending random headers costs memory
# of at most this many entries.
_ACCEPT_CACHE_SIZE = 512
_ACCEPT_HEADER_MAX = 500  # longer headers are not worth parsing (browsers send well under 100 characters)
_accept_cache: dict[str, str | None] = {}
_accept_lock = threading.Lock()
_NOT_CACHED = object()


def language_code(tag: str | None) -> str | None:
    """The supported language a language tag means, or None: `de`, `DE`, `de-CH`, `de_CH` -> de;
    `zh-Hans`, `zh-CN`, `zh-TW` -> zh; `pt`, `*`, `` or junk -> None."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in _SUPPORTED else None


def _accept_best(header: str) -> str | None:
    """The supported language the header ranks highest (RFC 9110 §12.5.4): the largest q wins, the earlier
    entry on a tie; q=0 refuses a language; `*` stands for any language not named, which is English."""
    best: str | None = None
    best_q = 0.0
    refused: set[str] = set()
    named: set[str] = set()
    wildcard_q: float | None = None
    for entry in header.split(","):
        tag, _, params = entry.strip().partition(";")
        tag = tag.strip()
        if not tag:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0  # a broken weight: the entry is ignored
                break
        if not 0.0 <= q <= 1.0:
            continue
        if tag == "*":
            wildcard_q = q if wildcard_q is None else max(wildcard_q, q)
            continue
        code = language_code(tag)
        if code is None:
            continue
        named.add(code)
        if q == 0.0:
            if "-" not in tag and "_" not in tag:  # `de-CH;q=0` refuses a variety, not German
                refused.add(code)
        elif q > best_q and code not in refused:
            best, best_q = code, q
    if best is not None and best in refused:
        best = None
    if wildcard_q and (best is None or wildcard_q > best_q) and BASE_LANGUAGE not in named:
        return BASE_LANGUAGE
    return best


def accept_language_best(header: str | None) -> str | None:
    """The best supported language of an Accept-Language header, or None when it names none."""
    if not header:
        return None
    if len(header) > _ACCEPT_HEADER_MAX:
        header = header[:_ACCEPT_HEADER_MAX].rpartition(",")[0]
    cached = _accept_cache.get(header, _NOT_CACHED)
    if cached is not _NOT_CACHED:
        return cached  # type: ignore[return-value]
    best = _accept_best(header)
    with _accept_lock:
        if len(_accept_cache) >= _ACCEPT_CACHE_SIZE:
            _accept_cache.clear()
        _accept_cache[header] = best
    return best


def language_negotiate(*, requested: str | None, preferred: str | None, accept_language: str | None) -> str:
    """The language to answer in: `requested` (the `lang` parameter, validated by the caller: a value that
    names no supported language is passed over here), then `preferred` (the buyer's stored preference), then
    the Accept-Language header's best supported match, else English."""
    return (language_code(requested) or language_code(preferred) or accept_language_best(accept_language)
            or BASE_LANGUAGE)
