"""Trigger words of the regex detectors, indexed in the lexicon's presence pass.

The lexicon's Presence (terms.Presence) already scans every message once, in the
compact form, for every lexicon term. These words ride along in that same pass
under their own bits, so the engine can skip a regex detector outright when none
of its trigger words occurs: most class-group messages contain none.

Each list must be a necessary condition: every match the detector's regular
expressions can make contains at least one of its words (in `compact`). A word
missing here would hide real matches; tests/unit/test_content_fastpath.py
compares the gated engine with the ungated one on generated and labelled
messages so that such a mistake fails a test.
"""

from __future__ import annotations

HINT_ADS = "\x00hint/ads"
HINT_LEAVE = "\x00hint/leave"
HINT_OFFER = "\x00hint/offer"

TRIGGERS: dict[str, tuple[str, ...]] = {
    # ads._INCOME: [月日周天](入|赚|收入|薪)... -> 入, 赚, 薪; 日结<number> -> 日结; ads._CHAIN -> 转发;
    # ads._VOTE: (投票|投一票|投个票|投一下|投上|拉票|拉个票|点赞|点个赞|助力|砍一刀|砍价), 投..号, 号..(投票|一票|投一下)
    # ads._REWARD -> 注册, 下载, 邀请, 关注, 扫码, 分享, 拉新, 推荐; _INCOME's 挣钱, 多劳多得, 按件
    HINT_ADS: ("入", "赚", "薪", "日结", "转发", "投", "票", "赞", "助力", "砍",
               "注册", "下载", "邀请", "关注", "扫码", "分享", "拉新", "推荐", "挣钱", "多劳多得", "按件"),
    # ads._OFFER_CUES, class by class. price: (一|每)<unit> -> 一斤, 每斤 ...; 元, 块;
    # 节课; <n>两盒 ... -> 两盒, 二盒 ...; <n>斤装 ... -> 斤装, 盒装 ...; 一盒<n>个 ... -> 一盒, 每盒,
    # 一袋 ..., 一包, 每包; 租; 一个月, 每月, 每个月. discount: 价 (原价, 现价, 半价,
    # <kind>价, 可议价, 低价); 折; 立减, 立省, 直降, 只要, 只需, 仅需, 仅售, 低至; 量大;
    # 小刀; 便宜, 亏本, 贱卖; 打包; 比…(便宜|低很多|低不少|实惠|划算); 收费; 分期; 免息;
    # 赠送, 加送; 买<n>送<n> -> 送一, 送1 ...
    # scarcity: 名额, 档期, 席位; 限时, 限量, 限购; 先到先得; 即止, 满为止, 完为止;
    # 手慢无; 数量有限; 恢复. seller: 本人; 我们店 ...; 本店; 小店; 我家店, 我家的店;
    # 我的店, 我开的店, 我的工作室, 我开的工作室; 我是做; 开了家, 开了一家; 自家;
    # 自己种 ...; 厂家; 闲置, 出二手; 我代理的, 我经营的, 我开的; 老家; 我这边; 直供; 现摘现发.
    # service: 上门; 送货; (送|配送)到家 -> 送到 (below), 冷链; 包邮; 包接送; 顺丰; 冷链; <n>自提 -> 自提; 起送, 起发, 起订, 起售;
    # 包赔, 包退, 包换, 包售后; 假一赔, 坏一赔; 不满意; 无效退款; 货到付款; 免费帮, 免费给,
    # 免费为; 邮寄, 快递, 发货; 免费安装 ...; 送到.
    # enrol: 招生; (报名|预约|下单|到店|进店|关注|注册)即?(立减|优惠|享|送|有礼|折) -> 立减,
    # 折 (above), 优惠 (a lexicon term), 名送, 名享, 约送, 注送, 册送 ... 即送, 就享, 有礼; 招小学生,
    # 招学员, 招学生, 招宝宝, 招收
    HINT_OFFER: (
        *(a + u for a in "一每" for u in ("斤", "板", "瓶", "箱", "盒", "袋", "罐", "只", "份", "篇",
                                          "张", "节", "位", "小时", "支", "桶")),
        "元", "块", "节课", *(n + u for n in "两二三四五六七八九十" for u in "盒瓶罐箱斤"), "租",
        "一个月", "每月", "每个月", "价", "折", "立减", "立省", "直降", "只要", "只需", "仅需", "仅售", "低至",
        "量大", "小刀", "便宜", "亏本", "贱卖", "打包", "一包", "每包", "低很多", "低不少", "实惠", "划算", "收费", "分期", "免息",
        "赠送", "加送", *("送" + n for n in "一二两三123"), *(u + "装" for u in "斤盒箱瓶罐袋"),
        "名额", "档期", "席位", "限时", "限量", "限购", "先到先得", "即止", "满为止", "完为止",
        "手慢无", "数量有限", "恢复",
        "本人", "我们店", "我们家店", "我们工作室", "我们机构", "我们公司", "我们门店", "本店", "小店",
        "我家店", "我家的店", "我的店", "我开的店", "我的工作室", "我开的工作室", "我是做", "开了家",
        "开了一家", "自家", *("自己" + v for v in "种做养酿腌"), "厂家", "闲置", "出二手", "我代理的", "我经营的", "我开的", "老家", "我这边",
        "上门", "送货", "包邮", "包接送", "顺丰", "冷链", "自提", "起送", "包赔", "包退",
        "包换", "包售后", "假一赔", "不满意", "无效退款", "货到付款", "免费帮", "免费给", "免费为", "起发", "起订", "起售",
        "坏一赔", "邮寄", "快递", "发货", *("免费" + v for v in ("安装", "上门", "送货", "配送", "维修", "检测")),
        "送到", "直供", "现摘现发", "利息", "不收费", "同城",
        "招生", *(a + b for a in ("名", "约", "单", "店", "注", "册", "即", "就") for b in ("送", "享")), "有礼",
        "招小学生", "招学员", "招学生", "招宝宝", "招收",
    ),
    # leave_requests._LEAVE: 请..假, 告假, 销假, 批..假 -> 假; (不能|无法|没法|没办法|不去|去不了|来不了|到不了|不来)(到校..);
    # leave_requests._ILL_HOME: ..(在家休息|在家养病|在家观察|在家歇|请?休息[一两半几]天|歇[一两半几]天) -> 在家,
    # 休息, 歇; ..不送(了|孩子|学校..) -> 不送; 提前(接走|离校), 早退; ..(接走|接回家|来接|过来接) -> 来接;
    # 让孩子在家.. -> 在家
    HINT_LEAVE: ("假", "不能", "无法", "没法", "没办法", "不去", "去不了", "来不了", "到不了", "不来",
                 "在家", "休息", "歇", "不送", "接走", "接回家", "来接", "离校", "早退"),
}
