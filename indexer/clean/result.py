"""What the cleaner returns: the body plus every input line with its class."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.clean.labels import Label


@dataclass(frozen=True)
class Line:
    """One non-blank input line, whitespace-normalised, with its class."""

    text: str
    label: Label


@dataclass(frozen=True)
class CleanedText:
    """The cleaned article.

    ``body``: the article lines, one paragraph each, separated by blank lines.
    ``title``: the headline found at the top of the text (HTML: the page's
    title), else None. ``lines``: every non-blank input line in order with its
    class. ``metadata``: what the HTML extractor found (empty for plain text).
    """

    body: str
    title: str | None = None
    lines: tuple[Line, ...] = ()
    metadata: dict = field(default_factory=dict)

    @property
    def removed(self) -> list[tuple[str, str]]:
        """The clutter lines as ``(line, class)``, in input order."""
        return [(line.text, str(line.label)) for line in self.lines if line.label is not Label.ARTICLE]

    @property
    def kept_labels(self) -> list[str]:
        """The class of every input line, in input order (kept ones are "article")."""
        return [str(line.label) for line in self.lines]

    def texts(self, *labels: Label | str) -> list[str]:
        """The lines of the given classes, in input order, e.g. ``texts("source", "meta")``."""
        wanted = {str(label) for label in labels}
        return [line.text for line in self.lines if str(line.label) in wanted]
