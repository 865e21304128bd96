"""content.ack_replies (charter 6): replies like "收到/好的/谢谢老师" to a teacher's
notice that did not ask for replies. One gentle reminder per member per notice,
never a strike. Notices that ask for replies (a reply marker in the notice, e.g.
"收到请回复") are left to timing.notice_receipts.

Stateful, bounded: per group only the latest notice and the members already
reminded for it (at most MAX_REMINDED). The engine runs it with the other
stateful rules in conversation.ConversationTracker, one record per group; time is
passed in.
"""

from __future__ import annotations

RULE_ID = "content.ack_replies"
MAX_REMINDED = 500
REASON = "老师的通知未要求回复，无需在群里回复“收到”，以免刷掉通知"
