"""Boilerplate cleaning: HTML through trafilatura, plain text through a line
classifier (rules + statistics + position, see ``text_cleaner``).

Public API::

    clean_text(text, title=None) -> CleanedText
    clean_html(html, url=None) -> CleanedText   # plus .metadata

Pure functions: no Flask, no Elasticsearch. They never raise on any string.
"""

from indexer.clean.html_cleaner import clean_html
from indexer.clean.labels import CLUTTER, Label
from indexer.clean.result import CleanedText, Line
from indexer.clean.text_cleaner import clean_text

__all__ = ["CLUTTER", "CleanedText", "Label", "Line", "clean_html", "clean_text"]
