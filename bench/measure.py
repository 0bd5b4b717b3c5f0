"""Timing helpers: warm, in-process, median of several runs, queries counted once."""

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class PageFigure:
    median_ms: float
    queries: int
    status: int
    bytes: int
    # The first view after the data changed: what a page that keeps its figures
    # (grants.core.datacache) pays to work them out; for any other page about median_ms.
    cold_ms: float = 0.0
    cold_queries: int = 0
    # The persona's baseline page, timed in turn with this page's views (0: not measured).
    floor_ms: float = 0.0


def data_changed() -> None:
    """A committed write to a watched table that changes nothing: the data version moves on, so
    every kept figure is worked out again on its next view."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE grants_programme SET name = name WHERE id = (SELECT min(id) FROM grants_programme)")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _counted(func: Callable[[], object]) -> tuple[int, object]:
    """One call with its queries counted; returns (queries, what the call returned)."""
    connection.queries_log.clear()  # the log is a bounded deque: a full one would hide new queries
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    # Read the count now: captured_queries slices the live log, which each later call clears.
    return len(ctx.captured_queries), result


def _median_ms(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def _timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


def measure_page(client: Client, url: str, repeat: int, floor: tuple[Client, str] | None = None) -> PageFigure:
    """The page warm and on its first view after a change. With `floor` (the persona's baseline
    page and its client), each timed view of the page follows one of the baseline's, so the two
    medians are taken over the same moments: on a shared machine whose speed drifts (seen here:
    the same baseline from 2.8 to 4.8 ms within an hour) a baseline timed minutes earlier would
    skew the page's ratio either way."""
    get = partial(client.get, url)
    response = get()  # warm: templates compiled, caches filled
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    queries, response = _counted(get)
    floor_get = partial(floor[0].get, floor[1]) if floor else None
    if floor_get:
        floor_get()  # warm
    warm, floors = [], []
    for _ in range(repeat):
        if floor_get:
            floors.append(_timed(floor_get))
        warm.append(_timed(get))

    def cold():
        data_changed()
        return get()

    cold_queries, _ = _counted(cold)
    cold_queries -= 1  # the write itself
    return PageFigure(
        round(statistics.median(warm), 2),
        queries,
        response.status_code,
        len(response.content),
        _cold_ms(get, repeat),
        cold_queries,
        round(statistics.median(floors), 2) if floors else 0.0,
    )


def _cold_ms(get: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        data_changed()
        start = time.perf_counter()
        get()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def measure_call(func: Callable[[], object], repeat: int) -> tuple[float, int]:
    func()  # warm
    queries, _ = _counted(func)
    return _median_ms(func, repeat), queries


def measure_once_with_memory(func: Callable[[], object]) -> tuple[float, float, object]:
    tracemalloc.start()
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(seconds, 3), round(peak / 1024 / 1024, 2), result
