"""An Elasticsearch connection through libcurl (pycurl): ``CurlHttpNode``.

elastic-transport's default node sends each request through urllib3 and the standard
library's ``http.client``, which parses every response's status line and headers in Python
(``email.parser``). Measured on the benchmark's search bodies (benchmarks/search.py), one
search costs the calling process ~1.0 ms of CPU through urllib3 and ~0.5 ms through pycurl,
with the same request and response bytes; that is most of what the API spends on
Elasticsearch per search. So the API's client (``indexer.clients.elasticsearch_client(...,
fast=True)``) uses this node for plain-HTTP nodes; everything above the node (the
``Elasticsearch`` methods, retries, dead-node handling, serializers, ``ApiError``) is
elasticsearch-py's own.

A node keeps a free list of curl handles, one per request in flight (a handle is not
thread-safe), each with its own keep-alive connection; at most ``connections_per_node`` are
kept. Errors map onto elastic-transport's: a timeout is ``ConnectionTimeout``, any other
failure to get a response ``ConnectionError``; a handle that failed is closed, never reused.
TLS is not handled here: an ``https`` node keeps elastic-transport's urllib3 node.

Each request's debug line (the whole request and response, decoded) is built only when that
logger writes DEBUG. elastic-transport builds it whenever its logger has a handler, and the
logging configuration makes it propagate to the root's (api/gunicorn_conf.py configures
``elastic_transport``, and ``dictConfig`` resets its children): ~3 % of the API's CPU per
search went to lines that were then dropped.
"""

from __future__ import annotations

import gzip
import logging
import threading
import time
from io import BytesIO

import pycurl
from elastic_transport import ApiResponseMeta, BaseNode, ConnectionTimeout, HttpHeaders, NodeConfig
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport._node._base import NodeApiResponse
from elastic_transport.client_utils import DEFAULT, client_meta_version

TIMED_OUT = pycurl.E_OPERATION_TIMEDOUT
# Without "Expect:" libcurl asks for "100 Continue" before a body over 1 KB: a round trip more.
_NO_EXPECT = "Expect:"
_HTTP_VERSIONS = {pycurl.CURL_HTTP_VERSION_1_0: "1.0", pycurl.CURL_HTTP_VERSION_1_1: "1.1"}
_request_log = logging.getLogger("elastic_transport.node")   # BaseNode._log_request's logger


class CurlHttpNode(BaseNode):
    """elastic-transport node over libcurl, for ``http://`` nodes."""

    _CLIENT_META_HTTP_CLIENT = ("cu", client_meta_version(pycurl.version_info()[1]))

    def __init__(self, config: NodeConfig):
        if config.scheme != "http":
            raise ValueError(f"CurlHttpNode speaks plain HTTP only, not {config.scheme!r}")
        super().__init__(config)
        self._free: list[pycurl.Curl] = []
        self._lock = threading.Lock()
        self._max_free = max(1, config.connections_per_node)
        self._timeout = config.request_timeout

    # --- handles ------------------------------------------------------------------------------

    def _take(self) -> pycurl.Curl:
        with self._lock:
            if self._free:
                return self._free.pop()
        return pycurl.Curl()

    def _give_back(self, handle: pycurl.Curl) -> None:
        with self._lock:
            if len(self._free) < self._max_free:
                self._free.append(handle)
                return
        handle.close()

    def close(self) -> None:
        with self._lock:
            handles, self._free = self._free, []
        for handle in handles:
            handle.close()

    def _log_request(self, **request) -> None:
        """elastic-transport's debug line of a request, built only when DEBUG is written."""
        if _request_log.isEnabledFor(logging.DEBUG):
            super()._log_request(**request)

    # --- requests -----------------------------------------------------------------------------

    def perform_request(self, method, target, body=None, headers=None,
                        request_timeout=DEFAULT) -> NodeApiResponse:
        url = f"{self.base_url}{target}"
        request_headers = self._headers.copy()
        if headers:
            request_headers.update(headers)
        if body and self._http_compress:
            body = gzip.compress(body)
            request_headers["content-encoding"] = "gzip"
        timeout = self._timeout if request_timeout is DEFAULT else request_timeout
        sent_headers = [f"{name}: {value}" for name, value in request_headers.items()]
        sent_headers.append(_NO_EXPECT)

        handle, data, header_lines = self._take(), BytesIO(), []
        start = time.time()
        try:
            _prepare(handle, method, url, body, sent_headers, timeout, self._http_compress)
            handle.setopt(pycurl.WRITEDATA, data)
            handle.setopt(pycurl.HEADERFUNCTION, header_lines.append)
            handle.perform()
            status = handle.getinfo(pycurl.RESPONSE_CODE)
            version = handle.getinfo(pycurl.INFO_HTTP_VERSION)
        except pycurl.error as exc:
            handle.close()
            code, message = exc.args[0], exc.args[1] if len(exc.args) > 1 else str(exc)
            if code == TIMED_OUT:
                err = ConnectionTimeout("Connection timed out during request", errors=(exc,))
            else:
                err = TransportConnectionError(f"{message} (curl error {code})", errors=(exc,))
            self._log_request(method=method, target=target, headers=request_headers,
                              body=body, exception=err)
            raise err from exc
        self._give_back(handle)

        meta = ApiResponseMeta(node=self.config, duration=time.time() - start,
                               http_version=_HTTP_VERSIONS.get(version, "1.1"), status=status,
                               headers=response_headers(header_lines))
        payload = data.getvalue()
        self._log_request(method=method, target=target, headers=request_headers, body=body,
                          meta=meta, response=payload)
        return NodeApiResponse(meta, payload)


def _prepare(handle: pycurl.Curl, method: str, url: str, body: bytes | None,
             headers: list[str], timeout: float | None, compressed: bool) -> None:
    """Set every option a request uses (a reused handle keeps its connection, not its options)."""
    handle.reset()
    handle.setopt(pycurl.URL, url)
    handle.setopt(pycurl.HTTPHEADER, headers)
    handle.setopt(pycurl.NOSIGNAL, 1)            # timeouts without SIGALRM: thread-safe
    if timeout:
        handle.setopt(pycurl.TIMEOUT_MS, max(1, int(timeout * 1000)))
    if compressed:
        handle.setopt(pycurl.ACCEPT_ENCODING, "gzip")   # libcurl inflates the response
    if method == "HEAD":
        handle.setopt(pycurl.NOBODY, 1)
    elif body is not None:
        handle.setopt(pycurl.POSTFIELDS, body)       # keeps a reference; sets the length
        if method != "POST":
            handle.setopt(pycurl.CUSTOMREQUEST, method)
    elif method != "GET":
        handle.setopt(pycurl.CUSTOMREQUEST, method)


def response_headers(lines: list[bytes]) -> HttpHeaders:
    """The headers of the last response in ``lines`` (libcurl passes each header line, the
    status lines included, of every response it read: a ``100 Continue`` comes first)."""
    headers = HttpHeaders()
    for raw in lines:
        line = raw.decode("latin-1").rstrip("\r\n")
        if line.startswith("HTTP/"):
            headers = HttpHeaders()
            continue
        name, sep, value = line.partition(":")
        if sep:
            name, value = name.strip(), value.strip()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers
