"""Make followup.ogg from script.yaml: espeak-ng speaks each line, sox joins and compresses.

Run from the repository after changing the script (needs espeak-ng and sox):

    .venv/bin/python src/innostudy/demo/recording/make_recording.py

The recording is synthetic and labelled so in the study that the demo builds.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from innostudy.demo.speech import VOICES, Line, missing_tools, speak

HERE = Path(__file__).parent
PAUSES = (0.5, 0.35, 0.6, 0.4)


def main() -> None:
    if missing_tools():
        raise SystemExit(f"needs {' and '.join(missing_tools())}")
    script = yaml.safe_load((HERE / "script.yaml").read_text(encoding="utf-8"))
    voices = dict(zip(script["speakers"], VOICES, strict=False))
    lines = [Line(line["speaker"], line["text"]) for line in script["lines"]]
    out = HERE / "followup.ogg"
    spoken = speak(lines, voices, out, pauses=PAUSES, extra=["-C", "3"])
    print(f"{out}: {spoken[-1].end:.1f} s, {out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
