"""content.leave_requests: a parent asks for leave in the group ("请假", "告假",
"明天不能到校") instead of privately. The plugin answers privately with the class's
leave procedure and forwards the request to the head teacher; no strike.

Talk about leave is not a request: how leave is asked for ("请假要提前几天", "请假的
入口在哪里"), a leave already taken ("上周请过假了", "请了三天病假，今天回学校了"),
someone else's leave (a teacher's: "王老师请产假了"; a parent's from work: "单位请假
太难了"; a classmate's: "同桌请了三天假"; the whole class let out early). Nor is an
absence told once it was asked for privately ("…在家歇一天，已经跟王老师私聊请过假了"),
or over ("上周感冒在家休息了两天，现在全好了"), or a child who still goes to school
("明天就不送了，让孩子坐校车去学校"). Each mention is judged by itself, so a real
request beside such talk is still one ("明天孩子请假，请假条明天补")."""

from __future__ import annotations

import re

from plugins.charter.catalogue import LeaveRequestsSettings
from plugins.charter.model import Severity
from plugins.charter.normalize import NormalizedText, normalize
from plugins.content.detectors.base import DetectContext, Hit, make_hit
from plugins.content.detectors.first_chars import skipping
from plugins.content.detectors.triggers import HINT_ABSENCE, HINT_LEAVE

RULE_ID = "content.leave_requests"

# 请…假 but not 请问 (请问寒假作业…), not a holiday (寒假, 暑假, 放假, 假期, 假日) and
# not the work missed on a leave already taken ("昨天请假的作业是哪些")
_MISSED_WORK = r"(?:的|那天的?|那几天的?|期间的?|这几天的?)(?:作业|功课|课程?|笔记|内容|试卷)"
# (both searched over whole messages begin with groups of alternatives: `skipping`
# tries them only where a match can start, see first_chars.py)
_LEAVE = skipping(
    rf"请(?!问)[^。！？!?]{{0,4}}?(?<![寒暑放])假(?![期日]|{_MISSED_WORK})|告假|销假|批(?:[一两半几\d]天|个)?假(?![期日])"
    # the leave granted, asked of the teacher ("请老师准两天假"), not granted already
    # ("老师准假了吗") nor 标准假…
    r"|(?<!标)准(?:[一两二三半几\d]天|个)?假(?![期日了没])"
    # probe 43: the pupil named between ("准我家孩子两天假吧"), not 准备/准时 (准备放三天假)
    r"|(?<![标批])准(?![备时确])[^，,。！？!?\s]{1,6}?(?:[一两二三半几\d]天|个)假(?![期日])"
    # "应该是要请一天": 请 and a number of days closing the clause, 假 left unsaid
    # (not 请一天保姆, not asked: 要请一天吗)
    # (where the clause closes is read in the original text, _closes_clause: compact has no
    # punctuation; probe 53: "要请半天，下午一点前送回学校")
    r"|(?:要|想|得|再|先|还|今天|明天|后天|上午|下午)请(?:[一两半几1-9]天)(?![吗么呢假的])"
    r"|(?:不能|无法|没法|没办法|不去|去不了|来不了|到不了|不来)(?:到校|上学|上课|去学校|来学校|学校了?)|(?:到不了|来不了|去不了)校"
    # probe 46: the day's leave ("想请周五下午的假"), and 请假 mistyped as 清假
    r"|请(?:今天|明天|后天|下?周[一二三四五]|下?星期[一二三四五])(?:上午|下午)?的假|清假(?![期日])"
    # probe 49: half a day by the morning or afternoon, anywhere ("上午请半天，考完…")
    r"|(?:上午|下午)请半天(?![吗么?？])"
    # probe 52: "大概得请十天左右的假"
    r"|请[一二两三四五六七八九十几\d]+天(?:左右)?的假(?![期日])"
    # probe 53: hours or a lesson ("请两个小时的假", "请一节课的假")
    r"|请[一二两三四五六七八九十几半0-9]+个?多?(?:小时|钟头|节课?)(?:左右)?的?假(?![期日])"
    r"|上不了(?:课|学)"
)
# probe 46: a body's temperature, not the weather's ("今天37度"): with a tenth ("38.5度"
# reads 385度 in compact, "38度5", "三十七度八") or taken ("体温37度", "量了下38度")
_FEVER = (r"(?:3[789]\d度|3[789]度[1-9一二三四五六七八九]|三十[七八九]度[一二三四五六七八九]"
          r"|(?:烧到?|体温|量了?一?下?|测了?一?下?)(?:3[789]|三十[七八九])度)")
# an illness or a symptom (probe 44: 咳 in any form, "咳得厉害"; 低烧)
_ILL = (r"(?:发烧|高烧|低烧|发热|生病|不舒服|咳|感冒|住院|看病|拉肚子|腹泻|呕吐|吐(?!槽|字|词|露|出来)|中暑"
        r"|(?:肚子?|头|牙|嗓子|喉咙|胃)(?:疼|痛)|过敏|受伤|水痘|手足口|红肿"
        # probe 46: injuries, a temperature, other symptoms ("脚崴了", "缝了三针", "三十七度八")
        r"|阳了|甲流|乙流|肿(?:得|的)(?:厉害|老高)|走不了路|闹肚子|吃坏肚子|崴(?:了|到|伤)|扭伤|骨折|摔(?:伤|破|断|了一跤)|缝了?[一二两三四五六七八九十\d]+针|头晕|流鼻涕|没劲|乏力"
        # probe 53: an inflammation by name, red and swollen ("怀疑是结膜炎", "眼睛又红又肿")
        r"|(?:结膜|肺|支气管|肠胃|胃肠|中耳|扁桃体|咽喉?|喉|鼻|腮腺|皮|疱疹性咽峡)炎|发炎|红又肿"
        rf"|{_FEVER})")
# a day of school; (probe 44) in dialect too: 今儿个, 明儿
_DAY = r"(?:今天|明天|后天|上午|下午|今早|明早|今儿个?|明儿个?|今日|明日|(?:周|星期)[一二三四五])"
# come late instead of the morning ("下午再送过去", "晚点到校", "会迟到")
_LATE = (r"再(?:送(?:过|去|来|到|回|学校)|到校|去学校|来学校|上学)"
         r"|(?:晚点|晚些|晚一点)(?:送(?:过去|去|来)?(?:学校)?(?![^，,。！？!?]{0,2}家)|到(?:校|学校|(?![家了])))|(?:会|要|得|可能)迟到"
         # probe 45: by a lesson or the clock ("第二节课前送过去", "十点左右到校")
         r"|第[一二三四\d]节课(?:前|之前)(?:能|就|才能?|可以)?(?:送|到)(?!到?[吗么])"
         # probe 48: "九点半以后才能到学校", "考完我直接送学校"
         r"|才能?到(?:校|学校)|直接送(?:学校|过去|到学校|去学校)"
         r"|[\d一二三四五六七八九十]+点(?:半|左右|前|之前)?(?:到校|到学校)(?![的了])"
         # probe 50: "十点半左右送到学校", "看完就送回来"
         r"|点(?:半|一刻)?(?:左右|前|之前)(?:能|就|才能?)?送到(?:校|学校)"
         r"|(?:看完|打完|考完|弄完|输完)(?:就|再)?送(?:回来|过去|学校|去学校|到学校)"
         # probe 52: "看完尽量赶回来上课"
         r"|赶回(?:来上课|学校|来上学)"
         # probe 54: by a morning hour, the school unsaid ("复查，第一二节课上不了，十点前送到"; not
         # papers or goods, _PAPERS)
         r"|(?<![0-9一二三四五六七八九十])(?:[七八九7-9]|十一?|1[01])点(?:半|一刻)?(?:左右|前|之前)(?:能|就|才能?)?送到(?![家了过])")
