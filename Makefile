# The README's commands. Everything is provisioned by scripts/ (no Docker needed).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTEST_ARGS ?=

.PHONY: help run stop status test test-unit fuzz faults install openapi bench clean

help:
	@echo "make run     install what is missing, start Elasticsearch, Redis, the NER service, worker and API, load the samples"
	@echo "make stop    stop what 'make run' started"
	@echo "make test    the whole test suite against its own test stack (ports 9201/6380/9401/8001)"
	@echo "make status  what is running"
	@echo "make fuzz    schemathesis and hypothesis with many more cases than make test (about 15 min)"

install:
	scripts/python.sh
	scripts/redis.sh install
	scripts/elasticsearch.sh install
	scripts/ner.sh install

run:
	scripts/run.sh

stop:
	scripts/stack.sh down

status:
	scripts/stack.sh status

# The test stack runs on its own ports, index prefix and state folder (scripts/test.sh).
test:
	scripts/test.sh $(PYTEST_ARGS)

# The generated-input tests with many more cases, on a fresh test stack; prints the counts.
FUZZ_EXAMPLES ?= 500
fuzz:
	NEWSARCHIVE_TEST_JUNIT=0 NEWSARCHIVE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	NEWSARCHIVE_FUZZ_REPORT=$(CURDIR)/var/fuzz-report.json \
	scripts/test.sh tests/integration/test_schemathesis.py tests/integration/test_hostile_input.py \
	  $(PYTEST_ARGS)
	@echo "schemathesis:"; cat var/fuzz-report.json; echo
	@echo "hypothesis (queries, cursors, dates, names):"; cat var/fuzz-report-hypothesis.json; echo

# The fault tests alone (services killed and stopped mid-work), on a fresh test stack.
faults:
	NEWSARCHIVE_TEST_JUNIT=0 scripts/test.sh tests/integration/test_faults.py \
	  tests/integration/test_reliability.py tests/integration/test_redelivery.py $(PYTEST_ARGS)

test-unit:
	scripts/python.sh
	.venv/bin/python -m pytest -p no:cacheprovider tests/unit $(PYTEST_ARGS)

# Benchmarks against the running `make run` stack (see benchmarks/).
bench:
	.venv/bin/python benchmarks/ingest.py

openapi:
	.venv/bin/newsarchive openapi --output openapi.yaml

clean: stop
	rm -rf var
