"""The Docker stack and the local scripts describe the same product: same services, same variables,
same pinned Elasticsearch version as the plugin build. This machine has the docker client without
the compose plugin, so the file is checked as YAML against the scripts rather than by `docker compose config`."""
import re
from pathlib import Path
from xml.etree import ElementTree

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"


def pinned_es_version() -> str:
    text = (ROOT / "scripts" / "versions.env").read_text()
    return re.search(r"^ES_VERSION=(\S+)$", text, re.M).group(1)


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def script_variables() -> set[str]:
    text = (ROOT / "scripts" / "config.sh").read_text()
    return set(re.findall(r"export (NEWSARCHIVE_\w+)=", text))


def test_compose_has_the_services_of_the_local_stack():
    services = compose()["services"]
    assert {"elasticsearch", "redis", "ner", "worker", "api"} <= set(services)
    assert services["ner"]["build"] == "./ner-service"
    assert (ROOT / "ner-service" / "Dockerfile").exists()


def test_compose_runs_the_pinned_elasticsearch_version():
    image = compose()["services"]["elasticsearch"]["image"]
    assert image == f"docker.elastic.co/elasticsearch/elasticsearch:{pinned_es_version()}"


def test_plugin_builds_for_the_pinned_elasticsearch_version():
    pom = ElementTree.parse(ROOT / "es-plugin" / "pom.xml").getroot()
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    assert pom.find("m:properties/m:elasticsearch.version", ns).text == pinned_es_version()


def test_app_services_use_only_variables_the_scripts_define():
    known = script_variables()
    for name in ("api", "worker"):
        env = compose()["services"][name]["environment"]
        assert set(env) <= known, f"{name}: {set(env) - known} not defined in scripts/config.sh"
        assert {"NEWSARCHIVE_ES_URL", "NEWSARCHIVE_REDIS_URL", "NEWSARCHIVE_INDEX_PREFIX"} <= set(env)


def test_compose_ports_are_configured_by_the_script_variables():
    services = compose()["services"]
    for service, var in [("elasticsearch", "NEWSARCHIVE_ES_PORT"), ("redis", "NEWSARCHIVE_REDIS_PORT"),
                         ("api", "NEWSARCHIVE_API_PORT"), ("ner", "NEWSARCHIVE_NER_PORT")]:
        assert var in script_variables()
        assert any(var in port for port in services[service]["ports"]), service


def test_compose_mounts_the_analysis_resources_the_mapping_refers_to():
    volumes = compose()["services"]["elasticsearch"]["volumes"]
    assert any(v.endswith(":/usr/share/elasticsearch/config/analysis:ro") for v in volumes)
    mapping = (ROOT / "mappings" / "articles-v1.json").read_text()
    for path in re.findall(r'"(analysis/[^"]+)"', mapping):
        name = path.split("/", 1)[1]
        builder = (ROOT / "scripts" / "build_analysis_resources.py").read_text()
        assert name in builder, f"{path} is not written by scripts/build_analysis_resources.py"


def local_origins() -> str:
    """The CORS origins both local stacks allow by default (scripts/config.sh)."""
    text = (ROOT / "scripts" / "config.sh").read_text()
    return re.search(r"^LOCAL_ORIGINS='(.*)'$", text, re.M).group(1)


def test_compose_allows_the_same_local_origins_as_the_scripts():
    value = compose()["x-app-env"]["NEWSARCHIVE_CORS_ORIGINS"]
    default = re.fullmatch(r"\$\{NEWSARCHIVE_CORS_ORIGINS-(.*)\}", value).group(1)
    assert default.replace("$$", "$") == local_origins()


def test_local_origins_are_this_machine_on_any_port(unit_settings):
    import dataclasses

    from api import create_app
    app = create_app({"NEWSARCHIVE_SETTINGS": dataclasses.replace(
        unit_settings, cors_origins=(local_origins(),))})
    client = app.test_client()
    for origin in ("http://localhost:3000", "http://127.0.0.1:5173", "https://localhost",
                   "http://[::1]:8080"):
        answer = client.get("/v1/nothing", headers={"Origin": origin})
        assert answer.headers.get("Access-Control-Allow-Origin") == origin, origin
    for origin in ("http://localhost.evil.example", "https://evil.example",
                   "http://127.0.0.1.evil.example:3000", "http://example.org/localhost"):
        answer = client.get("/v1/nothing", headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in answer.headers, origin
