"""Participation verbs and whether an occurrence is used as a verb.

A verb of ``relations.tsv`` counts only where it is the predicate of its clause: not a noun
(重要讲话, 签约仪式, 调研情况), not the object of another verb (参加视察, 陪同调研), not the topic
of talks (就…签约…进行洽谈) and not inside a relative clause (出席…的部分代表视察). ``作`` with
its object noun is a verb of its own (作了说明: report; 作了安排: speak).
"""
from __future__ import annotations

import re

from kg.extract.lexicon import lexicon
from kg.types import Relation

# talks that are meetings: who holds them meets (与B会谈)
TALKS = re.compile(r"会谈|会晤")
# a verb used as a noun or modifier: 的讲话, 重要讲话, 提出的, 各项要求, 讲话精神
_NOUN_BEFORE = re.compile(r"(?:的|重要|系列|有关|相关|各项|工作|按照|根据|落实|成功|总体|"
                          r"[\u4e00-\u9fff]{0,2}的[\u4e00-\u9fff]{0,2})$")
_NOUN_AFTER = re.compile(r"^(?:的|精神|稿|材料|内容|人|员|组|团|单位|部门|报告会|汇报会|情况|成果|体会|结束|期间)")
_NOUN_AFTER_FRAME = re.compile(r"^(?:的|人|员|精神)")
# verbs that make a noun with 仪式/活动 after them
_COMPOUNDING = {"签约", "签订", "签署", "揭牌", "剪彩", "调研", "考察", "视察", "观摩", "走访", "慰问",
                "看望慰问", "走访慰问", "检查", "督导", "会见", "汇报", "讲话", "发言"}
# 出席…的还有B: B attends too
THERE_WERE = re.compile(r"的(?:还|也)?(?:有|包括)")
# 对X的到来表示欢迎: 的 inside the object of 对, the verb is a verb
_OBJECT_OF_DUI = re.compile(r"对[^,，]{1,20}的[\u4e00-\u9fff]{1,4}$")
# 参加视察, 陪同调研: a second verb right after one of these is its object
_FRAME = re.compile(r"(?:参加|出席|陪同|列席|参与|随同|见证)[^\W并和及后又再_]{0,4}$")
# 就…签约、落地等事宜进行洽谈: a verb after 就/围绕/关于 is the topic of the talks
_TOPIC_OPEN = re.compile(r"(?:就|围绕|关于|针对)[^,，。]*$")
_TOPIC_CLOSE = re.compile(r"[^,，。]*?(?:事宜|问题|事项|工作|情况|等)[^,，。]*?(?:进行|开展|展开|深入|交换|座谈|洽谈|交流|商谈|研究|讨论|会谈)")
# 赴X…进行洽谈对接: who came for the talks takes part in them (when nothing else says so)
_TALKS_HELD = re.compile(r"进行(?:了)?(?:深入|友好|工作|专题)?(洽谈|会谈|座谈|磋商|会晤)")


class Verb:
    """A participation verb found in a clause: its span, its word and its relation."""

    __slots__ = ("a", "b", "word", "rel")

    def __init__(self, a: int, b: int, word: str, rel: Relation) -> None:
        self.a, self.b, self.word, self.rel = a, b, word, rel

    def start(self) -> int:
        return self.a

    def end(self) -> int:
        return self.b

    def group(self, _k: int = 0) -> str:
        return self.word


# 作了…说明 / 作了具体安排 / 作了题为…的专题辅导报告: 作 with its object noun
_ZUO = re.compile(r"作(?!出)(?:了)?(?:[^,，。;；:：、作]{0,60}?)(交流发言|表态发言|主题推介|推介|说明|汇报|介绍|"
                  r"辅导报告|专题报告|事迹报告|报告|发言|动员讲话|讲话|安排|部署|总结|点评|辅导|讲座|"
                  r"回应|动员|宣讲|授课|党课|经验分享|分享)(?![\u4e00-\u9fff]{0,2}会)")