# the teacher's leave asked for ("…可以吗", "能不能…", "麻烦老师批一下")
_ASKS_LEAVE = re.compile(r"可以吗|行吗|好吗|可不可以|能不能|方便吗|行不行|批一下|准一下")
# how long, by the clock
_CLOCK = r"(?:半个?多?小时|一个?多?小时|[\d一两二三四五六七八九十几]+[来多]?分钟|一节课|一会儿?)"
# after-school care, and the days one is dropped (_ILL_HOME's after_care)
# (probe 54: "就不上延时课了")
_CARE = r"(?:课后服务|延时服务|课后延时|延时课|延时班|晚托|午托|托管|晚辅)"
_CARE_DAYS = r"今天|今晚|明天|这周|本周"
# an absence told, not asked: ill and at home, kept home, fetched early
_ILL_HOME = skipping(
    rf"{_ILL}"
    r"[^。！？!?]{0,12}?(?:在家休息|在家养病|在家观察|在家歇|在家养(?:着(?!的)|[一两半几]天)|请?休息(?:一|两|半|几)[天日]|歇(?:一|两|半|几)天"
    # probe 48: isolated or lying at home ("这几天先在家隔离", "今天再家躺一天", 再 mistyped)
    r"|[在再]家躺|躺(?:一|两|半|几)天"
    # probe 44: kept home instead of school ("有点低烧，今天就在家了"); not where one is
    # after school ("现在在家了")
    r"|(?:就|先)在家(?:了|待着|呆着|歇着|躺着)"
    # probe 45: kept away while contagious ("水痘了，医生说要隔离一周左右")
    # (a child's, _isolated_child: not a building's, "小区有人得水痘，整栋楼隔离14天")
    r"|(?P<isolated>隔离(?:[一两三四五六七八九十几\d]+(?:天|周)|一段时间)(?!\w{0,3}?[吗么?？])|在家隔离))"
    # "孩子咳得厉害，今天就不送了": with a reason (_REASON)
    r"|(?P<not_sent>(?:今天|明天|后天|上午|下午|今早|明早)[^。！？!?]{0,16}?不(?:敢|能|方便)?送(?:了|孩子|去学校|学校|去了|园|幼儿园|去幼儿园)(?![吗吧么呢?？])"
    # probe 47: ill, then not sent, with no day ("38.5度……不敢送学校了")
    rf"|{_ILL}[^。！？!?]{{0,8}}?不(?:敢|能|方便)送(?:了|孩子|去学校|学校|去了)(?![吗吧么呢?？]))"
    # "老师我家一诺明天不去了，家里老人住院": a school day, then not going, with a reason
    # (_REASON); not an outing dropped ("明天的亲子活动我们就不去了": the day is not
    # next to it), nor asked ("明天不去了吗")
    r"|(?P<not_going>(?:今天|明天|后天|上午|下午|今早|明早|今儿个?|明儿个?|(?:周|星期)[一二三四五]|这周|这几天|这两天)(?:就|先)?(?:今天|明天|后天|上午|下午)?(?:一天|一上午|一下午|半天)?(?:就|先)?不(?:去|来)(?:读书|上学)?了(?![吗吧么呢?？])"
    # probe 44: the day, then how the child is, then not going ("今儿个不舒服，就不去了")
    rf"|{_DAY}[^。！？!?的]{{0,4}}?{_ILL}[^。！？!?]{{0,6}}?(?:就|先)不(?:去|来)了(?![吗吧么呢?？])"
    # probe 45: the day, then cannot come ("上午来不了，下午看情况", "今天去不了了")
    rf"|(?<!我)(?:{_DAY}|这(?:两|几|一两)天|这周|这个?星期|这礼拜)(?:就|先|也|都|估计|可能|应该|肯定){{0,2}}(?:去|来)不了(?![吗吧么呢?？的接送])"
    # probe 43: the day's lessons themselves ("明天的课我们就不去了", "周一的升旗仪式和课都不去了");
    # not a named class ("周三的舞蹈课就不去了": 课 right after the day or after 和)
    r"|(?:今天|明天|后天|上午|下午|(?:周|星期)[一二三四五])的?(?:[^，,。！？!?]{1,6}和)?课"
    r"(?:我们|孩子|他|她|就|先|也|都){0,3}(?:不(?:去|来|上)了|(?:去|来|上)不了)(?![吗吧么呢?？的])"
    # probe 45: the school's lessons ("要参加足球比赛，学校这边的课去不了")
    r"|学校(?:这边|那边|里)?的课(?:我们|孩子|就|先|也|都){0,3}(?:不(?:去|来|上)了|(?:去|来|上)不了)(?![吗吧么呢?？的]))"
    # "下午要去医院拔牙，两点接走", "需要提前离校": not after school (_AFTER_SCHOOL)
    r"|(?P<fetched>提前(?:接走|离校)|早退|提前(?:去|来|过来|过去)?接(?:他|她|孩子|娃)(?:走|回家)?"
    # probe 48: "两点半放他出来", "麻烦跟门卫说一声", "下午一点半我就去接他" (an hour of lessons)
    r"|放(?:他|她|孩子|娃)出(?:来|去|校门)|(?:跟|和|给)(?:门卫|门口|保安)(?:说|打招呼|讲)|门卫(?:那边|那里|处)?说一?声"
    # (probe 53: or at the gate, "我两点半到校门口接她")
    r"|(?<![十\d])[一两二12]点(?:半|多|左右|一刻|[一二三四五]十分?)?我?(?:就|会|要)?"
    r"(?:(?:过来|过去|去|来)?(?:学校)?|(?:到|去|来)(?:学校|校)门口)接(?:他|她|孩子|娃)"
    # probe 49: after a lesson ("下午第二节课后我来接她去考美术"), "麻烦老师放一下人"
    # (probe 53: "第四节课后我就接走了")
    r"|第[一二三四五六1-6]节课(?:后|之后|下课)我?(?:就|会|要)?(?:过来|过去|去|来)?(?:学校)?接(?:他|她|孩子|娃|走)"
    r"|放一下(?:人|孩子|他|她)"
    r"|(?:医院|看病|看牙|拔牙|牙医|打(?:流感|新冠|水痘|乙肝)?疫苗|打针|复查|体检|输液|挂水|(?:[眼牙皮儿骨]|过敏|耳鼻喉|口腔|皮肤)科|专家号|诊所|看医生|赶(?:高铁|火车|飞机)"
    # probe 48: braces, an exam of grades, a passport ("考舞蹈十级", "去出入境办护照")
    r"|牙套|正畸|考[^，,。！？!?]{0,4}?(?:级|带)|办护照|办[^，,。！？!?]{0,4}?通行证|出入境)"
    r"[^。！？!?]{0,16}?(?:接走|接(?:她|他|孩子|娃)?回家|来接|过来接|(?:来|去|到)(?:学校|校门口)接|(?:来|去)不了(?![吗吧么呢的])"
    rf"|{_LATE})"
    # probe 44: ill, and come late ("今早肚子疼，晚点送她去学校")
    rf"|{_ILL}[^。！？!?]{{0,12}}?(?:{_LATE}))"
    # probe 44: ill, and fetched if the teacher agrees ("牙疼得厉害，我中午去接她回家可以吗");
    # told, it is the school that called ("孩子今天有点发烧，我中午去接他回家"): _ASKS_LEAVE
    rf"|(?P<ill_fetched>{_ILL}[^。！？!?]{{0,12}}?(?<!不用)(?<!不要)(?<!不必)(?<!需要)接(?:她|他|孩子|娃)?(?:回家|走)(?!了))"
    # probe 44: a late arrival or an early leave by the clock ("会迟到半小时", "放学能不能
    # 提前半小时走"), with a child in the message (_late_child); not asked (会迟到吗)
    # (probe 53: not the speaker, "家长会我要晚到十分钟"; a little, "今天要晚到一点")
    rf"|(?P<late>(?:(?<!我)(?:会|要|得|可能|估计)(?:要|会)?(?:迟到|晚到)(?:{_CLOCK}|一(?:点点?|点儿|些)(?![钟半0-9一二三四五六七八九十点]))"
    rf"|提前{_CLOCK}(?:走|离校|离开|接走|接)"
    # probe 52: late told ("沐辰要迟到了"), out before a lesson ("第三节英语课前我要接走", "最后一节课提前走");
    # not the speaker, not told not to be. (晚点到 alone is not: the sets read "孩子可能晚点到校" as
    # ordinary, a late arrival told)
    r"|(?<![我不])(?:要|会|得)迟到了(?![吗么])"
    r"|第[一二三四五六1-6]节[^，,。！？!?]{0,2}?课(?:前|之前)[^，,。！？!?]{0,4}?接走|节课提前(?:走|离开|离校)"
    # probe 45: "晚半小时到", and the child to leave early ("下午三点要提前走"), not the speaker
    rf"|晚{_CLOCK}到|(?<!我)(?<!我们)(?:要|得|需要)提前(?:走|离开|回家)"
    # probe 46: the child to leave a little early ("最后一节课想早点走"), a lesson missed
    # ("第一节课赶不上"; not 差点赶不上), or there by a time promised ("九点前一定送到")
    r"|(?<!我)(?<!我们)(?:想|要|得|需要)(?:早点|早一点|早些)(?:走|离校|离开)"
    r"|(?<!差点)(?<!差一点)(?:第[一二三四\d]节课|早读|升旗)(?:赶不上|来不及)|(?<!差点)(?<!差一点)赶不上(?:第[一二三四\d]节课|早读|升旗)"
    r"|[0-9一二三四五六七八九十]+点(?:半|左右)?(?:前|之前)(?:一定|肯定|尽量)(?:送到|到校|到学校|送过去)"
    # probe 53: or there by a morning hour ("九点半之前一定到"; not "五点前肯定到", a fetch after
    # school; not 到位, 到家)
    r"|(?<![0-9一二三四五六七八九十])(?:[七八九7-9]|十一?|1[01])点(?:半|左右)?(?:前|之前)(?:一定|肯定|尽量)到(?![家了过处底位达场齐])"
    # probe 48: "下午第一节课前送到"
    r"|第[一二三四1-4]节课(?:前|之前)(?:送到|送过去|到校|到学校))(?![吗么?？]))"
    # probe 54: overslept, then a morning hour of arrival ("天佑今天起晚了，马上送过去，估计八点二十左右到");
    # not the speaker's ("我今天起晚了，八点二十左右到公司"), not there already ("还好八点前到了") (_overslept)
    r"|(?P<overslept>(?<!我)(?<!我今天)(?<!我今早)(?<!我早上)(?:起晚|起迟|睡过头|睡过了头|闹钟没响)"
    r"[^。！？!?]{0,16}?(?<![0-9一二三四五六七八九十])(?:[七八九7-9]|十)点[^。！？!?]{0,5}?"
    r"(?:到校|到学校|送到|送过去|到)(?![家了过处底位达场齐公单班校学]))"
    # probe 44: away for days ("刘浩然要回老家三天，周四回来上课"): with a child and a
    # school day, not a holiday (_away)
    r"|(?P<away>(?:回老家|回趟老家|出去玩|去旅游|出去旅游|出远门|去外地|出国)[^。！？!?]{0,3}?[一两二三四五六七八九十几\d]+天"
    # probe 45: from one school day to another ("下周一到周三跟我们回老家")
    r"|(?:周|星期)[一二三四五]到(?:周|星期)?[一二三四五][^。！？!?]{0,8}?(?:回老家|回趟老家|出去玩|去旅游|去外地|出国|出远门|探亲))"
    # "明天…想让孩子在家一天": on a school day (_SCHOOL_DAY)
    r"|(?P<kept_home>(?:让|给)(?:孩子|娃|他|她)在家(?:待|呆|歇)?(?:[一两半几]天|一上午|一下午)"
    # probe 48: "想让她上午在家睡一觉"
    r"|(?:让|给)(?:孩子|娃|他|她)(?:上午|下午)在家(?:睡|歇|休息|待|呆))"
    # probe 53: the after-school care of a school day dropped ("今天放学不参加课后服务，四点我直接来接",
    # "今晚的晚托不参加了", "今天不上托管了"): a school day, a child or a fetch (_after_care)
    rf"|(?P<after_care>(?:不参加|不上|不去)(?:{_CARE_DAYS})?的?{_CARE}"
    rf"|{_CARE}班?(?:也|都|就|先)?(?:不参加|不上|不去)了?)(?![的吗么吧呢?？])"
    # probe 53: physical education dropped for a reason ("这个月体育课都得免了", "今天的体育课就不上了",
    # "体育课的800米测试能不能先不参加", "两周内免体育") (_pe)
    r"|(?P<pe>(?:体育|体测)[^。！？!?]{0,12}?(?:免了|免掉|免一下|先不上|就不上|不上了|先不参加|不参加了|就不参加)"
    r"|免上?体育)"
    # probe 53: the child sent to the gate in school hours to be fetched ("麻烦老师中午让他吃完饭到校门口等我",
    # for a doctor's visit: _gate_wait)
    r"|(?P<gate_wait>(?:让|叫)(?:他|她|孩子|娃)[^。！？!?]{0,8}?(?:到|去|在)(?:学校|校)?门口等(?:我|着))"
)
# (probe 44: or in the evening, "晚上接他回家")
_AFTER_SCHOOL = re.compile(r"放学|晚上\w{0,2}接")
# the school's arrangement relayed ("听说下午的课不上了，学校组织看比赛"): no one's absence
_ARRANGED = re.compile(r"(?:学校|年级|班级|班里)(?:组织|安排|通知|统一|规定|要求)|听说")
# 早退 as a topic: what follows is how it is done or what it costs
_EARLY_TOPIC = re.compile(r"需要|要不要|要(?:家长|签|找|写|提前|经过)|的(?:话|规定|流程|手续|要求)|怎么|如何|算|会不会|扣"
                          r"|[吗么]|[了过]?[吗么?？]")
