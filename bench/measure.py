"""Timing helpers: warm, in-process, median of several runs, queries counted once."""

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class PageFigure:
    median_ms: float
    queries: int
    status: int
    bytes: int


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def measure_page(client: Client, url: str, repeat: int) -> PageFigure:
    response = client.get(url)  # warm: templates compiled, caches filled
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    connection.queries_log.clear()  # the log is a bounded deque: a full one would hide new queries
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    # Read the count now: captured_queries slices the live log, which each later request clears.
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return PageFigure(round(statistics.median(times), 2), queries, response.status_code, len(response.content))


def measure_call(func: Callable[[], object], repeat: int) -> tuple[float, int]:
    func()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        func()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2), queries


def measure_once_with_memory(func: Callable[[], object]) -> tuple[float, float, object]:
    tracemalloc.start()
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(seconds, 3), round(peak / 1024 / 1024, 2), result
