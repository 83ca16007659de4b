"""The text of a source's rich-text copy (DOCX), for tools whose plain text is missing or
empty (NVivo for Mac writes an empty ``.txt`` beside the ``.docx``).

The DOCX is itself a zip inside the archive; its declared sizes are checked before it is
opened, so a nested bomb is refused like any other, and it is read in memory.
"""

from __future__ import annotations

import io
import zipfile

from innostudy.errors import InputError

MAX_DOCX_INFLATED = 64 * 1024 * 1024


def docx_text(data: bytes, label: str) -> str:
    """Paragraph texts, one a line, as a tool that counts plain-text positions sees them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            declared = sum(info.file_size for info in package.infolist())
    except zipfile.BadZipFile:
        raise InputError(label, None, None, "is not a readable Word document") from None
    if declared > MAX_DOCX_INFLATED:
        raise InputError(label, None, None, "is a Word document too large to read")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise InputError(label, None, None, f"is not a readable Word document ({exc})") from None
    return "\n".join(p.text for p in document.paragraphs)
