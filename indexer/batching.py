"""Splitting a stream of articles into consecutive groups bounded by count and text size."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def text_size(article: dict) -> int:
    """Characters of text in an article's string fields."""
    return sum(len(v) for v in article.values() if isinstance(v, str))


def batches(items: Iterable[T], max_items: int, max_bytes: int,
            size: Callable[[T], int] = text_size) -> Iterator[list[T]]:
    """Consecutive groups of at most ``max_items`` and about ``max_bytes`` of text (a single
    item larger than ``max_bytes`` is a group of its own)."""
    batch: list[T] = []
    total = 0
    for item in items:
        item_size = size(item)
        if batch and (len(batch) >= max_items or total + item_size > max_bytes):
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += item_size
    if batch:
        yield batch
