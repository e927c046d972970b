"""The toxic types, with upstream Toxiproxy 2.x semantics (toxics/*.go in Shopify/toxiproxy).

A toxic type is a set of integer attributes with defaults (what the API shows and accepts) and
a pipe coroutine that moves items from its stage's input to its output. Every toxic keeps the
item it has taken but not yet passed on in `stage.held`; the link uses that when it interrupts
a toxic (update, removal), so data is never dropped by reconfiguration, only by toxics whose
job is to drop it (timeout, limit_data, reset_peer).

Markers (EOF, Close) pass through at once unless a toxic handles them itself (slow_close,
timeout, reset_peer), as upstream's nil chunk does.
"""

import asyncio
import random

from .stream import Chunk, Close


class ToxicType:
    """Base: the attribute schema and the pipe. Subclasses set NAME and ATTRIBUTES."""

    NAME = ""
    ATTRIBUTES = {}
    # Upstream's timeout toxic closes the connection when it is removed: the data it
    # dropped cannot be replayed, so the stream would be corrupt.
    CLOSES_ON_REMOVE = False

    def __init__(self, attributes):
        self.attrs = attributes

    @classmethod
    def new_state(cls):
        """Per-link state that survives updates of the toxic (limit_data's byte count)."""
        return {}

    async def pipe(self, stage):
        raise NotImplementedError


class Noop(ToxicType):
    """Passes everything through. Also what a toxic runs when its toxicity roll fails."""

    NAME = "noop"

    async def pipe(self, stage):
        while True:
            stage.emit(await stage.take())


class Latency(ToxicType):
    """Delays each chunk to (read time + latency +/- jitter) ms.

    One chunk is held at a time, so chunks keep their order; because the target is counted
    from the chunk's read time (not from when this toxic got to it), a steady stream is
    delayed as a whole and keeps its throughput.
    """

    NAME = "latency"
    ATTRIBUTES = {"latency": 0, "jitter": 0}

    def _delay_seconds(self):
        delay = self.attrs["latency"]
        jitter = self.attrs["jitter"]
        if jitter > 0:
            # Upstream: latency + rand.Int63n(2*jitter) - jitter, i.e. [latency-jitter, latency+jitter).
            delay += random.randrange(2 * jitter) - jitter
        return delay / 1000.0

    async def pipe(self, stage):
        loop = asyncio.get_running_loop()
        while True:
            chunk = await stage.take()
            due = chunk.ts + self._delay_seconds()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            # A later latency toxic in the chain then adds its delay on top of this one.
            chunk.ts = max(due, chunk.ts)
            stage.emit(chunk)


class Bandwidth(ToxicType):
    """Limits the rate to `rate` KB/s (1 KB = 1000 bytes, as upstream); rate <= 0 is no limit.

    Large chunks are cut into pieces of at most 100 ms worth, as upstream does, so a slow
    link trickles instead of bursting. The link is modelled as busy until `free_at`. Timers
    wake late, so a busy link keeps up to CREDIT seconds of lag as credit (upstream likewise
    carries each sleep's error into the next); more than that means the link was idle, and an
    idle link earns no credit.
    """

    CREDIT = 0.1

    NAME = "bandwidth"
    ATTRIBUTES = {"rate": 0}

    async def pipe(self, stage):
        loop = asyncio.get_running_loop()
        free_at = loop.time()
        while True:
            chunk = await stage.take()
            rate = self.attrs["rate"]  # bytes per millisecond
            if rate <= 0:
                stage.emit(chunk)
                continue
            piece_max = max(1, rate * 100)
            while chunk is not None:
                if len(chunk.data) > piece_max:
                    piece = Chunk(chunk.data[:piece_max], chunk.ts)
                    rest = Chunk(chunk.data[piece_max:], chunk.ts)
                else:
                    piece, rest = chunk, None
                free_at = max(free_at, loop.time() - self.CREDIT) + len(piece.data) / (rate * 1000.0)
                wait = free_at - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                stage.emit_part(piece, rest)
                chunk = rest


