"""The relevance corpus: the five samples plus a fixed selection of real German news.

Nothing of the news text is kept in the repository: ``load_corpus`` reads it at run time from
``../shared/data/news`` (NC-licensed data, evaluation only). The selection rule is fixed, so the
same files always give the same articles and the judgments keep meaning the same documents:

* ``sample:<stem>``: every ``samples/*.txt`` (read as ``indexer.cli import`` reads them);
* ``gnad:<row>``: 10kGNAD test (DER STANDARD, ``row`` = CSV row number, 0-based), the
  ``GNAD_COUNT`` rows with the smallest ``sha256("gnad:<row>")``; no title in this data set,
  the text starts with the teaser;
* ``wikinews:<number>``: German Wikinews (quotation-attribution corpus), ``train`` and ``dev``
  splits only (the ``test`` split is never used to tune anything, and the query builder may be
  tuned on this set), the ``WIKINEWS_COUNT`` with the smallest ``sha256("wikinews:<number>")``;
  title from the document name.

The readers are the ingest benchmark's (``benchmarks/ingest.py``); only ids and selection are
defined here.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable
from pathlib import Path

from benchmarks.ingest import GNAD_FILE, WIKINEWS_FILE, gnad_articles, wikinews_articles

ROOT = Path(__file__).resolve().parents[2]
SAMPLES_DIR = ROOT / "samples"
DEFAULT_DATA_DIR = ROOT.parent / "shared" / "data"
GNAD_COUNT = 600
WIKINEWS_COUNT = 450
WIKINEWS_SPLITS = frozenset({"train", "dev"})


class CorpusMissing(FileNotFoundError):
    """The shared news data is not where the loader looks."""


def selection_key(article_id: str) -> str:
    return hashlib.sha256(article_id.encode("utf-8")).hexdigest()


def select(articles: Iterable[dict], count: int) -> list[dict]:
    """The ``count`` articles with the smallest ``selection_key`` of their id, in that order."""
    return sorted(articles, key=lambda a: selection_key(a["id"]))[:count]


def sample_articles(samples_dir: Path = SAMPLES_DIR) -> list[dict]:
    return [{"id": f"sample:{path.stem}", "external_id": path.stem,
             "text": path.read_text(encoding="utf-8")}
            for path in sorted(Path(samples_dir).glob("*.txt"))]


def gnad_selection(csv_text: str, count: int = GNAD_COUNT) -> list[dict]:
    articles = []
    for article in gnad_articles(csv_text):
        row = int(article["external_id"].rsplit(":", 1)[1])
        articles.append({"id": f"gnad:{row}", "external_id": f"gnad:{row}", "text": article["text"],
                         "metadata": {"source": "10kgnad",
                                      "category": article["metadata"]["category"]}})
    return select(articles, count)


def wikinews_selection(lines: Iterable[str], count: int = WIKINEWS_COUNT) -> list[dict]:
    articles = []
    for article in wikinews_articles(lines):
        if article["metadata"]["split"] not in WIKINEWS_SPLITS:
            continue
        number = article["external_id"].rsplit(":", 1)[1]
        raw = {"id": f"wikinews:{number}", "external_id": f"wikinews:{number}",
               "text": article["text"], "metadata": {"source": "wikinews",
                                                     "date": article["metadata"]["date"]}}
        if article.get("title"):
            raw["title"] = article["title"]
        articles.append(raw)
    return select(articles, count)


def load_corpus(data_dir: Path = DEFAULT_DATA_DIR, samples_dir: Path = SAMPLES_DIR) -> list[dict]:
    """Raw articles (``indexer.parse.parse_article`` input, with ``id`` set): samples, 10kGNAD,
    Wikinews. Raises ``CorpusMissing`` when the data files are not there."""
    news = Path(data_dir) / "news"
    paths = [news / GNAD_FILE, news / WIKINEWS_FILE]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise CorpusMissing(f"relevance corpus needs {', '.join(missing)} (../shared/data)")
    with gzip.open(paths[0], "rt", encoding="utf-8") as handle:
        gnad = gnad_selection(handle.read())
    with gzip.open(paths[1], "rt", encoding="utf-8") as handle:
        wikinews = wikinews_selection(handle)
    return [*sample_articles(samples_dir), *gnad, *wikinews]
