"""The Python client (newsarchive_client): parameters, errors, retries and the export's
completeness check. The HTTP side is a scripted local server (the real API is in
tests/integration/test_python_client.py): it answers each request with the next of its
scripted answers, so waiting out a 429 and a stream cut short can be played exactly."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading

import pytest

from newsarchive_client import (
    ApiError,
    BadRequest,
    Client,
    IncompleteExport,
    NotFound,
    RateLimited,
    Unavailable,
    query_params,
)
from newsarchive_client import client as client_module
from newsarchive_client.errors import from_answer


class Scripted(http.server.ThreadingHTTPServer):
    """Answers requests with ``answers`` in order: (status, headers, body chunks, complete);
    an incomplete chunked answer ends without its final chunk (the connection is closed)."""

    def __init__(self, answers):
        super().__init__(("127.0.0.1", 0), Handler)
        self.answers, self.requests = list(answers), []


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (http.server's name)
        self._answer()

    def do_POST(self):  # noqa: N802
        self._answer()

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.requests.append((self.command, self.path, dict(self.headers),
                                     self.rfile.read(length)))
        status, headers, chunks, complete = self.server.answers.pop(0)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in chunks:
            data = chunk.encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        if complete:
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.flush()
            self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    servers = []

    def start(*answers):
        server = Scripted(answers)
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        servers.append(server)
        return server, Client(f"http://127.0.0.1:{server.server_address[1]}", api_key="k1",
                              timeout=5, max_wait=5)
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    slept = []
    monkeypatch.setattr(client_module.time, "sleep", slept.append)
    return slept


def ok(body, headers=None):
    return (200, {"Content-Type": "application/json", **(headers or {})}, [json.dumps(body)], True)


def error(status, code, message, headers=None, details=None):
    return (status, {"Content-Type": "application/json", **(headers or {})},
            [json.dumps({"error": {"status": status, "code": code, "message": message,
                                   "details": details}})], True)


def test_parameters_repeat_lists_join_comma_lists_and_drop_none():
    assert query_params({"q": "Kim", "person": ["Kim Jong Un", "Wladimir Putin"],
                         "facets": ["persons", "published"], "published_from": dt.date(2023, 8, 1),
                         "outlet": None, "size": 5, "flag": True}) == [
        ("q", "Kim"), ("person", "Kim Jong Un"), ("person", "Wladimir Putin"),
        ("facets", "persons,published"), ("published_from", "2023-08-01"), ("size", "5"),
        ("flag", "true")]
    assert query_params({"facets": "persons,outlets"}) == [("facets", "persons,outlets")]


def test_an_error_envelope_becomes_its_exception():
    error_ = from_answer(400, {"X-Request-ID": "r1"}, json.dumps({"error": {
        "status": 400, "code": "validation_error", "message": "Invalid request: persn: ...",
        "details": {"fields": {"persn": ["Unknown field; did you mean 'person'?"]}}}}).encode())
    assert isinstance(error_, BadRequest)
    assert (error_.status, error_.code, error_.request_id) == (400, "validation_error", "r1")
    assert error_.details["fields"]["persn"] == ["Unknown field; did you mean 'person'?"]
    assert str(error_) == "400 validation_error: Invalid request: persn: ..."
    proxy = from_answer(502, {}, b"<html>Bad Gateway</html>")
    assert type(proxy) is ApiError and proxy.code == "http_502"
    assert proxy.message == "<html>Bad Gateway</html>"
    limited = from_answer(429, {"Retry-After": "7"}, b"{}")
    assert isinstance(limited, RateLimited) and limited.retry_after == 7.0


def test_search_sends_the_key_and_the_parameters(serve):
    server, api = serve(ok({"total": 0, "results": [], "facets": {}, "next_cursor": None}))
    assert api.search("Kim", person=["A", "B"], facets=["persons"])["total"] == 0
    method, path, headers, _ = server.requests[0]
    assert (method, path) == ("GET", "/v1/search?q=Kim&person=A&person=B&facets=persons")
    assert headers["Authorization"] == "Bearer k1"


def test_a_429_is_waited_out_for_its_retry_after_then_sent_again(serve, no_sleep):
    server, api = serve(error(429, "rate_limited", "Over the limit", {"Retry-After": "3"}),
                        error(503, "unavailable", "ES down", {"Retry-After": "2"}),
                        ok({"status": "ok"}))
    assert api.health() == {"status": "ok"}
    assert no_sleep == [3.0, 2.0] and len(server.requests) == 3


def test_a_wait_longer_than_max_wait_or_the_last_retry_raises(serve, no_sleep):
    _, api = serve(error(429, "rate_limited", "Over the limit", {"Retry-After": "60"}))
    with pytest.raises(RateLimited) as caught:
        api.health()
    assert caught.value.retry_after == 60.0 and no_sleep == []
    _, api = serve(*[error(503, "unavailable", "down", {"Retry-After": "1"})] * 4)
    with pytest.raises(Unavailable):
        api.health()
    assert no_sleep == [1.0, 1.0, 1.0]


def test_other_errors_are_not_sent_again(serve):
    server, api = serve(error(404, "not_found", "No article with id 'x'."))
    with pytest.raises(NotFound, match="No article with id 'x'"):
        api.article("x")
    assert len(server.requests) == 1


def test_search_all_follows_the_cursor_to_the_last_page(serve):
    server, api = serve(
        ok({"total": 3, "results": [{"id": "a"}, {"id": "b"}], "facets": {}, "next_cursor": "c1"}),
        ok({"total": 3, "results": [{"id": "c"}], "facets": {}, "next_cursor": None}))
    assert [r["id"] for r in api.search_all("Kim", size=2)] == ["a", "b", "c"]
    assert [r[1] for r in server.requests] == ["/v1/search?q=Kim&size=2",
                                               "/v1/search?q=Kim&size=2&cursor=c1"]


def test_submit_many_sends_batches_of_ndjson(serve):
    server, api = serve(ok({"job_id": "j1"}), ok({"job_id": "j2"}))
    articles = [{"text": f"Text {n} über Pjöngjang", "external_id": str(n)} for n in range(3)]
    assert api.submit_many(articles, batch_size=2) == ["j1", "j2"]
    bodies = [r[3].decode().splitlines() for r in server.requests]
    assert [len(b) for b in bodies] == [2, 1]
    assert json.loads(bodies[1][0])["text"] == "Text 2 über Pjöngjang"
    assert server.requests[0][2]["Content-Type"] == "application/x-ndjson"


def test_a_complete_export_yields_every_row(serve, tmp_path):
    rows = ['{"id": "a", "body": "Zeile 1\\nZeile 2"}\n', '{"id": "b"}\n']
    csv_text = ['id,body\r\n', 'a,"Zeile 1\nZeile 2"\r\n', 'b,\r\n']
    _, api = serve((200, {"X-Total-Count": "2"}, rows, True),
                   (200, {"X-Total-Count": "2"}, csv_text, True))
    stream = api.export("Kim")
    assert [row["id"] for row in stream] == ["a", "b"] and stream.total == 2
    assert api.save_export(tmp_path / "out.csv", "Kim") == 2
    assert (tmp_path / "out.csv").read_bytes().decode("utf-8") == "".join(csv_text)


def test_an_excel_export_reads_past_its_byte_order_mark_and_keeps_it(serve, tmp_path):
    excel = ['\ufeffid;title\r\n', "a;'+++ Öl +++\r\n", 'b;"x;y"\r\n']
    _, api = serve((200, {"X-Total-Count": "2"}, excel, True),
                   (200, {"X-Total-Count": "2"}, excel, True))
    assert list(api.export("Kim", format="excel")) == [{"id": "a", "title": "'+++ Öl +++"},
                                                       {"id": "b", "title": "x;y"}]
    assert api.save_export(tmp_path / "out.csv", "Kim", format="excel") == 2
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbfid;title\r\n")


@pytest.mark.parametrize("chunks, complete", [
    (['{"id": "a"}\n', '{"id": "b"'], False),     # cut in the middle of a row
    (['{"id": "a"}\n'], False),                   # cut between rows: no final chunk
    (['{"id": "a"}\n'], True),                    # complete stream, a row short of the total
])
def test_an_export_cut_short_raises_and_leaves_no_file(serve, tmp_path, chunks, complete):
    _, api = serve((200, {"X-Total-Count": "2"}, chunks, complete),
                   (200, {"X-Total-Count": "2"}, chunks, complete))
    with pytest.raises(IncompleteExport) as caught:
        list(api.export("Kim"))
    assert (caught.value.received, caught.value.expected) == (1, 2)
    with pytest.raises(IncompleteExport):
        api.save_export(tmp_path / "out.ndjson", "Kim", format="ndjson")
    assert list(tmp_path.iterdir()) == []
