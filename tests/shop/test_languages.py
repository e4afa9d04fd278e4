"""Choosing the language of a catalog answer (pure: no database)."""

import ast
from pathlib import Path

import pytest

from shop import languages
from shop.languages import accept_language_best, language_code, language_negotiate
from shop.models import Language


def test_the_pure_module_knows_exactly_the_catalog_languages():
    assert languages.LANGUAGES == tuple(Language.values)
    assert languages.BASE_LANGUAGE == Language.EN


def test_the_module_imports_only_the_standard_library():
    tree = ast.parse(Path(languages.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported == {"__future__", "threading"}


def test_the_requested_language_wins_over_preference_and_header():
    assert language_negotiate(requested="fr", preferred="de", accept_language="ja") == "fr"


def test_the_stored_preference_wins_over_the_header():
    assert language_negotiate(requested=None, preferred="de", accept_language="ja, en;q=0.5") == "de"


def test_the_header_decides_when_nothing_was_asked_or_stored():
    assert language_negotiate(requested=None, preferred=None, accept_language="ko-KR,ko;q=0.9,en;q=0.8") == "ko"


def test_english_when_nothing_names_a_supported_language():
    assert language_negotiate(requested=None, preferred=None, accept_language=None) == "en"
    assert language_negotiate(requested="", preferred="", accept_language="") == "en"
    assert language_negotiate(requested=None, preferred=None, accept_language="pt-BR, nl;q=0.5") == "en"


def test_an_unsupported_request_or_preference_is_passed_over():
    # The API refuses `lang=pt` before it gets here; a stale stored value must not break the catalog.
    assert language_negotiate(requested="pt", preferred="xx", accept_language="it") == "it"


@pytest.mark.parametrize(("tag", "code"), [
    ("de", "de"), ("DE", "de"), ("de-CH", "de"), ("de_AT", "de"), ("fr-CA", "fr"), ("es-419", "es"),
    ("zh-Hans", "zh"), ("zh-CN", "zh"), ("zh-Hant-TW", "zh"), ("ja-JP", "ja"), (" it ", "it"),
    ("pt", None), ("*", None), ("", None), (None, None), ("english", None), ("-de", None),
])
def test_language_tags_map_to_their_primary_language(tag, code):
    assert language_code(tag) == code


@pytest.mark.parametrize(("header", "best"), [
    ("de-CH, fr;q=0.9, en;q=0.8", "de"),
    ("fr;q=0.4, ja;q=0.8, de;q=0.6", "ja"),  # the largest q wins, not the first entry
    ("fr;q=0.8, de;q=0.8", "fr"),  # a tie goes to the earlier entry
    ("pt-BR, es;q=0.7", "es"),  # unsupported entries are skipped
    ("zh-Hans-CN;q=0.9, pt", "zh"),
    ("de;q=0, fr;q=0.1", "fr"),  # q=0 means "not this one"
    ("de;q=0", None),
    ("de, de;q=0", None),  # refused, whatever order
    ("de-CH;q=0, de;q=0.5", "de"),  # refusing a variety keeps the language
    ("*", "en"),
    ("ja;q=0.3, *;q=0.5", "en"),  # any other language, ranked above Japanese: English
    ("ja, *;q=0.5", "ja"),
    ("en;q=0, *", None),  # "anything but English" names none we have
    ("de;q=abc, fr", "fr"),  # a broken weight drops its entry only
    ("de;q=2, fr;q=-1, it;q=0.5", "it"),  # weights outside 0..1 are junk
    (",,;;, ;q=1, fr", "fr"),
    ("\x00\xff garbage", None),
    ("", None),
    (None, None),
])
def test_accept_language_ranking(header, best):
    assert accept_language_best(header) == best


def test_a_very_long_header_is_cut_at_an_entry_boundary_and_still_read():
    header = "ja;q=0.9, " + ", ".join(f"x{i};q=0.5" for i in range(200)) + ", de"
    assert accept_language_best(header) == "ja"  # the cut dropped `de` at the end, not the first entry


def test_parsed_headers_are_cached_in_a_bounded_table():
    languages._accept_cache.clear()
    for i in range(languages._ACCEPT_CACHE_SIZE * 2 + 3):
        accept_language_best(f"fr;q=0.{i % 9 + 1}, x-{i}")
    assert 0 < len(languages._accept_cache) <= languages._ACCEPT_CACHE_SIZE
    assert accept_language_best("fr;q=0.5, x-0") == "fr"
