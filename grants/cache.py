"""A Redis cache whose clear() removes only its own keys.

When no REDIS_URL is given the cache shares the Celery broker's Redis database (so sign-in rate
limits count across every gunicorn worker). Django's RedisCache.clear() is FLUSHDB, which would
also drop the emails waiting in the broker's queues; this one deletes the cache's prefixed keys.
"""

from django.core.cache.backends.redis import RedisCache


class PrefixedRedisCache(RedisCache):
    def clear(self) -> bool:
        if not self.key_prefix:
            raise ValueError("PrefixedRedisCache needs a KEY_PREFIX, or clear() would empty the database")
        client = self._cache.get_client(None, write=True)
        batch: list[bytes] = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
        return True
