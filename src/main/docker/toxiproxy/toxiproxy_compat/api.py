"""The HTTP API on port 8474, shaped like upstream Toxiproxy 2.x's api.go.

Routes, JSON bodies, status codes and error bodies ({"error": ..., "status": ...}) follow
upstream, because clients (toxiproxy-java, the Testcontainers module) parse them. The HTTP/1.1
server is a small hand-written one: no third-party packages can be installed here, and the
standard library's http.server is blocking.
"""

import asyncio
import json
import logging
import math
import re
import urllib.parse

from . import __version__
from .link import DOWNSTREAM, UPSTREAM
from .proxy import (BAD_REQUEST_BODY, INVALID_STREAM, INVALID_TOXIC_TYPE, MISSING_FIELD,
                    TOXIC_NOT_FOUND, ApiError, Proxy, ToxicSpec, same_address)
from .toxics import TYPES

log = logging.getLogger("toxiproxy.api")

MAX_BODY_BYTES = 1024 * 1024


class Response:
    def __init__(self, status, body=b"", content_type="application/json"):
        self.status = status
        self.body = body
        self.content_type = content_type

    @staticmethod
    def json(status, value):
        return Response(status, json.dumps(value, separators=(",", ":")).encode())

    @staticmethod
    def error(error):
        # Upstream writes the JSON with http.Error, which labels it text/plain and adds a newline.
        body = json.dumps({"error": error.message, "status": error.status}, separators=(",", ":"))
        return Response(error.status, (body + "\n").encode(), "text/plain; charset=utf-8")


def _decode_object(body, what="body"):
    """Parses a JSON object like Go's json.Decoder: first value only, unknown fields ignored."""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        raise BAD_REQUEST_BODY.joined("EOF")
    try:
        value, _ = json.JSONDecoder(parse_constant=_reject_constant).raw_decode(text)
    except ValueError as error:  # JSONDecodeError is a ValueError
        raise BAD_REQUEST_BODY.joined(str(error))
    return value


def _reject_constant(name):
    """Go's JSON has no NaN or Infinity; Python's decoder would accept them."""
    raise ValueError(f"invalid character in numeric literal {name}")


def _field(obj, key, kind, default):
    value = obj.get(key, default)
    if value is None:
        return default
    if kind is bool and not isinstance(value, bool):
        raise BAD_REQUEST_BODY.joined(f"json: cannot unmarshal into field {key} of type bool")
    if kind is str and not isinstance(value, str):
        raise BAD_REQUEST_BODY.joined(f"json: cannot unmarshal into field {key} of type string")
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise BAD_REQUEST_BODY.joined(f"json: cannot unmarshal into field {key} of type float32")
        return float(value)
    return value