_OTHERS_EARLY = re.compile(r"有人|别人|同学|经常|总是|老是")
# holidays by name: a trip then is no absence ("国庆带孩子回老家三天，周一回来")
_HOLIDAY = re.compile(r"国庆|五一|春节|过年|中秋|元旦|端午|清明|小长假|长假")
_REASON = re.compile(r"烧|咳|病|疼|痛|吐|拉肚子|腹泻|感冒|不舒服|过敏|受伤|医院|住院|发炎|水痘|有事"
                     # probe 46: injuries, a temperature, weakness
                     rf"|崴|扭伤|骨折|摔|缝了?[一二两三四五六七八九十\d]+针|肿|{_FEVER}|没劲|乏力|头晕"
                     # probe 44: an appointment or a family matter ("要参加钢琴考级，上午的课就不上了")
                     r"|考级|比赛|竞赛|护照|户口|回老家|喜酒|婚礼|去世|奔丧"
                     # probe 50
                     r"|搬家|没人送|病危|肚子|出发|积食|传染")
# probe 53: what the after-care and PE patterns need (_after_care, _pe); the days are school
# days, the habits not one day's ("从来不上托管", "这学期托管不参加了")
_CARE_DAY = re.compile(r"今天|今晚|明天|后天|这周|本周|这几天|这两天|(?:周|星期)[一二三四五]")
_HABIT = re.compile(r"学期|以后|从来|每天|一直不|长期|不再|暑假|寒假")
# a fetch (not 直接, 接龙, 接受, 接种 …)
_PICKUP = re.compile(r"(?<!直)接(?!龙|受|收|种|触|着|力|待|通知)")
_PE_REASON = re.compile(r"疫苗|伤|证明|医生|做不了|不能做")
_PE_NEEDED_NOT = re.compile(r"(?:不用|不需要|无需|不必)再?免")
# probe 57: the gate told (_ILL_HOME's fetched), and an hour of lessons or a lesson by number
# that makes the fetch one in school time ("下午三点半我去接…麻烦跟门卫说一声", "第三节课后我来接")
_GATE_TOLD = re.compile(r"(?:跟|和|给)(?:门卫|门口|保安)(?:说|打招呼|讲)|门卫(?:那边|那里|处)?说一?声")
_LESSON_HOUR = re.compile(r"[0-9一两二三四五六七八九十]点|第[一二三四五六1-6]节")
# a doctor's visit or another appointment (_ILL_HOME's fetched, the gate wait)
_APPOINTMENT = re.compile(
    r"医院|看病|看牙|拔牙|牙医|疫苗|打针|复查|体检|输液|挂水|(?:[眼牙皮儿骨]|过敏|耳鼻喉|口腔|皮肤)科|专家号|诊所|看医生"
    r"|赶(?:高铁|火车|飞机)|牙套|正畸|考级|护照|通行证|出入境|比赛"
)
# probe 54: papers or goods taken somewhere by a time after a check-up, not the child
# ("体检报告十点前送到学校", "医院复查的单子九点前送到教务处")
_PAPERS = re.compile(r"报告|单子|检查单|化验单|表格|证明|材料|资料|结果")
# probe 54: oversleeping on a day past or as a habit (_overslept)
_DAY_PAST = re.compile(r"昨天|前天|上次|那次|那天|之前|上周")
_OFTEN = re.compile(r"总是|老是|天天|每天|经常|一直|又")
_SCHOOL_HOURS = re.compile(r"中午|上午|下午|[0-9一两二三四五六七八九十]+点")
_TODAY = re.compile(r"今天|明天|后天|今早|明早|一会|待会")
# "明天就不送了，让孩子坐校车去学校": not taken, but the child still goes to school
# (not "爸爸送他去医院", nor once well again: "等烧退了再去学校")
_STILL_GOES = re.compile(r"校车|(?<![不没别再才])(?:(?:去|到)学校|上学|到校)|走路|自己走|一起走")
# a school day named just before a fetch ("周六的兴趣班也不去了，孩子周五下午要去医院复查，两点过来接")
_WEEKDAY = re.compile(r"(?:周|星期|礼拜)[一二三四五]")
# a school day: the kept-home absence is one on it
_SCHOOL_DAY = re.compile(rf"今天|明天|后天|{_WEEKDAY.pattern}")
# (not another class closed: "听说二班停课了")
_NO_SCHOOL = re.compile(
    r"寒假|暑假|放假|假期|周末|周六|周日|星期[六日天]|节假日|(?<![\d一二三四五六七八九十壁他]班)(?<!别的班)停课|不上课"
)
# the whole class let out ("孩子们两点半提前离校"), not one child fetched (in the clause
# of the fetch: "孩子们下午在排练，我家孩子要去看牙，三点提前接走" is one child)
_COLLECTIVE = re.compile(r"孩子们|同学们|学生们|全班|全校|全体|所有(?:孩子|学生|同学)")
# a classmate's leave or absence ("孩子说同桌请了三天假", "班里有个同学早退了")
_CLASSMATE_BEFORE = re.compile(r"(?:同桌|(?:个|位|说|有|班里|班上|别的|其他)同学)[^我]{0,2}$")
# an absence over and done with: a past time, or the rest told done ("休息了"), and
# the child back or well ("上周感冒在家休息了两天，现在全好了")
_PAST = re.compile(r"上周|上个?月|上次|前几天|前两天|前段时间|之前|上学期")
_OVER = re.compile(
    r"(?:全|已经|都|基本|现在)好了|好(?:多|些|点)了|没事了|康复了|痊愈了|(?:回|返|到)(?:学校|校)(?:上课)?了|(?:来|回来)?上学了|回来上课了"
    # the child back at school as usual ("周末…在家休息了两天，周一正常来")
    r"|正常(?:来|去|上学|上课|到校)|照常|按时(?:到校|上学)"
)
# a new leave asked after one asked privately ("…私聊请过假了，孩子又发烧了，明天再请一天假")
_AGAIN = re.compile(r"(?:再|又|还得|还要|另外)$")
# the leave asked for privately already ("已经跟王老师私聊请过假了"): told, not asked
_ASKED_PRIVATELY = re.compile(
    r"请过假|请好假|(?:私聊|私信|电话)(?:过|了)?\w{0,6}?(?:请过|请了|请好|说过|说了|报备)"
    r"|已(?:经)?(?:跟|向|和|给)\w{0,5}?(?:老师|班主任)\w{0,4}?(?:请过|请了|请好|说过|说了|报备)"
    # probe 46: "…请假的事我已经私信您了"
    # (probe 53: any matter, "第二节课后我来接她去考级的事已经私聊老师了")
    r"|(?:的事|这事|假条)[^。！？!?]{0,6}?(?:私信|私聊|私发|单独发)(?:给)?(?:您|你|[\u4e00-\u9fff]{0,2}老师|班主任)(?:了|过)"
    # probe 53: "…医生说再在家休息一周，已经私聊过老师了"
    r"|已经?(?:私信|私聊|私发|单独发)(?:过|了)?(?:给)?(?:您|你|[\u4e00-\u9fff]{0,2}老师|班主任)"
)
# asking about leave is not asking for it ("需要请假吗？", "请假找谁")
_ABOUT = re.compile(
    r"需要请假(?![一两二三四五六七八九十半几\d]+天)|要请假吗|要不要请假|用请假吗|用不用请假|请假找谁|怎么请假|如何请假|请假流程|请假手续|请假条"
    # probe 52: "需要家长另外请假吗？"
    r"|需要[^，,。！？!?]{1,6}?请假吗"
)
# what makes 需要请假 a question or a condition ("需要请假吗", "需要请假的话", "需要请假的家长")
_ASKED_AFTER = re.compile(r"\s*(?:吗|么|嘛|不|[?？]|的)")
_IF = re.compile(r"如果|要是|万一|假如|若是")
_NEGATED = re.compile(r"(?:不用|不需要|无需|不必|不要|没有|没|不)(?:专门|特意|特地|再|另外)?$")
# leave as a topic: what follows 请假 is how it is done ("请假要提前几天", "请假的入口")
_TOPIC = re.compile(
    # (probe 53: "请几个小时的假也需要写假条吗")
    r"(?:也|还|都)?(?:"
    r"的?(?:条|单|表|流程|手续|制度|规定|入口|要求|材料|证明|理由|原因|时候|话)|的事"
    # those on leave as a kind of pupil ("请假的孩子作业怎么补")
    r"|的(?:孩子|同学|学生|小朋友)"
    # (probe 43: who grants it, "请假要班主任批准")
    # (probe 53: or should be, "请假应该找谁", "请假一般应该提前多久")
    r"|(?:一般|通常)?(?:要|应该?|应当)(?:走|办)?(?:什么|哪些|啥|提前|找|写|交|带|填|签|经过?|班主任|老师|校长|学校|年级|在哪|去哪"
    # (probe 53: whom it goes to, "…请假，应该发给您还是发给年级组")
    r"|发给|报给|提交|申请)"
    r"|需要|得提前|必须|会不会|会影响|影响|超过|回来|回校|返校|扣"
    # probe 51: how it is done ("请假要怎么走流程"); probe 53: "孩子请假应该怎么请", and
    # whether a note is needed ("请半天假要不要写假条")
    r"|(?:要|应该?|应当)?(?:怎么|如何)|要不要|需不需要|用不用"
    # probe 46: whom it is asked of ("请假是找班主任还是…")
    r"|是(?:找|向|跟|要|不是|在|私)|找谁|找哪|信息|消息)"
)
# probe 46: asking what would happen ("想问下如果去外地比赛要请长假，需要学校开证明吗？")
_ASKS_WHAT_IF = re.compile(r"(?:想问|请问|问一下|问下|咨询)[^。！？!?]{0,10}?(?:如果|要是|万一|假如|若是)")
_QUESTION = re.compile(r"[吗么?？]")
_SPEAKER_ILL = re.compile(r"(?<!给)(?<!让)我(?:今天|昨天|也|又|最近|这两天)?(?:有点|有些|得了)?(?:感冒|发烧|生病|病了|不舒服|头疼|头痛|肚子疼|咳|阳了"
                          # (probe 53: "我得了肠胃炎在家休息")
                          r"|[\u4e00-\u9fff]{1,3}炎)")
