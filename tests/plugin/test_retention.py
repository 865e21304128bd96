"""The audit log keeps evidence excerpts for the retention period, then forgets them."""

from __future__ import annotations

from datetime import timedelta

from plugins.charter.runtime import get_runtime
from plugins.charter.tables import AuditRecord
from plugins.charter.timers import forget_old_audit_records


async def test_records_past_the_retention_period_are_removed(app) -> None:  # type: ignore[no-untyped-def]
    runtime = get_runtime()
    now = runtime.clock()
    old = now - runtime.audit_retention - timedelta(days=1)
    recent = now - runtime.audit_retention + timedelta(days=1)
    await runtime.store.audit([
        AuditRecord(created_at=old, class_id="g3c2", action="recall", account_key="qq:79001", excerpt="旧记录"),
        AuditRecord(created_at=recent, class_id="g3c2", action="recall", account_key="qq:79001", excerpt="近期记录"),
    ])
    await forget_old_audit_records(runtime, now)
    kept = await runtime.store.audit_log("g3c2", account_key="qq:79001", limit=None)
    assert [r.excerpt for r in kept] == ["近期记录"]
    assert runtime.audit_retention == timedelta(days=180)  # the documented default
