"""Line splitting and whitespace normalisation (idempotent by construction)."""

from __future__ import annotations

import re
import unicodedata

# Control (Cc) and format (Cf: zero-width, soft hyphen, bidi marks) characters,
# except the whitespace ones that are turned into spaces first.
_INVISIBLE = {
    code for code in range(0x110000)
    if unicodedata.category(chr(code)) in ("Cc", "Cf") and chr(code) not in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"
}
_INVISIBLE_TABLE = dict.fromkeys(_INVISIBLE)
_SPACES = re.compile(r"\s+")


def normalize_line(line: str) -> str:
    """One line: no invisible characters, NFC, single spaces, no outer spaces."""
    for _ in range(2):  # NFC after deletions can compose again; a second round settles it
        line = unicodedata.normalize("NFC", line.translate(_INVISIBLE_TABLE))
        line = _SPACES.sub(" ", line).strip()
    return line


def split_lines(text: str) -> list[str]:
    """The non-blank lines of ``text``, normalised."""
    return [line for block in split_blocks(text) for line in block]


def split_blocks(text: str) -> list[list[str]]:
    """The non-blank lines of ``text``, normalised, grouped into blocks that
    blank lines separate."""
    blocks: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = normalize_line(raw)
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]
