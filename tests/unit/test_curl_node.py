"""CurlHttpNode (indexer/curl_node.py) against a real local HTTP server: what it sends,
what it returns, and how it fails. Elasticsearch itself: tests/integration/test_curl_client.py."""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from elastic_transport import BaseNode, ConnectionTimeout, HttpHeaders, NodeConfig
from elastic_transport import ConnectionError as TransportConnectionError

from indexer.clients import elasticsearch_client, fast_options
from indexer.curl_node import CurlHttpNode, response_headers
from indexer.settings import Settings


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"          # keep-alive, as Elasticsearch answers
    seen: list[dict] = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.seen.append({"method": self.command, "path": self.path, "body": body,
                          "headers": dict(self.headers), "port": self.client_address[1]})
        if self.path.startswith("/slow"):
            time.sleep(1.0)
        status = 404 if self.path.startswith("/missing") else 200
        payload = b"" if self.command == "HEAD" else b'{"ok":true}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Warning", "one")
        self.send_header("Warning", "two")
        self.send_header("Content-Length", str(len(payload) if payload else 11))
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A client that went away is no error here: the timeout test's client hangs up
        before ``/slow`` answers, and the late answer then hits a closed socket (which
        printed "Exception occurred during processing of request" now and then)."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="module")
def server():
    httpd = Server(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def node(server):
    Recorder.seen.clear()
    node = CurlHttpNode(NodeConfig("http", "127.0.0.1", server, request_timeout=5))
    yield node
    node.close()


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_sends_method_path_body_and_headers(node, method):
    body = b'{"query":{"match_all":{}}}' * 100          # over 1 KB: no "Expect: 100-continue"
    response = node.perform_request(method, "/idx/_search?x=1", body=body,
                                    headers=HttpHeaders({"content-type": "application/json"}))
    [seen] = Recorder.seen
    assert (seen["method"], seen["path"], seen["body"]) == (method, "/idx/_search?x=1", body)
    assert seen["headers"]["content-type"] == "application/json"
    assert "Expect" not in seen["headers"]
    assert response.meta.status == 200 and response.body == b'{"ok":true}'
    assert response.meta.headers["x-elastic-product"] == "Elasticsearch"
    assert response.meta.headers["warning"] == "one, two"
    assert response.meta.http_version == "1.1"


def test_get_without_body_and_head(node):
    node.perform_request("GET", "/a")
    head = node.perform_request("HEAD", "/b")
    assert [(s["method"], s["body"]) for s in Recorder.seen] == [("GET", b""), ("HEAD", b"")]
    assert head.meta.status == 200 and head.body == b""


def test_an_error_status_is_returned_not_raised(node):
    response = node.perform_request("GET", "/missing")
    assert response.meta.status == 404


def test_the_request_debug_line_is_built_only_when_debug_is_written(node, caplog, monkeypatch):
    request_log = logging.getLogger("elastic_transport.node")
    built = []
    real = BaseNode._log_request                  # builds the line
    monkeypatch.setattr(BaseNode, "_log_request",
                        lambda self, **kw: (built.append(kw["target"]), real(self, **kw)))
    with caplog.at_level(logging.WARNING):   # the root has a handler, as in the API
        node.perform_request("POST", "/idx/_search", body=b'{"size":1}')
    assert built == []
    with caplog.at_level(logging.DEBUG, logger=request_log.name):
        node.perform_request("POST", "/idx/_search", body=b'{"size":2}')
    assert built == ["/idx/_search"]
    [line] = [r.getMessage() for r in caplog.records if r.name == "elastic_transport.node"]
    assert "> POST /idx/_search HTTP/1.1" in line and '{"size":2}' in line
    assert "< HTTP/1.1 200" in line


def test_connections_are_kept_alive(node):
    for _ in range(3):
        node.perform_request("GET", "/a")
    assert len({seen["port"] for seen in Recorder.seen}) == 1


def test_concurrent_requests_use_separate_handles(node):
    errors = []

    def call():
        try:
            for _ in range(20):
                assert node.perform_request("POST", "/a", body=b"{}").meta.status == 200
        except Exception as exc:       # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(Recorder.seen) == 120


def test_a_timeout_is_connection_timeout(node):
    with pytest.raises(ConnectionTimeout):
        node.perform_request("GET", "/slow", request_timeout=0.2)
    assert node.perform_request("GET", "/a").meta.status == 200   # the next request works


def test_nothing_listening_is_connection_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]          # closed again: nobody listens there
    node = CurlHttpNode(NodeConfig("http", "127.0.0.1", port, request_timeout=2))
    with pytest.raises(TransportConnectionError):
        node.perform_request("GET", "/")


def test_https_is_left_to_the_default_node():
    with pytest.raises(ValueError):
        CurlHttpNode(NodeConfig("https", "example.org", 443))
    assert "node_class" not in fast_options("https://example.org:9200")
    assert fast_options("http://127.0.0.1:9200")["node_class"] is CurlHttpNode


def test_headers_of_the_last_response_only():
    lines = [b"HTTP/1.1 100 Continue\r\n", b"\r\n", b"HTTP/1.1 200 OK\r\n",
             b"Content-Type: application/json\r\n", b"Warning: a\r\n", b"warning: b\r\n", b"\r\n"]
    headers = response_headers(lines)
    assert dict(headers) == {"content-type": "application/json", "warning": "a, b"}


def test_the_api_client_uses_it_through_elasticsearch_py(server):
    Recorder.seen.clear()
    settings = Settings(es_url=f"http://127.0.0.1:{server}")
    client = elasticsearch_client(settings, fast=True)
    with pytest.warns(Warning, match="one, two"):        # the node's headers reach the client
        assert client.search(index="idx", query={"match_all": {}}).body == {"ok": True}
    assert Recorder.seen[0]["body"] == b'{"query":{"match_all":{}}}'
    assert not isinstance(elasticsearch_client(settings).transport.node_pool.all()[0],
                          CurlHttpNode)
