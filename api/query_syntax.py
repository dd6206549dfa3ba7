"""The ``q`` syntax of ``GET /v1/search``, parsed into a small tree (pure).

    Kim Putin               both words (AND is implicit; ``AND`` may be written)
    Kim OR Putin            either
    -Putin, NOT Putin       without
    "Kim Jong Un"           the exact phrase
    (Kim OR Putin) Treffen  grouping
    Rüstungs*               words starting with "rüstungs"
    title:Kim               in the title only (also ``titel:``; ``body:``/``text:`` for
                            the text only), before a word, phrase, prefix or group:
                            ``title:"Kim Jong Un"``, ``title:(Kim OR Putin)``

Hand-written recursive descent, so user text is never handed to Elasticsearch's
``query_string`` syntax. Every malformed input raises ``QueryError`` with a
sentence naming the problem and its position; nothing else is raised.

Grammar::

    query    := and_expr END
    and_expr := or_expr (["AND"] or_expr)*
    or_expr  := unary ("OR" unary)*
    unary    := ("-" | "NOT") unary | FIELD ":" unary | primary
    primary  := "(" and_expr ")" | PHRASE | WORD | WORD*

``OR`` binds tighter than ``AND`` (as in web search engines): ``Merkel Macron OR
Scholz`` is Merkel AND (Macron OR Scholz). A field scope binds to what follows it
directly: ``title:Kim Putin`` is Kim in the title AND Putin anywhere. A known field name
with a space after the colon ("Titel: Gipfel") is an ordinary word.
"""

from __future__ import annotations

import dataclasses
import re

MAX_DEPTH = 16        # nesting of parentheses and NOTs
MAX_CLAUSES = 64      # words, phrases and prefixes in one query
MIN_PREFIX_CHARS = 2  # letters before a trailing "*"
OPERATORS = {"OR", "AND", "NOT"}
SCOPES = {"title": "title", "titel": "title", "body": "body", "text": "body"}  # name -> field
_SCOPE = re.compile(r"(" + "|".join(SCOPES) + r"):(?=[^\s:])", re.IGNORECASE)
_WORDLIKE = re.compile(r"\w")


class QueryError(ValueError):
    """The query cannot be parsed; the message says why, for the user."""


@dataclasses.dataclass(frozen=True)
class Word:
    text: str


@dataclasses.dataclass(frozen=True)
class Prefix:
    text: str  # without the "*"


@dataclasses.dataclass(frozen=True)
class Phrase:
    text: str


@dataclasses.dataclass(frozen=True)
class And:
    children: tuple


@dataclasses.dataclass(frozen=True)
class Or:
    children: tuple


@dataclasses.dataclass(frozen=True)
class Not:
    child: object


@dataclasses.dataclass(frozen=True)
class InField:
    field: str       # "title" or "body"
    child: object


Node = Word | Prefix | Phrase | And | Or | Not | InField


@dataclasses.dataclass(frozen=True)
class Token:
    kind: str   # "word", "phrase", "(", ")", "-", "OR", "AND", "NOT", "field"
    text: str
    pos: int    # 1-based character position, for messages


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(Token(ch, ch, i + 1))
            i += 1
        elif ch in "\"„“”":
            end = _closing_quote(text, i + 1)
            if end < 0:
                raise QueryError(f"Unclosed quote at position {i + 1}.")
            tokens.append(Token("phrase", text[i + 1:end], i + 1))
            i = end + 1
        elif ch == "-" and (i + 1 < n and not text[i + 1].isspace()):
            tokens.append(Token("-", ch, i + 1))
            i += 1
        elif ch == "+" and i + 1 < n and not text[i + 1].isspace():
            i += 1   # "+word" is the word (AND is implicit), "+title:Kim" the scope
        elif scope := _SCOPE.match(text, i):
            tokens.append(Token("field", SCOPES[scope.group(1).lower()], i + 1))
            i = scope.end()
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in "()\"„“”":
                i += 1
            word = text[start:i]
            kind = word if word in OPERATORS else "word"
            tokens.append(Token(kind, word, start + 1))
    return tokens


def _closing_quote(text: str, start: int) -> int:
    for j in range(start, len(text)):
        if text[j] in "\"“”":
            return j
    return -1


def parse(text: str) -> Node | None:
    """The tree of ``text``; ``None`` when there is nothing to search for
    (empty, or only punctuation)."""
    tokens = [t for t in tokenize(text) if t.kind != "word" or _searchable(t.text)]
    if not tokens:
        return None
    parser = _Parser(tokens)
    node = parser.and_expr(0)
    if parser.peek() is not None:
        token = parser.peek()
        raise QueryError(f"Unexpected {_describe(token)} at position {token.pos}"
                         + (" (no matching '(')." if token.kind == ")" else "."))
    if parser.clauses > MAX_CLAUSES:
        raise QueryError(f"The query has {parser.clauses} terms; at most {MAX_CLAUSES} "
                         f"are allowed.")
    return node


