"""What flows through a link: data chunks and two end markers, plus the queue between stages.

A link direction is a pipeline: reader -> stage -> stage -> ... -> writer. Every hop is a
ChunkQueue. The queues are unbounded on purpose: adding, updating or removing a toxic on a live
connection rewires the pipeline, and with unbounded queues that rewiring never has to await, so
it is atomic under asyncio's single thread and no chunk can be lost or reordered while it
happens. Memory is bounded elsewhere, by the link's in-flight byte budget (see link.py).
"""

import asyncio
import collections


class Chunk:
    """Bytes read from one socket, with the time they were read.

    `ts` is the loop time of the read; the latency toxic delays a chunk relative to it, which is
    what makes latency a pipeline (every chunk is late by the same amount) and not
    stop-and-wait (each chunk waiting for the previous one's delay, then its own).
    """

    __slots__ = ("data", "ts")

    def __init__(self, data, ts):
        self.data = data
        self.ts = ts


class Eof:
    """The source sent FIN: the writer half-closes its socket (shutdown SHUT_WR)."""

    __slots__ = ()

    def __repr__(self):
        return "EOF"


class Close:
    """End the whole connection once everything queued before it is written.

    `reset` asks for SO_LINGER 0 on both sockets, so the peers see RST instead of FIN.
    Toxics (timeout, limit_data, reset_peer) and source errors put this marker in the stream,
    so data already accepted ahead of it still reaches the peer, as upstream's close of a
    toxic's output channel does.
    """

    __slots__ = ("reset",)

    def __init__(self, reset=False):
        self.reset = reset

    def __repr__(self):
        return "CLOSE(reset)" if self.reset else "CLOSE"


EOF = Eof()


def is_marker(item):
    return not isinstance(item, Chunk)


class ChunkQueue:
    """A FIFO of chunks and markers whose get() can be cancelled without losing an item.

    asyncio.Queue would do, except that items must also be pushed back to the front (when a
    toxic is updated, the chunk it held goes back ahead of the rest), and get() with a timeout
    must not drop an item when the timeout and the item arrive together: here the item only
    leaves the deque after the wait returned, in the same step.
    """

    def __init__(self):
        self._items = collections.deque()
        self._ready = asyncio.Event()

    def __len__(self):
        return len(self._items)

    def put(self, item):
        self._items.append(item)
        self._ready.set()

    def put_front(self, item):
        self._items.appendleft(item)
        self._ready.set()

    def drain(self):
        """Removes and returns every queued item, oldest first."""
        items = list(self._items)
        self._items.clear()
        self._ready.clear()
        return items

    async def get(self, timeout=None):
        """Next item; raises TimeoutError if `timeout` seconds pass first."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not self._items:
            self._ready.clear()
            if deadline is None:
                await self._ready.wait()
            else:
                await asyncio.wait_for(self._ready.wait(), max(0.0, deadline - loop.time()))
        return self._items.popleft()
