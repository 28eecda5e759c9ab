"""Token-level pass before Python's parser: bracket limits and JavaScript-isms.

Why a lexer of our own in front of :func:`ast.parse`:

* Python's parser can exhaust its own stack on deeply nested input, so bracket nesting is
  measured here, on tokens, before the parser ever sees the text.
* XPDL 1.0 tools wrote conditions in JavaScript (``a && !b || c === null``). Those operators are
  rewritten to Python on tokens, so a ``&&`` inside a string literal stays untouched.
* Every character of the rewritten text remembers the offset it came from, so errors point into
  the text the modeller wrote, not into our rewrite.
* Line breaks and comments become spaces: a condition in XML often spans lines, which Python
  accepts only inside brackets. (Line breaks inside triple-quoted strings stay.)

The token rules are deliberately loose (anything unknown becomes a one-character token): this
pass only has to find strings, names, brackets and the few operators it rewrites; Python's
parser reports everything else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum, auto

from wfengine.errors import ExpressionSyntaxError


class Kind(Enum):
    SPACE = auto()
    COMMENT = auto()
    STRING = auto()
    NUMBER = auto()
    NAME = auto()
    OPEN = auto()
    CLOSE = auto()
    OP = auto()
    OTHER = auto()


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True, slots=True)
class Translated:
    """The Python-syntax text, and for each of its characters the offset in the original."""

    text: str
    #: ``origin[i]`` is the original offset of ``text[i]``; one extra entry maps the end
    origin: tuple[int, ...]


_TOKEN_BODY = r"""
    (?P<SPACE>[ \t\f\r\n]+)
  | (?P<COMMENT>{comment})
  | (?P<STRING>[rRuUbBfF]{{0,2}}(?:'''|\"\"\"|'|"))
  | (?P<NUMBER>0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+
        |(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)
  | (?P<NAME>[^\W\d]\w*)
  | (?P<OPEN>[(\[{{])
  | (?P<CLOSE>[)\]}}])
  | (?P<OP>===|!==|\*\*|//|==|!=|<=|>=|&&|\|\||:=|->|<<|>>|[-+*/%<>=!,:.;~&|^@?])
  | (?P<OTHER>.)
    """
#: the native language: ``#`` comments, ``//`` is floor division
_TOKEN = re.compile(_TOKEN_BODY.format(comment=r"\#[^\r\n]*"), re.VERBOSE | re.DOTALL)
#: Java and JavaScript: ``//`` and ``/* */`` comments, ``#`` is no comment
_C_TOKEN = re.compile(_TOKEN_BODY.format(comment=r"//[^\r\n]*|/\*.*?\*/"), re.VERBOSE | re.DOTALL)

# The rest of a string literal after its opening quote. The two alternatives of each body are
# disjoint, so matching is linear; a failed match ends lexing, so there is no rescanning.
_STRING_REST = {
    "'''": re.compile(r"(?:[^\\]|\\.)*?'''", re.DOTALL),
    '"""': re.compile(r'(?:[^\\]|\\.)*?"""', re.DOTALL),
    "'": re.compile(r"(?:[^'\\\n]|\\.)*'", re.DOTALL),
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"', re.DOTALL),
}

_PAIRS = {"(": ")", "[": "]", "{": "}"}

#: JavaScript spellings and their Python equivalents (padded so ``a&&b`` stays separated)
_OPERATORS = {"&&": " and ", "||": " or ", "===": "==", "!==": "!="}
_LITERALS = {"true": "True", "false": "False", "null": "None"}
_PREFIX_UNARY = frozenset({"!", "-", "+", "~"})


def tokenize(text: str, *, c_comments: bool = False) -> list[Token]:
    """Split ``text`` into tokens; fails only on an unterminated string literal and on a name
    spelt with compatibility characters (see :func:`_plain_name`).

    ``c_comments``: Java/JavaScript comments (``//``, ``/* */``) instead of ``#``.
    """
    pattern = _C_TOKEN if c_comments else _TOKEN
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = pattern.match(text, pos)
        assert m is not None and m.lastgroup is not None  # OTHER matches any character
        kind = Kind[m.lastgroup]
        end = m.end()
        if kind is Kind.STRING:
            quote = m.group().lstrip("rRuUbBfF")
            rest = _STRING_REST[quote].match(text, end)
            if rest is None:
                raise ExpressionSyntaxError(
                    "unterminated string literal", source=text, offset=m.start()
                )
            end = rest.end()
        elif kind is Kind.NAME and not m.group().isascii():
            _plain_name(m.group(), text, pos)
        tokens.append(Token(kind, text[pos:end], pos))
        pos = end
    return tokens


def _plain_name(name: str, source: str, offset: int) -> None:
    """Refuse a name that Python's parser would silently change (NFKC normalisation).

    Python reads ``ｌｅｎ`` (full-width letters) as ``len`` and ``ﬁle`` as ``file``: a
    definition could call a function or read a variable under a name a reviewer does not see.
    Names in any script that are already in normal form (``größe``, ``benötigt``) are fine.
    """
    normal = unicodedata.normalize("NFKC", name)
    if normal != name:
        raise ExpressionSyntaxError(
            f"the name {name!r} is spelt with compatibility characters and would read as "
            f"{normal!r}; write {normal!r} plainly",
            source=source,
            offset=offset,
        )


def match_brackets(tokens: list[Token], source: str, max_nesting: int) -> dict[int, int]:
    """Map the index of every opening bracket token to its closing one.

    Raises :class:`ExpressionSyntaxError` for unbalanced or mismatched brackets and for nesting
    deeper than ``max_nesting``; the pairs let the ``!`` rewrite skip a bracketed operand whole.
    """
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for i, tok in enumerate(tokens):
        if tok.kind is Kind.OPEN:
            stack.append(i)
            if len(stack) > max_nesting:
                raise ExpressionSyntaxError(
                    f"brackets nest more than {max_nesting} deep",
                    source=source,
                    offset=tok.start,
                )
        elif tok.kind is Kind.CLOSE:
            if not stack:
                raise ExpressionSyntaxError(
                    f"unmatched {tok.text!r}", source=source, offset=tok.start
                )
            j = stack.pop()
            opener = tokens[j]
            if _PAIRS[opener.text] != tok.text:
                raise ExpressionSyntaxError(
                    f"closing {tok.text!r} does not match opening {opener.text!r} "
                    f"at offset {opener.start}",
                    source=source,
                    offset=tok.start,
                )
            pairs[j] = i
    if stack:
        opener = tokens[stack[-1]]
        raise ExpressionSyntaxError(
            f"{opener.text!r} was never closed", source=source, offset=opener.start
        )
    return pairs


def _significant(tokens: list[Token], i: int) -> int:
    """Index of the first token at or after ``i`` that is not space or a comment."""
    while i < len(tokens) and tokens[i].kind in (Kind.SPACE, Kind.COMMENT):
        i += 1
    return i


def _operand_end(tokens: list[Token], i: int, pairs: dict[int, int]) -> int | None:
    """Index of the last token of the unary operand starting at or after token ``i``.

    In JavaScript ``!`` binds tighter than any binary operator (``!a == b`` is ``(!a) == b``),
    whereas Python's ``not`` binds looser than comparisons; so ``!`` is rewritten to
    ``(not OPERAND)`` with the operand found here: prefix operators, then one primary (name,
    literal or bracketed group), then any calls, subscripts and ``.name`` suffixes.
    """
    i = _significant(tokens, i)
    while i < len(tokens) and tokens[i].kind is Kind.OP and tokens[i].text in _PREFIX_UNARY:
        i = _significant(tokens, i + 1)
    if i >= len(tokens):
        return None
    tok = tokens[i]
    if tok.kind is Kind.OPEN:
        last = pairs[i]
    elif tok.kind in (Kind.NAME, Kind.NUMBER, Kind.STRING):
        last = i
    else:
        return None
    while True:
        j = _significant(tokens, last + 1)
        if j >= len(tokens):
            return last
        nxt = tokens[j]
        if nxt.kind is Kind.OPEN and nxt.text in "([":
            last = pairs[j]
        elif nxt.kind is Kind.OP and nxt.text == ".":
            k = _significant(tokens, j + 1)
            if k >= len(tokens) or tokens[k].kind is not Kind.NAME:
                return last
            last = k
        else:
            return last


def translate(text: str, max_nesting: int, *, c_syntax: bool = False) -> Translated:
    """Check brackets and rewrite JavaScript-isms, keeping an offset map back to ``text``.

    ``c_syntax``: the text is Java or JavaScript: their comments, and ``c ? a : b``.
    """
    tokens = tokenize(text, c_comments=c_syntax)
    pairs = match_brackets(tokens, text, max_nesting)
    if c_syntax and any(t.kind is Kind.NAME and t.text == "if" for t in tokens):
        rewritten = _if_statement(tokens, pairs, 0, len(tokens))
        if rewritten is not None:
            tokens = rewritten
            pairs = match_brackets(tokens, text, max_nesting + len(tokens))
    if c_syntax and any(t.kind is Kind.OP and t.text == "?" for t in tokens):
        stop = len(tokens)
        while stop > 0 and not _is_code(tokens[stop - 1]):
            stop -= 1
        if stop > 0 and tokens[stop - 1].text == ";":  # the statement end stays at the end
            tokens = [*_Ternaries(tokens[: stop - 1], pairs).rewrite(), *tokens[stop - 1 :]]
        else:
            tokens = _Ternaries(tokens, pairs).rewrite()
        pairs = match_brackets(tokens, text, max_nesting + len(tokens))

    # A single trailing ``;`` is a JavaScript statement end, not part of the expression.
    last = len(tokens) - 1
    while last >= 0 and tokens[last].kind in (Kind.SPACE, Kind.COMMENT):
        last -= 1
    drop = last if last >= 0 and tokens[last].text == ";" else -1
    if last < 0 or (last == drop and not any(_is_code(t) for t in tokens[:drop])):
        raise ExpressionSyntaxError("empty expression", source=text, offset=0)

    closers: dict[int, int] = {}  # token index -> number of ")" to emit after it
    parts: list[str] = []
    origin: list[int] = []

    def emit(piece: str, offset: int) -> None:
        parts.append(piece)
        origin.extend([offset] * len(piece))

    previous: Token | None = None  # last significant token
    # In a run of prefix operators (``!!-x``) every '!' has the same operand end: find it once,
    # or a long run would be rescanned once per '!'.
    run_end: int | None = None
    run_known = False
    for i, tok in enumerate(tokens):
        if tok.kind is Kind.OP and tok.text in _PREFIX_UNARY:
            pass
        elif tok.kind not in (Kind.SPACE, Kind.COMMENT):
            run_known = False
        if i == drop:
            pass
        elif tok.kind is Kind.OP and tok.text in _OPERATORS:
            emit(_OPERATORS[tok.text], tok.start)
        elif tok.kind is Kind.OP and tok.text == "!":
            if not run_known:
                run_end, run_known = _operand_end(tokens, i + 1, pairs), True
            end = run_end
            if end is None:
                emit(" not ", tok.start)  # let the parser report the missing operand
            else:
                emit("(not ", tok.start)
                closers[end] = closers.get(end, 0) + 1
        elif tok.kind is Kind.NAME and tok.text in _LITERALS and not _after_dot(previous):
            emit(_LITERALS[tok.text], tok.start)
        elif tok.kind in (Kind.SPACE, Kind.COMMENT):
            # One line, no comments: conditions in XML often span lines, and Python's parser
            # would reject a line break outside brackets. Leading space would be an "indent".
            if previous is not None:
                parts.append(" " * len(tok.text))
                origin.extend(range(tok.start, tok.end))
        else:
            parts.append(tok.text)
            origin.extend(range(tok.start, tok.end))
        if i in closers:
            emit(")" * closers.pop(i), tok.end - 1)
        if tok.kind not in (Kind.SPACE, Kind.COMMENT):
            previous = tok
    origin.append(len(text))
    return Translated("".join(parts), tuple(origin))


def _if_statement(
    tokens: list[Token], pairs: dict[int, int], lo: int, hi: int
) -> list[Token] | None:
    """``if (c) { a } else { b }`` as ``(c) ? (a) : (b)``; None when ``[lo, hi)`` is not that.

    Shark evaluates a JavaScript actual parameter with ``eval``, so an if-statement whose
    branches are single expressions gives the value of the branch taken; tools write it for
    messages (``if (approved) {"approved"} else {"declined"}``). Only that shape is read:
    each branch one expression (an optional ``;``), ``else if`` chains, no ``else`` meaning
    ``null``. Anything else is left for the parser to refuse.
    """
    code = [i for i in range(lo, hi) if _is_code(tokens[i])]
    if code and tokens[code[-1]].text == ";":  # a statement's end
        hi = code[-1]
        code = code[:-1]
    if len(code) < 3 or tokens[code[0]].text != "if" or tokens[code[1]].text != "(":
        return None
    cond_open = code[1]
    cond_close = pairs[cond_open]
    after = [i for i in code if i > cond_close]
    if not after or tokens[after[0]].text != "{":
        return None
    then_open = after[0]
    then_close = pairs[then_open]
    rest = [i for i in after if i > then_close]
    start = tokens[code[0]].start
    branch = _branch(tokens, pairs, then_open + 1, then_close)
    if branch is None:
        return None
    if not rest:
        other: list[Token] | None = [Token(Kind.NAME, "null", tokens[then_close].start)]
    elif tokens[rest[0]].text == "else" and len(rest) > 1:
        if tokens[rest[1]].text == "{":
            else_close = pairs[rest[1]]
            if [i for i in rest if i > else_close]:
                return None
            other = _branch(tokens, pairs, rest[1] + 1, else_close)
        else:
            other = _if_statement(tokens, pairs, rest[1], hi)
    else:
        return None
    if other is None:
        return None
    question = tokens[cond_close].end
    colon = tokens[then_close].start
    return [
        *tokens[cond_open : cond_close + 1],
        Token(Kind.OP, "?", question),
        Token(Kind.OPEN, "(", question),
        *branch,
        Token(Kind.CLOSE, ")", colon),
        Token(Kind.OP, ":", colon),
        Token(Kind.OPEN, "(", colon),
        *other,
        Token(Kind.CLOSE, ")", start),
    ]


def _branch(tokens: list[Token], pairs: dict[int, int], lo: int, hi: int) -> list[Token] | None:
    """The one expression inside ``{ ... }``, without its ``;``; None for anything else."""
    code = [i for i in range(lo, hi) if _is_code(tokens[i])]
    if not code:
        return None
    if tokens[code[-1]].text == ";":
        hi = code[-1]
        code = code[:-1]
    if not code or any(tokens[i].text == ";" for i in code):
        return None
    if tokens[code[0]].text == "if":
        return _if_statement(tokens, pairs, lo, hi)
    return tokens[lo:hi]


class _Ternaries:
    """Rewrite ``c ? a : b`` into Python's ``(a if c else b)`` on tokens.

    The conditional operator binds loosest of all operators there are here, so at one bracket
    level its condition is everything before the ``?`` (back to an opening bracket or a
    comma) and its alternative everything after the matching ``:``; nested conditionals are
    right-associative and found by counting ``?`` against ``:``. The new tokens carry the
    offsets of the ``?`` and ``:`` they replace, so errors still point into the original.
    """

    def __init__(self, tokens: list[Token], pairs: dict[int, int]) -> None:
        self.tokens = tokens
        self.pairs = pairs

    def rewrite(self) -> list[Token]:
        return self._segments(0, len(self.tokens))

    def _level(self, lo: int, hi: int) -> list[int]:
        """Indexes of the tokens in ``[lo, hi)`` at this bracket level (groups skipped)."""
        found: list[int] = []
        i = lo
        while i < hi:
            found.append(i)
            i = self.pairs[i] + 1 if self.tokens[i].kind is Kind.OPEN else i + 1
        return found

    def _segments(self, lo: int, hi: int) -> list[Token]:
        """Comma-separated expressions of one level, each rewritten."""
        out: list[Token] = []
        start = lo
        for i in self._level(lo, hi):
            if self.tokens[i].kind is Kind.OP and self.tokens[i].text == ",":
                out += self._expression(start, i)
                out.append(self.tokens[i])
                start = i + 1
        out += self._expression(start, hi)
        return out

    def _expression(self, lo: int, hi: int) -> list[Token]:
        level = self._level(lo, hi)
        marks = [i for i in level if self.tokens[i].kind is Kind.OP and self.tokens[i].text in "?:"]
        question = next((i for i in marks if self.tokens[i].text == "?"), None)
        if question is None:
            return self._copy(lo, hi)
        depth = 0
        colon = None
        for i in marks:
            if i <= question:
                continue
            if self.tokens[i].text == "?":
                depth += 1
            elif depth == 0:
                colon = i
                break
            else:
                depth -= 1
        if colon is None:
            return self._copy(lo, hi)  # the parser reports the stray '?'
        q, c = self.tokens[question].start, self.tokens[colon].start
        return [
            Token(Kind.OPEN, "(", q),
            *self._expression(question + 1, colon),
            Token(Kind.SPACE, " ", q),
            Token(Kind.NAME, "if", q),
            Token(Kind.SPACE, " ", q),
            *self._copy(lo, question),
            Token(Kind.SPACE, " ", c),
            Token(Kind.NAME, "else", c),
            Token(Kind.SPACE, " ", c),
            *self._expression(colon + 1, hi),
            Token(Kind.CLOSE, ")", c),
        ]

    def _copy(self, lo: int, hi: int) -> list[Token]:
        """The tokens of ``[lo, hi)``, with the insides of bracket groups rewritten."""
        out: list[Token] = []
        i = lo
        while i < hi:
            tok = self.tokens[i]
            if tok.kind is Kind.OPEN:
                close = self.pairs[i]
                out.append(tok)
                out += self._segments(i + 1, close)
                out.append(self.tokens[close])
                i = close + 1
            else:
                out.append(tok)
                i += 1
        return out


def _is_code(token: Token) -> bool:
    return token.kind not in (Kind.SPACE, Kind.COMMENT)


def _after_dot(previous: Token | None) -> bool:
    return previous is not None and previous.kind is Kind.OP and previous.text == "."