# an absence told to a teacher in words no pattern holds (_told_absence, after probe 48)
_TO_TEACHER = re.compile(r"\s*(?:@\S{1,10}\s*)?[\u4e00-\u9fff]{0,3}(?:老师|班主任)")
_TO_TEACHER_AT = re.compile(r"@[^\s@]{0,8}(?:老师|班主任)")
_MINE_CHILD = re.compile(r"我家|我们家|俺家|我屋头")
_TOLD_TIME = re.compile(r"今天|明天|后天|今早|明早|今儿|明儿|今日|明日|上午|下午|中午|这两天|这几天|下周|(?:周|星期)[一二三四五]"
                        r"|一会儿?|待会儿?|现在")
# (each holds a trigger word of HINT_ABSENCE or HINT_LEAVE: the detector runs for them)
_TOLD_VERB = re.compile(r"(?:不去|不来|来不了|去不了|到不了)(?!的)|不能(?:去|来|到)|在家(?:休息|养|观察|歇|待|呆|躺)(?!了)|休息(?![了的])"
                        r"|晚点到|晚到|迟到|提前走|离校|接走|请[^。！？!?]{0,4}?假|隔离|不上了|不让(?:他|她|孩子|娃)?(?:去|来)"
                        r"|歇(?:一|两|半|几)天|不在学校|不参加了")
