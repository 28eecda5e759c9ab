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
from bisect import bisect_right
from dataclasses import dataclass
from enum import Enum, auto

from wfengine.errors import ExpressionSyntaxError
from wfengine.expressions.c_like_literals import python_literal
from wfengine.expressions.limits import ExpressionLimitError, Limits
from wfengine.expressions.name_spelling import expression_name_problem
from wfengine.expressions.name_spelling import name_problem as name_problem


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
    #: the Python keywords renamed as Java/JavaScript names (:data:`KEYWORD_NAMES`): each
    #: name and its offset
    renamed: tuple[tuple[str, int], ...] = ()


_TOKEN_BODY = r"""
    (?P<SPACE>[ \t\f\r\n]+)
  | (?P<COMMENT>{comment})
  | (?P<STRING>[rRuUbBfF]{{0,2}}(?:'''|\"\"\"|'|"))
  | (?P<NUMBER>0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+
        |(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)
  | (?P<NAME>[A-Za-z_\u0080-\U0010FFFF][0-9A-Za-z_\u0080-\U0010FFFF]*)
  | (?P<OPEN>[(\[{{])
  | (?P<CLOSE>[)\]}}])
  | (?P<OP>===|!==|\*\*|//|==|!=|<=|>=|&&|\|\||:=|->|<<|>>|[-+*/%<>=!,:.;~&|^@?])
  | (?P<OTHER>.)
    """
#: the native language: ``#`` comments, ``//`` is floor division
_TOKEN = re.compile(_TOKEN_BODY.format(comment=r"\#[^\r\n]*"), re.VERBOSE | re.DOTALL)
#: Java and JavaScript: ``//`` and ``/* */`` comments, ``#`` is no comment. A block comment's
#: token is its opening ``/*``; :func:`tokenize` finds the end, once (a pattern ``/\*.*?\*/``
#: would rescan to the end of the text from every unterminated ``/*``: quadratic).
_C_TOKEN = re.compile(_TOKEN_BODY.format(comment=r"//[^\r\n]*|/\*"), re.VERBOSE | re.DOTALL)

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

#: Python's keywords that Java or JavaScript (or both) take as plain names: a data field may
#: be called ``from``, ``pass`` or ``None``. Python's parser would refuse the first two and read
#: ``None`` as its literal, so in those dialects they are renamed to ``KEYWORD_PREFIX + name``
#: and the compiler reads them back (:data:`KEYWORD_NAMES`); only ``true``, ``false`` and
#: ``null`` are literals there. Kept as they are: ``if`` and ``else`` (the if-statement and the
#: rewritten ``?:``), ``in`` (the dialects' membership operator, reserved in JavaScript), and
#: words reserved in both languages (``return``, ``class``...) or in strict and asynchronous
#: JavaScript (``yield``, ``await``), which stay Python's and so are refused.
_PYTHON_ONLY_KEYWORDS = frozenset(
    {"False", "None", "True", "and", "as", "assert", "async", "await", "def", "del", "elif"}
    | {"except", "from", "global", "is", "lambda", "nonlocal", "not", "or", "pass", "raise"}
    | {"with"}
)
#: the prefix of a renamed keyword: it starts with ``__``, which no name written in an
#: expression may (the lexer refuses it in these dialects, the compiler everywhere else)
KEYWORD_PREFIX = "__kw_"
#: renamed keyword -> the name the modeller wrote
KEYWORD_NAMES: dict[str, str] = {KEYWORD_PREFIX + k: k for k in _PYTHON_ONLY_KEYWORDS}


