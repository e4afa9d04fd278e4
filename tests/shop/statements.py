"""Counting what rendering a catalog answer costs in SQL, apart from the response cache's own read of its
change log (a thread's work in production, done inline in tests)."""

from shop.catalog_cache import catalog_cache
from shop.models import CatalogChange

LOG_TABLE = CatalogChange._meta.db_table


def rendering_statements(ctx) -> int:
    return sum(1 for query in ctx.captured_queries if LOG_TABLE not in query["sql"])


def uncached() -> None:
    """Forget every kept catalog answer, so the next request renders."""
    catalog_cache.clear()


def answers_dropped() -> None:
    """Forget the kept answers only: what each process keeps beside them (shop.facet_index) stays loaded, as
    it does between requests in production."""
    catalog_cache.drop_answers()
