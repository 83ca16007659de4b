"""What keeping the suggestion queue's count honest costs per review.

Builds the demo study in a temporary folder, adds open suggestions from a model coder
(``--suggestions``, default 1,000, one per participant turn while turns last), signs a
coder in, and reviews ``--reviews`` suggestions through the app in-process, half as the
queue page does (HTMX, with the page's URL: the response carries the recounted queue)
and half from elsewhere (no count). Prints the median and 95th percentile wall time and
the CPU time per review for each kind, and the time to show the queue page.

    python bench/bench_suggestion_review.py [--suggestions 1000] [--reviews 60]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suggestions", type=int, default=1000)
    parser.add_argument("--reviews", type=int, default=60)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from innostudy.accounts import add_user
    from innostudy.coding.codebook import study_codebook
    from innostudy.coding.manual import apply_code, coder_named
    from innostudy.demo.build import build_demo
    from innostudy.model import CoderKind, CodingStatus, Role, Segment, Speaker
    from innostudy.storage.store import StudyStore
    from innostudy.web.app import create_app
    from innostudy.web.settings import WebSettings

    with tempfile.TemporaryDirectory() as tmp:
        folder = build_demo(Path(tmp) / "study").folder
        with StudyStore.open(folder) as store:
            with store.session() as s:
                add_user(s, "coder", "a long enough password", Role.CODER)
                codes = [c for c in study_codebook(s).codes if "." in c.key]
                model = coder_named(s, "bench-model", CoderKind.MODEL)
                turns = s.scalars(
                    sa.select(Segment).join(Speaker).where(Speaker.participant_id.is_not(None))
                ).all()
                made = 0
                for i, turn in enumerate(turns[: args.suggestions]):
                    text = turn.text.rstrip()
                    if not text.strip():
                        continue
                    apply_code(
                        s,
                        turn,
                        codes[i % len(codes)],
                        model,
                        0,
                        len(text),
                        status=CodingStatus.SUGGESTED,
                        confidence=0.5 + (i % 50) / 100,
                    )
                    made += 1
            app = create_app(WebSettings(secret_key="b" * 20 + "0123456789abcdefXYZ"), store)
            client = TestClient(app, base_url="https://testserver")
            page = client.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token
            client.post(
                "/login",
                data={
                    "csrf_token": token.group(1),
                    "username": "coder",
                    "password": "a long enough password",
                    "next": "/dashboard",
                },
            )
            started = time.perf_counter()
            queue = client.get("/coding/suggestions")
            page_ms = 1000 * (time.perf_counter() - started)
            csrf = re.search(r'name="csrf-token" content="([^"]+)"', queue.text)
            ids = [int(x) for x in re.findall(r'id="sugg-(\d+)"', queue.text)]
            assert csrf
            assert len(ids) >= args.reviews
            timings: dict[str, list[tuple[float, float]]] = {"with count": [], "without": []}
            for n, coding_id in enumerate(ids[: args.reviews]):
                kind = "with count" if n % 2 == 0 else "without"
                url = "https://testserver/coding/suggestions" if kind == "with count" else ""
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.post(
                    f"/coding/suggestions/{coding_id}/review",
                    data={"verdict": "accept"},
                    headers={
                        "X-CSRF-Token": csrf.group(1),
                        "HX-Request": "true",
                        "HX-Current-URL": url,
                    },
                )
                timings[kind].append(
                    (1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu))
                )
                assert response.status_code == 200
    print(f"open suggestions: {made} (the queue page lists the first 200)")
    print(f"queue page: {page_ms:.0f} ms")
    for kind, rows in timings.items():
        walls = [w for w, _ in rows]
        cpus = [c for _, c in rows]
        print(
            f"review {kind}: median {statistics.median(walls):.1f} ms, "
            f"p95 {_percentile(walls, 0.95):.1f} ms, CPU median {statistics.median(cpus):.1f} ms "
            f"({len(rows)} reviews)"
        )


if __name__ == "__main__":
    main()
