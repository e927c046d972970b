"""Proxies, their toxics, and the errors the API reports (upstream: proxy.go, proxy_collection.go,
toxic_collection.go, api.go's error values).

All state changes run on the event loop and the API serialises requests with one lock, so this
module needs no locking of its own.
"""

import asyncio
import logging
import socket

from .link import DOWNSTREAM, UPSTREAM, Connection
from .toxics import TYPES

log = logging.getLogger("toxiproxy.proxy")


class ApiError(Exception):
    """An error with the HTTP status upstream uses for it."""

    def __init__(self, message, status):
        super().__init__(message)
        self.message = message
        self.status = status

    def joined(self, detail):
        return ApiError(f"{self.message}: {detail}", self.status)


BAD_REQUEST_BODY = ApiError("bad request body", 400)
MISSING_FIELD = ApiError("missing required field", 400)
PROXY_NOT_FOUND = ApiError("proxy not found", 404)
PROXY_ALREADY_EXISTS = ApiError("proxy already exists", 409)
INVALID_STREAM = ApiError("stream was invalid, can be either upstream or downstream", 400)
INVALID_TOXIC_TYPE = ApiError("invalid toxic type", 400)
TOXIC_ALREADY_EXISTS = ApiError("toxic already exists", 409)
TOXIC_NOT_FOUND = ApiError("toxic not found", 404)


def _json_number(value):
    """Go encodes float32 1 as `1`; keep integral toxicity values looking the same."""
    return int(value) if float(value).is_integer() else value


class ToxicSpec:
    """A configured toxic (upstream's ToxicWrapper). Immutable: updates make a new one."""

    def __init__(self, name, type_name, stream, toxicity, attributes):
        self.name = name
        self.type_name = type_name
        self.stream = stream
        self.toxicity = toxicity
        self.attributes = attributes
        self.toxic_type = TYPES[type_name]

    def instantiate(self):
        return self.toxic_type(dict(self.attributes))

    def with_changes(self, attributes, toxicity):
        merged = dict(self.attributes)
        merged.update(attributes)
        return ToxicSpec(self.name, self.type_name, self.stream, toxicity, merged)

    def to_json(self):
        return {
            "attributes": dict(self.attributes),
            "name": self.name,
            "type": self.type_name,
            "stream": self.stream,
            "toxicity": _json_number(self.toxicity),
        }


class ToxicCollection:
    """A proxy's toxics, in order of creation per direction, applied to every live connection."""

    def __init__(self, proxy):
        self.proxy = proxy
        self.chains = {UPSTREAM: [], DOWNSTREAM: []}

    def all(self):
        # Upstream lists upstream toxics first, then downstream ones.
        return self.chains[UPSTREAM] + self.chains[DOWNSTREAM]

    def find(self, name):
        for spec in self.all():
            if spec.name == name:
                return spec
        return None

    def add(self, spec):
        if self.find(spec.name) is not None:
            raise TOXIC_ALREADY_EXISTS
        self.chains[spec.stream].append(spec)
        for connection in self.proxy.live_connections():
            connection.links[spec.stream].add_toxic(spec)

    def update(self, name, attributes, toxicity):
        spec = self.find(name)
        if spec is None:
            raise TOXIC_NOT_FOUND
        updated = spec.with_changes(attributes, toxicity)
        chain = self.chains[spec.stream]
        chain[chain.index(spec)] = updated
        for connection in self.proxy.live_connections():
            connection.links[spec.stream].update_toxic(updated)
        return updated

    def remove(self, name):
        spec = self.find(name)
        if spec is None:
            raise TOXIC_NOT_FOUND
        self.chains[spec.stream].remove(spec)
        for connection in self.proxy.live_connections():
            connection.links[spec.stream].remove_toxic(name)

    def reset(self):
        for spec in self.all():
            self.remove(spec.name)


def split_host_port(address):
    """'host:port', '[v6]:port', ':port' or '' (any port) -> (host, port). Raises ValueError."""
    if address == "":
        return "", 0
    host, sep, port = address.rpartition(":")
    if not sep:
        raise ValueError(f"address {address}: missing port in address")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host, int(port) if port else 0