_ASKS_ABOUT = re.compile(r"需要请假|要不要|用不用|怎么|如何|是不是|会不会|算不算")
_EARLY_FETCH = re.compile(r"提前(?:去|来|过来|过去)?接")
_TODAYISH = re.compile(rf"{_SCHOOL_DAY.pattern}|上午|下午")
_ADVICE = re.compile(r"说得对|说的对|建议|就该|别硬撑|别硬扛|不要硬撑|不要硬扛")
_HEARSAY = re.compile(r"听说|据说|听别的家长说")
_THANKED = re.compile(r"(?:谢谢|感谢|多谢)[^，,。！？!?]{0,5}$")
# a leave with a when or how long is someone's ("明天请假", "请三天假", "请假一天")
_WHEN = re.compile(
    r"今天|明天|后天|今早|明早|今晚|上午|下午|中午|早上|这周|下周|本周|这两天|这几天|周[一二三四五六日]"
    r"|星期[一二三四五六日天]|礼拜[一二三四五六日天]|\d+号|\d+月\d+日"
)
# leave of a kind or a length, named as a topic (_TOPIC)
_PLAIN_LEAVE = re.compile(r"[请准批](?:[病事]|[一两二三四五六七八九十半几0-9]+个?(?:天|小时|节课?)的?)?假")
_AMOUNT = re.compile(r"[一两二三四五六七八九十半几\d]+天|个")
# a leave already taken or done with
_PAST_BEFORE = re.compile(r"(?:上次|上周|之前|以前|前几天|前两天|前天|昨天|那次|上个月|上学期|已经)[^。]{0,3}$")
# what was missed on a leave taken ("孩子请了病假没听到")
_MISSED_AFTER = re.compile(r"没(?:听|上|来|赶上|跟上|学)|落下|错过|缺了|缺课")
# "请家长准备假发", "请大家辨别假通知": the group asked to do something, not a leave
_AUDIENCE = re.compile(r"大家|家长|各位|同学|孩子们|你们")
# "家长不能到校观看": a grown-up's visit, not the pupil's attendance
_GROWN_UP_BEFORE = re.compile(
    r"(?:家长|爸妈|爸爸|妈妈|外来人员|校外人员|车辆|外人)们?(?:都|也|一律|暂时|均)?$"
)
# a device or the network keeps the child from class, not an absence ("网课卡了，孩子上不了课");
# so does the whole class ("停电了，孩子们今天上不了课") or a teacher away (_TEACHER_AWAY).
# The medium alone (网课, 平板) is no cause when the child is ill or busy (_REASON):
# "孩子发烧了，网课和学校这两天都上不了课" is an absence
_ONLINE = re.compile(r"网络|网速|掉线|卡(?:了|住|顿)|停电|断网|没网|坏了|登不上|进不去|打不开|连不上|死机|没电")
_ONLINE_MEDIUM = re.compile(r"网课|平板|电脑|直播")
# a time long past ("疫情那会儿上不了学"), with no day of this week in the clause
_LONG_AGO = re.compile(r"那会儿?|那时候?|那段时间|那阵子|那几年|小时候|去年|当年|以前|疫情期间")
# probe 45: the speaker's own leave, home to help ("杨一诺妈妈我明天请假在家，可以帮忙接一下孩子")
_SPEAKER_BEFORE = re.compile(r"(?<!给)我(?:们)?(?:今天|明天|后天|下午|上午|这周|下周)?$")
_SPEAKER_FREE = re.compile(r"[^。！？!?]{0,6}?(?:可以帮|能帮|帮忙|帮大家|有空|正好可以|可以来接|能来接|去接|来接)")
# leave only grown-ups take
_CANNOT_GET = re.compile(r"请不(?:了|到|下来?|出)")
_ADULT_LEAVE = re.compile(r"产假|婚假|年假|陪产假|育儿假|探亲假")
# "王老师请假了", "数学老师请假了": a teacher's leave ("跟王老师请个假" is the child's)
_TEACHER_BEFORE = re.compile(r"([\u4e00-\u9fff]{0,3})(老师|班主任)$")
# a teacher away ("王老师生病了", "数学老师出差了"), not one addressed ("老师，孩子…")
# (probe 43: also ill in other words, "隔壁班老师嗓子哑了"; in the clause of 老师)
_TEACHER_AWAY = re.compile(
    r"(?:老师|班主任)[^，,。！？!?\s]{0,4}?(?:生病|病了|住院|有事|出差|培训|外出|开会|休假|请假"
    r"|嗓子|发烧|不舒服|受伤|哑了)"
)
_TO_SOMEONE = re.compile(r"[跟向给找和请让求烦帮与同对谢]")
# a parent's own leave from work ("我们单位下周组织体检，下午请假"): no child in it
_AT_WORK = re.compile(r"单位|公司|上班|加班|领导|老板")
_CHILD = re.compile(r"孩子|娃|宝宝|宝贝|儿子|女儿|闺女|学生")
_CLAUSE_END = re.compile(r"[，,。.！!？?；;\n]")
_FETCH = re.compile(r"来接|去接|过来接|接(?:她|他|孩子|娃)")
_DONE_BEFORE = re.compile(r"刚好|刚刚|已经|终于|总算|还是")
_GOODS = re.compile(r"订的|买的|快递|外卖|货|家委会|物资")
_TEACHER_JUST_BEFORE = re.compile(r"(?:老师|班主任)[^，,。！？!?]{0,3}$")
# what closes the clause of 请<n>天: a mark or the end, a particle, the next time of day
# ("要请半天，下午…", "得请一天吧", "要请半天下午送回学校"), or 假 said after all ("上午请半天假")
_CLOSES = re.compile(r"\s*(?:$|[^\w]|吧|哈|啊|呀|假|上午|下午|中午|晚上|早上|今天|明天|后天)")
# a teacher addressed, then the request ("刘老师，请明天的假"): a mark between them
_ADDRESS_MARKS = frozenset("，,：:！!。 ~～、")


