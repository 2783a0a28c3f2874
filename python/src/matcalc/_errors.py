"""The errors matcalc raises: what was wrong with the input, or with the matcalc process."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence


class MatcalcError(Exception):
    """The CLI refused the input: a syntax, shape, option or differentiation error.

    Carries the CLI's error object: ``code`` (``"MC1002"``: 1xxx syntax, 2xxx shapes and options,
    3xxx differentiation, 7000 internal), ``id`` (``"syntax/unclosed"``), ``message``, and where the
    problem has a position, ``source`` (the expression, ``--dims`` or ``--assume``), ``line`` and
    ``column`` (1-based, in code points), ``start`` and ``end`` (offsets into ``text``, in code
    points), and ``caret``: the offending line with ``^`` under the problem, as the CLI prints it.
    """

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        id: Optional[str] = None,
        source: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        start: Optional[int] = None,
        end: Optional[int] = None,
        text: Optional[str] = None,
        notes: Sequence[str] = (),
    ) -> None:
        self.code = code
        self.id = id
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.start = start
        self.end = end
        self.text = text
        self.notes = tuple(notes)
        self.caret = caret_text(text, start, end) if text is not None and start is not None else None
        super().__init__(self._summary())

    def __reduce__(self) -> Any:
        # Pickled (multiprocessing, a Jupyter parallel kernel) with every field, not just the text.
        return (_rebuild, (type(self), self.message, {k: v for k, v in self.__dict__.items() if k not in ("message", "caret")}))

    def _summary(self) -> str:
        head = f"[{self.code}] {self.message}" if self.code else self.message
        if self.line is not None and self.column is not None:
            head += f" (line {self.line}, column {self.column})"
        parts = [head]
        if self.caret:
            parts.append(self.caret)
        parts.extend(f"note: {n}" for n in self.notes)
        return "\n".join(parts)

    @classmethod
    def from_json(cls, error: Mapping[str, Any], texts: Mapping[str, str]) -> "MatcalcError":
        """From the CLI's error object; ``texts`` maps a source kind to the text it points into."""
        message = str(error.get("message", "matcalc error"))
        source = error.get("source")
        line = error.get("line")
        column = error.get("column")
        start = error.get("start")
        end = error.get("end")
        text = _source_text(source, texts)
        if error.get("id", "").startswith("batch/"):
            # A request the package itself wrote badly: the batch line number means nothing here.
            message = message.split(": ", 1)[1] if message.startswith("line ") else message
            source = line = column = start = end = text = None
        if text is not None and isinstance(start, int):
            start = utf16_to_index(text, start)
            end = utf16_to_index(text, end if isinstance(end, int) else start)
        return cls(
            message,
            code=error.get("code"),
            id=error.get("id"),
            source=source,
            line=line,
            column=column,
            start=start,
            end=end,
            text=text,
            notes=error.get("notes", ()),
        )


def _rebuild(cls: type, message: str, fields: Mapping[str, Any]) -> "MatcalcError":
    return cls(message, **fields)


class MatcalcProcessError(MatcalcError):
    """The matcalc process could not be found or started, died, or did not answer in time."""


def _source_text(source: Optional[str], texts: Mapping[str, str]) -> Optional[str]:
    if source is None:
        return None
    if source.endswith(" expr") or source == "<input>":
        return texts.get("expr")
    return texts.get(source)


def utf16_to_index(text: str, offset: int) -> int:
    """The code-point index of a UTF-16 offset (the CLI counts in UTF-16, as JavaScript does)."""
    units = 0
    for i, ch in enumerate(text):
        if units >= offset:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def caret_text(text: str, start: int, end: Optional[int]) -> str:
    """The line of ``text`` holding ``start``, and ``^`` under ``start:end`` (at least one)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    if line_end < 0:
        line_end = len(text)
    line = text[line_start:line_end]
    stop = min(end if end is not None else start, line_end)
    width = max(1, stop - start)
    return f"{line}\n{' ' * (start - line_start)}{'^' * width}"
