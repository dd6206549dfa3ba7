"""The NER service client (indexer/enrich/ner_service.py): wire format, label runs, and how it
fails, against a local HTTP server. The real service: tests/integration/test_ner_service.py."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.enrich import ner_service
from indexer.enrich.ner_service import NerUnavailable, decode, encode, entity_runs


def test_encode_one_token_per_line_and_a_blank_line_after_each_sentence():
    assert encode([["Kim", "Jong", "Un"], ["Putin", "."]]) == b"Kim\nJong\nUn\n\nPutin\n.\n\n"
    assert encode([["a b", "", "\u2028"]]) == b"a_b\n_\n_\n\n"   # no token holds a line break
    assert encode([]) == b""


@given(st.lists(st.lists(st.text(min_size=0, max_size=8), min_size=1, max_size=6), max_size=5))
def test_every_token_is_one_line(sentences):
    lines = encode(sentences).decode("utf-8").split("\n")
    assert len(lines) == sum(len(s) + 1 for s in sentences) + 1   # after the final break


def test_decode_keeps_the_shape_and_skips_empty_sentences():
    assert decode(b"I-PER\nO\n\nO\n\n", [["Kim", "sagt"], [], ["ja"]]) == [["I-PER", "O"], [], ["O"]]
    with pytest.raises(NerUnavailable, match="different number"):
        decode(b"O\n\n", [["Kim", "sagt"]])


def test_entity_runs_from_io_and_bio_labels():
    labels = ["PERSON", "PERSON", "O", "I-LOC", "I-LOC", "B-LOC", "MISC", "ORGANIZATION"]
    assert entity_runs(labels) == [(0, 2, "PER"), (3, 5, "LOC"), (5, 6, "LOC"), (7, 8, "ORG")]
    assert entity_runs(["O", "I-MISC"]) == []
    assert entity_runs([]) == []


class Answer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        tokens = [line for line in body.decode().split("\n")]
        reply = "\n".join("PERSON" if t[:1].isupper() else ("" if not t else "O")
                          for t in tokens).encode()
        self.send_response(self.status)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def do_GET(self):
        self.send_response(self.status)
        self.send_header("Content-Length", "3")
        self.end_headers()
        self.wfile.write(b"ok\n")

    def log_message(self, *args):
        pass


@pytest.fixture()
def service():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server
    Answer.status = 200
    server.shutdown()
    server.server_close()


def test_tag_sends_tokens_and_reads_labels(service):
    url, _ = service
    assert ner_service.tag([["Kim", "sagt"], ["Putin"]], url=url, timeout=5) == [
        ["PERSON", "O"], ["PERSON"]]
    assert ner_service.tag([[], []], url=url, timeout=5) == [[], []]   # nothing is sent
    assert ner_service.health(url)


def test_an_error_status_is_unavailable(service):
    url, _ = service
    Answer.status = 500
    with pytest.raises(NerUnavailable, match="answered 500"):
        ner_service.tag([["Kim"]], url=url, timeout=5)
    assert not ner_service.health(url)


def test_a_closed_port_is_unavailable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(NerUnavailable, match="unreachable"):
        ner_service.tag([["Kim"]], url=f"http://127.0.0.1:{port}", timeout=1)
    assert not ner_service.health(f"http://127.0.0.1:{port}")


def test_the_url_comes_from_the_settings(service, monkeypatch):
    url, _ = service
    monkeypatch.setenv("NEWSARCHIVE_NER_URL", url)
    assert ner_service.tag([["Kim"]]) == [["PERSON"]]


def test_request_parts_hold_at_most_the_token_limit_in_order():
    sentences = [["a"] * 3, ["b"] * 2, ["c"] * 4, ["d"] * 9, [], ["e"]]
    parts = ner_service.request_parts(sentences, max_tokens=5)
    assert parts == [[["a"] * 3, ["b"] * 2], [["c"] * 4], [["d"] * 9], [[], ["e"]]]
    assert [s for part in parts for s in part] == sentences   # a long sentence goes alone


def test_a_long_batch_goes_in_several_requests_and_comes_back_in_order(service, monkeypatch):
    url, _ = service
    monkeypatch.setattr(ner_service, "MAX_REQUEST_TOKENS", 3)
    requests = []
    monkeypatch.setattr(Answer, "do_POST", _counting(Answer.do_POST, requests))
    sentences = [["Kim", "sagt"], ["ja"], ["Putin", "und", "Kim"], [], ["Schoigu"]]
    assert ner_service.tag(sentences, url=url, timeout=5) == [
        ["PERSON", "O"], ["O"], ["PERSON", "O", "PERSON"], [], ["PERSON"]]
    assert len(requests) == 3


def _counting(handler, calls):
    def counted(self):
        calls.append(1)
        return handler(self)
    return counted
