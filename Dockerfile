# Image for the API and the Celery worker (docker-compose.yml). The local stack without Docker uses
# the same package through scripts/.
FROM python:3.11-slim
WORKDIR /app
# The package is installed into site-packages; the index definitions stay in /app/mappings.
# The API's gunicorn workers share their metrics through files in PROMETHEUS_MULTIPROC_DIR
# (api/metrics.py; emptied when gunicorn starts).
ENV NEWSARCHIVE_MAPPINGS_DIR=/app/mappings \
    PROMETHEUS_MULTIPROC_DIR=/tmp/newsarchive-metrics
COPY pyproject.toml README.md ./
COPY api ./api
COPY indexer ./indexer
COPY newsarchive_client ./newsarchive_client
COPY mappings ./mappings
COPY scripts ./scripts
COPY samples ./samples
RUN pip install --no-cache-dir . && useradd --system --no-create-home newsarchive \
    && mkdir -p "$PROMETHEUS_MULTIPROC_DIR" && chown newsarchive "$PROMETHEUS_MULTIPROC_DIR"
USER newsarchive
EXPOSE 8000
CMD ["gunicorn", "-c", "python:api.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "1", "api:create_app()"]
