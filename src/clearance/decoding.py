"""Input bytes to text, one way for every reader (shipments, batches, parties, catalogues, portfolios, licences,
scenarios): UTF-8, with or without the byte-order mark that spreadsheets and some editors write at the start.

Tables (CSV) are also read as Excel and ERPs in Japan and Korea write them: :func:`decode_table` detects
Shift_JIS (CP932), EUC-JP, EUC-KR (CP949) and UTF-16 too, with charset-normalizer, and says which it found.
JSON stays UTF-8 only, as its standard requires."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from clearance.errors import InputError

BOM = "\ufeff"
BOM_BYTES = BOM.encode()


def without_bom(data: bytes) -> bytes:
    """UTF-8 bytes without a leading byte-order mark, for parsers that check UTF-8 themselves (JSON)."""
    return data.removeprefix(BOM_BYTES)


def decode_text(data: bytes | str, what: str, source: str | None = None) -> str:
    """``data`` as text without a leading byte-order mark; :class:`InputError` on ``what`` if it is not UTF-8
    (naming ``source``, e.g. the file, when given)."""
    if isinstance(data, str):
        return data.removeprefix(BOM)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = f"{source}: " if source else ""
        raise InputError(what, f"{where}not UTF-8 text (byte {exc.start} cannot be read)") from None


#: The encodings a table may come in besides UTF-8, as Python names them, with the names people know them by.
TABLE_ENCODINGS = {
    "cp932": "Shift_JIS (CP932)",
    "euc_jp": "EUC-JP",
    "cp949": "EUC-KR (CP949)",
    "utf_16": "UTF-16",
}


#: The codecs a table is read in without detection (:func:`stream_codec`), with the names people know them by.
STREAM_ENCODINGS = {"utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16", "utf-8": "UTF-8"}


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text read from bytes, and the encoding it was read in (as people name it, e.g. ``Shift_JIS (CP932)``)."""

    text: str
    encoding: str


def decode_table(data: bytes, what: str, source: str | None = None) -> DecodedText:
    """A table's bytes as text: UTF-8 (with or without BOM), UTF-16 with a BOM, else the best of
    :data:`TABLE_ENCODINGS` as charset-normalizer detects it; :class:`InputError` on ``what`` when none reads."""
    codec = _codec_of_start(data)
    if codec != "utf-8":
        return _decoded(data, codec, STREAM_ENCODINGS[codec], what, source)
    try:
        return DecodedText(data.decode("utf-8"), STREAM_ENCODINGS["utf-8"])
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=list(TABLE_ENCODINGS)).best()
    if best is None or best.encoding not in TABLE_ENCODINGS:
        where = f"{source}: " if source else ""
        known = ", ".join(["UTF-8", *TABLE_ENCODINGS.values()])
        raise InputError(
            what, f"{where}not text in a known encoding ({known}); save it from Excel as 'CSV UTF-8' or CSV"
        ) from None
    return _decoded(data, best.encoding, TABLE_ENCODINGS[best.encoding], what, source)


#: Bytes of a file read at a time to check its encoding.
CHUNK_BYTES = 1 << 20


def stream_codec(path: Path) -> str | None:
    """The codec to read a table file in a piece at a time, when :func:`decode_table` reads it without detection:
    UTF-8 with BOM, UTF-16 with BOM or UTF-8, checked over the whole file a chunk at a time; None for any other
    encoding (or bytes no encoding reads), which :func:`decode_table` detects from the whole content."""
    with path.open("rb") as handle:
        codec = _codec_of_start(handle.read(len(codecs.BOM_UTF8)))
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(codec)()
        try:
            while chunk := handle.read(CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return codec


def _codec_of_start(start: bytes) -> str:
    """The codec a file's first bytes name by their byte-order mark (UTF-8 without one)."""
    if start.startswith(BOM_BYTES):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def _decoded(data: bytes, codec: str, name: str, what: str, source: str | None) -> DecodedText:
    try:
        return DecodedText(data.decode(codec), name)
    except UnicodeDecodeError as exc:
        where = f"{source}: " if source else ""
        raise InputError(what, f"{where}not {name} text (byte {exc.start} cannot be read)") from None
