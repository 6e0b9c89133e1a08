"""gzip streams and compressed HTTP bodies, with one-line error reasons."""
from __future__ import annotations

import gzip
import zlib

from .jsonparse import MAX_RECORD_BYTES
from .sniff import GZIP_MAGIC

GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)


def open_gzip(stream) -> gzip.GzipFile:
    """Decompress lazily; errors surface while reading (see ``read_error``)."""
    return gzip.GzipFile(fileobj=stream, mode="rb")


def read_error(exc: BaseException) -> str:
    """One-line reason for an exception raised while reading a (maybe gzip) stream."""
    if isinstance(exc, EOFError):
        return "corrupt gzip: truncated, compressed data ends early"
    if isinstance(exc, zlib.error):
        text = str(exc)
        if "while decompressing data: " in text:
            text = text.split("while decompressing data: ", 1)[1]
        return f"corrupt gzip: {text}"
    if isinstance(exc, gzip.BadGzipFile):
        text = str(exc)
        if text.startswith("Not a gzipped file"):
            return "corrupt gzip: not a gzip file"
        if text[1:2].islower():
            text = text[:1].lower() + text[1:]
        return f"corrupt gzip: {text}"
    if isinstance(exc, OSError):
        return f"read error: {exc.strerror or exc}"
    return f"read error: {type(exc).__name__}: {exc}"


class _TooLarge(Exception):
    pass


def _too_large(limit: int) -> str:
    return f"compressed body decompresses to more than {limit // 1048576} MB, the bound for one payload"


def _bounded(body: bytes, wbits: int, limit: int) -> bytes:
    """``body`` decompressed (every gzip member), never more than ``limit`` bytes: a bomb stops there."""
    out: list[bytes] = []
    size = 0
    data = body
    while data:
        d = zlib.decompressobj(wbits)
        chunk = d.decompress(data, limit + 1 - size)
        size += len(chunk)
        out.append(chunk)
        if size > limit or d.unconsumed_tail:
            raise _TooLarge
        if not d.eof:
            raise EOFError("compressed data ends early")
        data = d.unused_data
        if wbits < 0 or wbits == zlib.MAX_WBITS or data[:2] != GZIP_MAGIC:
            break  # only gzip has more members; trailing garbage after one is ignored, as gzip does
    return b"".join(out)


def decode_body(body: bytes, content_encoding: str | None,
                limit: int = MAX_RECORD_BYTES) -> tuple[bytes | None, str | None]:
    """Undo Content-Encoding of a recorded body -> (bytes, None) or (None, reason).

    A gzip magic number is honoured whatever the header says; a gzip/deflate
    header on a body that is not compressed is ignored (recorders such as
    VCR.py ``decode_compressed_response`` store the decoded body).
    """
    encodings = [e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]
    if body[:2] == GZIP_MAGIC:
        try:
            return _bounded(body, 16 + zlib.MAX_WBITS, limit), None
        except GZIP_ERRORS as exc:
            return None, read_error(exc)
        except _TooLarge:
            return None, _too_large(limit)
    looks_plain = body.lstrip()[:1] in (b"{", b"[")
    if "deflate" in encodings and not looks_plain:
        for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
            try:
                return _bounded(body, wbits, limit), None
            except zlib.error as exc:
                error = str(exc).split("while decompressing data: ", 1)[-1]
            except _TooLarge:
                return None, _too_large(limit)
        return None, f"corrupt deflate body: {error}"
    unknown = [e for e in encodings if e not in ("gzip", "x-gzip", "deflate", "identity")]
    if unknown and not looks_plain:
        return None, f"response body has Content-Encoding '{unknown[0]}', which cannot be decoded"
    return body, None