_HINTS = (HINT_ABSENCE, HINT_LEAVE)


def detect(
    norm: NormalizedText, ctx: DetectContext, settings: LeaveRequestsSettings
) -> list[Hit]:
    if ctx.is_staff or not norm.compact:
        return []
    # each pattern is searched only when one of its trigger words occurs (the
    # presence pass, in the memo): most messages that call the detector hold the
    # words of one of them
    lex = ctx.lexicon
    present = lex.presence().mask(norm)
    bits = lex.group_bits(_HINTS)
    return _request(norm, ctx, present & bits[HINT_ABSENCE] != 0, present & bits[HINT_LEAVE] != 0)


def _request(norm: NormalizedText, ctx: DetectContext, absence: bool, leave: bool) -> list[Hit]:
    """detect(), searching _ILL_HOME only when `absence` (one of its trigger words
    occurs) and _LEAVE only when `leave`."""
    compact = norm.compact
    told = None  # whether the message says the leave was asked for privately
    for m in _ILL_HOME.finditer(compact) if absence else ():
        if (_absence(norm, ctx, m) and not _classmates(compact, m.start()) and not _at_work(norm, ctx, m)
                and not _teacher_away(norm, ctx)):
            told = _ASKED_PRIVATELY.search(compact) is not None
            if not told:
                return [_hit(norm, m)]
            break
    if told:
        return []
    if leave:
        about = _about(norm) if "请" in compact else []
        for m in _LEAVE.finditer(compact):
            if not _not_a_request(norm, ctx, m, about):
                if (_ASKED_PRIVATELY.search(compact) is not None
                        and _AGAIN.search(compact, max(0, m.start() - 2), m.start()) is None):
                    return []
                return [_hit(norm, m)]
    told_absence = _told_absence(norm, ctx)
    return [_hit(norm, told_absence)] if told_absence is not None else []


def _told_absence(norm: NormalizedText, ctx: DetectContext) -> re.Match[str] | None:
    """An absence told to the teacher in words none of the patterns above holds: the
    message speaks to a teacher, names the pupil (or 孩子, 我家…), gives a reason and a
    school time, and says the child is away, late, kept home or fetched ("黄老师，一航发烧
    了，今天先不让他去了，明天看情况"). Every part is needed: a teacher told how the child is
    ("老师，思彤今天有点咳嗽，麻烦提醒她多喝水") names no absence; one told it is over, asked
    about, arranged privately or by the school, or after school is no request."""
    compact = norm.compact
    verb = _TOLD_VERB.search(compact)
    if verb is None or _TO_TEACHER.match(norm.original) is None and _TO_TEACHER_AT.search(norm.original) is None:
        return None
    if not (_CHILD.search(compact) or _MINE_CHILD.search(compact) or ctx.roster.find_compact(norm)):
        return None
    if _REASON.search(compact) is None or _TOLD_TIME.search(compact) is None:
        return None
    before = compact[max(0, verb.start() - 6):verb.start()]
    if _NEGATED.search(before) is not None or _PAST_BEFORE.search(before) is not None:  # 不用请假, 前两天请假
        return None
    if (_OVER.search(compact) is not None or _ASKED_PRIVATELY.search(compact) is not None
            or _ARRANGED.search(compact) is not None or _COLLECTIVE.search(compact) is not None
            or _AFTER_SCHOOL.search(compact) is not None or _ASKS_ABOUT.search(compact) is not None
            or _SPEAKER_ILL.search(compact) is not None or _teacher_away(norm, ctx)
            or (_NO_SCHOOL.search(compact) is not None and _SCHOOL_DAY.search(compact) is None)):
        return None
    return verb


def _about(norm: NormalizedText) -> list[tuple[int, int]]:
    """Spans of asking about leave ("需要请假吗？", "需要请假的家长私聊老师", "如果明天
    需要请假，找谁？"); but "孩子明后天需要请假" is a request: a when before 需要请假 in
    its clause, neither asked nor a condition."""
    compact = norm.compact
    spans = []
    for a in _ABOUT.finditer(compact):
        if a.group() == "需要请假":
            clause = _clause(norm, a)
            at = clause.find("需要")
            if (at > 0 and _WHEN.search(clause, 0, at) is not None
                    and _ASKED_AFTER.match(clause, at + 4) is None
                    and _IF.search(clause, 0, at) is None):
                continue
        spans.append(a.span())
    return spans


def _isolated_child(norm: NormalizedText, ctx: DetectContext, m: re.Match[str]) -> bool:
    """Whether the one ill and isolated is a child: one named, or 孩子…, just before the
    illness or within it ("孩子得了水痘，医生说要隔离一周"); not someone else in the
    building or the news, even with children mentioned after ("…隔离14天，孩子们注意防护")."""
    start = max(0, m.start() - 24)  # (probe 48: "张子涵身上起了好多小红点，医生说像水痘…")
    return (_CHILD.search(norm.compact, start, m.end()) is not None
            or any(start <= s and e <= m.end() for _, s, e in ctx.roster.find_compact(norm)))