def _format_address(host, port):
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _bind(listen):
    """Binds a listening socket like Go's net.Listen("tcp", listen); returns (socket, address).

    A wildcard host binds dual-stack where the kernel allows it, and is then reported as
    "[::]:port", as upstream reports it.
    """
    try:
        host, port = split_host_port(listen)
    except ValueError as error:
        raise OSError(f"listen tcp {listen}: {error}") from None
    if host in ("", "0.0.0.0", "::"):
        candidates = [(socket.AF_INET6, "::"), (socket.AF_INET, "0.0.0.0")]
    else:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        candidates = [(family, addr[0]) for family, _, _, _, addr in infos]
    last_error = None
    for family, address in candidates:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6 and address == "::":
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            sock.bind((address, port))
            sock.listen(128)
            sock.setblocking(False)
            bound = sock.getsockname()
            return sock, _format_address(address, bound[1])
        except OSError as error:
            sock.close()
            last_error = error
    raise OSError(f"listen tcp {listen}: {last_error}")


class Proxy:
    def __init__(self, name, listen, upstream):
        self.name = name
        self.listen = listen
        self.upstream = upstream
        self.enabled = False
        self.toxics = ToxicCollection(self)
        self._server = None
        self._connections = set()

    def to_json(self):
        return {
            "name": self.name,
            "listen": self.listen,
            "upstream": self.upstream,
            "enabled": self.enabled,
            "toxics": [spec.to_json() for spec in self.toxics.all()],
        }

    def live_connections(self):
        return [c for c in self._connections if not c.closed]

    def connection_closed(self, connection):
        self._connections.discard(connection)

    async def start(self):
        """Starts listening. Raises OSError (reported as 500, as upstream) if it cannot bind."""
        if self.enabled:
            return
        sock, address = _bind(self.listen)
        self._server = await asyncio.start_server(self._on_client, sock=sock)
        self.listen = address
        self.enabled = True
        log.info("Started proxy name=%s listen=%s upstream=%s", self.name, self.listen, self.upstream)

    async def stop(self):
        """Stops listening and closes every connection, as upstream's stop() does."""
        if not self.enabled:
            return
        self.enabled = False
        self._server.close()
        self._server = None
        for connection in list(self._connections):
            connection.close()
        self._connections.clear()
        log.info("Terminated proxy name=%s listen=%s upstream=%s", self.name, self.listen, self.upstream)

    async def _on_client(self, client_reader, client_writer):
        server = self._server
        try:
            host, port = split_host_port(self.upstream)
            server_reader, server_writer = await asyncio.open_connection(host, port)
        except (OSError, ValueError) as error:
            log.warning("Unable to open connection to upstream name=%s upstream=%s: %s",
                        self.name, self.upstream, error)
            client_writer.transport.abort()
            return
        if not self.enabled or server is not self._server:
            # Disabled (or restarted) while we were connecting upstream.
            client_writer.transport.abort()
            server_writer.transport.abort()
            return
        connection = Connection(self, (client_reader, client_writer), (server_reader, server_writer))
        self._connections.add(connection)
        connection.start(self.toxics.chains)
        log.info("Accepted client name=%s client=%s upstream=%s", self.name,
                 client_writer.get_extra_info("peername"), self.upstream)


class ProxyCollection:
    def __init__(self):
        self.proxies = {}

    def get(self, name):
        proxy = self.proxies.get(name)
        if proxy is None:
            raise PROXY_NOT_FOUND
        return proxy

    async def add(self, proxy, start):
        if proxy.name in self.proxies:
            raise PROXY_ALREADY_EXISTS
        if start:
            await proxy.start()
        self.proxies[proxy.name] = proxy

    async def add_or_replace(self, proxy, start):
        """Populate's rule: an existing proxy with the same listen and upstream is kept as is."""
        existing = self.proxies.get(proxy.name)
        if existing is not None:
            if same_address(existing.listen, proxy.listen) and existing.upstream == proxy.upstream:
                return existing
            await existing.stop()
        if start:
            await proxy.start()
        self.proxies[proxy.name] = proxy
        return proxy

    async def remove(self, name):
        proxy = self.get(name)
        await proxy.stop()
        del self.proxies[name]


def same_address(current, requested):
    """The stored listen address is the bound one ("[::]:8666" for "0.0.0.0:8666")."""
    if current == requested:
        return True
    try:
        current_host, current_port = split_host_port(current)
        requested_host, requested_port = split_host_port(requested)
    except ValueError:
        return False
    wildcard = ("", "0.0.0.0", "::")
    return current_port == requested_port and current_host in wildcard and requested_host in wildcard
