r"""Which characters plan text may hold, and how a file in another encoding than UTF-8 is told.

Control characters other than tab, newline and carriage return (``\x00``–``\x08``,
``\x0b``, ``\x0c``, ``\x0e``–``\x1f``) are invisible, and XML, so an xlsx cell,
cannot hold them at all; a lone surrogate (half of a UTF-16 pair, ``\ud800``–``\udfff``)
cannot be written as UTF-8. Such characters only ever arrive by accident (a
file in another encoding, a copy from a binary document), so the models refuse
them, naming the field; writers of documents drop any that are already stored.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["FORBIDDEN_CHARACTERS", "forbidden_character", "other_encoding", "writable"]

#: Characters no plan text may hold: C0 controls but tab, newline and CR, and lone surrogates.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

#: Byte-order marks of the encodings a file saved as "Unicode" may have instead of UTF-8
#: (UTF-32's first: UTF-32-LE's mark begins with UTF-16-LE's).
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-mark"), (codecs.BOM_UTF32_BE, "utf-32-mark"),
    (codecs.BOM_UTF16_LE, "utf-16-mark"), (codecs.BOM_UTF16_BE, "utf-16-mark"),
)


def forbidden_character(text: str) -> tuple[str, int] | None:
    r"""The first character text may not hold, as ``U+XXXX``, and its position counted from 1.

    >>> forbidden_character("River\x00side"), forbidden_character("Line 1\nLine 2\tend")
    (('U+0000', 6), None)
    """
    found = FORBIDDEN_CHARACTERS.search(text)
    return None if found is None else (f"U+{ord(found.group()):04X}", found.start() + 1)


def writable(text: str) -> str:
    r"""Text without the characters a document cannot hold (they are dropped).

    >>> writable("Floods\x0b in\ud800 May")
    'Floods in May'
    """
    return FORBIDDEN_CHARACTERS.sub("", text)


def other_encoding(head: bytes) -> str | None:
    r"""Say which other encoding a file's first bytes show it is in, as a code; None for UTF-8 (or unknown).

    UTF-16 and UTF-32 (what Excel and Notepad call "Unicode") are told by their
    byte-order mark or, without one, by their zero bytes: Latin text in UTF-16
    has a zero in every other byte, which reads as UTF-8 without an error, but
    as column names full of NUL characters. The code names the encoding and the
    sign, ``encoding:<code>`` in :data:`partnerlib.core.problems.MESSAGES` words it.

    >>> other_encoding("kpi,date".encode("utf-16-le")), other_encoding(b"kpi,date")
    ('utf-16-zeros', None)

    Args:
        head: the first bytes of the file (a few kilobytes are plenty).
    """
    for mark, code in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return code
    zeros = head.count(0)  # a few are NUL characters in UTF-8 text: the models name their field
    if zeros >= 0.7 * len(head) > 0:  # 3 of 4 in Latin text; less where other scripts fill more bytes
        return "utf-32-zeros"
    if zeros >= 0.4 * len(head) > 0:
        return "utf-16-zeros"
    return None
