"""Where calls run: the workers of a Dask cluster, or this process.

:func:`engine` opens a local cluster of worker processes (``workers``), connects to an
existing cluster (``scheduler``, e.g. ``tcp://host:8786``) or runs in this process; the
:class:`Engine` it yields sends objects to every worker once (:meth:`Engine.share`) and runs
a function over many calls with a bounded number in flight (:meth:`Engine.imap`). Streamed
runs (:mod:`model.scaleout`) and studies of many runs use it alike; the same calls give the
same results wherever they run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["CONNECT_TIMEOUT", "ClusterUnavailable", "Engine", "engine"]

logger = logging.getLogger(__name__)

#: Seconds to wait for a scheduler before giving up (a wrong address fails in this time).
CONNECT_TIMEOUT = 5


class ClusterUnavailable(Exception):
    """The Dask scheduler at ``address`` could not be reached (or the cluster not started).

    Parameters
    ----------
    address
        The scheduler's address as given (``""`` for a local cluster).
    reason
        What the connection attempt reported.
    """

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"cannot reach the Dask scheduler {address!r}: {reason}")
        self.address = address
        self.reason = reason


# ---------------------------------------------------------------------------
# the engine: a cluster, or this process
# ---------------------------------------------------------------------------
class Engine:
    """Where calls run: the workers of a Dask cluster, or this process (``client=None``).

    Parameters
    ----------
    client
        A connected :class:`distributed.Client`, or ``None`` to run in this process.
    """

    def __init__(self, client: Any = None) -> None:
        self.client = client

    @property
    def workers(self) -> int:
        """Processes that run calls (1 in this process)."""
        if self.client is None:
            return 1
        return max(1, len(self.client.scheduler_info()["workers"]))

    def sees(self, path: str | os.PathLike[str]) -> bool:
        """Whether every worker sees the file ``path`` of this process (same size and time).

        True in this process and on a cluster of this machine or with a shared file system:
        work that reads the file (the summaries of a streamed run) may then run there.
        """
        if self.client is None:
            return True
        mine = _stamp(os.fspath(path))
        try:
            theirs = self.client.run(_stamp, os.fspath(path))
        except (OSError, TimeoutError):
            return False
        return bool(theirs) and all(stamp == mine for stamp in theirs.values())

    def share(self, obj: Any) -> Any:
        """``obj`` sent once to every worker (a future to pass to calls), or ``obj`` itself."""
        if self.client is None:
            return obj
        return self.client.scatter(obj, broadcast=True)

    def imap(
        self, fn: Callable[..., Any], calls: Iterable[tuple[Any, ...]], in_flight: int | None = None
    ) -> Iterator[tuple[int, Any]]:
        """``fn(*args)`` for each ``args`` of ``calls``, yielded as ``(index, result)``.

        On a cluster, results come as they finish (any order), with at most ``in_flight``
        calls submitted and not yet collected (default: twice the workers, plus one), so
        unread results never pile up. In this process, in order, one at a time.

        Parameters
        ----------
        fn
            A module-level function (workers import it by name).
        calls
            The arguments of each call (futures from :meth:`share` are resolved on the
            worker).
        in_flight
            Most calls under way at once.

        Yields
        ------
        tuple
            The call's position in ``calls`` and its result.
        """
        if self.client is None:
            for i, args in enumerate(calls):
                yield i, fn(*args)
            return
        from distributed import as_completed

        limit = in_flight or 2 * self.workers + 1
        todo = enumerate(calls)
        index: dict[str, int] = {}
        pending = as_completed(loop=self.client.loop)

        def submit() -> None:
            nxt = next(todo, None)
            if nxt is not None:
                future = self.client.submit(fn, *nxt[1], pure=False)
                index[future.key] = nxt[0]
                pending.add(future)

        for _ in range(limit):
            submit()
        for future in pending:
            result = future.result()
            i = index.pop(future.key)
            future.release()
            submit()
            yield i, result


@contextmanager
def engine(workers: int | None = None, scheduler: str | None = None) -> Iterator[Engine]:
    """An :class:`Engine` for the duration of a block.

    Parameters
    ----------
    workers
        Start a local cluster of this many worker processes (one thread each), closed when
        the block ends.
    scheduler
        Connect to the scheduler of an existing cluster (``tcp://host:8786``) instead.
        Neither: run in this process.

    Yields
    ------
    Engine
        Where the block's calls run.

    Raises
    ------
    ClusterUnavailable
        If the scheduler cannot be reached within :data:`CONNECT_TIMEOUT` seconds, or the
        local cluster does not start.
    """
    if workers is None and scheduler is None:
        yield Engine()
        return
    import distributed  # noqa: F401 - it sets its loggers' levels when first imported

    quiet = logging.getLogger("distributed")
    level = quiet.level
    if not logger.isEnabledFor(logging.DEBUG):  # the cluster's own chatter is not the user's
        quiet.setLevel(logging.ERROR)
    try:
        client, cluster = _connect(workers, scheduler)
        try:
            yield Engine(client)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    finally:
        quiet.setLevel(level)


def _connect(workers: int | None, scheduler: str | None) -> tuple[Any, Any]:
    """A client of the scheduler at ``scheduler``, or of a new local cluster, and the cluster."""
    import dask
    from distributed import Client, LocalCluster

    timeout = f"{CONNECT_TIMEOUT}s"
    with dask.config.set({"distributed.comm.timeouts.connect": timeout}):
        if scheduler is not None:
            try:
                return Client(scheduler, timeout=timeout, set_as_default=False), None
            except (OSError, TimeoutError, ValueError, TypeError) as exc:
                raise ClusterUnavailable(scheduler, str(exc) or type(exc).__name__) from None
        try:
            cluster = LocalCluster(
                n_workers=int(workers or 1),
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.CRITICAL,  # a worker closing early is not news
            )
        except (OSError, TimeoutError, RuntimeError) as exc:
            local = "local cluster"
            raise ClusterUnavailable(local, str(exc) or type(exc).__name__) from None
        return Client(cluster, set_as_default=False), cluster


def _stamp(path: str) -> tuple[int, int] | None:
    """Size and modification time of ``path`` (None if absent): the same file, seen twice."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns
