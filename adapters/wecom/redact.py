"""Keeps tokens and secrets out of logs and error messages."""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "***"
_QUERY_SECRETS = re.compile(r"(?i)\b(access_token|corpsecret|secret|key|token)=([^&\s'\"]+)")


# what every query secret above contains: one search, with no lower-cased copy of a
# long log line (every log line comes here; most hold none)
_SECRET_HINT = re.compile(r"(?i)(?:token|secret|key)=")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with secret query values (access_token=, key=, ...) and known secrets masked."""
    if "=" in text and _SECRET_HINT.search(text):
        text = _QUERY_SECRETS.sub(lambda m: f"{m.group(1)}={MASK}", text)
    if not secrets:
        return text
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text
