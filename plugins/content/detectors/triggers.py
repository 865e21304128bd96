"""Trigger words of the regex detectors, indexed in the lexicon's presence pass.

The lexicon's Presence (terms.Presence) already scans every message once, in the
compact form, for every lexicon term. These words ride along in that same pass
under their own bits, so the engine can skip a regex detector outright when none
of its trigger words occurs: most class-group messages contain none. The ads
detector has one label per pattern of its intent (HINT_ADS) and per class of offer
cue (HINT_OFFER): the engine calls it when any of them occurs (or an ads term),
and it searches only the patterns whose own words occur. So does the leave
detector, with one label for each of its two patterns (HINT_LEAVE, HINT_ABSENCE).
The privacy detector asks its label (HINT_PRIVACY) in a message that names a pupil.

Each list must be a necessary condition: every match its patterns can make
contains at least one of its words (in `compact`). A word missing here would hide
real matches: tests/unit/test_content_triggers.py proves each list against its own
patterns for every string they can match (and checks them on labelled and
generated messages); tests/unit/test_content_fastpath.py compares the gated engine
with the ungated one. Words are as specific as the patterns allow (元可, not 元;
送得领返奖 with an amount, not 推荐 or 关注): a word that occurs in ordinary chatter
makes the detector search its pattern there for nothing.
"""

from __future__ import annotations

HINT_ABUSE = "\x00hint/abuse"
HINT_LEAVE = "\x00hint/leave"  # leave asked for (leave_requests._LEAVE)
HINT_ABSENCE = "\x00hint/absence"  # an absence told (leave_requests._ILL_HOME)
# negative information with no negative word (student_privacy._HEADING, _DEED, _LOWER)
HINT_PRIVACY = "\x00hint/privacy"
# One label a pattern of ads._intent and one a class of ads._OFFER_CUES: the detector
# runs a pattern only when its own words occur, and the engine calls it when any do
HINT_ADS: dict[str, str] = {name: f"\x00hint/ads/{name}" for name in ("income", "chain", "reward", "boost", "vote")}
HINT_OFFER: dict[str, str] = {
    name: f"\x00hint/offer/{name}"
    for name in ("price", "discount", "scarcity", "seller", "service", "claim", "enrol")
}

# pieces the patterns share: ASCII digits (`compact` has no others), Chinese numerals
_D = "0123456789"
_N = "一二三四五六七八九十两"
# who a parent may sell for (ads' seller cue: 我朋友卖的, 亲戚家种的)
KIN = ("朋友", "亲戚", "闺蜜", "表姐", "表哥", "表妹", "老乡", "同事", "姐姐", "妹妹")
_UNIT = ("斤", "板", "瓶", "箱", "盒", "袋", "罐", "只", "份", "篇", "张", "节", "位", "小时", "支", "桶")


def _all(*parts: str | tuple[str, ...]) -> tuple[str, ...]:
    """Every word made of one piece of each part, in order: _all("一每", ("斤", "小时"))
    is 一斤, 一小时, 每斤, 每小时."""
    words = [""]
    for part in parts:
        words = [w + p for w in words for p in part]
    return tuple(words)