def _absence(norm: NormalizedText, ctx: DetectContext, m: re.Match[str]) -> bool:
    compact = norm.compact
    if m.group("not_sent"):
        return _REASON.search(compact) is not None and _STILL_GOES.search(compact, m.end()) is None
    if m.group("not_going"):
        # (probe 44: not the whole class's lessons, "下午的课不上了，全校去看比赛")
        return (_REASON.search(compact) is not None and _NO_SCHOOL.search(compact) is None
                and _COLLECTIVE.search(compact) is None and _ARRANGED.search(compact) is None
                and not _over(compact, m))
    if m.group("overslept"):
        return _overslept(norm, ctx, m)
    if m.group("fetched"):
        if _PAPERS.search(m.group()) is not None:  # probe 54: "体检报告十点前送到学校"
            return False
        if m.group() == "早退" and (_EARLY_TOPIC.match(compact, m.end())
                                   or _OTHERS_EARLY.search(compact, max(0, m.start() - 4), m.start())):
            # probe 44: how leaving early is done ("请问早退需要家长签字吗", "早退算旷课吗"),
            # asked ("经常早退吗"), or someone else's ("班上有人早退")
            return False
        if (_EARLY_FETCH.match(m.group()) is not None and not m.group().startswith("提前接走")
                and _TODAYISH.search(compact) is None):
            return False  # (probe 51: a habit, "最近都是我提前接孩子")
        if (_GATE_TOLD.fullmatch(m.group()) is not None and _REASON.search(compact) is None
                and _APPOINTMENT.search(compact) is None and _LESSON_HOUR.search(compact) is None):
            # probe 57: the gate told of who fetches, no hour of lessons and no reason: a pickup
            # by someone else, not a fetch early ("今天下午奶奶来接，已经跟门卫说了")
            return False
        no_school = (_NO_SCHOOL.search(compact) is not None
                     and _WEEKDAY.search(compact, max(0, m.start() - 12), m.end()) is None)
        # (probe 53: a fetch past, thanked for: "上周五第四节课后我就接走了，谢谢老师帮忙照顾")
        past = _PAST.search(compact, 0, m.start()) is not None and _TODAY.search(compact) is None
        return (_AFTER_SCHOOL.search(compact) is None and not no_school and not past
                and _COLLECTIVE.search(_clause(norm, m)) is None)
    if m.group("ill_fetched"):
        # (probe 51: or fetched early, "奶奶住院了，我们今天下午三点要提前接她走")
        asked = _ASKS_LEAVE.search(compact, m.end()) is not None or (
            _EARLY_FETCH.search(m.group()) is not None and _TODAYISH.search(compact) is not None)
        return asked and _AFTER_SCHOOL.search(compact) is None
    if m.group("late"):
        # probe 47: a child taken there or fetched is one in the message ("九点前一定送到",
        # "要早点离校，我三点来接"); a teacher late is not ("陈老师第一节课赶不上")
        # (goods are delivered: "家委会订的矿泉水九点前一定送到学校")
        child = (_CHILD.search(compact) is not None or _FETCH.search(compact) is not None
                 or ("送" in m.group() and _GOODS.search(compact) is None) or bool(ctx.roster.find_compact(norm)))
        # (probe 49: done already, "刚好在第一节课前送到"; a rule, "学校规定第一节课前送到就行")
        return (child and _COLLECTIVE.search(compact) is None and _NO_SCHOOL.search(compact) is None
                and _TEACHER_JUST_BEFORE.search(compact, max(0, m.start() - 6), m.start()) is None
                and _DONE_BEFORE.search(compact, max(0, m.start() - 4), m.start()) is None
                # (probe 53: goods late, "外卖要晚到一点，孩子先吃点饼干")
                and _GOODS.search(compact, max(0, m.start() - 6), m.start()) is None
                and _ARRANGED.search(compact) is None)
    if m.group("away"):
        # the child's own trip: a child or a pupil named in its clause ("我们明天回老家两天，
        # 孩子跟奶奶在家" is not)
        clause = normalize(_clause(norm, m))
        return ((_CHILD.search(clause.compact) is not None or bool(ctx.roster.find_compact(clause)))
                and _SCHOOL_DAY.search(compact) is not None and _NO_SCHOOL.search(compact) is None
                and _HOLIDAY.search(compact) is None)
    if m.group("isolated") and not _isolated_child(norm, ctx, m):
        return False
    if m.group("kept_home"):
        school_day = _SCHOOL_DAY.search(compact) is not None or "午在家" in m.group()
        return school_day and _NO_SCHOOL.search(compact) is None
    if m.group("after_care"):
        return _after_care(norm, ctx, m)
    if m.group("pe"):
        return _pe(norm, ctx, m)
    if m.group("gate_wait"):
        # a doctor's visit or another reason, in school hours
        return ((_APPOINTMENT.search(compact) is not None or _REASON.search(compact) is not None)
                and _SCHOOL_HOURS.search(compact) is not None and _AFTER_SCHOOL.search(compact) is None
                and _NO_SCHOOL.search(compact) is None and _COLLECTIVE.search(compact) is None)
    # probe 52: advice ("唐老师说得对，孩子生病了就在家休息，别硬撑着来学校")
    if _ADVICE.search(compact) is not None:
        return False
    # probe 48: the speaker ill ("我今天感冒了在家躺一天", "我今天发烧在家躺一天，放学让孩子爷爷去接")
    if _SPEAKER_ILL.search(compact, max(0, m.start() - 6), m.start() + 4) is not None:
        return False
    # ill at home: not on a day without school ("这周末孩子发烧，在家休息一天"), nor over
    # ("上周…在家休息了两天，现在全好了")
    if _NO_SCHOOL.search(compact) is not None and _SCHOOL_DAY.search(compact) is None:
        return False
    done = _PAST.search(compact, 0, m.start()) is not None or compact.startswith("了", m.end())
    return not (done and _OVER.search(compact, m.end()) is not None)


def _overslept(norm: NormalizedText, ctx: DetectContext, m: re.Match[str]) -> bool:
    """probe 54: a child overslept and is brought by a morning hour ("天佑今天起晚了，马上送过去，
    估计八点二十左右到"); not a habit ("孩子天天起晚，八点左右到校会扣分吗？"), a day past ("孩子昨天
    起晚了，八点二十左右才到"), a day without school, or no child in it."""
    compact = norm.compact
    child = (_CHILD.search(compact) is not None or _MINE_CHILD.search(compact) is not None
             or "送" in m.group() or bool(ctx.roster.find_compact(norm)))
    return (child and _DAY_PAST.search(compact, 0, m.start()) is None and _OFTEN.search(compact) is None
            and _NO_SCHOOL.search(compact) is None and _COLLECTIVE.search(compact) is None
            and not _asked_not_of_the_teacher(norm))


def _asked_not_of_the_teacher(norm: NormalizedText) -> bool:
    """A question that asks nothing of the teacher ("体育课不上了吗？", "…是真的吗"), or a
    case put ("如果孩子受伤了需要免体育课，是找…"); not one that asks leave ("…能不能先不参加",
    "…可以吗"). (The question mark is in the original text only.)"""
    compact = norm.compact
    return (_QUESTION.search(norm.original) is not None and _ASKS_LEAVE.search(compact) is None
            or _IF.search(compact) is not None)


def _after_care(norm: NormalizedText, ctx: DetectContext, m: re.Match[str]) -> bool:
    """probe 53: the after-school care of a school day dropped, told of a child or with the
    fetch ("诗琪今晚的晚托不参加了，我六点前来接"); not a habit or a term ("我家孩子从来不上托管",
    "这学期托管不参加了"), asked about, the school's arrangement or heard of ("今天课后服务不上了，
    学校通知老师开会"), nor on a day without school ("暑假托管不去了")."""
    compact = norm.compact
    child = (_CHILD.search(compact) is not None or _MINE_CHILD.search(compact) is not None
             or _PICKUP.search(compact) is not None or bool(ctx.roster.find_compact(norm)))
    return (child and _CARE_DAY.search(compact) is not None and _HABIT.search(compact) is None
            and _NO_SCHOOL.search(compact) is None and not _asked_not_of_the_teacher(norm)
            and _ARRANGED.search(compact) is None and _COLLECTIVE.search(compact) is None
            and _TEACHER_AWAY.search(compact) is None and not _over(compact, m))


