"""One proxied TCP connection: two links (upstream: client->server, downstream: server->client).

A link is reader -> stage* -> writer, one stage per toxic of its direction, joined by
ChunkQueues. Toxics are added to, updated in and removed from live links (upstream Toxiproxy
does the same: a latency toxic added during a replication stream delays that stream). Every
rewiring step below is synchronous, so under asyncio nothing moves between its steps:

  add:    the new stage goes last; the previous last stage (or the reader) now feeds it.
  update: the stage's task is cancelled, the item it held goes back to the front of its input,
          and the stage restarts with the new settings (toxicity is rolled again, as upstream).
  remove: the stage's task is cancelled; the item it held and its queued input move to its
          output in order; its predecessor (or the reader) now feeds that output directly.

Memory: each link has an in-flight byte budget (read but not yet written or dropped). When it
is spent the reader stops reading, so TCP flow control pushes back on the sender, as upstream's
bounded channels do. The budget must cover latency x throughput for streaming traffic (a
200 ms toxic on a 40 MB/s stream holds 8 MB); see LINK_BUFFER_BYTES.
"""

import asyncio
import logging
import os
import random
import socket
import struct

from .stream import EOF, Chunk, ChunkQueue, Close, Eof
from .toxics import Noop

log = logging.getLogger("toxiproxy.link")

LINK_BUFFER_BYTES = int(os.environ.get("TOXIPROXY_COMPAT_LINK_BUFFER_BYTES", str(32 * 1024 * 1024)))
READ_SIZE = 64 * 1024

UPSTREAM = "upstream"
DOWNSTREAM = "downstream"


