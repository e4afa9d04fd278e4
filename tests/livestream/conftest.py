import pytest

from livestream import gate


@pytest.fixture
def gate_away(settings):
    """The gate's Redis does not answer (a closed port)."""
    settings.LIVEDOCK_GATE_REDIS_URL = "redis://127.0.0.1:9/0"
    gate._client.cache_clear(), gate._scripts.cache_clear()
    yield
    gate._client.cache_clear(), gate._scripts.cache_clear()
