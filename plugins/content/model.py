"""A second opinion on content: a character n-gram model that suspects ads, abuse,
banned content and pupils' privacy where no rule's pattern matched.

What it suspects is passed to a person, never punished (the engine reports it as an
INFO hit of kind "suspected", see ContentEngine). The model is a binary multinomial
naive Bayes per label (one against the rest) over the character 1-3-grams of the
message's normalised compact form, roster full names replaced by "§" and given names
by "¤", plus the sender's role; each label flags a message whose score exceeds the
highest score of the training set's ordinary messages, out of fold (5-fold cross
validation) or by the final model, so that no ordinary training message would have
been flagged by a model that had not seen it, nor is by this one. Trained by ``python -m plugins.content.model_train`` from the
repository's labelled sets into config/models/content_suspicion.tsv.

Scoring is pure Python and cheap: one dict lookup per distinct n-gram, summed in C.
Each n-gram's value is one int holding the four labels' weights in fixed point
(`scale` units a nat) as signed 16-bit fields, q0 + q1 * 2**16 + q2 * 2**32 + q3 * 2**48.
A message of at most `chunk` n-grams keeps every field's sum (and its distance to the
label's limit) within +-2**15, so the packed sum stays in a machine word (``sum`` adds
it at C speed) and adding one constant per role sets the top bit of a field exactly
when that label's score exceeds its threshold: one addition and one mask answer the
usual message (no label). Longer messages are summed in chunks. An n-gram the model
does not know adds 0.

Before that, a gate (RosterScorer.suspect; gate_bits) answers about 97% of ordinary
messages with about half the string building and lookups of the full scoring: an upper bound of each label's n-gram sum from the distinct
characters' weights (exact) plus, per position of the text, the most its 2- and
3-gram starting there can add (a table per character pair: max(0, w(2-gram),
w(3-gram), w(2-gram) + w(3-gram)) over the model's 3-grams extending the pair, since
a distinct n-gram counts at its first position only, and a 3-gram is new wherever its
2-gram is). No string is built but the pairs. The bound is in units of 2 (each term
rounded up) to keep a message of `gate_len` characters within the fields; where no
label's bound exceeds its limit, no score can, so the decisions are those of the
full scoring (tests/unit/test_content_model.py checks the bound on every labelled row
and on generated text). The gate's tables are derived from the weights when the file
is read (about 0.1 s, once per process), so they cannot disagree with them.

Usage::

    model = SuspicionModel.load()                # the shipped file, once per process
    scorer = model.for_names(name_index)         # per class (NameIndex of its roster)
    found = scorer.suspect(norm, role, allowed)  # (label, margin) or None
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from itertools import repeat
from operator import add
from pathlib import Path

from plugins.charter.normalize import NormalizedText, fold_term

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "config" / "models" / "content_suspicion.tsv"
LABELS = ("ad", "abuse", "banned", "privacy")
FULL, GIVEN = "\u00a7", "\u00a4"  # placeholders for a roster full name, a given name (compact never holds them)
START, END = "\x02", "\x03"  # message boundaries in the n-grams (compact never holds them)
FIELD_BITS = 16
FIELD_MASK = (1 << FIELD_BITS) - 1
HALF = 1 << (FIELD_BITS - 1)
TOP_BITS = sum(HALF << (k * FIELD_BITS) for k in range(len(LABELS)))  # each field's top bit
FORMAT = "content-suspicion-model 1"
GATE_UNIT = 2  # the gate's bound in units of 2 (rounded up): twice the text length within the fields
# boundaries as written in the file (a control character would not diff well)
_FILE_ESCAPES = (("\\", "\\\\"), (START, "\\<"), (END, "\\>"))


def escape_gram(gram: str) -> str:
    for raw, written in _FILE_ESCAPES:
        gram = gram.replace(raw, written)
    return gram


def unescape_gram(gram: str) -> str:
    if "\\" not in gram:
        return gram
    out, i = [], 0
    while i < len(gram):
        ch = gram[i]
        if ch == "\\":
            nxt = gram[i + 1]
            out.append({"\\": "\\", "<": START, ">": END}[nxt])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def grams(text: str) -> set[str]:
    """The distinct character 1-, 2- and 3-grams of a prepared text, with its start and
    end marked (in 2- and 3-grams only). Built with C-level iteration."""
    s = START + text + END
    bigrams = list(map(add, s, s[1:]))
    found = set(text)
    found.update(bigrams, map(add, bigrams, s[2:]))
    return found


def prepare(norm: NormalizedText, names) -> str:  # names: detectors.base.NameIndex
    """The text the model reads: `compact` with each roster name found by the class's
    NameIndex replaced, full names by FULL, given names (the last two characters of a
    three-character name) by GIVEN."""
    compact = norm.compact
    if not names:
        return compact
    found = names.find_compact(norm)
    if not found:
        return compact
    pieces, at = [], 0
    for name, start, end in found:
        pieces.append(compact[at:start])
        pieces.append(GIVEN if end - start < len(fold_term(name)) else FULL)
        at = end
    pieces.append(compact[at:])
    return "".join(pieces)


class SuspicionModel:
    """The quantised model: n-gram -> packed weights, and per label the bias, the
    threshold and each role's weight, in fixed point."""

    __slots__ = ("weights", "scale", "chunk", "biases", "thresholds", "roles", "sha256", "_limits", "_gates",
                 "gate_chars", "gate_pairs", "gate_len", "_bound_gates")

    def __init__(self, weights: dict[str, int], *, scale: int, biases: tuple[int, ...],
                 thresholds: tuple[int, ...], roles: dict[str, tuple[int, ...]], widest: int,
                 sha256: str = "") -> None:
        """`widest`: the largest |weight| of an n-gram, in fixed point."""
        self.weights = weights
        self.scale = scale
        self.biases = biases
        self.thresholds = thresholds
        self.roles = roles
        self.sha256 = sha256
        # per label, the sum of the n-grams' weights above which a message is flagged,
        # for each role (and for a role the model never saw: its weight 0)
        limits = {role: self._limit(role) for role in (*roles, "")}
        widest_limit = max(abs(v) for found in limits.values() for v in found)
        # a message of at most `chunk` n-grams: |sum - limit - 1| < HALF in every field
        self.chunk = (HALF - 2 - widest_limit) // max(widest, 1)
        if self.chunk < 1:
            raise ValueError("weights too wide for the fields")
        self._limits = limits
        # role -> the constant whose addition to a packed sum sets a field's top bit
        # exactly when sum > limit (the field then holds HALF + sum - limit - 1)
        self._gates = {
            role: sum((HALF - lim - 1) << (k * FIELD_BITS) for k, lim in enumerate(found))
            for role, found in limits.items()
        }
        self._build_gate()

    def _build_gate(self) -> None:
        """The gate's tables (see the module docstring), in units of GATE_UNIT rounded
        up: `gate_chars` a character's weights, `gate_pairs` per character pair
        (boundaries included) the most its 2- and 3-gram can add at one position, and
        `gate_len`, the longest text whose bound stays within the fields."""
        fields = {v: unpack_one(v) for v in set(self.weights.values())}
        zero = (0,) * len(LABELS)
        pairs: dict[str, list[int]] = {}
        chars: dict[str, tuple[int, ...]] = {}
        for g, v in self.weights.items():
            if len(g) == 1:
                chars[g] = fields[v]
            elif len(g) == 2:
                best = pairs.setdefault(g, [0] * len(LABELS))
                for k, q in enumerate(fields[v]):
                    best[k] = max(best[k], q)
        for g, v in self.weights.items():
            if len(g) == 3:
                pair = g[:2]
                best = pairs.setdefault(pair, [0] * len(LABELS))
                wb = fields[self.weights[pair]] if pair in self.weights else zero
                for k, q in enumerate(fields[v]):
                    best[k] = max(best[k], q, wb[k] + q)
        up = _ceil_unit
        self.gate_chars = {c: _pack_signed(map(up, q)) for c, q in chars.items()}
        self.gate_pairs = {p: _pack_signed(map(up, q)) for p, q in pairs.items() if any(q)}
        # per label: a text of n characters has n + 1 pairs and at most n distinct
        # characters; its bound B lies in [n * min(0, lowest char), n * max(0, highest
        # char) + (n + 1) * highest pair]; the field B - limit/unit + HALF - 1 must stay
        # within [0, 2**16) for every role's limit
        gate_len = None
        for k in range(len(LABELS)):
            low = -min(0, min((up(q[k]) for q in chars.values()), default=0))
            high = max(0, max((up(q[k]) for q in chars.values()), default=0))
            pair_high = max((up(q[k]) for q in pairs.values()), default=0)
            lims = [found[k] // GATE_UNIT for found in self._limits.values()]
            n_low = (HALF - 1 - max(lims)) // low if low else HALF
            n_high = (min(lims) + HALF - pair_high) // (high + pair_high) if high + pair_high else HALF
            n = min(n_low, n_high)
            gate_len = n if gate_len is None else min(gate_len, n)
        self.gate_len = max(gate_len, -1)
        self._bound_gates = {
            role: sum((HALF - lim // GATE_UNIT - 1) << (k * FIELD_BITS) for k, lim in enumerate(found))
            for role, found in self._limits.items()
        }

    def _limit(self, role: str) -> tuple[int, ...]:
        role_q = self.roles.get(role, (0,) * len(LABELS))
        return tuple(t - b - r for t, b, r in zip(self.thresholds, self.biases, role_q))

    # ---- file
    @classmethod
    def load(cls, path: Path | str | None = None) -> "SuspicionModel":
        """The model of a file (default: the shipped one), read once per process."""
        return _load(str(path) if path is not None else None)

    @classmethod
    def parse(cls, text: str) -> "SuspicionModel":
        lines = text.split("\n")
        if not lines or lines[0] != FORMAT:
            raise ValueError(f"not a {FORMAT!r} file")
        head: dict[str, str] = {}
        weights: dict[str, int] = {}
        roles: dict[str, tuple[int, ...]] = {}
        widest = 0
        for line in lines[1:]:
            if not line or line.startswith("#"):
                continue
            key, _, rest = line.partition("\t")
            if key == "role":
                role, _, values = rest.partition("\t")
                roles[role] = _ints(values)
            elif key in ("sha256", "scale", "biases", "thresholds", "labels"):
                head[key] = rest
            else:  # rows holding each n-gram, weights, n-grams
                q_text, _, rest = rest.partition("\t")
                q = _ints(q_text)
                widest = max(widest, *map(abs, q))
                weights.update(dict.fromkeys(map(unescape_gram, rest.split(" ")), _pack_signed(q)))
        if tuple(head.get("labels", "").split(" ")) != LABELS:
            raise ValueError(f"labels {head.get('labels')!r}, expected {LABELS}")
        return cls(weights, scale=int(head["scale"]), biases=_ints(head["biases"]),
                   thresholds=_ints(head["thresholds"]), roles=roles, widest=widest,
                   sha256=head.get("sha256", ""))

    # ---- scoring
    def limits(self, role: str) -> tuple[int, ...]:
        """Per label, the sum of the n-grams' weights above which a message of this
        role is flagged (threshold - bias - the role's weight)."""
        found = self._limits.get(role)
        return found if found is not None else self._limits[""]

    def sums(self, text: str) -> tuple[int, ...]:
        """Per label, the sum of the fixed-point weights of the text's n-grams."""
        found = grams(text)
        get = self.weights.get
        if len(found) <= self.chunk:
            return _unpack_signed(sum(map(get, found, repeat(0))))
        items = list(found)
        out = [0] * len(LABELS)
        for at in range(0, len(items), self.chunk):
            for k, value in enumerate(_unpack_signed(sum(map(get, items[at : at + self.chunk], repeat(0))))):
                out[k] += value
        return tuple(out)

    def margins(self, text: str, role: str) -> tuple[int, ...]:
        """Per label, the n-grams' sum minus the limit (> 0: flagged), in fixed point."""
        return tuple(s - lim for s, lim in zip(self.sums(text), self.limits(role)))

    def flags(self, text: str, role: str) -> tuple[str, ...]:
        """The labels whose threshold the prepared text exceeds."""
        return tuple(label for label, m in zip(LABELS, self.margins(text, role)) if m > 0)

    def flagged_bits(self, text: str, role: str) -> int:
        """The packed fields' top bits of the labels flagged (0: none), the usual path."""
        found = grams(text)
        if len(found) > self.chunk:
            return sum(HALF << (k * FIELD_BITS) for k, m in enumerate(self.margins(text, role)) if m > 0)
        gate = self._gates.get(role)
        if gate is None:
            gate = self._gates[""]
        return (sum(map(self.weights.get, found, repeat(0))) + gate) & TOP_BITS

    def _bound_sum(self, text: str) -> int:
        """The packed bound of the text's n-gram sums, before a role's gate (RosterScorer.suspect
        inlines it): the distinct characters' own weights and each adjacent pair's most, the
        pairs (boundaries included) from two shifted copies, not a slice of a third."""
        return (sum(map(self.gate_pairs.get, map(add, START + text, text + END), repeat(0)))
                + sum(map(self.gate_chars.get, set(text), repeat(0))))

    def bounds(self, text: str) -> tuple[int, ...] | None:
        """Per label, the gate's upper bound of sums(text) (in fixed point, a multiple
        of GATE_UNIT), or None for a text longer than gate_len (not gated)."""
        if len(text) > self.gate_len:
            return None
        total = self._bound_sum(text)
        # with a role's gate added every field is a digit in [0, 2**16) (gate_len)
        total += self._bound_gates[""]
        return tuple(GATE_UNIT * (((total >> (k * FIELD_BITS)) & FIELD_MASK) - HALF + 1 + lim // GATE_UNIT)
                     for k, lim in enumerate(self._limits[""]))

    def gate_bits(self, text: str, role: str) -> int:
        """The top bits of the labels whose bound exceeds their limit: a necessary
        condition of flagged_bits (all the bits for a text longer than gate_len)."""
        if len(text) > self.gate_len:
            return TOP_BITS
        total = self._bound_sum(text)
        gate = self._bound_gates.get(role)
        if gate is None:
            gate = self._bound_gates[""]
        return (total + gate) & TOP_BITS

    def for_names(self, names, *, gated: bool = True) -> "RosterScorer":  # names: detectors.base.NameIndex
        """The model for one class, replacing the names of its NameIndex. `gated=False`
        scores every message in full (the reference the tests compare the gate with)."""
        return RosterScorer(self, names, gated=gated)

    def for_roster(self, names: Iterable[str]) -> "RosterScorer":
        """The model for one class's roster (builds a NameIndex; the engine shares its own)."""
        from plugins.content.detectors.base import NameIndex

        return RosterScorer(self, NameIndex(names))


class RosterScorer:
    """The model with one class's roster names (the class's NameIndex, shared)."""

    __slots__ = ("model", "names", "_named", "_weights", "_chunk", "_gates", "_default_gate",
                 "_gate_len", "_pairs", "_chars", "_bound_gates", "_default_bound_gate")

    def __init__(self, model: SuspicionModel, names, *, gated: bool = True) -> None:
        self.model = model
        self.names = names
        self._named = bool(names)
        self._weights = model.weights.get
        self._chunk = model.chunk
        self._gates = model._gates.get
        self._default_gate = model._gates[""]
        self._gate_len = model.gate_len if gated else -1
        self._pairs = model.gate_pairs.get
        self._chars = model.gate_chars.get
        self._bound_gates = model._bound_gates.get
        self._default_bound_gate = model._bound_gates[""]

    def prepare(self, norm: NormalizedText) -> str:
        return prepare(norm, self.names)

    def suspect(self, norm: NormalizedText, role: str, allowed: int = TOP_BITS) -> tuple[int, int] | None:
        """(label index, margin) of the label whose threshold the message exceeds most,
        among `allowed` (the top bits of the labels' fields, see label_bits), or None.
        A message with an empty compact form (emoji, punctuation) is never suspected."""
        text = norm.compact
        if not text:
            return None
        # (the engine notes the messages naming nobody of this roster: most of them)
        if self._named and norm.no_names_of is not self.names:
            text = prepare(norm, self.names)
        if len(text) <= self._gate_len:
            # model.gate_bits, inlined: the upper bound answers nearly every message
            bound = (sum(map(self._pairs, map(add, START + text, text + END), repeat(0)))
                     + sum(map(self._chars, set(text), repeat(0)))
                     + self._bound_gates(role, self._default_bound_gate))
            if not bound & allowed:
                return None  # (nearly every message: no label's score can exceed its limit)
        # model.flagged_bits, inlined
        s = START + text + END
        bigrams = list(map(add, s, s[1:]))
        found = set(text)
        found.update(bigrams, map(add, bigrams, s[2:]))
        if len(found) > self._chunk:
            bits = self.model.flagged_bits(text, role)
        else:
            bits = (sum(map(self._weights, found, repeat(0))) + self._gates(role, self._default_gate)) & TOP_BITS
        if not bits & allowed:
            return None  # (nearly every message)
        best = None
        for k, margin in enumerate(self.model.margins(text, role)):
            if margin > 0 and allowed >> (k * FIELD_BITS + FIELD_BITS - 1) & 1 and (best is None or margin > best[1]):
                best = (k, margin)
        return best


def label_bits(labels: Iterable[str]) -> int:
    """The fields' top bits of some labels (RosterScorer.suspect's `allowed`)."""
    return sum(HALF << (LABELS.index(label) * FIELD_BITS) for label in labels)


def _ceil_unit(q: int) -> int:
    """q / GATE_UNIT rounded up (the gate's bound may only grow)."""
    return -(-q // GATE_UNIT)


def unpack_one(value: int) -> tuple[int, ...]:
    """The signed fields of one packed value."""
    out = []
    for _ in LABELS:
        q = ((value + HALF) & FIELD_MASK) - HALF
        out.append(q)
        value = (value - q) >> FIELD_BITS
    return tuple(out)


def _pack_signed(fields: Iterable[int]) -> int:
    out = 0
    for k, value in enumerate(fields):
        if not -HALF <= value < HALF:
            raise ValueError(f"field {k} value {value} out of range")
        out += value << (k * FIELD_BITS)
    return out


def _unpack_signed(total: int) -> tuple[int, ...]:
    """The fields of a sum of packed values whose every field is within +-HALF."""
    total += TOP_BITS  # each field + HALF: a digit in [0, 2**16)
    return tuple(((total >> (k * FIELD_BITS)) & FIELD_MASK) - HALF for k in range(len(LABELS)))


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(v) for v in text.split(" "))


@lru_cache(maxsize=4)
def _load(path: str | None) -> SuspicionModel:
    return SuspicionModel.parse(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))
