"""Benchmark: what a DOCX zip bomb costs, read by python-docx directly and by innostudy.

Builds a well-formed Word package (under 1 MB) whose document.xml inflates to 256 MiB of
paragraphs, then reads it in two fresh processes and prints each one's peak memory and
CPU time: python-docx opening it as innostudy did before ``zipsafe`` guarded DOCX, and
innostudy's DOCX reader, which refuses it from the archive's directory.

    .venv/bin/python bench/bench_hostile_inputs.py
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
        '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    ),
}
MEASURE = """
import resource, sys, time
start = time.process_time()
try:
    {call}
    outcome = "read"
except Exception as exc:
    outcome = str(exc)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{peak:,.0f}} MiB peak, {{time.process_time() - start:.2f}} s CPU: {{outcome}}")
"""


def build(path: Path, mib: int) -> None:
    paragraph = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 8192
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in PARTS.items():
            package.writestr(name, text)
        with package.open("word/document.xml", "w") as part:
            part.write(f'<?xml version="1.0"?><w:document xmlns:w="{NS}"><w:body>'.encode())
            for _ in range((mib << 20) // len(paragraph)):
                part.write(paragraph)
            part.write(b"</w:body></w:document>")


def measure(label: str, call: str) -> None:
    code = MEASURE.format(call=call)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    print(f"{label:<34} {done.stdout.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=256, help="inflated size of document.xml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bomb = Path(folder) / "bomb.docx"
        build(bomb, args.mib)
        print(f"{bomb.stat().st_size:,} bytes on disk, {args.mib} MiB of document.xml")
        measure(
            "innostudy's DOCX reader",
            "from pathlib import Path; from innostudy.transcripts.formats import docx; "
            f"docx.parse(Path({str(bomb)!r}))",
        )
        measure("python-docx directly (before)", f"import docx; docx.Document({str(bomb)!r})")


if __name__ == "__main__":
    main()
