"""content.leave_requests: a parent asks for leave in the group ("请假", "告假",
"明天不能到校") instead of privately. The plugin answers privately with the class's
leave procedure and forwards the request to the head teacher; no strike."""

from __future__ import annotations

import re

from plugins.charter.catalogue import LeaveRequestsSettings
from plugins.charter.model import Severity
from plugins.charter.normalize import NormalizedText
from plugins.content.detectors.base import DetectContext, Hit, make_hit

RULE_ID = "content.leave_requests"

# 请…假 but not 请问 (请问寒假作业…), not a holiday (寒假, 暑假, 放假, 假期, 假日) and
# not the work missed on a leave already taken ("昨天请假的作业是哪些")
_MISSED_WORK = r"(?:的|那天的?|那几天的?|期间的?|这几天的?)(?:作业|功课|课程?|笔记|内容|试卷)"
_LEAVE = re.compile(
    rf"请(?!问)[^。！？!?]{{0,4}}?(?<![寒暑放])假(?![期日]|{_MISSED_WORK})|告假|销假|批(?:[一两半几\d]天|个)?假(?![期日])"
    r"|(?:不能|无法|没法|没办法|不去|去不了|来不了|到不了|不来)(?:到校|上学|上课|去学校|来学校|学校了?)"
)
_ILL_HOME = re.compile(
    r"(?:发烧|高烧|发热|生病|不舒服|咳嗽|感冒|住院|看病|拉肚子|呕吐|肚子疼|头疼|过敏|受伤)"
    r"[^。！？!?]{0,12}?(?:在家休息|在家养病|在家观察|请?休息(?:一|两|半|几)天)"
)
# asking about leave is not asking for it ("需要请假吗？", "请假找谁")
_ABOUT = re.compile(
    r"需要请假|要请假吗|要不要请假|用请假吗|用不用请假|请假找谁|怎么请假|如何请假|请假流程|请假手续|请假条"
)
_NEGATED = re.compile(r"(?:不用|不需要|无需|不必|不要|没有|没|不)请[^。！？!?]{0,2}?假")
# a parent's own leave from work ("我们单位下周组织体检，下午请假"): no child in it
_AT_WORK = re.compile(r"单位|公司|上班|加班|领导")
_CHILD = re.compile(r"孩子|娃|宝宝|宝贝|儿子|女儿|闺女|学生")


def detect(
    norm: NormalizedText, ctx: DetectContext, settings: LeaveRequestsSettings
) -> list[Hit]:
    if ctx.is_staff:
        return []
    compact = norm.compact
    if not compact:
        return []
    m = _LEAVE.search(compact) or _ILL_HOME.search(compact)
    if m is None:
        return []
    if (_NEGATED.search(compact) or _ABOUT.search(compact)) and not _ILL_HOME.search(compact):
        return []
    if _AT_WORK.search(compact) and not _CHILD.search(compact) and not ctx.roster.find_compact(norm):
        return []
    start, end = norm.span_compact(m.start(), m.end())
    return [make_hit(RULE_ID, norm, start, end, "在群内请假，请按班级请假流程私下联系班主任",
                     severity=Severity.INFO, kind="leave")]