def _attributes(raw, type_name):
    """Known integer attributes of the toxic type; unknown keys are ignored, as Go ignores them."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise BAD_REQUEST_BODY.joined("json: attributes must be an object")
    result = {}
    for key in TYPES[type_name].ATTRIBUTES:
        if key not in raw:
            continue
        value = raw[key]
        if not _is_int64(value):
            raise BAD_REQUEST_BODY.joined(f"json: cannot unmarshal {value!r} into attribute {key} of type int64")
        result[key] = int(value)
    return result


def _is_int64(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return False
    return -(2 ** 63) <= value < 2 ** 63


class Api:
    def __init__(self, collection):
        self.collection = collection
        # One request at a time: handlers await (binding, connecting) between state changes.
        self._lock = asyncio.Lock()
        self._routes = [
            ("POST", r"/reset", self.reset),
            ("GET", r"/proxies", self.proxy_index),
            ("POST", r"/proxies", self.proxy_create),
            ("POST", r"/populate", self.populate),
            ("GET", r"/proxies/([^/]+)", self.proxy_show),
            ("POST", r"/proxies/([^/]+)", self.proxy_update),
            ("PATCH", r"/proxies/([^/]+)", self.proxy_update),
            ("DELETE", r"/proxies/([^/]+)", self.proxy_delete),
            ("GET", r"/proxies/([^/]+)/toxics", self.toxic_index),
            ("POST", r"/proxies/([^/]+)/toxics", self.toxic_create),
            ("GET", r"/proxies/([^/]+)/toxics/([^/]+)", self.toxic_show),
            ("POST", r"/proxies/([^/]+)/toxics/([^/]+)", self.toxic_update),
            ("PATCH", r"/proxies/([^/]+)/toxics/([^/]+)", self.toxic_update),
            ("DELETE", r"/proxies/([^/]+)/toxics/([^/]+)", self.toxic_delete),
            ("GET", r"/version", self.version),
        ]
        self._routes = [(m, re.compile(p + r"\Z"), h) for m, p, h in self._routes]

    async def dispatch(self, method, target, headers, body):
        if headers.get("user-agent", "").startswith("Mozilla/"):
            # Upstream refuses browsers (a page could otherwise drive the API cross-origin).
            return Response(403, b"User agent not allowed\n", "text/plain; charset=utf-8")
        path = urllib.parse.urlsplit(target).path
        path_matched = False
        for route_method, pattern, handler in self._routes:
            match = pattern.match(path)
            if match is None:
                continue
            path_matched = True
            if route_method != method:
                continue
            args = [urllib.parse.unquote(group) for group in match.groups()]
            async with self._lock:
                try:
                    return await handler(body, *args)
                except ApiError as error:
                    return Response.error(error)
                except OSError as error:
                    # Binding a listener failed: upstream answers 500 with the error text.
                    return Response.error(ApiError(str(error), 500))
                except Exception as error:  # a bug here must not drop the client's connection
                    log.exception("%s %s failed", method, path)
                    return Response.error(ApiError(str(error), 500))
        if path_matched:
            return Response(405, b"", "text/plain; charset=utf-8")
        return Response(404, b"404 page not found\n", "text/plain; charset=utf-8")

    # --- proxies ---

    async def version(self, body):
        text = json.dumps({"version": __version__}) + "\n"
        return Response(200, text.encode(), "application/json;charset=utf-8")

    async def reset(self, body):
        for proxy in list(self.collection.proxies.values()):
            await proxy.start()
            proxy.toxics.reset()
        return Response(204)

    async def proxy_index(self, body):
        return Response.json(200, {n: p.to_json() for n, p in self.collection.proxies.items()})

    async def proxy_create(self, body):
        data = _decode_object(body)
        if not isinstance(data, dict):
            raise BAD_REQUEST_BODY.joined("json: expected an object")
        name = _field(data, "name", str, "")
        upstream = _field(data, "upstream", str, "")
        listen = _field(data, "listen", str, "")
        enabled = _field(data, "enabled", bool, True)
        if not name:
            raise MISSING_FIELD.joined("name")
        if not upstream:
            raise MISSING_FIELD.joined("upstream")
        proxy = Proxy(name, listen, upstream)
        await self.collection.add(proxy, enabled)
        return Response.json(201, proxy.to_json())

    async def populate(self, body):
        data = _decode_object(body)
        if not isinstance(data, list):
            raise BAD_REQUEST_BODY.joined("json: expected an array of proxies")
        requested = []
        # Validate everything before changing anything, as upstream does.
        for index, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise BAD_REQUEST_BODY.joined(f"json: proxy {index} is not an object")
            name = _field(item, "name", str, "")
            upstream = _field(item, "upstream", str, "")
            if not name:
                raise MISSING_FIELD.joined(f"name at proxy {index}")
            if not upstream:
                raise MISSING_FIELD.joined(f"upstream at proxy {index}")
            requested.append((Proxy(name, _field(item, "listen", str, ""), upstream),
                              _field(item, "enabled", bool, True)))
        created = []
        for proxy, enabled in requested:
            try:
                created.append(await self.collection.add_or_replace(proxy, enabled))
            except OSError as error:
                return Response.json(500, {"error": str(error), "status": 500,
                                           "proxies": [p.to_json() for p in created]})
        return Response.json(201, {"proxies": [p.to_json() for p in created]})

    async def proxy_show(self, body, name):
        return Response.json(200, self.collection.get(name).to_json())

    async def proxy_update(self, body, name):
        proxy = self.collection.get(name)
        data = _decode_object(body)
        if not isinstance(data, dict):
            raise BAD_REQUEST_BODY.joined("json: expected an object")
        listen = _field(data, "listen", str, proxy.listen)
        upstream = _field(data, "upstream", str, proxy.upstream)
        enabled = _field(data, "enabled", bool, proxy.enabled)
        if not same_address(proxy.listen, listen) or upstream != proxy.upstream:
            # A new address means new connections: stop (closing the current ones) and
            # start again below if the proxy is to stay enabled.
            await proxy.stop()
            proxy.listen = listen
            proxy.upstream = upstream
        if enabled and not proxy.enabled:
            await proxy.start()
        elif not enabled and proxy.enabled:
            await proxy.stop()
        return Response.json(200, proxy.to_json())

    async def proxy_delete(self, body, name):
        await self.collection.remove(name)
        return Response(204)

    # --- toxics ---

    async def toxic_index(self, body, name):
        proxy = self.collection.get(name)
        return Response.json(200, [spec.to_json() for spec in proxy.toxics.all()])

    async def toxic_create(self, body, name):
        proxy = self.collection.get(name)
        data = _decode_object(body)
        if not isinstance(data, dict):
            raise BAD_REQUEST_BODY.joined("json: expected an object")
        stream = _field(data, "stream", str, DOWNSTREAM) or DOWNSTREAM
        if stream not in (UPSTREAM, DOWNSTREAM):
            raise INVALID_STREAM
        type_name = _field(data, "type", str, "")
        toxic_name = _field(data, "name", str, "") or f"{type_name}_{stream}"
        if type_name not in TYPES:
            raise INVALID_TOXIC_TYPE
        toxicity = _field(data, "toxicity", float, 1.0)
        attributes = dict(TYPES[type_name].ATTRIBUTES)
        attributes.update(_attributes(data.get("attributes"), type_name))
        spec = ToxicSpec(toxic_name, type_name, stream, toxicity, attributes)
        proxy.toxics.add(spec)
        return Response.json(200, spec.to_json())

    async def toxic_show(self, body, name, toxic_name):
        spec = self.collection.get(name).toxics.find(toxic_name)
        if spec is None:
            raise TOXIC_NOT_FOUND
        return Response.json(200, spec.to_json())

    async def toxic_update(self, body, name, toxic_name):
        proxy = self.collection.get(name)
        spec = proxy.toxics.find(toxic_name)
        if spec is None:
            raise TOXIC_NOT_FOUND
        data = _decode_object(body)
        if not isinstance(data, dict):
            raise BAD_REQUEST_BODY.joined("json: expected an object")
        attributes = _attributes(data.get("attributes"), spec.type_name)
        toxicity = _field(data, "toxicity", float, spec.toxicity)
        updated = proxy.toxics.update(toxic_name, attributes, toxicity)
        return Response.json(200, updated.to_json())

    async def toxic_delete(self, body, name, toxic_name):
        self.collection.get(name).toxics.remove(toxic_name)
        return Response(204)


# --- HTTP/1.1 plumbing ---

REASONS = {200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 403: "Forbidden",
           404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 413: "Payload Too Large",
           500: "Internal Server Error"}


class BadHttp(Exception):
    pass


async def _read_request(reader):
    """Returns (method, target, version, headers, body), or None when the client closed."""
    line = await reader.readline()
    if not line:
        return None
    parts = line.decode("latin-1").strip().split()
    if len(parts) != 3:
        raise BadHttp("malformed request line")
    method, target, version = parts
    headers = {}
    while True:
        line = await reader.readline()
        if not line:
            raise BadHttp("connection closed in headers")
        line = line.decode("latin-1").rstrip("\r\n")
        if not line:
            break
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    return method, target, version, headers, await _read_body(reader, headers)


async def _read_body(reader, headers):
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = bytearray()
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while (await reader.readline()).strip():  # trailers
                    pass
                return bytes(body)
            body += await reader.readexactly(size)
            await reader.readexactly(2)
            if len(body) > MAX_BODY_BYTES:
                raise BadHttp("body too large")
    length = int(headers.get("content-length", "0") or "0")
    if length > MAX_BODY_BYTES:
        raise BadHttp("body too large")
    return await reader.readexactly(length) if length else b""


def _keep_alive(version, headers):
    connection = headers.get("connection", "").lower()
    if version == "HTTP/1.0":
        return connection == "keep-alive"
    return connection != "close"


async def serve_http(api, reader, writer):
    try:
        while True:
            request = await _read_request(reader)
            if request is None:
                break
            method, target, version, headers, body = request
            response = await api.dispatch(method, target, headers, body)
            keep_alive = _keep_alive(version, headers)
            head = [f"HTTP/1.1 {response.status} {REASONS.get(response.status, '')}"]
            if response.status != 204:
                head.append(f"Content-Type: {response.content_type}")
                head.append(f"Content-Length: {len(response.body)}")
            if response.content_type.startswith("text/plain") and response.status >= 400:
                head.append("X-Content-Type-Options: nosniff")
            head.append("Connection: keep-alive" if keep_alive else "Connection: close")
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + response.body)
            await writer.drain()
            log.debug("%s %s -> %d", method, target, response.status)
            if not keep_alive:
                break
    except (BadHttp, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
        log.debug("bad HTTP request: %s", error)
        try:
            writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        except OSError:
            pass
    except OSError:
        pass
    finally:
        writer.close()
