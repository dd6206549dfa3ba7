#!/usr/bin/env bash
# make run: install what is missing, start the stack, load the sample articles, print what to try.
. "$(dirname "$0")/config.sh"
S="$ROOT/scripts"
start=$(date +%s)
"$S/stack.sh" up
"$S/stack.sh" load-samples
cat <<TXT

Ready in $(( $(date +%s) - start ))s. Try:
  curl -s '$NEWSARCHIVE_API_URL/v1/health'
  curl -s '$NEWSARCHIVE_API_URL/v1/articles/$("$VENV/bin/python" -c 'from indexer.identity import article_id; print(article_id(external_id="003_35686e7d763b10ba"))')'
  export NEWSARCHIVE_API_KEY=\$(cat $STATE_DIR/api-key)   # local admin key: writes need a key
  curl -s -X POST '$NEWSARCHIVE_API_URL/v1/articles' -H "Authorization: Bearer \$NEWSARCHIVE_API_KEY" \\
       -H 'Content-Type: text/plain' --data-binary @samples/001_8cb086cdd1b0a5e1.txt
  curl -s '$NEWSARCHIVE_API_URL/v1/search?q=Lieferungen&facets=persons,outlets,published'
  curl -s '$NEWSARCHIVE_API_URL/v1/search?q=%22Kim+Jong+Un%22&person=Wladimir+Putin&sort=newest'
  curl -s '$NEWSARCHIVE_API_URL/v1/entities?q=kim'
  curl -s '$NEWSARCHIVE_API_URL/v1/export?q=Nordkorea&format=csv'
  $NEWSARCHIVE_API_URL/docs   (Swagger UI; the spec is openapi.yaml)
Elasticsearch $NEWSARCHIVE_ES_URL, Redis $NEWSARCHIVE_REDIS_URL, NER service $NEWSARCHIVE_NER_URL, logs in $LOG_DIR.
'make stop' stops it all.
TXT
