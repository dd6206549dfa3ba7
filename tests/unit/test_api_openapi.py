"""The committed openapi.yaml is what the code generates, and it is valid OpenAPI 3.1."""

from pathlib import Path

import yaml
from openapi_spec_validator import validate

from api.openapi import default_app, spec_yaml

COMMITTED = Path(__file__).resolve().parents[2] / "openapi.yaml"
REGENERATE = ".venv/bin/newsarchive openapi --output openapi.yaml   (or: make openapi)"


def generated() -> str:
    return spec_yaml(default_app())


def test_committed_openapi_yaml_matches_the_code():
    assert COMMITTED.exists(), f"openapi.yaml is missing; generate it with: {REGENERATE}"
    assert COMMITTED.read_text(encoding="utf-8") == generated(), (
        f"openapi.yaml is out of date with the code; regenerate it with: {REGENERATE}")


def test_generation_is_deterministic():
    assert generated() == generated()


def test_spec_is_valid_openapi_3_1():
    spec = yaml.safe_load(generated())
    assert spec["openapi"] == "3.1.0"
    validate(spec)


def test_every_operation_documents_its_errors_with_the_envelope():
    spec = yaml.safe_load(generated())
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            assert responses["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}, path
            assert any(code.startswith(("4", "5")) for code in responses), (path, method)
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert set(spec["components"]["schemas"]["ErrorDetail"]["required"]) == \
        {"status", "code", "message", "details"}


def test_bodies_carry_examples_from_the_samples():
    spec = yaml.safe_load(generated())
    post = spec["paths"]["/v1/articles"]["post"]
    content = post["requestBody"]["content"]
    assert set(content) == {"application/json", "text/plain", "text/html"}
    assert content["application/json"]["example"]["external_id"] == "003_35686e7d763b10ba"
    assert "Rüstungsgeschäfte" in content["text/plain"]["example"]
    read = spec["paths"]["/v1/articles/{article_id}"]["get"]["responses"]["200"]
    assert read["content"]["application/json"]["example"]["external_id"] == "003_35686e7d763b10ba"
    assert set(read["headers"]) == {"ETag", "Cache-Control"}
    for name, schema in spec["components"]["schemas"].items():
        if name in ("PaginationMetadata", "Article", "Error", "Checks"):
            continue
        with_examples = [p for p in schema.get("properties", {}).values()
                         if "examples" in p or "$ref" in p]
        assert with_examples, f"schema {name} has no examples"


def test_docs_are_served(client):
    assert client.get("/openapi.json").get_json()["openapi"] == "3.1.0"
    page = client.get("/docs")
    assert page.status_code == 200 and b"swagger-ui" in page.data
