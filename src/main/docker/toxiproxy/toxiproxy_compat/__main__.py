"""Entry point: `python3 -m toxiproxy_compat -host=0.0.0.0 -port=8474 [-config=FILE] [-seed=N]`.

The flags are upstream toxiproxy-server's (Go style, one dash), so the image can be started
with the same command line as the upstream image.
"""

import argparse
import asyncio
import functools
import logging
import random
import signal
import sys

from .api import Api, serve_http
from .proxy import ProxyCollection


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="toxiproxy-server")
    parser.add_argument("-host", "--host", default="localhost", help="host for the API to listen on")
    parser.add_argument("-port", "--port", default="8474", help="port for the API to listen on")
    parser.add_argument("-config", "--config", default="", help="JSON file with proxies to create at start")
    parser.add_argument("-seed", "--seed", type=int, default=None, help="seed for the toxicity and jitter randomness")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each API request")
    # Accepted for command-line compatibility with upstream; metrics are not implemented.
    parser.add_argument("-proxy-metrics", "--proxy-metrics", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("-runtime-metrics", "--runtime-metrics", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


async def populate_from_file(api, path):
    with open(path, "rb") as file:
        response = await api.populate(file.read())
    logging.getLogger("toxiproxy").info("Populated proxies from %s: HTTP %d", path, response.status)


async def main(args):
    log = logging.getLogger("toxiproxy")
    api = Api(ProxyCollection())
    if args.config:
        await populate_from_file(api, args.config)
    server = await asyncio.start_server(functools.partial(serve_http, api), args.host, int(args.port))
    log.info("API HTTP server starting host=%s port=%s version=%s", args.host, args.port,
             __import__("toxiproxy_compat").__version__)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # As PID 1 in a container the process has no default SIGTERM action: handle it, so
    # `docker stop` ends it at once instead of after the stop timeout.
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()
    log.info("Shutting down")


if __name__ == "__main__":
    arguments = parse_args(sys.argv[1:])
    logging.basicConfig(level=logging.DEBUG if arguments.verbose else logging.INFO, stream=sys.stdout,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if arguments.seed is not None:
        random.seed(arguments.seed)
    asyncio.run(main(arguments))
