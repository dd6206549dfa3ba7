#!/usr/bin/env bash
# make run: install what is missing, start the stack, load the sample articles, print what to try.
. "$(dirname "$0")/config.sh"
S="$ROOT/scripts"
start=$(date +%s)
"$S/stack.sh" up
"$S/stack.sh" load-samples
alias_name="$NEWSARCHIVE_INDEX_PREFIX-articles"
cat <<TXT

Ready in $(( $(date +%s) - start ))s. Try:
  curl -s '$NEWSARCHIVE_API_URL/v1/health'
  curl -s '$NEWSARCHIVE_API_URL/v1/articles/$("$VENV/bin/python" -c 'from indexer.identity import article_id; print(article_id(external_id="003_35686e7d763b10ba"))')'
  curl -s -X POST '$NEWSARCHIVE_API_URL/v1/articles' -H 'Content-Type: text/plain' --data-binary @samples/001_8cb086cdd1b0a5e1.txt
  curl -s '$NEWSARCHIVE_ES_URL/$alias_name/_search?q=body:Waffenlieferung&_source=title,outlet,persons.name'
  $NEWSARCHIVE_API_URL/docs   (Swagger UI; the spec is openapi.yaml)
Elasticsearch $NEWSARCHIVE_ES_URL, Redis $NEWSARCHIVE_REDIS_URL, logs in $LOG_DIR. 'make stop' stops it all.
TXT
