"""Run the blind probe 42 messages through the content engine as the corpus test does."""
import sys
from collections import defaultdict
sys.path.insert(0, "tests/unit")
from plugins.content.engine import ContentEngine
from test_content_support import all_settings, message

ROSTER = tuple("张子涵 李明轩 王雨桐 刘浩然 陈思琪 杨一诺 赵梓萱 黄俊熙 周欣怡 吴宇航 徐诗涵 孙嘉豪 胡可馨 朱皓轩 高语嫣 林子墨 何沐阳 郭芷若 马天佑 罗梦瑶".split())
RULE = {"ads": "content.ads", "abuse": "content.abuse", "banned": "content.banned",
        "student_privacy": "content.student_privacy", "links": "content.links",
        "leave_requests": "content.leave_requests"}
rules = all_settings()
for r in ("content.flood", "content.ack_replies", "content.chitchat"):
    rules.pop(r)
engine = ContentEngine(rules, roster_names=ROSTER)
path = sys.argv[1] if len(sys.argv) > 1 else "scratch/blind42.tsv"
fp, stats, misses = [], defaultdict(lambda: [0, 0, 0]), []
for i, line in enumerate(open(path, encoding="utf-8")):
    label, role, text = line.rstrip("\n").split("\t")
    hits = {h.rule_id for h in engine.check(message(text, role=role, user=str(i), mid=str(i)))}
    if label == "ok":
        stats["ok"][1] += 1
        if hits:
            stats["ok"][0] += 1
            fp.append(f"  FP [{role}] {text} -> {sorted(hits)}")
    else:
        s = stats[label]; s[1] += 1
        s[0] += RULE[label] in hits
        s[2] += bool(hits)
        if RULE[label] not in hits:
            misses.append(f"  MISS {label} [{role}] {text} -> {sorted(hits)}")
for k, (own, n, any_) in stats.items():
    print(f"{k}: own-rule {own}/{n}" + ("" if k == "ok" else f", flagged-any {any_}/{n}"))
print("\n".join(fp)); print("\n".join(misses))
