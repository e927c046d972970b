"""Self test of the Toxiproxy-compatible server without Docker: `python3 src/test/python/toxiproxy_selftest.py`.

Starts the server from src/main/docker/toxiproxy on loopback, an echo server and a byte source
in this process, and checks the API and the toxics end to end. The Docker contract test
(ToxiproxyContractIT) covers the same ground through the image and the Java client.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER_DIR = os.path.join(HERE, "..", "..", "main", "docker", "toxiproxy")
API = None  # set once the server runs


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(handler):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)

    def accept_loop():
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=handler, args=(conn,), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    return listener.getsockname()[1]


def echo(conn):
    with conn:
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            conn.sendall(data)


def source(conn):
    block = b"x" * 65536
    with conn:
        try:
            while True:
                conn.sendall(block)
        except OSError:
            return


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data=data, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text.strip() else None)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "null")


class ToxiproxyCompatSelfTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        global API
        port = free_port()
        API = f"http://127.0.0.1:{port}"
        cls.server = subprocess.Popen([sys.executable, "-B", "-m", "toxiproxy_compat", "-host=127.0.0.1",
                                       f"-port={port}", "-seed=1"], cwd=SERVER_DIR)
        deadline = time.time() + 10
        while True:
            if cls.server.poll() is not None:
                raise RuntimeError(f"server exited with {cls.server.returncode}")
            try:
                call("GET", "/version")
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        cls.echo_port = serve(echo)
        cls.source_port = serve(source)

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.server.wait(5)

    def setUp(self):
        for name in list(call("GET", "/proxies")[1]):
            call("DELETE", f"/proxies/{name}")
        self.port = free_port()
        status, _ = call("POST", "/proxies", {"name": "echo", "listen": f"127.0.0.1:{self.port}",
                                              "upstream": f"127.0.0.1:{self.echo_port}"})
        self.assertEqual(201, status)

    def connect(self, port=None):
        conn = socket.create_connection(("127.0.0.1", port or self.port), timeout=5)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def round_trip(self, conn, payload=b"ping"):
        start = time.monotonic()
        conn.sendall(payload)
        received = b""
        while len(received) < len(payload):
            data = conn.recv(65536)
            if not data:
                raise ConnectionError("closed")
            received += data
        self.assertEqual(payload, received)
        return time.monotonic() - start

    def test_api_shapes(self):
        status, proxy = call("GET", "/proxies/echo")
        self.assertEqual((200, True, []), (status, proxy["enabled"], proxy["toxics"]))
        self.assertEqual(409, call("POST", "/proxies", {"name": "echo", "upstream": "x:1"})[0])
        self.assertEqual(400, call("POST", "/proxies", {"name": "x"})[0])
        self.assertEqual(404, call("GET", "/proxies/nope")[0])
        status, toxic = call("POST", "/proxies/echo/toxics", {"type": "latency", "attributes": {"latency": 5}})
        self.assertEqual(200, status)
        self.assertEqual({"attributes": {"latency": 5, "jitter": 0}, "name": "latency_downstream",
                          "type": "latency", "stream": "downstream", "toxicity": 1}, toxic)
        self.assertEqual(409, call("POST", "/proxies/echo/toxics", {"type": "latency"})[0])
        self.assertEqual(400, call("POST", "/proxies/echo/toxics", {"type": "nope"})[0])
        self.assertEqual(400, call("POST", "/proxies/echo/toxics", {"type": "latency", "stream": "x"})[0])
        status, toxic = call("POST", "/proxies/echo/toxics/latency_downstream", {"attributes": {"jitter": 2}})
        self.assertEqual((200, {"latency": 5, "jitter": 2}), (status, toxic["attributes"]))
        self.assertEqual(204, call("DELETE", "/proxies/echo/toxics/latency_downstream")[0])
        self.assertEqual(404, call("DELETE", "/proxies/echo/toxics/latency_downstream")[0])
        status, body = call("POST", "/populate", [{"name": "p2", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:1"}])
        self.assertEqual(201, status)
        self.assertEqual("p2", body["proxies"][0]["name"])

    def test_latency_is_added_and_streaming_keeps_throughput(self):
        conn = self.connect()
        base = min(self.round_trip(conn) for _ in range(5))
        call("POST", "/proxies/echo/toxics", {"type": "latency", "attributes": {"latency": 200}})
        delayed = [self.round_trip(conn) for _ in range(3)]
        self.assertTrue(all(d >= 0.2 for d in delayed), delayed)
        self.assertTrue(all(d < 0.2 + base + 0.1 for d in delayed), delayed)
        # 40 sends of 1 KiB, 10 ms apart, then read all: a pipeline takes ~0.4 s + 0.2 s, not 40 x 0.2 s.
        start = time.monotonic()
        for _ in range(40):
            conn.sendall(b"y" * 1024)
            time.sleep(0.01)
        received = 0
        while received < 40 * 1024:
            received += len(conn.recv(65536))
        self.assertLess(time.monotonic() - start, 1.5)
        conn.close()

    def test_toxic_on_live_connection_is_removed_without_losing_bytes(self):
        conn = self.connect()
        call("POST", "/proxies/echo/toxics", {"type": "latency", "attributes": {"latency": 300}})
        payload = bytes(range(256)) * 400
        conn.sendall(payload)
        time.sleep(0.1)
        call("DELETE", "/proxies/echo/toxics/latency_downstream")
        received = b""
        while len(received) < len(payload):
            received += conn.recv(65536)
        self.assertEqual(payload, received)

    def test_bandwidth(self):
        port = free_port()
        call("POST", "/proxies", {"name": "src", "listen": f"127.0.0.1:{port}", "upstream": f"127.0.0.1:{self.source_port}"})
        call("POST", "/proxies/src/toxics", {"type": "bandwidth", "attributes": {"rate": 500}})
        conn = self.connect(port)
        start, received = time.monotonic(), 0
        while time.monotonic() - start < 2.0:
            received += len(conn.recv(65536))
        rate = received / (time.monotonic() - start)
        print(f"bandwidth 500 KB/s measured {rate / 1000:.0f} KB/s", file=sys.stderr)
        self.assertTrue(400_000 < rate < 600_000, rate)

    def test_timeout_limit_reset_disable(self):
        call("POST", "/proxies/echo/toxics", {"type": "timeout", "attributes": {"timeout": 300}})
        conn = self.connect()
        conn.sendall(b"lost")
        start = time.monotonic()
        self.assertEqual(b"", conn.recv(10))  # closed after the timeout, nothing delivered
        self.assertGreater(time.monotonic() - start, 0.25)
        call("DELETE", "/proxies/echo/toxics/timeout_downstream")

        call("POST", "/proxies/echo/toxics", {"type": "limit_data", "attributes": {"bytes": 10}})
        conn = self.connect()
        conn.sendall(b"0123456789abcdef")
        received = b""
        while True:
            data = conn.recv(100)
            if not data:
                break
            received += data
        self.assertEqual(b"0123456789", received)
        call("DELETE", "/proxies/echo/toxics/limit_data_downstream")

        call("POST", "/proxies/echo/toxics", {"type": "reset_peer", "attributes": {"timeout": 0}})
        conn = self.connect()
        conn.sendall(b"boom")
        with self.assertRaises(ConnectionResetError):
            conn.recv(10)
        call("POST", "/reset")

        conn = self.connect()
        self.round_trip(conn)
        call("POST", "/proxies/echo", {"enabled": False})
        self.assertIn(conn.recv(10), (b"",))
        with self.assertRaises(ConnectionRefusedError):
            self.connect()
        call("POST", "/reset")
        self.round_trip(self.connect())

    def test_slicer_and_toxicity_zero(self):
        call("POST", "/proxies/echo/toxics", {"type": "slicer", "attributes": {"average_size": 100, "size_variation": 50, "delay": 100}})
        conn = self.connect()
        payload = os.urandom(200_000)
        threading.Thread(target=conn.sendall, args=(payload,), daemon=True).start()
        received = b""
        while len(received) < len(payload):
            received += conn.recv(65536)
        self.assertEqual(payload, received)
        call("POST", "/reset")
        call("POST", "/proxies/echo/toxics", {"type": "timeout", "toxicity": 0, "attributes": {"timeout": 0}})
        self.round_trip(self.connect())


if __name__ == "__main__":
    unittest.main(verbosity=2)
