"""Train the content suspicion model (plugins/content/model.py) from the repository's
labelled sets and write config/models/content_suspicion.tsv::

    .venv/bin/python -m plugins.content.model_train [--check] [--out PATH]

Reads tests/data/content_probes.jsonl and tests/data/content_labelled.jsonl only (CI
clones the repository alone). Deterministic: each row's cross-validation fold comes
from the sha256 of its text (a row keeps its fold when others are added), and the
file is written sorted. `--check` writes nothing and fails when the shipped file is
not what training gives now (after rows were added to the sets, run the trainer).

Model: binary multinomial naive Bayes (alpha 0.5) per label, one against the rest,
over the distinct character 1-3-grams of the prepared text (model.prepare: roster
names replaced) and the role; an n-gram seen in one training row only, not of the four
labels, is left out (half of them: the same out-of-fold recall, half the memory). Rows labelled leave, link or confidential count as
"not this label" like ok rows. Each label's threshold is the highest score of an ok
row, out of fold (5 folds) or by the final model: no ok row of the training sets is
flagged by a model that did not see it, nor by the shipped one. Weights are then put in fixed point: the smallest scale (a power
of two, from 16) with which every row of the sets gets the same flags as in floating
point.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from plugins.charter.normalize import normalize
from plugins.content.detectors.base import NameIndex
from plugins.content.model import (
    DEFAULT_PATH,
    FORMAT,
    LABELS,
    SuspicionModel,
    escape_gram,
    grams,
    prepare,
    unpack_one,
)

ROOT = Path(__file__).resolve().parents[2]
TRAIN_FILES = (ROOT / "tests" / "data" / "content_probes.jsonl", ROOT / "tests" / "data" / "content_labelled.jsonl")
DEFAULT_ROSTER = ("周雨桐", "吴俊杰", "孙嘉怡", "马浩宇", "朱梦琪", "胡一鸣")  # the rows without a roster
ALPHA = 0.5
FOLDS = 5
MIN_SCALE = 64  # 1/64 nat: a rounding error of a few hundredths of a nat on a message
MAX_SCALE = 512
ROLE_PREFIX = "R="


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    role: str
    text: str
    roster: tuple[str, ...]


@dataclass(slots=True)
class FloatModel:
    weights: dict[str, list[float]]  # n-gram or ROLE_PREFIX + role -> weight per label
    biases: list[float]
    rows: dict[str, int]  # n-gram -> training rows holding it

    def scores(self, feats: Iterable[str]) -> list[float]:
        out = list(self.biases)
        get = self.weights.get
        for f in feats:
            w = get(f)
            if w is not None:
                for k in range(len(LABELS)):
                    out[k] += w[k]
        return out


def load_rows(paths: Sequence[Path] = TRAIN_FILES) -> list[Row]:
    rows = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                rows.append(Row(d["label"], d["role"], d["text"], tuple(d.get("roster") or DEFAULT_ROSTER)))
    return rows


def data_sha256(paths: Sequence[Path] = TRAIN_FILES) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def prepared(rows: Sequence[Row]) -> list[str]:
    indexes: dict[tuple[str, ...], NameIndex] = {}
    out = []
    for row in rows:
        names = indexes.get(row.roster)
        if names is None:
            names = indexes[row.roster] = NameIndex(row.roster)
        out.append(prepare(normalize(row.text), names))
    return out


def features(text: str, role: str) -> set[str]:
    found = grams(text)
    found.add(ROLE_PREFIX + role)
    return found


def fit(X: Sequence[set[str]], Y: Sequence[str], alpha: float = ALPHA) -> FloatModel:
    """Binary multinomial naive Bayes, one label against the rest: weight = log
    P(feature | label) - log P(feature | rest), bias = log prior odds. Features seen
    in one row only, of none of the four labels, get no weight."""
    counts = {label: Counter() for label in LABELS}
    total: Counter[str] = Counter()
    for x, y in zip(X, Y):
        total.update(x)
        if y in counts:
            counts[y].update(x)
    vocab = sorted(total)
    size = len(vocab)
    n_all = sum(total.values())
    sizes = [sum(counts[label].values()) for label in LABELS]
    biases = []
    for label in LABELS:
        positive = sum(1 for y in Y if y == label)
        biases.append(math.log(positive / (len(Y) - positive)))
    weights = {}
    for f in vocab:
        t = total[f]
        if t == 1 and not f.startswith(ROLE_PREFIX) and not any(counts[label][f] for label in LABELS):
            # seen once, in a row of none of the four labels: dropped (half the n-grams,
            # all with one weight vector; out-of-fold recall 846 with them dropped, 831 kept,
            # no ok row flagged either way). The vocabulary size above still counts them
            continue
        w = []
        for k, label in enumerate(LABELS):
            p = counts[label][f]
            w.append(math.log((p + alpha) / (sizes[k] + alpha * size))
                     - math.log((t - p + alpha) / (n_all - sizes[k] + alpha * size)))
        weights[f] = w
    return FloatModel(weights, biases, dict(total))


def fold_of(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") % FOLDS


def out_of_fold(X: Sequence[set[str]], Y: Sequence[str], texts: Sequence[str]) -> list[list[float]]:
    folds = [fold_of(t) for t in texts]
    oof: list[list[float]] = [[] for _ in X]
    for fold in range(FOLDS):
        model = fit([x for x, f in zip(X, folds) if f != fold], [y for y, f in zip(Y, folds) if f != fold])
        for i, f in enumerate(folds):
            if f == fold:
                oof[i] = model.scores(X[i])
    return oof


@dataclass(slots=True)
class Trained:
    floats: FloatModel
    thresholds: list[float]
    oof_recall: dict[str, str]
    text: str  # the model file
    model: SuspicionModel


def quantise(floats: FloatModel, thresholds: Sequence[float], X: Sequence[set[str]], sha: str) -> tuple[str, SuspicionModel]:
    """The model file in fixed point at the smallest scale (a power of two from
    MIN_SCALE) whose decisions equal the float model's on every row of X. A label's
    fixed-point threshold is floor(threshold * scale), moved (within the gap the
    rows leave around it) when a row's rounded score would cross it."""
    expected = [[s > t for s, t in zip(floats.scores(x), thresholds)] for x in X]
    scale = MIN_SCALE
    while scale <= MAX_SCALE:
        quantised = [math.floor(t * scale) for t in thresholds]
        model = SuspicionModel.parse(_render(floats, quantised, scale, sha))
        scores = [_scores(model, x) for x in X]
        for k in range(len(LABELS)):
            below = [s[k] for s, e in zip(scores, expected) if not e[k]]
            above = [s[k] for s, e in zip(scores, expected) if e[k]]
            lo, hi = max(below, default=-math.inf), min(above, default=math.inf)
            if not lo <= quantised[k] < hi and lo < hi:
                quantised[k] = min(max(quantised[k], lo), hi - 1)
        text = _render(floats, quantised, scale, sha)
        model = SuspicionModel.parse(text)
        if all(_decisions(model, x) == e for x, e in zip(X, expected)):
            return text, model
        scale *= 2
    raise RuntimeError("no fixed-point scale reproduces the float decisions")


