"""Both cores for per-story work: the second half of a long list done in a forked process.

Loading, checking and rendering a story depend on that story alone (and on what the build has
read before, which a forked process starts with), so a list of thousands is split in two: a
forked process does the second half while this one does the first, and sends its result back
through a pipe (pickled: about a tenth of the work it saves). Nothing is sent to the child, so
the work may use anything this process holds (a Markdown instance, the vocabularies).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 400  # items; below this a second process costs more than it saves


def available() -> bool:
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def in_halves(items: Sequence[T], work: Callable[[Sequence[T]], R]) -> list[R]:
    """``[work(items)]``, or from ``PARALLEL_FROM`` items on ``[work(first half), work(second half)]``,
    the second half done in a forked process at the same time. Should that process fail or die,
    its half is done here, so the result never depends on it."""
    if len(items) < PARALLEL_FROM or not available():
        return [work(items)]
    half = len(items) // 2
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send((True, work(items[half:])))
        except BaseException:
            send.send((False, traceback.format_exc()))

    process = context.Process(target=child, daemon=True)
    # What this process holds is left out of the child's garbage collections, which would otherwise
    # write to every object and so copy every page of memory the two processes share.
    thawed = gc.get_freeze_count() == 0
    gc.freeze()
    process.start()
    if thawed:
        gc.unfreeze()
    send.close()
    try:
        mine = work(items[:half])
        try:
            done, theirs = receive.recv()
        except EOFError:
            done, theirs = False, None
    finally:
        receive.close()
        process.join()
    return [mine, theirs if done else work(items[half:])]