def _pe(norm: NormalizedText, ctx: DetectContext, m: re.Match[str]) -> bool:
    """probe 53: physical education dropped for a reason of the child's, told or asked of the
    teacher ("浩然这周一直咳嗽，体育课的800米测试能不能先不参加"); not the lesson moved or
    cancelled ("孩子说体育老师生病了，这周体育课都不上了", "今天下雨体育课不上了"), asked about
    ("免体育课的证明交到哪里？"), no longer needed ("不用免了") or over."""
    compact = norm.compact
    child = (_CHILD.search(compact) is not None or _MINE_CHILD.search(compact) is not None
             or "他" in compact or "她" in compact or bool(ctx.roster.find_compact(norm)))
    reason = _REASON.search(compact) is not None or _PE_REASON.search(compact) is not None
    return (child and reason and _TEACHER_AWAY.search(compact) is None and _PE_NEEDED_NOT.search(compact) is None
            and not _asked_not_of_the_teacher(norm) and _ASKS_ABOUT.search(compact) is None
            and _ARRANGED.search(compact) is None and _COLLECTIVE.search(compact) is None
            and not _over(compact, m))


def _addressed(norm: NormalizedText, m: re.Match[str]) -> bool:
    """Whether a mark stands right before the match in the text, after the teacher's
    name: the teacher is spoken to, not of."""
    start = norm.span_compact(m.start(), m.end())[0]
    return start > 0 and norm.original[start - 1] in _ADDRESS_MARKS


def _over(compact: str, m: re.Match[str]) -> bool:
    """probe 46: an absence in the past and told over ("孩子上周发烧了这两天都来不了学校，现在好了")."""
    return _PAST.search(compact, 0, m.start()) is not None and _OVER.search(compact, m.end()) is not None


def _classmates(compact: str, start: int) -> bool:
    return _CLASSMATE_BEFORE.search(compact, max(0, start - 6), start) is not None


def _not_a_request(norm: NormalizedText, ctx: DetectContext, m: re.Match[str],
                   about: list[tuple[int, int]]) -> bool:
    compact = norm.compact
    s, e = m.span()
    said = m.group()
    if said.startswith("清"):  # 请假 mistyped: judged as 请假
        said = "请" + said[1:]
    before = compact[max(0, s - 6):s]
    if _CLASSMATE_BEFORE.search(before):
        return True
    # "要请一天保姆", not "要请半天，下午…" (上午请半天 counts anywhere, probe 49: "上午请半天考完再送")
    if said.endswith("天") and not said.endswith("午请半天") and not _closes_clause(norm, m):
        return True
    if not said.startswith(("请", "批", "准")):  # 不能到校, 上不了课, 告假, 销假
        return (_GROWN_UP_BEFORE.search(before) is not None or _at_work(norm, ctx, m)
                or _online(compact) or _COLLECTIVE.search(_clause(norm, m)) is not None
                or _teacher_away(norm, ctx) or _long_ago(norm, m)
                or _over(compact, m))
    if said.startswith("请") and _AUDIENCE.match(said, 1):
        return True
    # probe 50: heard of ("听说班上好几个孩子都发烧请假了"), or a teacher's ("听说王老师生病请假了")
    if _HEARSAY.search(_clause(norm, m)) is not None or _teacher_away(norm, ctx):
        return True
    if _NEGATED.search(before) or any(a < e and s < b for a, b in about):
        return True
    if _THANKED.search(compact, max(0, s - 8), s) is not None:  # probe 48: "谢谢黄老师批假"
        return True
    if _ASKS_WHAT_IF.search(compact, 0, s) is not None and _QUESTION.search(compact, e) is not None:
        return True
    if _ADULT_LEAVE.search(said) or (_teachers(before) and not _addressed(norm, m)):
        return True
    if "过" in said or _PAST_BEFORE.search(before) or (
        said.startswith("请了") and (_OVER.search(compact, e) or _MISSED_AFTER.match(compact, e))
    ):
        return True
    # (probe 50: or the message is the speaker's: "我明天去医院做个检查，下午请了假，正好可以来接子豪放学")
    speaker = _SPEAKER_BEFORE.search(before) or (compact.startswith("我") and _CHILD.search(compact, 0, s) is None)
    if speaker and _SPEAKER_FREE.match(compact, e):
        return True
    # probe 44: leave one cannot get is a grown-up's from work ("家长会我请不了假")
    if _CANNOT_GET.match(said):
        return True
    if (
        # (probe 44: a kind of leave as the topic, "请病假需要医院证明吗"; probe 53: or its
        # length, "请半天假要不要写假条")
        _PLAIN_LEAVE.fullmatch(said) is not None
        and _TOPIC.match(compact, e)
        and not _AMOUNT.match(compact, e)
        and not _WHEN.search(compact)
    ):
        return True
    return _at_work(norm, ctx, m)


def _closes_clause(norm: NormalizedText, m: re.Match[str]) -> bool:
    """Whether the clause closes right after the match, in the original text (a mark,
    the end, a particle or the next time of day), not a noun (请一天保姆)."""
    return _CLOSES.match(norm.original, norm.span_compact(m.start(), m.end())[1]) is not None


def _online(compact: str) -> bool:
    return _ONLINE.search(compact) is not None or (
        _ONLINE_MEDIUM.search(compact) is not None and _REASON.search(compact) is None)


def _long_ago(norm: NormalizedText, m: re.Match[str]) -> bool:
    clause = _clause(norm, m)
    return _LONG_AGO.search(clause) is not None and _WHEN.search(clause) is None


def _teachers(before: str) -> bool:
    m = _TEACHER_BEFORE.search(before)
    if m is None or _TO_SOMEONE.search(m.group(1)):
        return False
    return bool(m.group(1)) or m.group(2) == "班主任"


def _teacher_away(norm: NormalizedText, ctx: DetectContext) -> bool:
    """A teacher's absence told ("王老师生病了，这周上不了课"): a teacher away, and no
    child in the message."""
    compact = norm.compact
    return (_TEACHER_AWAY.search(compact) is not None and _CHILD.search(compact) is None
            and not ctx.roster.find_compact(norm))


def _clause(norm: NormalizedText, m: re.Match[str]) -> str:
    """The clause of the original text that holds the match of `compact`."""
    text = norm.original
    start, end = norm.span_compact(m.start(), m.end())
    left = max((c.end() for c in _CLAUSE_END.finditer(text, 0, start)), default=0)
    right = _CLAUSE_END.search(text, end)
    return text[left:right.start() if right else len(text)]


def _at_work(norm: NormalizedText, ctx: DetectContext, m: re.Match[str]) -> bool:
    """The leave is the parent's own from work: work words and no child, in the
    message, or in the clause of the mention ("单位请假太难了，…让孩子奶奶去")."""
    compact = norm.compact
    if not _AT_WORK.search(compact):
        return False
    if not _CHILD.search(compact) and not ctx.roster.find_compact(norm):
        return True
    clause = normalize(_clause(norm, m)).compact
    return _AT_WORK.search(clause) is not None and _CHILD.search(clause) is None


def _hit(norm: NormalizedText, m: re.Match[str]) -> Hit:
    start, end = norm.span_compact(m.start(), m.end())
    return make_hit(RULE_ID, norm, start, end, "在群内请假，请按班级请假流程私下联系班主任",
                    severity=Severity.INFO, kind="leave")