class SlowClose(ToxicType):
    """Holds the end of the stream (FIN or close) back for `delay` ms; data passes at once."""

    NAME = "slow_close"
    ATTRIBUTES = {"delay": 0}

    async def pipe(self, stage):
        while True:
            item = await stage.take(markers=True)
            if isinstance(item, Chunk):
                stage.emit(item)
                continue
            await asyncio.sleep(self.attrs["delay"] / 1000.0)
            stage.emit(item)


class Timeout(ToxicType):
    """Drops all data; closes the connection after `timeout` ms, or never when timeout is 0."""

    NAME = "timeout"
    ATTRIBUTES = {"timeout": 0}
    CLOSES_ON_REMOVE = True

    async def pipe(self, stage):
        loop = asyncio.get_running_loop()
        timeout = self.attrs["timeout"] / 1000.0
        deadline = loop.time() + timeout if timeout > 0 else None
        while True:
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                stage.emit(Close())
                return
            try:
                item = await stage.take(markers=True, timeout=remaining)
            except TimeoutError:
                continue
            if isinstance(item, Close):
                # The connection is gone anyway (a socket failed): let it be torn down.
                stage.emit(item)
                return
            stage.drop(item)


class ResetPeer(ToxicType):
    """On the first item in its direction, waits `timeout` ms, then resets the connection (RST)."""

    NAME = "reset_peer"
    ATTRIBUTES = {"timeout": 0}

    async def pipe(self, stage):
        item = await stage.take(markers=True)
        stage.drop(item)
        await asyncio.sleep(self.attrs["timeout"] / 1000.0)
        stage.emit(Close(reset=True))
        # Nothing passes after the reset; keep draining so the link's byte budget is released.
        while True:
            stage.drop(await stage.take(markers=True))


class LimitData(ToxicType):
    """Passes `bytes` bytes in this direction of the connection, then closes it."""

    NAME = "limit_data"
    ATTRIBUTES = {"bytes": 0}

    @classmethod
    def new_state(cls):
        return {"transmitted": 0}

    async def pipe(self, stage):
        state = stage.state
        while True:
            chunk = await stage.take()
            allowed = max(0, self.attrs["bytes"] - state["transmitted"])
            if allowed < len(chunk.data):
                stage.release(len(chunk.data) - allowed)
                chunk = Chunk(chunk.data[:allowed], chunk.ts)
            if chunk.data:
                state["transmitted"] += len(chunk.data)
                stage.emit(chunk)
            else:
                stage.held = None
            if state["transmitted"] >= self.attrs["bytes"]:
                stage.emit(Close())
                while True:
                    stage.drop(await stage.take(markers=True))


class Slicer(ToxicType):
    """Cuts chunks into pieces of about `average_size` +/- `size_variation` bytes, `delay` us apart."""

    NAME = "slicer"
    ATTRIBUTES = {"average_size": 0, "size_variation": 0, "delay": 0}

    def _cuts(self, start, end):
        """Offsets of the pieces of [start, end): halves recursively, like upstream's chunk()."""
        average = self.attrs["average_size"]
        variation = self.attrs["size_variation"]
        if average <= 0 or (end - start) - average <= variation:
            return [end]
        shift = random.randrange(2 * variation) - variation if variation > 0 else 0
        mid = min(end - 1, max(start + 1, start + (end - start) // 2 + shift))
        return self._cuts(start, mid) + self._cuts(mid, end)

    async def pipe(self, stage):
        delay = self.attrs["delay"] / 1_000_000.0
        while True:
            chunk = await stage.take()
            start = 0
            for cut in self._cuts(0, len(chunk.data)):
                piece = Chunk(chunk.data[start:cut], chunk.ts)
                rest = Chunk(chunk.data[cut:], chunk.ts) if cut < len(chunk.data) else None
                stage.emit_part(piece, rest)
                start = cut
                if rest is not None and delay > 0:
                    await asyncio.sleep(delay)


TYPES = {t.NAME: t for t in (Noop, Latency, Bandwidth, SlowClose, Timeout, ResetPeer, LimitData, Slicer)}
