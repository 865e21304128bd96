"""Content detectors benchmark: messages per second through every content rule,
one core, on a realistic mix, against the naive approach on the same input.

    .venv/bin/python bench/content_bench.py [--messages 20000] [--terms 10000]

The lexicon is the project's curated lists plus generated filler terms (clearly
labelled "filler/generated": random 2-4 character strings of rare CJK characters,
which never occur in the mix) added until it has --terms distinct terms, so the
automata have the size of a large production lexicon; a quarter of the filler is
also put into the abuse, banned, ads and privacy groups. Every side uses that same
term list on the same messages:

- engine: ContentEngine.check (normalisation + every content detector, stateful
  ones included) per message;
- naive `in`: for each term, `term in text` over the case-folded raw message
  (what many bots do; it catches no evasion at all);
- naive regex: one precompiled `re.search` per term over the case-folded raw message;
- naive `in` after normalising: the same normalisation as the engine, then the
  `in` loop over its compact form (what a naive bot that does fold evasions costs);
- matching step alone: TermMatcher.find (one Aho-Corasick pass per form) over
  already-normalised messages, with the same terms, to compare like with like.

Rates are CPU time of this process (`time.process_time`), pinned to one core where
the OS allows, best of --repeat runs: on a shared machine wall time also counts
the time other processes hold the core. Wall-clock rates are printed too.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit"))

from plugins.charter.normalize import fold_term, normalize  # noqa: E402
from plugins.content.detectors.terms import Term, TermMatcher  # noqa: E402
from plugins.content.engine import ContentEngine  # noqa: E402
from plugins.content.lexicons import Lexicon, load_lexicon  # noqa: E402
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


def build_lexicon(terms: int) -> tuple[Lexicon, int, int]:
    """The curated lexicon plus filler up to `terms` distinct terms (a copy: the
    cached default lexicon is left alone). Returns (lexicon, curated, filler)."""
    base = load_lexicon()
    categories = dict(base.categories)
    curated = len({t.text for ts in categories.values() for t in ts})
    missing = max(0, terms - curated)
    filler = filler_terms(missing)
    categories[FILLER_LABEL] = tuple(filler)
    for group in ("abuse/insult", "banned/porn", "ads/strong", "privacy/negative"):
        categories[group] = categories[group] + tuple(
            Term(t.text, group) for t in filler[: missing // 4]
        )
    return Lexicon(categories, base.allow), curated, len(filler)


def best_of(repeat: int, run: Callable[[], object]) -> tuple[float, float]:
    """(best CPU seconds, best wall seconds) of `repeat` runs."""
    cpu = wall = float("inf")
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        run()
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - w0)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--terms", type=int, default=10000)
    parser.add_argument("--naive-messages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass

    lexicon, curated, filler = build_lexicon(args.terms)
    all_terms = sorted({t.text.casefold() for ts in lexicon.categories.values() for t in ts})
    total = len(all_terms)

    roster = ("周雨桐", "吴俊杰", "孙嘉怡", "马浩宇", "朱梦琪", "胡一鸣",
              "张子涵", "李思远", "王梓萱", "陈浩然", "刘欣怡", "赵一帆", "杨若曦", "黄俊熙")
    settings = all_settings(**{"content.confidential": {"terms": ["蓝鲸项目", "内部价格表"]}})
    rows = mix(args.messages)
    msgs = [message(text, role=role, user=str(i % 40), minutes=i * 0.1, mid=str(i))
            for i, (role, text) in enumerate(rows)]
    ok_texts = {r["text"] for r in load_jsonl(OWN) + load_jsonl(DEV) if r["label"] == "ok"}
    chatter = [m for m in msgs if m.text in ok_texts]

    def engine_over(batch: list) -> Callable[[], object]:
        def run() -> None:
            # a fresh engine per run: the stateful rules start from the same state
            engine = ContentEngine(settings, roster_names=roster, lexicon=lexicon)
            for m in batch:
                engine.check(m)
        return run

    engine = ContentEngine(settings, roster_names=roster, lexicon=lexicon)
    hits = sum(bool(engine.check(m)) for m in msgs)  # also warms the per-character tables
    engine_cpu, engine_wall = best_of(args.repeat, engine_over(msgs))
    chatter_cpu, _ = best_of(args.repeat, engine_over(chatter))

    naive_n = min(args.naive_messages, len(rows))
    texts = [text for _, text in rows[:naive_n]]

    def naive_in() -> None:
        for text in texts:
            low = text.casefold()
            for term in all_terms:
                if term in low:
                    break

    patterns = [re.compile(re.escape(t)) for t in all_terms]

    def naive_re() -> None:
        for text in texts:
            low = text.casefold()
            for pattern in patterns:
                if pattern.search(low):
                    break

    folded_terms = sorted({f for f in (fold_term(t) for t in all_terms) if f})

    def naive_in_normalised() -> None:
        for text in texts:
            norm = normalize(text)
            compact, words = norm.compact, norm.words
            for term in folded_terms:
                if term in compact or term in words:
                    break

    in_cpu, _ = best_of(1, naive_in)
    re_cpu, _ = best_of(1, naive_re)
    in_norm_cpu, _ = best_of(1, naive_in_normalised)

    # the term-matching step alone: one Aho-Corasick pass over the normalised text
    # against the same term list, vs the naive loops above (same messages)
    matcher = TermMatcher((Term(t, "all") for t in all_terms), lexicon.allow)
    norms = [normalize(t) for t in texts]

    def matching() -> None:
        for _ in range(20):
            for norm in norms:
                matcher.find(norm)

    ac_cpu, _ = best_of(args.repeat, matching)

    engine_rate = len(msgs) / engine_cpu
    chatter_rate = len(chatter) / chatter_cpu
    in_rate, re_rate = naive_n / in_cpu, naive_n / re_cpu
    in_norm_rate = naive_n / in_norm_cpu
    ac_rate = 20 * naive_n / ac_cpu
    print(f"machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"lexicon: {total} distinct terms ({curated} curated + {filler} generated filler)")
    print(f"mix: {len(msgs)} messages from the labelled sets, {hits} with a content hit, "
          f"{len(chatter)} ordinary chatter")
    print(f"engine (normalise + all content detectors): {engine_rate:,.0f} msg/s CPU "
          f"({engine_cpu / len(msgs) * 1e6:.1f} us/msg; wall {len(msgs) / engine_wall:,.0f} msg/s)")
    print(f"engine on the ordinary chatter alone:        {chatter_rate:,.0f} msg/s CPU "
          f"({chatter_cpu / len(chatter) * 1e6:.1f} us/msg)")
    print(f"naive `in` loop, raw text, {total} terms:     {in_rate:,.0f} msg/s  "
          f"-> engine is {engine_rate / in_rate:,.1f}x faster")
    print(f"naive regex per term, raw text:             {re_rate:,.0f} msg/s  "
          f"-> engine is {engine_rate / re_rate:,.1f}x faster")
    print(f"naive `in` loop after the same normalise:   {in_norm_rate:,.0f} msg/s  "
          f"-> engine is {engine_rate / in_norm_rate:,.1f}x faster")
    print(f"matching step alone, one automaton pass:    {ac_rate:,.0f} msg/s  "
          f"-> {ac_rate / in_rate:,.0f}x the `in` loop, {ac_rate / re_rate:,.0f}x regex per term")


if __name__ == "__main__":
    main()