class Stage:
    """One toxic running on one link. Toxics talk to the pipeline only through these methods."""

    def __init__(self, link, spec, input_queue, output_queue):
        self.link = link
        self.spec = spec
        self.input = input_queue
        self.output = output_queue
        self.held = None  # taken from input, not yet passed on
        self.state = spec.toxic_type.new_state()
        self.active = False
        self._task = None

    def start(self):
        # Toxicity is a per-connection roll when the toxic starts on the link, as upstream.
        self.active = random.random() < self.spec.toxicity
        toxic = self.spec.instantiate() if self.active else Noop({})
        self._task = asyncio.get_running_loop().create_task(self._run(toxic))

    def interrupt(self):
        """Stops the toxic. It runs no more code after this (it never catches cancellation)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self, toxic):
        try:
            await toxic.pipe(self)
        except asyncio.CancelledError:
            raise
        except Exception:  # a bug in a toxic must not leave a connection hanging
            log.exception("toxic %s failed; closing the connection", self.spec.name)
            self.link.connection.close()

    # --- used by toxics ---

    async def take(self, markers=False, timeout=None):
        """Next chunk; markers are passed on at once unless `markers` is true."""
        while True:
            item = await self.input.get(timeout)
            self.held = item
            if markers or isinstance(item, Chunk):
                return item
            self.emit(item)

    def emit(self, item):
        self.output.put(item)
        self.held = None

    def emit_part(self, piece, rest):
        """Passes `piece` on and keeps `rest` (or nothing) as the held item."""
        self.output.put(piece)
        self.held = rest

    def drop(self, item):
        if isinstance(item, Chunk):
            self.link.release(len(item.data))
        self.held = None

    def release(self, nbytes):
        self.link.release(nbytes)


class Link:
    """One direction of a connection, with its chain of toxic stages."""

    def __init__(self, connection, direction, source, dest):
        self.connection = connection
        self.direction = direction
        self.source = source  # asyncio.StreamReader
        self.dest = dest  # asyncio.StreamWriter
        self.stages = []
        self.writer_queue = ChunkQueue()
        self.in_flight = 0
        self._room = asyncio.Event()
        self._room.set()
        self.tasks = []

    def start(self, specs):
        for spec in specs:
            self.add_toxic(spec)
        loop = asyncio.get_running_loop()
        self.tasks = [loop.create_task(self._read()), loop.create_task(self._write())]

    def stop(self):
        for stage in self.stages:
            stage.interrupt()
        current = asyncio.current_task()
        for task in self.tasks:
            if task is not current:
                task.cancel()

    def _entry(self):
        """Where the reader puts what it reads: the first stage, or the writer if no toxics."""
        return self.stages[0].input if self.stages else self.writer_queue

    # --- toxic chain changes (synchronous, see module docstring) ---

    def add_toxic(self, spec):
        stage = Stage(self, spec, ChunkQueue(), self.writer_queue)
        if self.stages:
            self.stages[-1].output = stage.input
        self.stages.append(stage)
        stage.start()

    def update_toxic(self, spec):
        for stage in self.stages:
            if stage.spec.name == spec.name:
                stage.interrupt()
                if stage.held is not None:
                    stage.input.put_front(stage.held)
                    stage.held = None
                stage.spec = spec
                stage.start()
                return

    def remove_toxic(self, name):
        for index, stage in enumerate(self.stages):
            if stage.spec.name != name:
                continue
            stage.interrupt()
            pending = ([stage.held] if stage.held is not None else []) + stage.input.drain()
            stage.held = None
            if stage.active and stage.spec.toxic_type.CLOSES_ON_REMOVE:
                for item in pending:
                    if isinstance(item, Chunk):
                        self.release(len(item.data))
                stage.output.put(Close())
            else:
                for item in pending:
                    stage.output.put(item)
            if index > 0:
                self.stages[index - 1].output = stage.output
            del self.stages[index]
            return

    # --- byte budget ---

    def release(self, nbytes):
        self.in_flight -= nbytes
        if self.in_flight < LINK_BUFFER_BYTES:
            self._room.set()

    # --- I/O ---

    async def _read(self):
        loop = asyncio.get_running_loop()
        while True:
            while self.in_flight >= LINK_BUFFER_BYTES:
                self._room.clear()
                await self._room.wait()
            try:
                data = await self.source.read(READ_SIZE)
            except OSError as error:
                log.debug("%s read failed: %s", self.direction, error)
                self._entry().put(Close())
                return
            if not data:
                self._entry().put(EOF)
                return
            self.in_flight += len(data)
            self._entry().put(Chunk(data, loop.time()))

    async def _write(self):
        try:
            while True:
                item = await self.writer_queue.get()
                if isinstance(item, Chunk):
                    self.dest.write(item.data)
                    await self.dest.drain()
                    self.release(len(item.data))
                elif isinstance(item, Eof):
                    if self.dest.can_write_eof():
                        self.dest.write_eof()
                    self.connection.direction_ended(self)
                    return
                elif isinstance(item, Close):
                    self.connection.close(reset=item.reset, flush=not item.reset)
                    return
        except OSError as error:
            log.debug("%s write failed: %s", self.direction, error)
            self.connection.close()


def _set_reset_on_close(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass


class Connection:
    """A client connection and its upstream connection, joined by two links."""

    def __init__(self, proxy, client, server):
        self.proxy = proxy
        self.client_reader, self.client_writer = client
        self.server_reader, self.server_writer = server
        self.links = {
            UPSTREAM: Link(self, UPSTREAM, self.client_reader, self.server_writer),
            DOWNSTREAM: Link(self, DOWNSTREAM, self.server_reader, self.client_writer),
        }
        self._ended = set()
        self.closed = False

    def start(self, specs_by_direction):
        for direction, link in self.links.items():
            link.start(specs_by_direction[direction])

    def direction_ended(self, link):
        """After FIN went both ways, nothing is left to carry: close both sockets."""
        self._ended.add(link.direction)
        if len(self._ended) == 2:
            self.close(flush=True)

    def close(self, reset=False, flush=False):
        """Tears the connection down. `reset`: RST to both peers; `flush`: write what is buffered."""
        if self.closed:
            return
        self.closed = True
        for link in self.links.values():
            link.stop()
        for writer in (self.client_writer, self.server_writer):
            if reset:
                _set_reset_on_close(writer)
            if flush and not reset:
                writer.close()
            else:
                writer.transport.abort()
        self.proxy.connection_closed(self)