_ZUO_SPEAK = {"发言", "动员讲话", "讲话", "安排", "部署", "总结", "点评", "辅导", "讲座", "回应", "动员",
              "宣讲", "授课", "党课", "辅导报告", "专题报告", "事迹报告", "分享", "经验分享"}


def verbs_in(folded: str, cs: int, ce: int, ends: set[int] = frozenset(),
           talk: bool = False) -> list[Verb]:
    """The participation verbs used as verbs in ``[cs, ce)``, in text order. ``ends`` are the
    ends of person names: a lone 率 leads only right after one (区长A率…; 覆盖率 is no verb)."""
    lex = lexicon()
    out = []
    for m in _TALKS_HELD.finditer(folded, cs, ce):
        rel = Relation.MEET if TALKS.fullmatch(m.group(1)) else Relation.ATTEND
        out.append(Verb(m.start(), m.end(), "进行" + m.group(1), rel))
    zuo = [(m.start(), m.end(), m.group(1)) for m in _ZUO.finditer(folded, cs, ce)]
    for a, b, noun in zuo:
        rel = Relation.SPEAK if noun in _ZUO_SPEAK else Relation.REPORT
        if noun == "报告" and talk:
            rel = Relation.SPEAK      # 先后作报告 at a 事迹报告会: a talk, not a work report
        out.append(Verb(a, b, folded[a:b], rel))
    for m in lex.relation_re.finditer(folded, cs, ce):
        if any(a <= m.start() < b for a, b, _ in zuo):
            continue
        if m.group(0) == "率" and m.start() not in ends and not folded.endswith("一行", cs, m.start()) \
                and re.match(r"[\u4e00-\u9fff]", folded[m.start() - 1:m.start()] or " "):
            continue
        if _is_predicate(folded, m, cs, ce):
            out.append(Verb(m.start(), m.end(), m.group(0), lex.relations[m.group(0)]))
    return sorted(out, key=lambda v: v.a)


def _is_predicate(folded: str, v: re.Match, cs: int, ce: int) -> bool:
    """Is this occurrence of a verb used as a verb (not 重要讲话, 各项要求, 调研组, 参加视察)?"""
    if _NOUN_BEFORE.search(folded, max(cs, v.start() - 6), v.start()) and \
            not (_OBJECT_OF_DUI.search(folded, cs, v.start())
                 and not lexicon().relation_re.search(folded, v.end(), ce)):
        return False
    word = v.group(0)
    if word == "在座" and folded.startswith("谈", v.end()):
        return False                   # 在座谈会上
    # 参加视察 / 陪同调研: the verb is the object of the verb right before it
    if _FRAME.search(folded, max(cs, v.start() - 6), v.start()) and \
            lexicon().relations.get(word) not in (Relation.ATTEND, Relation.ACCOMPANY):
        return False
    # 出席市人代会的部分代表分组视察: a verb inside a relative clause (…的 + noun) before the
    # clause's main verb
    rest = folded[v.end():ce]
    de = rest.find("的")
    if 0 <= de <= 20 and not THERE_WERE.match(rest, de) and re.match(r"的[\u4e00-\u9fff]", rest[de:]) \
            and not lexicon().relation_re.search(rest[:de]):
        later = lexicon().relation_re.search(folded, v.end() + de, ce)
        if later and _is_predicate(folded, later, cs, ce):
            return False
    after = folded[v.end():v.end() + 4]
    if word in ("参加", "出席", "主持", "列席", "主持召开") and not _NOUN_AFTER_FRAME.match(after):
        return True                    # 主持报告会, 出席签约仪式: the meeting is the object
    if _NOUN_AFTER.match(after) and not re.match(r"^(?:的还有|的有|的领导)", after):
        return False
    if word in _COMPOUNDING and re.match(r"(?:仪式|活动)", after):
        return False                   # 签约仪式, 调研活动: a noun
    # 就产业园项目签约、落地等事宜进行洽谈: the topic of the talks
    if _TOPIC_OPEN.search(folded, cs, v.start()) and _TOPIC_CLOSE.match(folded, v.end(), ce):
        return False
    return True


