"""Input bytes to text, one way for every reader (shipments, batches, parties, catalogues, portfolios, licences,
scenarios): UTF-8, with or without the byte-order mark that spreadsheets and some editors write at the start."""

from __future__ import annotations

from clearance.errors import InputError

BOM = "\ufeff"
_BOM_BYTES = BOM.encode()


def without_bom(data: bytes) -> bytes:
    """UTF-8 bytes without a leading byte-order mark, for parsers that check UTF-8 themselves (JSON)."""
    return data.removeprefix(_BOM_BYTES)


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
