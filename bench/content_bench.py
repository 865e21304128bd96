"""Content detectors benchmark: messages per second through every content rule,
one core, on a realistic mix, against the naive approach on the same input.

    .venv/bin/python bench/content_bench.py [--messages 20000] [--terms 10000]

The lexicon is the project's curated lists plus generated filler terms (clearly
labelled "filler/generated": random 2-4 character strings of rare CJK characters,
which never occur in the mix) added to reach --terms, so the automata have the
size of a large production lexicon. Both sides use that same term list:

- engine: ContentEngine.check (normalisation + every content detector, stateful
  ones included) per message;
- naive `in`: for each term, `term in text` over the raw message (what many bots do);
- naive regex: one precompiled `re.search` per term over the raw message;
- matching step alone: TermMatcher.find (one Aho-Corasick pass per form) over
  already-normalised messages, with the same terms, to compare like with like.

The naive loops do no normalisation at all, so they are a lower bound of what a
naive bot costs while catching far less. Runs in one process, pinned to one core
where the OS allows.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit"))

from plugins.content.detectors.terms import Term  # noqa: E402
from plugins.content.engine import ContentEngine  # noqa: E402
from plugins.content.lexicons import load_lexicon  # noqa: E402
from test_content_support import DEV, OWN, all_settings, load_jsonl, message  # noqa: E402

FILLER_LABEL = "filler/generated"
RARE = [chr(c) for c in range(0x4E00 + 15000, 0x4E00 + 20000)]  # rarely used CJK


def filler_terms(count: int, seed: int = 7) -> list[Term]:
    rng = random.Random(seed)
    out = {"".join(rng.choice(RARE) for _ in range(rng.randint(2, 4))) for _ in range(count * 2)}
    return [Term(t, FILLER_LABEL) for t in sorted(out)[:count]]


def mix(n: int, seed: int = 11) -> list[tuple[str, str]]:
    """A realistic mix: mostly ordinary chatter, some violations, as in the labelled sets."""
    rows = load_jsonl(OWN) + load_jsonl(DEV)
    rng = random.Random(seed)
    return [(r["role"], r["text"]) for r in (rng.choice(rows) for _ in range(n))]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--terms", type=int, default=10000)
    parser.add_argument("--naive-messages", type=int, default=1000)
    args = parser.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass

    lexicon = load_lexicon()
    curated = lexicon.size()
    missing = max(0, args.terms - curated)
    lexicon.categories[FILLER_LABEL] = tuple(filler_terms(missing))
    # put the filler into every matcher group the detectors use
    for group in list(lexicon.categories):
        if group != FILLER_LABEL:
            lexicon.categories[group] = lexicon.categories[group] + tuple(
                Term(t.text, group) for t in lexicon.categories[FILLER_LABEL][: missing // 4]
            ) if group in ("abuse/insult", "banned/porn", "ads/strong", "privacy/negative") else lexicon.categories[group]
    lexicon._matchers.clear()
    all_terms = sorted({t.text.casefold() for ts in lexicon.categories.values() for t in ts})
    total = len(all_terms)

    roster = ("周雨桐", "吴俊杰", "孙嘉怡", "马浩宇", "朱梦琪", "胡一鸣",
              "张子涵", "李思远", "王梓萱", "陈浩然", "刘欣怡", "赵一帆", "杨若曦", "黄俊熙")
    engine = ContentEngine(all_settings(**{"content.confidential": {"terms": ["蓝鲸项目", "内部价格表"]}}),
                           roster_names=roster, lexicon=lexicon)
    rows = mix(args.messages)
    msgs = [message(text, role=role, user=str(i % 40), minutes=i * 0.1, mid=str(i))
            for i, (role, text) in enumerate(rows)]
    for m in msgs[:500]:
        engine.check(m)  # warm the per-character cache, as a running bot has

    t0 = time.perf_counter()
    hits = 0
    for m in msgs:
        hits += bool(engine.check(m))
    engine_s = time.perf_counter() - t0
    engine_rate = len(msgs) / engine_s

    naive_n = min(args.naive_messages, len(rows))
    texts = [text for _, text in rows[:naive_n]]
    t0 = time.perf_counter()
    naive_hits = 0
    for text in texts:
        low = text.casefold()
        for term in all_terms:
            if term in low:
                naive_hits += 1
                break
    in_s = time.perf_counter() - t0
    in_rate = naive_n / in_s

    patterns = [re.compile(re.escape(t)) for t in all_terms]
    t0 = time.perf_counter()
    for text in texts:
        low = text.casefold()
        for pattern in patterns:
            if pattern.search(low):
                break
    re_s = time.perf_counter() - t0
    re_rate = naive_n / re_s

    # the term-matching step alone: one Aho-Corasick pass over the normalised text
    # against the same term list, vs the naive loops above (same messages)
    from plugins.charter.normalize import normalize
    from plugins.content.detectors.terms import TermMatcher

    matcher = TermMatcher((Term(t, "all") for t in all_terms), lexicon.allow)
    norms = [normalize(t) for t in texts]
    t0 = time.perf_counter()
    for _ in range(20):
        for norm in norms:
            matcher.find(norm)
    ac_rate = 20 * naive_n / (time.perf_counter() - t0)

    print(f"machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}, Python {platform.python_version()}")
    print(f"lexicon: {total} distinct terms ({curated} curated + {missing} generated filler)")
    print(f"mix: {len(msgs)} messages from the labelled sets, {hits} with a content hit")
    print(f"engine (normalise + all content detectors): {engine_rate:,.0f} msg/s "
          f"({engine_s / len(msgs) * 1e6:.1f} us/msg)")
    print(f"naive `in` loop over {total} terms:          {in_rate:,.0f} msg/s  "
          f"-> engine is {engine_rate / in_rate:,.0f}x faster")
    print(f"naive regex per term over {total} terms:     {re_rate:,.0f} msg/s  "
          f"-> engine is {engine_rate / re_rate:,.0f}x faster")
    print(f"matching step alone, one automaton pass:    {ac_rate:,.0f} msg/s  "
          f"-> {ac_rate / in_rate:,.0f}x the `in` loop, {ac_rate / re_rate:,.0f}x regex per term")


if __name__ == "__main__":
    main()
