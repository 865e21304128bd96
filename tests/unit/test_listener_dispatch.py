"""Message listeners as plain calls (plugins.charter.listeners.start_dispatch) and the
plain tests before them (OpenIndex.surely_closed): each answers as the async path does."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from plugins.charter import listeners
from plugins.timing.open_state import OpenIndex

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """An empty list of message listeners for the test, the real ones put back afterwards."""
    fresh: list[Any] = []
    monkeypatch.setattr(listeners, "_message_listeners", fresh)
    return fresh


def test_no_work_no_awaitable(registered: list[Any]) -> None:
    calls: list[str] = []

    def idle(name: str) -> Any:
        def listener(*_: object) -> None:
            calls.append(name)

        return listener

    registered += [idle("a"), idle("b"), idle("c")]
    assert listeners.start_dispatch(None, None, None) is None  # type: ignore[arg-type]
    assert calls == ["a", "b", "c"]


def test_work_left_runs_in_order(registered: list[Any]) -> None:
    """A listener's work runs before the next listener's plain part, as with awaits."""
    calls: list[str] = []

    def plain(name: str, work: bool) -> Any:
        async def later() -> None:
            calls.append(f"{name}: work")
            await asyncio.sleep(0)
            calls.append(f"{name}: done")

        def listener(*_: object) -> Any:
            calls.append(name)
            return later() if work else None

        return listener

    async def classic(*_: object) -> None:
        calls.append("classic")

    registered += [plain("a", False), plain("b", True), plain("c", False), classic, plain("d", True)]
    pending = listeners.start_dispatch(None, None, None)  # type: ignore[arg-type]
    assert calls == ["a", "b"]
    assert pending is not None
    asyncio.run(pending)  # type: ignore[arg-type]
    expected = ["a", "b", "b: work", "b: done", "c", "classic", "d", "d: work", "d: done"]
    assert calls == expected
    calls.clear()
    asyncio.run(listeners.dispatch_message(None, None, None))  # type: ignore[arg-type]
    assert calls == expected


def test_a_failing_listener_does_not_stop_the_others(registered: list[Any]) -> None:
    calls: list[str] = []

    def fails_at_once(*_: object) -> None:
        raise RuntimeError("plain part")

    async def fails_later(*_: object) -> None:
        calls.append("later")
        raise RuntimeError("its work")

    def fine(*_: object) -> None:
        calls.append("fine")

    registered += [fails_at_once, fine, fails_later, fails_at_once, fine]
    asyncio.run(listeners.dispatch_message(None, None, None))  # type: ignore[arg-type]
    assert calls == ["fine", "later", "fine"]


class FakeStore:
    pass


def index_with(keys: dict[str, datetime | None]) -> tuple[OpenIndex, list[int]]:
    loads = [0]

    async def load(_store: Any, _now: datetime) -> dict[str, datetime | None]:
        loads[0] += 1
        return dict(keys)

    return OpenIndex(load), loads


@pytest.mark.parametrize("key, now", [
    ("open", NOW), ("open-until", NOW), ("open-until", NOW + timedelta(hours=2)), ("absent", NOW),
])
def test_surely_closed_answers_as_lookup(key: str, now: datetime) -> None:
    index, loads = index_with({"open": None, "open-until": NOW + timedelta(hours=1)})
    store = FakeStore()
    assert not index.surely_closed(store, key, now)  # type: ignore[arg-type]  # not loaded: says nothing
    assert loads[0] == 0
    answer = asyncio.run(index.lookup(store, key, now))  # type: ignore[arg-type]
    assert loads[0] == 1
    # loaded and fresh: the plain test is exactly "lookup answers None"
    assert index.surely_closed(store, key, now) is (answer is None)  # type: ignore[arg-type]
    assert index.surely_closed(FakeStore(), key, now) is False  # type: ignore[arg-type]  # another database


def test_surely_closed_sees_keys_added_and_dropped() -> None:
    index, _ = index_with({})
    store = FakeStore()
    asyncio.run(index.lookup(store, "g", NOW))  # type: ignore[arg-type]
    assert index.surely_closed(store, "g", NOW)  # type: ignore[arg-type]
    index.add(store, "g")  # type: ignore[arg-type]
    assert not index.surely_closed(store, "g", NOW)  # type: ignore[arg-type]
    stamp = asyncio.run(index.lookup(store, "g", NOW))  # type: ignore[arg-type]
    assert stamp is not None
    index.drop("g", stamp)
    assert index.surely_closed(store, "g", NOW)  # type: ignore[arg-type]


def test_surely_closed_says_nothing_when_stale() -> None:
    index, loads = index_with({})
    store = FakeStore()
    asyncio.run(index.lookup(store, "g", NOW))  # type: ignore[arg-type]
    index.refresh_seconds = -1.0  # every answer is stale now: lookup loads again
    assert not index.surely_closed(store, "g", NOW)  # type: ignore[arg-type]
    asyncio.run(index.lookup(store, "g", NOW))  # type: ignore[arg-type]
    assert loads[0] == 2


def test_message_fields_in_build_messages_order() -> None:
    import inspect

    from plugins.charter import pipeline

    keywords = list(inspect.signature(pipeline.fields_in_order).parameters)
    assert list(pipeline.MESSAGE_FIELDS) == keywords
    assert list(inspect.signature(pipeline.message_of).parameters)[2:] == keywords
    given = {name: f"<{name}>" for name in keywords[:6]}
    assert pipeline.fields_in_order(**given) == (*given.values(), (), False, None, False, 1)
    assert dict(zip(keywords, pipeline.fields_in_order(**given))) == {
        **given, "mentions": (), "mentions_all": False, "reply_to": None, "has_image": False, "segment_count": 1}


def test_member_is_staff_as_its_role() -> None:
    from plugins.charter.model import Account, Member, Role

    for role in Role:
        assert Member(Account("qq", "1"), "", role, "p").is_staff is role.is_staff
