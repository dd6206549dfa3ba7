"""The query-string loader of our webargs parser (api/extensions.py) gives the schema what
webargs' own proxy gives it: every value of a list parameter, the first of any other."""

from __future__ import annotations

from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import ImmutableMultiDict

from api.extensions import Parser
from api.search_schemas import SearchArgsSchema

SCHEMA = SearchArgsSchema()


class Request:
    def __init__(self, pairs):
        self.args = ImmutableMultiDict(pairs)


def test_the_query_string_loads_as_webargs_proxy_loads_it():
    pairs = [("q", "Kim"), ("q", "Putin"), ("person", "a"), ("outlet", "CNN"), ("person", "b"),
             ("facets", "persons,outlets"), ("size", "5"), ("typo", "x"), ("typo", "y")]
    loaded = Parser().load_querystring(Request(pairs), SCHEMA)
    proxy = MultiDictProxy(ImmutableMultiDict(pairs), SCHEMA)
    assert loaded == {key: proxy[key] for key in proxy}
    assert loaded == {"q": "Kim", "person": ["a", "b"], "outlet": ["CNN"],
                      "facets": "persons,outlets", "size": "5", "typo": "x"}
    assert list(loaded) == ["q", "person", "outlet", "facets", "size", "typo"]
    assert Parser().load_querystring(Request([]), SCHEMA) == {}


def test_parsed_arguments_and_errors_are_unchanged():
    from api import create_app
    from indexer.settings import Settings
    app = create_app({"NEWSARCHIVE_SETTINGS": Settings.from_env(), "TESTING": True})
    parser = Parser()
    with app.test_request_context("/v1/search?q=Kim&person=a&person=b&size=3"):
        args = parser.parse(SCHEMA, location="query")
    assert args["person"] == ["a", "b"] and args["size"] == 3 and args["q"] == "Kim"
    with app.test_request_context("/v1/search?q=Kim&typo=1"):
        try:
            parser.parse(SCHEMA, location="query")
        except Exception as exc:  # noqa: BLE001 - flask-smorest's abort(400)
            assert exc.data["messages"] == {"query": {"typo": ["Unknown field."]}}
        else:
            raise AssertionError("an unknown parameter must be rejected")


def test_an_unknown_name_close_to_a_known_one_is_suggested():
    import marshmallow as ma

    from api.extensions import UNKNOWN, suggest_known_names
    assert ma.Schema._default_error_messages["unknown"] == UNKNOWN    # the message replaced
    messages = {"query": {"persn": [UNKNOWN], "organisation": [UNKNOWN], "xyz": [UNKNOWN],
                          "size": ["Not a valid integer."], "publishedfrom": [UNKNOWN]}}
    suggest_known_names(messages, SCHEMA)
    assert messages == {"query": {
        "persn": ["Unknown field; did you mean 'person'?"],
        "organisation": ["Unknown field; did you mean 'organization'?"],
        "xyz": [UNKNOWN], "size": ["Not a valid integer."],
        "publishedfrom": ["Unknown field; did you mean 'published_from'?"]}}

