"""Fuzz: arbitrary and pathological text through the core's message builder and every
policy, on the shipped configuration. No exception, and a bounded time per message.

The time bound is a hang detector (catastrophic backtracking, quadratic scans), not a
speed claim: it is far above what a message takes.
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import plugins.charter.pipeline as pipeline
from plugins.charter.config import LoadedConfig, load_config_dir
from plugins.charter.model import GroupRef
from plugins.content.policy import ContentPolicy

ROOT = Path(__file__).resolve().parents[2]
HANG_S_PER_100K = 1.0  # generous: a message of 100k characters must not take a second
START = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> LoadedConfig:
    config_dir = tmp_path_factory.mktemp("fuzz-config") / "config"
    shutil.copytree(ROOT / "config", config_dir)
    (config_dir / "classes" / "g5c1.toml").write_text(
        '[class]\nid = "g5c1"\nname = "五年一班"\ncharter = "class-pact"\nroster = "g5c1.csv"\n\n'
        '[[groups]]\nplatform = "qq"\ngroup_id = "900005"\n\n[staff]\nhead_teacher = ["qq:20002"]\n\n'
        '[rules."content.flood"]\nenabled = true\n\n[rules."content.ads"]\nenabled = true\n', encoding="utf-8")
    (config_dir / "classes" / "g5c1.csv").write_text("role,name,subject\nstudent,陈晨,\n", encoding="utf-8")
    return load_config_dir(config_dir)


@pytest.fixture(scope="module")
def policy(loaded: LoadedConfig) -> ContentPolicy:
    prepared = ContentPolicy()
    prepared.prepare(loaded)
    return prepared


RUNTIME = SimpleNamespace(superusers=frozenset({"10001"}))
SENDERS = [("40001", "吴俊杰妈妈"), ("10002", "班主任王芳"), ("10005", "语文李强"), ("48999", ""), ("10001", "管理员")]

CHARS = "张子涵李思远第一名倒数不及格分90 .。点com傻逼加薇信13800001111请假赌场👍\u200b\u3000ｗｗｗ網址http://"
PATHOLOGICAL = st.one_of(
    st.builds(lambda c, n: c * n, st.sampled_from(["1", "a", "第", ".", "傻", "张子涵", "w", " ", "\u200b", "😀",
                                                   "http://", "@", "%", "\n", "ａ", "٣", "ـ"]),
              st.integers(0, 100_000)),
    st.builds(str, st.integers(min_value=-10**300, max_value=10**300)),
    st.builds(lambda parts: "".join(parts), st.lists(st.sampled_from(
        ["Hello", "你好", "Привет", "مرحبا", "שלום", "こんにちは", "안녕", "🙂", "\u202e", "\ufeff", "1" * 40,
         "www.", ".cn", "加V", "q群", "１３８"]), max_size=400)),
)
TEXTS = st.one_of(st.text(max_size=2_000), st.text(alphabet=CHARS, max_size=3_000), PATHOLOGICAL)


def check_bounded(policy: ContentPolicy, loaded: LoadedConfig, text: str, sender: tuple[str, str],
                  class_id: str, n: int) -> None:
    cls = loaded.classes[class_id]
    group = cls.groups[0]
    started = time.perf_counter()
    message = pipeline.build_message(
        RUNTIME, cls, group=GroupRef(group.platform, group.group_id), user_id=sender[0], display_name=sender[1],
        message_id=f"fuzz-{n}", text=text, time=START + timedelta(seconds=n),
    )
    findings = policy.check(message, cls)
    elapsed = time.perf_counter() - started
    assert len(message.text) <= pipeline.MAX_TEXT
    for finding in findings:
        assert finding.rule_id.startswith("content.")
        assert finding.evidence is not None
    assert elapsed < HANG_S_PER_100K * max(1.0, len(text) / 100_000), f"{elapsed:.2f}s for {len(text)} chars"


_counter = iter(range(10**9))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(TEXTS, st.sampled_from(SENDERS), st.sampled_from(["g3c2", "g5c1"]))
def test_any_text_through_every_content_rule(policy: ContentPolicy, loaded: LoadedConfig, text: str,
                                             sender: tuple[str, str], class_id: str) -> None:
    check_bounded(policy, loaded, text, sender, class_id, next(_counter))


@pytest.mark.parametrize("text", [
    "a" * 100_000, "第" * 100_000, "1" * 100_000, "傻" * 100_000, "张子涵" * 34_000, "http://a." * 12_000,
    "加微信" * 34_000, "\u200b" * 100_000, "👍" * 100_000, "１３８" * 34_000, "w." * 50_000,
    "".join(chr(0x4E00 + (i * 7919) % 20_000) for i in range(100_000)),
    str(10**4000), " ".join(["13800001111"] * 8_000),
], ids=lambda t: f"{t[:6]!r}x{len(t)}")
def test_pathological_100k_messages_finish(policy: ContentPolicy, loaded: LoadedConfig, text: str) -> None:
    for class_id in ("g3c2", "g5c1"):
        check_bounded(policy, loaded, text, SENDERS[0], class_id, next(_counter))


def test_find_survives_a_failing_policy_and_runs_the_others(
        policy: ContentPolicy, loaded: LoadedConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        plugin = "content"

        def prepare(self, config: LoadedConfig) -> None:
            pass

        def check(self, message: object, cls: object) -> list:
            raise RuntimeError("broken rule")

    monkeypatch.setattr(pipeline, "policies", lambda: [Broken(), policy])
    cls = loaded.classes["g3c2"]
    message = pipeline.build_message(
        RUNTIME, cls, group=cls.groups[0], user_id="40001", display_name="吴俊杰妈妈", message_id="find-1",
        text="少儿编程免费试听，加微信 code2025 预约", time=START,
    )
    assert [f.rule_id for f in pipeline.find(message, cls)] == ["content.ads"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXTS, st.sampled_from(SENDERS)), max_size=30))
def test_a_stream_of_messages_through_find(policy: ContentPolicy, loaded: LoadedConfig, stream: list) -> None:
    """Stateful rules (flood, repeats) over a sequence from several senders, through pipeline.find."""
    cls = loaded.classes["g5c1"]
    original = pipeline.policies
    pipeline.policies = lambda: [policy]  # type: ignore[assignment]
    try:
        for text, sender in stream:
            n = next(_counter)
            message = pipeline.build_message(
                RUNTIME, cls, group=cls.groups[0], user_id=sender[0], display_name=sender[1],
                message_id=f"stream-{n}", text=text, time=START + timedelta(seconds=n))
            started = time.perf_counter()
            findings = pipeline.once_per_message(pipeline.find(message, cls))
            assert time.perf_counter() - started < HANG_S_PER_100K * max(1.0, len(text) / 100_000)
            assert all(f.group == cls.groups[0] and f.rule_id.startswith("content.") for f in findings)
    finally:
        pipeline.policies = original  # type: ignore[assignment]
