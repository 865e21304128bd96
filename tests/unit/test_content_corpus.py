"""Precision and recall of the content rules over the shared development corpus,
the project's own labelled set and its probe set. Fails when either drops: no `ok` message may
get a hit from any content rule (the model's suspicions included), and every other label needs
recall >= 0.95 from the rules' patterns alone."""

from __future__ import annotations

from collections import defaultdict

import pytest

from plugins.content.engine import SUSPECTED_KIND, ContentEngine
from test_content_support import (
    DEV,
    DEV_ROSTER,
    LABEL_RULE,
    OWN,
    PROBES,
    all_settings,
    load_jsonl,
    message,
)

STATEFUL = ("content.flood", "content.ack_replies", "content.chitchat")
MIN_RECALL = 0.95


def _evaluate(rows: list[dict]) -> tuple[list[str], dict[str, tuple[int, int]]]:
    engines: dict[tuple, ContentEngine] = {}
    false_positives: list[str] = []
    per_label: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i, row in enumerate(rows):
        roster = tuple(row.get("roster", DEV_ROSTER))
        terms = tuple(row.get("confidential", ()))
        engine = engines.get((roster, terms))
        if engine is None:
            rules = all_settings(**{"content.confidential": {"terms": list(terms)}})
            for rule_id in STATEFUL:  # judged on conversations, not single messages
                rules.pop(rule_id)
            engine = engines[(roster, terms)] = ContentEngine(rules, roster_names=roster)
        hits = engine.check(message(row["text"], role=row["role"], name=row.get("name", ""),
                                    user=str(i), mid=str(i)))
        rules_hit = {h.rule_id for h in hits}
        if row["label"] == "ok":
            if rules_hit:
                false_positives.append(f"{row['text']!r} -> {sorted(rules_hit)}")
        else:
            counts = per_label[row["label"]]
            counts[1] += 1
            # the rules' own recall: the model (kind "suspected") learnt these sets, so its
            # hits here would flatter; it is measured on the held-out set (test_content_heldout.py)
            counts[0] += any(h.rule_id == LABEL_RULE[row["label"]] and h.kind != SUSPECTED_KIND for h in hits)
    return false_positives, {k: (v[0], v[1]) for k, v in per_label.items()}


@pytest.mark.parametrize("path", [DEV, OWN, PROBES], ids=["dev", "own", "probes"])
def test_no_false_positive_and_recall(path) -> None:
    rows = load_jsonl(path)
    false_positives, recall = _evaluate(rows)
    assert not false_positives, "hits on ordinary messages:\n" + "\n".join(false_positives)
    low = {label: f"{hit}/{n}" for label, (hit, n) in recall.items() if hit / n < MIN_RECALL}
    assert not low, f"recall below {MIN_RECALL}: {low}"


def test_own_set_shape() -> None:
    rows = load_jsonl(OWN)
    assert len(rows) >= 400
    assert sum(r["label"] == "ok" for r in rows) * 2 >= len(rows)
    assert {r["label"] for r in rows} >= set(LABEL_RULE) | {"ok"}
    assert not {r["text"] for r in rows} & {r["text"] for r in load_jsonl(DEV)}


def test_probe_set_is_new_messages() -> None:
    probes = {r["text"] for r in load_jsonl(PROBES)}
    assert len(probes) >= 500
    assert not probes & ({r["text"] for r in load_jsonl(OWN)} | {r["text"] for r in load_jsonl(DEV)})
