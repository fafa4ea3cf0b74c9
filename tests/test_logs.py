"""What `mockmarketo serve` writes to stderr (reliability issue, item 14): one line per incident, no
tracebacks, the same message at most once a minute.

Probe: every database error printed a full traceback (3,177 during one PostgreSQL outage); waitress
printed thousands of "Task queue depth is 1" lines under load.
"""

from __future__ import annotations

import io
import logging

import pytest

from mockmarketo import logs


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def stderr():
    """logs.configure() on a string stream and a hand-moved clock; the root logger restored afterwards."""
    root, ours = logging.getLogger(), logging.getLogger(logs.LOGGER)
    levels = (root.level, ours.level)
    stream = io.StringIO()
    handler = logs.configure(stream)
    clock = Clock()
    handler.filters[0].clock = clock
    yield stream, clock
    root.removeHandler(handler)
    root.setLevel(levels[0])
    ours.setLevel(levels[1])


def test_waitress_queue_depth_under_load_is_one_line_a_minute(stderr):
    stream, clock = stderr
    queue = logging.getLogger("waitress.queue")
    for depth in range(1, 1001):
        queue.warning("Task queue depth is %d", depth)
    clock.now += 61
    queue.warning("Task queue depth is %d", 3)
    assert stream.getvalue().splitlines() == [
        "mockmarketo: warning: Task queue depth is 1",
        "mockmarketo: warning: Task queue depth is 3 [999 more like this in the last 60 s not shown]"]


def test_an_exception_is_one_line_never_a_traceback(stderr):
    stream, _ = stderr
    try:
        raise ConnectionError("connection to server at \"127.0.0.1\", port 5432 failed\nIs the server running?")
    except ConnectionError:
        logging.getLogger("sqlalchemy.pool.impl.QueuePool").error("Exception during reset or similar", exc_info=True)
    assert stream.getvalue() == ('mockmarketo: error: Exception during reset or similar (ConnectionError: '
                                 'connection to server at "127.0.0.1", port 5432 failed)\n')


def test_different_messages_are_not_held_back(stderr):
    stream, _ = stderr
    log = logs.logger("database")
    log.error("database unavailable: %s", "refused")
    log.warning("database available again after %.1f s; %d calls failed meanwhile", 2.0, 7)
    assert stream.getvalue().splitlines() == [
        "mockmarketo: error: database unavailable: refused",
        "mockmarketo: warning: database available again after 2.0 s; 7 calls failed meanwhile"]


def test_a_message_is_one_line_of_bounded_length(stderr):
    stream, _ = stderr
    logs.logger().warning("request was %s", "line one\nline two " + "x" * 1000)
    [line] = stream.getvalue().splitlines()
    assert line.startswith("mockmarketo: warning: request was line one line two xxx") and line.endswith("...")
    assert len(line) == len("mockmarketo: warning: ") + logs.LINE_LIMIT + 3
