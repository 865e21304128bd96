"""content.chitchat: a run of idle chat among parents: `run_length` messages from
non-staff members (at least two of them) in a row, without a staff message, within
`window_minutes`. One reminder to the group per run, no strike, and no new run
counted within `window_minutes` of a reminder (a long spell of chat is reminded
once, not every `run_length` messages).

Acknowledgements and messages to a teacher (containing 老师) do not count as idle
chat; a staff message ends the run. Stateful and bounded per group: the engine
runs it with the other stateful rules in conversation.ConversationTracker.
"""

from __future__ import annotations

RULE_ID = "content.chitchat"
REASON = "群内闲聊较多，班级群仅用于家校沟通，请移步私聊"
