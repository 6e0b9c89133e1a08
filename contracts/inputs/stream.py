"""A read-only byte stream with look-ahead that works on pipes (no seeking)."""
from __future__ import annotations

from typing import BinaryIO

from .jsonparse import MAX_RECORD_BYTES

PEEK_LINE = 1 << 20      # a look-ahead for lines reads at most this much at a time …
#: … and holds at most this much: the size bound of one payload, so a JSON Lines stream whose first lines are long
#: still reads as JSON Lines, while a "line" of a gigabyte of whitespace (a gzip bomb) is never held
PEEK_LIMIT = MAX_RECORD_BYTES + 1


class Peekable:
    """Wraps a binary stream; ``peek``/``peek_lines`` buffer data without consuming it.

    A read error met while looking ahead is kept and raised only when the
    consumer reads past the data buffered before it, so records before the
    failure still come out.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        # read1: at most one underlying read, so data decoded before an error is not lost
        self._read_some = getattr(raw, "read1", raw.read)
        self._buf = b""
        self._eof = False
        self._error: BaseException | None = None

    def _pull(self, size: int | None) -> bytes:
        """Read more (``size`` bytes, or a line when None) into the look-ahead buffer."""
        if self._eof:
            return b""
        try:
            chunk = self._raw.readline(PEEK_LINE) if size is None else self._read_some(size)
        except Exception as exc:
            if not self._buf:
                raise
            self._error, self._eof = exc, True
            return b""
        if not chunk:
            self._eof = True
        return chunk

    def _raise_pending(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def peek(self, size: int) -> bytes:
        while len(self._buf) < size and not self._eof:
            self._buf += self._pull(size - len(self._buf))
        return self._buf[:size]

    def peek_lines(self, count: int) -> list[bytes]:
        """The first ``count`` non-blank lines (fewer at end of data), not consumed."""
        while True:
            pieces = self._buf.split(b"\n")
            complete = pieces if self._eof else pieces[:-1]
            lines = [line for line in complete if line.strip()]
            if len(lines) >= count or self._eof or len(self._buf) > PEEK_LIMIT:
                return lines[:count]
            self._buf += self._pull(None)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            data, self._buf = self._buf, b""
            self._raise_pending()
            if not self._eof:
                data += self._raw.read()
                self._eof = True
            return data
        if self._buf:
            data, self._buf = self._buf[:size], self._buf[size:]
            if len(data) < size and not self._eof and not self._error:
                try:  # fill up to ``size`` as a plain read would
                    data += self._raw.read(size - len(data))
                except Exception as exc:  # kept for the next read: the buffered data comes out first
                    self._error, self._eof = exc, True
            return data
        self._raise_pending()
        return b"" if self._eof else self._raw.read(size)

    def read1(self, size: int = -1) -> bytes:
        """At most one read of the stream below (data decoded before a gzip error is not lost)."""
        if size is None or size < 0:
            return self.read(size)
        if self._buf:  # what is buffered, no read below (read() would fill up to ``size``)
            data, self._buf = self._buf[:size], self._buf[size:]
            return data
        self._raise_pending()
        return b"" if self._eof else self._read_some(size)

    def readline(self) -> bytes:
        cut = self._buf.find(b"\n")
        if cut >= 0:
            line, self._buf = self._buf[: cut + 1], self._buf[cut + 1 :]
            return line
        line, self._buf = self._buf, b""
        self._raise_pending()  # a fragment cut short by a read error is dropped
        return line if self._eof else line + self._raw.readline()

    def readable(self) -> bool:  # lets gzip.GzipFile use it as fileobj
        return True
