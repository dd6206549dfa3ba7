"""gunicorn settings for every way the API is started (scripts/app.sh, the Dockerfile,
docker-compose.yml): ``gunicorn -c python:api.gunicorn_conf 'api:create_app()'``.

gunicorn answers an over-long request line itself with an HTML 414 page; the limit is
lifted here so the app answers it with the JSON error envelope instead
(``MAX_URL_CHARS`` in api/__init__.py).
"""

limit_request_line = 0