def tokenize(text: str, *, c_comments: bool = False) -> list[Token]:
    """Split ``text`` into tokens; fails only on an unterminated string literal or comment and
    on a name Python would read as another (see :func:`name_problem`).

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
        elif kind is Kind.COMMENT and m.group() == "/*":
            close = text.find("*/", end)
            if close < 0:
                raise ExpressionSyntaxError("unterminated comment", source=text, offset=pos)
            end = close + 2
        elif kind is Kind.NAME and not m.group().isascii():
            _plain_name(m.group(), text, pos)
        tokens.append(Token(kind, text[pos:end], pos))
        pos = end
    return tokens


def _plain_name(name: str, source: str, offset: int) -> None:
    """Refuse a name that Python's parser would silently change (:func:`name_problem`); a
    stored deployment's decomposed name is read as before (:mod:`.name_spelling`)."""
    problem = expression_name_problem(name)
    if problem is not None:
        raise ExpressionSyntaxError(problem, source=source, offset=offset)


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
                raise ExpressionLimitError(
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


def translate(
    text: str,
    limits: Limits,
    *,
    c_syntax: bool = False,
    python_keywords: bool = False,
    java: bool = False,
) -> Translated:
    """Check brackets and rewrite JavaScript-isms, keeping an offset map back to ``text``.

    ``c_syntax``: the text is Java or JavaScript: their comments, ``if``/``else``,
    ``c ? a : b`` and Python's keywords as plain names (:data:`KEYWORD_NAMES`), unless
    ``python_keywords`` (the reading :mod:`.syntax` tries to explain a failure); their string
    literals by their escapes (:mod:`.c_like_literals`; ``java``: Java's). Raises
    :class:`ExpressionSyntaxError` for brackets nested deeper than ``limits.max_nesting`` and
    for conditionals nested deeper than ``limits.max_depth`` (each is a level of the syntax
    tree, which may be no deeper).
    """
    tokens = tokenize(text, c_comments=c_syntax)
    pairs = match_brackets(tokens, text, limits.max_nesting)
    # The rewrites add brackets, at most one level per conditional they nest in, and
    # _Ternaries refuses conditionals nested deeper than max_depth: so the rewritten text
    # nests at most this deep, and matching its brackets again only finds the new pairs.
    rewritten_nesting = limits.max_nesting + limits.max_depth
    if c_syntax and any(t.kind is Kind.NAME and t.text == "if" for t in tokens):
        rewritten = _if_statement(tokens, pairs, 0, len(tokens))
        if rewritten is not None:
            tokens = rewritten
            pairs = match_brackets(tokens, text, rewritten_nesting)
    if c_syntax and any(t.kind is Kind.OP and t.text == "?" for t in tokens):
        ternaries = _Ternaries(tokens, pairs, text, limits.max_depth)
        stop = len(tokens)
        while stop > 0 and not _is_code(tokens[stop - 1]):
            stop -= 1
        if stop > 0 and tokens[stop - 1].text == ";":  # the statement end stays at the end
            tokens = [*ternaries.rewrite(0, stop - 1), *tokens[stop - 1 :]]
        else:
            tokens = ternaries.rewrite(0, len(tokens))
        pairs = match_brackets(tokens, text, rewritten_nesting)

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

    renamed: list[tuple[str, int]] = []
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
        elif (
            c_syntax
            and tok.kind is Kind.STRING
            and previous is not None
            and (previous.kind is Kind.STRING)
        ):
            # Python joins "a" "b"; Java and JavaScript refuse it, and 'O''Brien' (SQL's
            # doubled quote) would silently read as 'OBrien'
            raise ExpressionSyntaxError(
                "string literals side by side are not joined in Java or JavaScript; join "
                "them with '+', and write a quote inside a string as \\' or \\\"",
                source=text,
                offset=tok.start,
            )
        elif c_syntax and tok.kind is Kind.STRING:
            literal = python_literal(tok.text, text, tok.start, java)
            parts.append(literal)  # (its last character maps to the closing quote)
            origin.extend([tok.start] * (len(literal) - 1) + [tok.end - 1])
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
        elif c_syntax and tok.kind is Kind.NAME and _renamed(tokens, i, text, python_keywords):
            renamed.append((tok.text, tok.start))
            emit(KEYWORD_PREFIX, tok.start)  # the name itself keeps its offsets
            parts.append(tok.text)
            origin.extend(range(tok.start, tok.end))
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
    return Translated("".join(parts), tuple(origin), tuple(renamed))


def _if_statement(
    tokens: list[Token], pairs: dict[int, int], lo: int, hi: int
) -> list[Token] | None:
    """``if (c) { a } else { b }`` as ``(c) ? (a) : (b)``; None when ``[lo, hi)`` is not that.

    Shark evaluates a JavaScript actual parameter with ``eval``, so an if-statement whose
    branches are single expressions gives the value of the branch taken; tools write it for
    messages (``if (approved) {"approved"} else {"declined"}``). Only that shape is read:
    each branch one expression (an optional ``;``), ``else if`` chains, no ``else`` meaning
    ``null``. Anything else is left for the parser to refuse.

    An ``else if`` chain is read in a loop and becomes a chain of conditionals, which nest
    to the right without brackets (``(c) ? (a) : (d) ? (b) : (e)``); only an if-statement
    inside a branch's braces recurses, as deep as braces may nest.
    """
    code = [i for i in range(lo, hi) if _is_code(tokens[i])]
    if code and tokens[code[-1]].text == ";":  # a statement's end
        code.pop()
    out: list[Token] = []
    k = 0  # position in ``code`` of the next ``if``
    while True:
        if len(code) - k < 3 or tokens[code[k]].text != "if" or tokens[code[k + 1]].text != "(":
            return None
        start = tokens[code[k]].start
        cond_open = code[k + 1]
        cond_close = pairs[cond_open]
        k = bisect_right(code, cond_close)
        if k == len(code) or tokens[code[k]].text != "{":
            return None
        then_open = code[k]
        then_close = pairs[then_open]
        branch = _branch(tokens, pairs, then_open + 1, then_close)
        if branch is None:
            return None
        question = tokens[cond_close].end
        colon = tokens[then_close].start
        out += [
            *tokens[cond_open : cond_close + 1],
            Token(Kind.OP, "?", question),
            Token(Kind.OPEN, "(", question),
            *branch,
            Token(Kind.CLOSE, ")", colon),
            Token(Kind.OP, ":", colon),
        ]
        k = bisect_right(code, then_close)
        if k == len(code):
            other: list[Token] | None = [Token(Kind.NAME, "null", colon)]
        elif tokens[code[k]].text != "else" or k + 1 == len(code):
            return None
        elif tokens[code[k + 1]].text == "{":
            else_close = pairs[code[k + 1]]
            if code[-1] != else_close:
                return None
            other = _branch(tokens, pairs, code[k + 1] + 1, else_close)
        else:  # ``else if``: the next conditional of the chain
            k += 1
            continue
        if other is None:
            return None
        return [*out, Token(Kind.OPEN, "(", colon), *other, Token(Kind.CLOSE, ")", start)]


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

    A chain of alternatives (``c1 ? a1 : c2 ? a2 : e``, what ``else if`` becomes) is read in
    a loop, as ``(a1 if c1 else a2 if c2 else e)``; only a conditional inside a consequent or
    inside brackets recurses. Conditionals may nest at most ``max_depth`` deep (each is a
    level of the syntax tree, which may be no deeper), so the recursion stays shallow.
    """

    def __init__(
        self, tokens: list[Token], pairs: dict[int, int], source: str, max_depth: int
    ) -> None:
        self.tokens = tokens
        self.pairs = pairs
        self.source = source
        self.max_depth = max_depth

    def rewrite(self, lo: int, hi: int) -> list[Token]:
        """The tokens of ``[lo, hi)`` with every conditional rewritten."""
        return self._segments(lo, hi, 0)

    def _segments(self, lo: int, hi: int, depth: int) -> list[Token]:
        """Comma-separated expressions of one level, each rewritten; ``depth`` is the number
        of conditionals they are nested in."""
        out: list[Token] = []
        start = lo
        marks: list[int] = []  # the '?' and ':' of the current expression
        i = lo
        while i < hi:
            tok = self.tokens[i]
            if tok.kind is Kind.OPEN:
                i = self.pairs[i]  # its group is copied with the expression
            elif tok.kind is Kind.OP and tok.text == ",":
                out += self._expression(start, i, marks, depth)
                out.append(tok)
                start, marks = i + 1, []
            elif tok.kind is Kind.OP and tok.text in ("?", ":"):
                marks.append(i)
            i += 1
        out += self._expression(start, hi, marks, depth)
        return out

    def _expression(self, lo: int, hi: int, marks: list[int], depth: int) -> list[Token]:
        """One expression of one level; ``marks`` are the indexes of its ``?`` and ``:``."""
        chain: list[Token] = []
        start, m = lo, 0
        colon = -1
        while True:
            q = next((n for n in range(m, len(marks)) if self.tokens[marks[n]].text == "?"), None)
            c = None if q is None else self._colon(marks, q)
            if q is None or c is None:
                break  # the rest has no conditional (the parser reports a stray '?' or ':')
            question, colon = marks[q], marks[c]
            depth += 1
            if depth > self.max_depth:
                raise ExpressionLimitError(
                    f"conditional expressions nest more than {self.max_depth} deep",
                    source=self.source,
                    offset=self.tokens[question].start,
                )
            at_q, at_c = self.tokens[question].start, self.tokens[colon].start
            if not chain:
                chain.append(Token(Kind.OPEN, "(", at_q))
            chain += [
                *self._expression(question + 1, colon, marks[q + 1 : c], depth),
                Token(Kind.SPACE, " ", at_q),
                Token(Kind.NAME, "if", at_q),
                Token(Kind.SPACE, " ", at_q),
                *self._copy(start, question, depth),
                Token(Kind.SPACE, " ", at_c),
                Token(Kind.NAME, "else", at_c),
                Token(Kind.SPACE, " ", at_c),
            ]
            start, m = colon + 1, c + 1
        rest = self._copy(start, hi, depth)
        if not chain:
            return rest
        return [*chain, *rest, Token(Kind.CLOSE, ")", self.tokens[colon].start)]

    def _colon(self, marks: list[int], question: int) -> int | None:
        """Position in ``marks`` of the ``:`` matching the ``?`` at position ``question``."""
        depth = 0
        for n in range(question + 1, len(marks)):
            if self.tokens[marks[n]].text == "?":
                depth += 1
            elif depth == 0:
                return n
            else:
                depth -= 1
        return None

    def _copy(self, lo: int, hi: int, depth: int) -> list[Token]:
        """The tokens of ``[lo, hi)``, with the insides of bracket groups rewritten."""
        out: list[Token] = []
        i = lo
        while i < hi:
            tok = self.tokens[i]
            if tok.kind is Kind.OPEN:
                close = self.pairs[i]
                out.append(tok)
                out += self._segments(i + 1, close, depth)
                out.append(self.tokens[close])
                i = close + 1
            else:
                out.append(tok)
                i += 1
        return out


def _renamed(tokens: list[Token], i: int, source: str, python_keywords: bool) -> bool:
    """Whether the name ``tokens[i]`` is a Python keyword to rename (:data:`KEYWORD_NAMES`).

    ``not`` before ``in`` stays the operator ``not in``. A name the modeller spelt with the
    renaming's prefix is refused: it would read the keyword's variable under another name.
    """
    name = tokens[i].text
    if name.startswith(KEYWORD_PREFIX):
        raise ExpressionSyntaxError(
            f"names starting with '__' are reserved ({name!r})",
            source=source,
            offset=tokens[i].start,
        )
    if python_keywords or name not in _PYTHON_ONLY_KEYWORDS:
        return False
    if name == "not":
        following = _significant(tokens, i + 1)
        return following >= len(tokens) or tokens[following].text != "in"
    return True


def _is_code(token: Token) -> bool:
    return token.kind not in (Kind.SPACE, Kind.COMMENT)


def _after_dot(previous: Token | None) -> bool:
    return previous is not None and previous.kind is Kind.OP and previous.text == "."
