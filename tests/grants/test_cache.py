"""The Redis cache may share the broker's database: clearing it must leave the queues alone."""

import os

import pytest
import redis

from grants.cache import PrefixedRedisCache

URL = os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL", "")
pytestmark = pytest.mark.skipif(not URL.startswith("redis://"), reason="needs Redis (CI's second pass)")


def test_clear_removes_only_the_cache_keys():
    db_url = URL.rsplit("/", 1)[0] + "/14"  # a database of its own, so the test never touches CI's
    raw = redis.Redis.from_url(db_url)
    raw.flushdb()
    cache = PrefixedRedisCache(db_url, {"KEY_PREFIX": "grantbench"})
    for i in range(2500):  # more than one delete batch
        cache.set(f"k{i}", i)
    raw.lpush("celery", "a queued email")
    assert cache.get("k7") == 7
    cache.clear()
    assert cache.get("k7") is None
    assert raw.keys("grantbench:*") == []
    assert raw.lrange("celery", 0, -1) == [b"a queued email"]
    raw.flushdb()


def test_a_cache_without_prefix_refuses_to_clear():
    cache = PrefixedRedisCache(URL.rsplit("/", 1)[0] + "/14", {})
    with pytest.raises(ValueError):
        cache.clear()