TRIGGERS: dict[str, tuple[str, ...]] = {
    # abuse._LONE_GUN: 滚 standing alone as a clause (the lexicon's terms gate the rest)
    HINT_ABUSE: ("滚",),
    # (月|日|周|天)(入|赚|薪)…; (月|日|周|天)收入, (也能|…)有?(收入|赚钱|挣钱) -> 收入, 赚钱, 挣钱;
    # 日结<n>, <pay>(日结|周结|当天结|当日结|现结|秒结); 多劳多得; 按件(结算|…)
    HINT_ADS["income"]: (*_all("月日周天", "入赚薪"), "收入", "赚钱", "挣钱", "日结", "周结", "天结", "现结", "秒结",
                         "多劳多得", "按件", "能做", "以做"),  # (probe 57: 在家…(能|可以)做…有意)
    # 转发…<n>个(群|…); 集赞<n>; (转发|朋友圈)…集…<n>个赞
    HINT_ADS["chain"]: ("转发", "集赞", "个赞"),
    # (注册|下载|邀请|关注|扫码|分享|拉新|推荐)…(送|得|领|返|奖励?)<amount>(元|…): the amount's
    # verb is rarer than the first words (推荐, 关注, 扫码 are everyday words)
    # (probe 45: a cash reward with no amount, (送|领..)现金)
    HINT_ADS["reward"]: (*_all("送得领返奖励", _D + _N), *_all("送得领返奖励", ("现金",)),
                         # probe 57: cashback from the speaker (返现, 红包, 现金 …); a reward for
                         # bringing in others (有礼, 有奖, 送礼, 送课)
                         "返现", "返利", "返钱", "返点", "红包", "现金", "有礼", "有奖", "送礼", "送课"),
    # (免费(领|拿)|助力)…差<n>人; 差<n>人…免费(领|拿)
    HINT_ADS["boost"]: ("免费领", "免费拿", "助力"),
    # (投票|投一票|…|点赞|点个赞|助力|砍一刀|砍价); 投…<n>号; <n>号…(投票|一票|投一下)
    HINT_ADS["vote"]: ("投", "票", "赞", "助力", "砍",
                       # probe 57: one's own account to follow (…我的(抖音|…)…)
                       "抖音", "快手", "小红书", "视频号", "公众号", "直播间", "微博", "b站"),
    # ads._OFFER_CUES, class by class, alternative by alternative: each word list a
    # necessary condition of its class's pattern (tests/unit/test_content_triggers.py
    # proves it for every string the pattern can match)
    HINT_OFFER["price"]: (
        *_all(_D + "元块钱", "一每"),  # <n>(元|块)?钱?(一|每)<unit>
        *_all("一每", _UNIT, _D + "给"),  # (一|每)<unit>给?<n>(元|块), (一|每)(斤|…)<n>
        *_all(("斤", "只", "盒", "箱", "瓶", "罐", "张", "袋"), _D + "装"),  # <n>斤装?<n>元, <n>斤装<n>
        *_all(("节课",), _D),  # (<n>|一|每)节课<n>
        *_all(_D + "元块", "两二三四五六七八九十"),  # <n>(元|块)?两(盒|…)
        *_all(("个",), _D),  # (一|每)(盒|…)<n>个<n>
        # <n>元(就能|即可|可)?(拍|享|…|带走)
        *_all(("元",), ("就能", "即可", "可", "拍", "享", "抢", "起", "包邮", "体验", "听", "学", "拿", "带走")),
        "月租", "年租", *_all(("一个月", "每月", "每个月"), _D),  # (月|年)租金?<n>; (一个月|每个?月)<n>
        *_all(_D + "元块", "起"),  # <n>(元|块)<n>*起
        "一律", *_all("按", ("斤", "件", "本", "次", "小时", "课时")),  # 一律<n>; 按斤(卖|…)
        *_all("一每", "对双串副", _D + _N),  # (一|每)(对|…)(<n>元|二十|一百 …)
        "价加", "价上浮", "价格加", "价格上浮", "跑腿费", "代办费", "年化", "起投", "保本保息",
    ),
    HINT_OFFER["discount"]: (
        "原价", "现价", "立减", "立省", "直降",
        *_all(("只要", "只需", "仅需", "仅售", "低至"), _D + _N + "几百千万"),
        "便宜", "低很多", "低不少", "实惠", "划算",  # 比…(便宜|…); (便宜|…)(处理|出|转|卖)
        *_all(("收费", "报价"), ("合理", "低", "透明", "公道")), "分期", "免息", "赠送", "加送",
        *_all(_D + _N + "科门期节次时", "送"),  # [买报]<n>(科|…|课时)?送<n>
        "0利息", "零利息", *_all(_D + "一二三四五六七八九", "折"),  # <n>折
        "半价", *_all(("专属", "早鸟", "会员", "福利", "成本", "尝鲜", "特惠", "秒杀", "出厂", "内部", "特", "团购",
                     "体验", "活动"), "价"),
        "量大", "小刀", "低价", "亏本", "贱卖", *_all(("打包",), _D + "价"),
        # (本群|…)…(有?优惠|立减|减<n>|专享|享受?(优惠|折扣|<n>)|半价|特价|(还|再|另)送…|<n>折|便宜)
        "优惠", *_all("减", _D), "专享", *_all(("享", "享受"), _D), "享折扣", "受折扣", "还送", "再送", "另送",
        *_all(("每人", "每单", "每件", "每位"), "减省"), "打折",  # (每人|…)(减|省|便宜|优惠); (整箱|…)…打折
        *_all("能以可好", ("谈", "商", "议")),  # 价(格|钱)?(能|可以|可|好)(谈|商量|议)
        *_all("报买订续交", "满"),  # (报|…)满<n>…送
        # (一年|一学期|一个月|一天 …)(才|只要|只需|不到)<n>(块|元)
        *_all("年期月天", ("才", "不到")),
        # probe 54: (首次|首单|首节|首课|首月)…免费 (probe 56: …<n>(元|块))
        "首次", "首单", "首节", "首课", "首月",
        # probe 55: 价(格|钱)?好说; 给(你们|大家|各位|家长们?)(?=…拿货价…)
        "价好说", "格好说", "钱好说", "给你们", "给大家", "给各位", "给家长",
        # probe 57/58: (老乡|…)价; 免费(领|…)…(真题|…), (真题|…)…免费(领|…); 进群…(领|…)
        *_all(("老乡", "亲情", "友情", "熟人", "邻居", "同乡"), "价"),
        *_all(("免费",), ("领", "拿", "送", "得", "获取")), "进群",
    ),
    HINT_OFFER["scarcity"]: (
        "名额", "档期", "席位", "床位", "空位", "限时", "限量", "限购", "先到先得",
        *_all("满完", ("即止", "为止")), "手慢无", "数量有限", "恢复原价", *_all(("恢复",), _D),
    ),
    HINT_OFFER["seller"]: (
        *_all(("本人",), ("专业", "在", "是做", "做", "从事", "承接", "代理", "出售", "自营", "长期", "常年")),
        *_all(("我们",), ("店", "家店", "工作室", "机构", "门店", "中心")), "本店", "小店", "我家店", "我家的店",
        "我是这边", "我是这里", "我是店里", "我是馆里",  # 我是(这边|…)的?…(顾问|销售|…)
        "我的店", "我的工作室", "我是做", "开了家", "开了一家",
        # probe 58: (^|我是?|本人是?)…做(保险|…)(的|行业…)
        *_all(("做",), ("保险", "微商", "代购", "装修", "中介", "房产", "电商", "理财", "贷款", "美容", "美甲", "家政",
                        "培训", "教培", "团购", "全屋定制", "定制")),
        *_all(("自家",), "种养做产酿腌"), *_all(("自己",), "种做养酿腌炒", "的"), "厂家",
        "出闲置", "出二手", *_all(("闲置",), ("出", "转", "处理")), "我代理的", "我经营的", "我开的", "我家开的",
        *_all(("老家",), ("自己", "种", "做", "产", "养", "炒")),
        *_all(("我这边",), ("可以", "能", "代", "提供", "承接", "供货", "批发")), "直供", "现摘现发",
        "顺便卖", "顺带卖", "直播卖", "直播带货", "在卖",
        "我在做", "最近在做", "现在在做",  # (我|最近|现在)在做…(品牌|代理)
        # 我(手上|…)有…(产品|货源|房源|渠道), 我(这里|…)有现?货
        *_all(("我手上", "我手里", "我这里", "我这儿", "我这边", "我这"), "有"),
        "了一批", "新到一批", "新进一批",  # (收|进|拿)了一批, 新(到|进)了?一批
        *_all(("做了", "干了"), ("好几", "几", "多") + tuple(_D + _N)),  # 在…(做|干)了<n>年
        "自己带", *_all(("自己的",), ("的", "施工队", "装修队", "团队", "师傅")),
        "公司", *_all(("我们",), ("施工队", "装修队", "团队", "画室", "琴行", "舞蹈室")),  # 我们(<2>公司|…)
        *_all("做织编绣缝", ("的手工",)), "带队", "执教", "授课", "亲授", "资深", "专业",
        *_all(KIN, ("", "家"), ("在卖", "卖的", "种的", "养的")),  # (朋友|…)家?(在卖|卖的|种的|养的)
    ),
    HINT_OFFER["service"]: (
        *_all(("上门",), ("服务", "拍摄", "安装", "维修", "回收", "取件", "辅导", "教学", "理发", "家教", "陪练", "授课",
                           "补课")),
        "送货", "送到家", "包邮", "包接送", "顺丰", "冷链", "自提", *_all("起", "送发订售"),
        *_all("包", ("赔", "退", "换", "售后")), "假一赔", "坏一赔",
        *_all("可以", ("上门", "邮寄", "快递", "发货")),  # 可(以)?(上门|…)
        *_all(("免费",), ("安装", "上门", "配送", "维修", "检测")), "送到小区", "送到楼下",
        *_all(("不满意",), ("不收费", "退款", "全额退")), "无效退款", "货到付款",
        *_all(("免费",), "帮给为", ("大家", "各位", "家长")),
        *_all(("不达标", "无效", "没效果", "不成功"), ("不收费",)),
        *_all(("同城",), ("配送", "派送", "速递")),
        *_all(("小时内",), ("返回", "发货", "出稿", "完成", "交付", "上门", "到账")),
        *_all("后", ("", "再"), ("收费", "付款", "付钱")),  # (成功|…)后再?(收费|…)
    ),
    # (提高|提升|涨)<n>多?分; <n>个?(月|…)(就能 …)?(提高|提升|降|长高|瘦|减)<n>;
    # (吃|用|喝|练)了<time>…(长高了?|长了|蹿了|高了|瘦了|涨了|降了|提高了?)<n>
    HINT_OFFER["claim"]: _all(("提高", "提升", "涨", "降", "长高", "瘦", "减", "长了", "蹿了", "高了", "瘦了", "涨了",
                               "降了"), _D + _N + "几"),
    HINT_OFFER["enrol"]: (
        "招生",
        # (报名|预约|下单|到店|进店|关注|注册)(即|就)?(立减|优惠|享|送|有礼|打?<n>折)
        *_all("名约单店注册即就", ("立减", "优惠", "享", "送", "有礼")), *_all(_D + "一二三四五六七八九", "折"),
        "招收", *_all("招", ("小学生", "学员", "学生", "宝宝")), "火热报名", "火热预约",
        "开约", "接单啦", "接单中", "定金", "订金", "锁位",
    ),
    # leave_requests._LEAVE: 请..假, 告假, 销假, 批..假 -> 假; (不能|无法|没法|没办法|不去|去不了|来不了|到不了|不来)(到校..);
    # probe 42: 准..假 -> 假; 上不了(课|学) -> 上不了; probe 43: (要|想..)请<n>天 -> 请一天..
    HINT_LEAVE: ("假", "上不了", "不能", "无法", "没法", "没办法", "不去", "去不了", "来不了", "到不了", "不来",
                 *("请" + n + "天" for n in "一两半几123456789")),
    # leave_requests._ILL_HOME: ..(在家休息|在家养病|在家观察|在家歇|请?休息[一两半几]天|歇[一两半几]天) -> 在家,
    # 休息, 歇; ..不送(了|孩子|学校..) -> 不送; 提前(接走|离校), 早退; ..(接走|接回家|来接|过来接) -> 来接;
    # 让孩子在家.. -> 在家
    # probe 42: <day>不(去|来)了 -> 不去, 不来
    HINT_ABSENCE: ("不去", "不来", "在家", "休息", "歇", "不送", "接走", "接回家", "来接", "离校", "早退",
                   # probe 43: a doctor's visit then (再送..|(晚点|晚些|晚一点)(送|到)..|迟到);
                   # 课..不(去|来|上)了 -> 不上了 (不去, 不来 above)
                   "再送", "晚点送", "晚点到", "晚些送", "晚些到", "晚一点送", "晚一点到", "迟到", "不上了",
                   # probe 44: 接(她|他|孩子|娃)(回家|走); 再(到校|去学校|来学校|上学); (会|要..)晚到<time>;
                   # 提前<time>(走|..); (回老家|..)..<n>天
                   *("接" + who + end for who in ("她", "他", "孩子", "娃") for end in ("回家", "走")), "再到校", "再去学校",
                   "再来学校", "再上学", "晚到", *("提前" + c for c in "半一两二三四五六七八九十几" + _D),
                   "回老家", "回趟老家", "出去玩", "旅游", "出远门", "去外地", "出国",
                   # probe 45: 第<n>节课(前|之前)(送|到); <n>点(半|左右|前|之前)?(到校|到学校); 隔离<n>(天|周);
                   # 晚<time>到; (要|得|需要)提前(走|离开|回家); (周|星期)<d>到..探亲;
                   # <day>(就|..)?(去|来)不了, (学校..)?的课..(去|来|上)不了 -> 去不了, 来不了, 上不了
                   *("节课" + b + v for b in ("前", "之前") for v in "送到"),
                   *("点" + b + v for b in ("", "半", "左右", "前", "之前") for v in ("到校", "到学校")),
                   "隔离", *("晚" + c for c in "半一两二三四五六七八九十几" + _D),
                   "提前走", "提前离开", "提前回家", "探亲", "去不了", "来不了", "上不了",
                   # probe 46: 不(敢|能|方便)送..; (来|去|到)学校接; (想|..)(早点|..)(走|离校|离开);
                   # ..(赶不上|来不及); <n>点..前(一定|..)(送到|..)
                   "不敢送", "不能送", "不方便送", "学校接", *_all(("早点", "早一点", "早些"), ("走", "离校", "离开")),
                   "赶不上", "来不及", *_all(("一定", "肯定", "尽量"), ("送到", "到", "送过去")),
                   # probe 48: [在再]家躺, 躺<n>天; 放(他|..)出..; (跟|..)门卫..; <h>点..接(他|..);
                   # 才能?到(校|学校); 直接送..
                   "再家躺", *("躺" + n + "天" for n in "一两半几"), *_all("放", ("他", "她", "孩子", "娃"), "出"),
                   *_all("跟和给", ("门卫", "门口", "保安")), *_all(("门卫",), ("", "那边", "那里", "处"), ("说",)),
                   # (<h>点<rest>?我?(就|会|要)?(过来|..)?接: one word to 接, the rest beyond the
                   # first clock words too rare to list)
                   *_all((*_all("一两二12", ("点", "点半", "点多", "点左右", "点一刻")), "十", "十分"), ("", "我"),
                         ("", "就", "会", "要"), ("", "过来", "过去", "去", "来"), ("接",)),
                   *_all(("节课后", "节课之后", "节课下课"), ("", "我"), ("", "就", "会", "要"),
                         ("", "过来", "过去", "去", "来"), ("", "学校"), "接"), "才到校", "才到学校", "才能到校", "才能到学校", "直接送",
                   # probe 49: 放一下..
                   "放一下",
                   # leave_requests._TOLD_VERB (the words above and these): 不让(他|..)?(去|来)
                   *_all(("不让",), ("", "他", "她", "孩子", "娃"), "去来"), "不在学校", "不参加了", "提前接", "来校门口接", "去校门口接", "到校门口接",
                   # probe 52: (要|会|得)迟到; 第<n>节..课..接走 (接走 above); 节课提前..; 提前(去|..)接;
                   # 赶回..; 不送园
                   "要迟到", "会迟到", "得迟到", "节课提前", *_all(("提前",), ("去", "来", "过来", "过去"), "接"),
                   "赶回来上课", "赶回学校", "赶回来上学", "不送园", "不送幼儿园", "不送去幼儿园",
                   # probe 53: <h>点..(到|去|来)(学校|校)门口接 (到校门口接 .. above); the after-school care
                   # dropped, (不参加|不上|不去)<day>?的?<care>, <care>班?(也|..)?(不参加|不上|不去) (不去 above);
                   # PE dropped, 体育..(免了|..|不上了|..), 免上?体育; the gate wait, ..门口等(我|着)
                   "到学校门口接", "去学校门口接", "来学校门口接",
                   *_all(("不参加", "不上"), ("", "今天", "今晚", "明天", "这周", "本周"), ("", "的"),
                         ("课后服务", "延时服务", "课后延时", "延时课", "延时班", "晚托", "午托", "托管", "晚辅")),
                   *_all(("课后服务", "延时服务", "课后延时", "延时课", "延时班", "晚托", "午托", "托管", "晚辅"),
                         ("", "班"), ("", "也", "都", "就", "先"), ("不参加", "不上")),
                   "免了", "免掉", "免一下", "先不上", "就不上", "先不参加", "就不参加", "免体育", "免上体育",
                   "门口等我", "门口等着",
                   # probe 50: 点..送到(校|学校); (看完|..)..送..; 第<n>节课(前|之前)(能|..)(送|到)
                   *_all(("点",), ("", "半", "一刻"), ("左右", "前", "之前"), ("", "能", "就", "才", "才能"), ("送到",)),
                   *_all(("看完", "打完", "考完", "弄完", "输完"), ("", "就", "再"), ("送",)),
                   *_all(("节课前", "节课之前"), ("能", "就", "才", "才能", "可以"), "送到"),
                   # probe 54: (起晚|起迟|睡过头|睡过了头|闹钟没响)..<h>点..到 (the after-care words above)
                   "起晚", "起迟", "睡过头", "睡过了头", "闹钟没响"),
    # student_privacy._HEADING: work not done (没有?交, 未交, .., [没未]过关) or a test failed
    # (不合格 -> 合格, 不及格 and [没未]及格 -> 及格, .., [没未]通过); _LOWER: 才, 只(有), 仅; _DEED: late
    # or absent (迟到, ..), 不还, and the words that repeat a misdeed (打 itself is everyday:
    # 打卡, 打电话)
    HINT_PRIVACY: ("没交", "没有交", "未交", "缺交", "欠交", "漏交", "没完", "没有完", "未完", "没写", "没做",
                   "没订", "未订", "没改", "没背", "未背", "没带", "忘带", "没过", "未过", "合格", "及格", "达标",
                   "没通", "未通", "才", "只", "仅", "迟到", "早退", "旷课", "逃课", "逃学", "不还",
                   "又", "总", "老是", "经常", "天天", "每天", "屡次", "多次", "一直", "三番五次",
                   # probe 55/56: _DEED's (不交)…<n>次; 上课(讲话|..)..<n>次; 被..(点名|批评|警告)<n>次;
                   # beyond the three patterns, student_privacy._FAMILY (离婚, 离异, 坐牢 are negative
                   # terms) and _HARM (你家|您家|你们家)
                   "不交", *_all(("上课",), ("讲话", "说话", "讲小话", "说小话", "聊天", "捣乱", "打闹")),
                   "点名", "批评", "警告", "分居", "欠债", "破产", "家暴", "出轨", "你家", "您家", "你们家"),
}
