"""nDCG@k with graded judgments (pure).

Gain = the grade (0, 1, 2; linear, as trec_eval), discount = log2(rank + 1) with ranks from 1.
The ideal DCG is the DCG of the query's judged grades sorted from best, cut at ``k``. A
document without a judgment counts 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def dcg(gains: Sequence[float]) -> float:
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, start=1))


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k of one ranked list of ids against ``grades`` (id -> 0/1/2)."""
    ideal = dcg(sorted((g for g in grades.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        raise ValueError("a query needs at least one relevant document")
    return dcg([grades.get(doc_id, 0) for doc_id in ranked[:k]]) / ideal


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
