"""Mapping positions reported by Python's parser back to offsets in the modeller's text.

Python reports a line number and, for syntax-tree nodes, a UTF-8 *byte* column (syntax errors
give a character column). Errors must name a character offset in the original text, before
the JavaScript rewrite; the rewritten text is one line except inside triple-quoted strings.
"""

from __future__ import annotations

import ast

from wfengine.expressions.lexer import Translated


class SourceMap:
    """Converts parser positions in the translated text to original character offsets."""

    __slots__ = ("_ascii", "_lines", "_origin", "_starts", "text")

    def __init__(self, translated: Translated) -> None:
        self.text = translated.text
        self._origin = translated.origin
        self._lines = self.text.split("\n")
        self._starts: list[int] = []
        start = 0
        for line in self._lines:
            self._starts.append(start)
            start += len(line) + 1
        self._ascii = [line.isascii() for line in self._lines]

    def _original(self, line_index: int, char_column: int) -> int:
        if line_index >= len(self._lines):
            return self._origin[-1]
        position = self._starts[max(line_index, 0)] + max(char_column, 0)
        return self._origin[min(position, len(self._origin) - 1)]

    def char_offset(self, lineno: int, char_column: int) -> int:
        """Original offset of a 1-based line and 0-based *character* column (syntax errors)."""
        return self._original(lineno - 1, char_column)

    def end_offset(self) -> int:
        """Original offset just past the text: where "unexpected end" errors point."""
        return self._origin[-1]

    def byte_offset(self, lineno: int, byte_column: int) -> int:
        """Original offset of a 1-based line and 0-based *byte* column (syntax-tree nodes)."""
        index = lineno - 1
        if 0 <= index < len(self._lines) and not self._ascii[index]:
            prefix = self._lines[index].encode("utf-8")[:byte_column]
            byte_column = len(prefix.decode("utf-8", errors="ignore"))
        return self._original(index, byte_column)

    def start(self, node: ast.expr | ast.keyword) -> int:
        """Original offset where ``node`` begins."""
        return self.byte_offset(node.lineno, node.col_offset)

    def end(self, node: ast.expr | ast.keyword) -> int:
        """Original offset just past the end of ``node``."""
        if node.end_lineno is None or node.end_col_offset is None:
            return self.start(node)
        return self.byte_offset(node.end_lineno, node.end_col_offset - 1) + 1
