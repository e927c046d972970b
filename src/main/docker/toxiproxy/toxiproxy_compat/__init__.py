"""A Toxiproxy 2.x compatible server (HTTP API and the common toxics), in Python 3 asyncio.

Written for machines where no Toxiproxy image or binary can be had; see docs/toxiproxy.md.
"""

# Upstream's API version this server follows, marked so a client can tell the two apart.
__version__ = "2.12.0-pgcert-compat"