def _scores(model: SuspicionModel, feats: set[str]) -> list[int]:
    """Fixed-point scores (bias and role included), summed one n-gram at a time."""
    role = next(f for f in feats if f.startswith(ROLE_PREFIX))[len(ROLE_PREFIX):]
    sums = [0] * len(LABELS)
    for g in feats - {ROLE_PREFIX + role}:
        for k, q in enumerate(unpack_one(model.weights.get(g, 0))):
            sums[k] += q
    role_q = model.roles.get(role, (0,) * len(LABELS))
    return [s + b + r for s, b, r in zip(sums, model.biases, role_q)]


def _decisions(model: SuspicionModel, feats: set[str]) -> list[bool]:
    return [s > t for s, t in zip(_scores(model, feats), model.thresholds)]


def _render(floats: FloatModel, thresholds: Sequence[int], scale: int, sha: str) -> str:
    roles = {f[len(ROLE_PREFIX):]: w for f, w in floats.weights.items() if f.startswith(ROLE_PREFIX)}
    # one line per (rows holding it, weights): the n-grams of one count profile share it
    grams_q: dict[tuple[int, tuple[int, ...]], list[str]] = {}
    for f, w in floats.weights.items():
        if not f.startswith(ROLE_PREFIX):
            grams_q.setdefault((floats.rows[f], tuple(round(v * scale) for v in w)), []).append(f)
    lines = [
        FORMAT,
        "# Trained by `python -m plugins.content.model_train` from tests/data/content_probes.jsonl and",
        "# tests/data/content_labelled.jsonl (sha256 of both below). Weights are naive Bayes log-odds",
        "# in fixed point (scale units a nat). One line per count profile, commonest first: the",
        "# number of training rows holding each n-gram, a tab, the weights (ad abuse banned privacy),",
        "# a tab, then the n-grams with those weights (\\< message start, \\> end, § a roster full",
        "# name, ¤ a given name). A message is flagged for a label when its n-grams' weights plus",
        "# the role's and the bias exceed the threshold.",
        f"sha256\t{sha}",
        f"labels\t{' '.join(LABELS)}",
        f"scale\t{scale}",
        f"biases\t{' '.join(str(round(b * scale)) for b in floats.biases)}",
        f"thresholds\t{' '.join(map(str, thresholds))}",
    ]
    for role in sorted(roles):
        lines.append(f"role\t{role}\t{' '.join(str(round(v * scale)) for v in roles[role])}")
    # the commonest n-grams first: the model's dict holds them (and their strings) in
    # that order, so the lookups of most messages read a small part of its memory
    for n, q in sorted(grams_q, key=lambda key: (-key[0], key[1])):
        found = " ".join(escape_gram(g) for g in sorted(grams_q[n, q]))
        lines.append(f"{n}\t{' '.join(map(str, q))}\t{found}")
    return "\n".join(lines) + "\n"