def _searchable(word: str) -> bool:
    return bool(_WORDLIKE.search(word)) or word.endswith("*") or word in OPERATORS


def _flat(kind, children: list[Node]) -> Node:
    flat: list[Node] = []
    for child in children:
        flat.extend(child.children if isinstance(child, kind) else (child,))
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _describe(token: Token) -> str:
    if token.kind == "field":
        return f"'{token.text}:'"
    return {"(": "'('", ")": "')'", "-": "'-'"}.get(token.kind, f"'{token.text}'")


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.i = 0
        self.clauses = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def and_expr(self, depth: int) -> Node:
        children: list[Node] = []
        while (token := self.peek()) is not None and token.kind != ")":
            if token.kind == "AND":
                self.take()
                if not children:
                    raise QueryError(f"'AND' at position {token.pos} has nothing on its left.")
                nxt = self.peek()
                if nxt is None or nxt.kind in (")", "OR", "AND"):
                    raise QueryError(f"'AND' at position {token.pos} has nothing on its right.")
                continue
            if token.kind == "OR":
                raise QueryError(f"'OR' at position {token.pos} has nothing on its left.")
            children.append(self.or_expr(depth))
        if not children:
            token = self.peek()
            if token is None:
                raise QueryError("The query ends where a word was expected.")
            raise QueryError(f"Empty parentheses or unexpected ')' at position {token.pos}.")
        return _flat(And, children)

    def or_expr(self, depth: int) -> Node:
        children = [self.unary(depth)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in (")", "OR", "AND"):
                raise QueryError(f"'OR' at position {token.pos} has nothing on its right.")
            children.append(self.unary(depth))
        return _flat(Or, children)

    def unary(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise QueryError(f"The query is nested too deeply (more than {MAX_DEPTH} levels).")
        token = self.take()
        if token.kind in ("-", "NOT", "field"):
            nxt = self.peek()
            if nxt is None or nxt.kind in (")", "OR", "AND"):
                raise QueryError(f"{_describe(token)} at position {token.pos} must be followed "
                                 f"by a word, phrase or group.")
            if token.kind == "field":
                return self.in_field(token, depth)
            child = self.unary(depth + 1)
            return child.child if isinstance(child, Not) else Not(child)
        if token.kind == "(":
            if self.peek() is not None and self.peek().kind == ")":
                raise QueryError(f"Empty parentheses at position {token.pos}.")
            node = self.and_expr(depth + 1)
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QueryError(f"Unclosed '(' at position {token.pos}.")
            self.take()
            return node
        if token.kind == ")":
            raise QueryError(f"Unexpected ')' at position {token.pos} (no matching '(').")
        self.clauses += 1
        if token.kind == "phrase":
            if not _WORDLIKE.search(token.text):
                raise QueryError(f"The phrase at position {token.pos} has no words.")
            return Phrase(" ".join(token.text.split()))
        return _word(token)

    def in_field(self, token: Token, depth: int) -> Node:
        child = self.unary(depth + 1)
        if any(isinstance(n, InField) for n in walk(child)):
            raise QueryError(f"{_describe(token)} at position {token.pos} holds another field "
                             f"scope; use one per word, phrase or group.")
        return InField(token.text, child)


def _word(token: Token) -> Node:
    text = token.text   # a leading "+" is left out by the tokenizer
    if "*" in text.rstrip("*"):
        raise QueryError(f"'*' in '{token.text}' (position {token.pos}) is only allowed at "
                         f"the end of a word.")
    if text.endswith("*"):
        stem = text.rstrip("*")
        if len(_WORDLIKE.findall(stem)) < MIN_PREFIX_CHARS:
            raise QueryError(f"'{token.text}' (position {token.pos}): a prefix needs at least "
                             f"{MIN_PREFIX_CHARS} letters before '*'.")
        return Prefix(stem)
    return Word(text)


def positive_words(node: Node | None) -> list[str]:
    """Words and phrase words the query asks for (not under NOT), in order:
    used for the phrase proximity boost."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, (Word, Phrase)):
        return node.text.split()
    if isinstance(node, Prefix):
        return []
    if isinstance(node, InField):
        return positive_words(node.child)
    return [w for child in node.children for w in positive_words(child)]


def walk(node: Node | None):
    """Every node of the tree, depth first."""
    if node is None:
        return
    yield node
    if isinstance(node, (And, Or)):
        for child in node.children:
            yield from walk(child)
    elif isinstance(node, Not | InField):
        yield from walk(node.child)