def train(paths: Sequence[Path] = TRAIN_FILES, rows: Sequence[Row] | None = None, sha: str | None = None) -> Trained:
    rows = load_rows(paths) if rows is None else rows
    texts = prepared(rows)
    X = [features(t, r.role) for t, r in zip(texts, rows)]
    Y = [r.label for r in rows]
    oof = out_of_fold(X, Y, [r.text for r in rows])
    floats = fit(X, Y)
    own = [floats.scores(x) for x in X]
    # no ok row flagged out of fold, nor by the model trained on every row (its scores
    # of some ordinary rows exceed every out-of-fold one: banned's, by about 5 nats)
    thresholds = [max(max(o[k] for o, y in zip(scores, Y) if y == "ok") for scores in (oof, own))
                  for k in range(len(LABELS))]
    recall = {
        label: f"{sum(1 for o, y in zip(oof, Y) if y == label and o[k] > thresholds[k])}/{Y.count(label)}"
        for k, label in enumerate(LABELS)
    }
    text, model = quantise(floats, thresholds, X, sha if sha is not None else data_sha256(paths))
    return Trained(floats, thresholds, recall, text, model)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--check", action="store_true", help="fail when the file differs from what training gives")
    args = parser.parse_args(argv)
    trained = train()
    model = trained.model
    summary = (f"{len(model.weights)} n-grams, scale {model.scale}, chunk {model.chunk} n-grams; "
               f"thresholds {dict(zip(LABELS, (round(t, 3) for t in trained.thresholds)))}; "
               f"out-of-fold recall at 0 ok flagged: {trained.oof_recall}")
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != trained.text:
            print(f"{args.out} is not what training gives now: run python -m plugins.content.model_train",
                  file=sys.stderr)
            return 1
        print(f"{args.out} is up to date ({summary})")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(trained.text, encoding="utf-8")
    print(f"wrote {args.out}: {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
