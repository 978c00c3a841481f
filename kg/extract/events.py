"""Events reported by an article: its main event from the lead, plus named meetings.

Type by key words (会/会议 → meeting, 调研/视察 → inspection, 签约 → signing, 培训 → training,
演练 → drill, else activity); the name as printed where the text names it, else a short
description (调研 + what was inspected).
"""
from __future__ import annotations

import re

from kg.types import Event, EventType, Span

_Q = r"[“”\"‘’《》·()（）\u4e00-\u9fff\w\- ]"
_MEETING_NAME = re.compile(
    rf"(?:召开(?:了)?|举行(?:了)?|主持召开(?:了)?|组织召开(?:了)?|在随后召开的)({_Q}{{2,40}}?(?:会议|大会|座谈会|推进会|"
    rf"动员会|部署会|调度会|办公会|例会|联席会|现场会|培训会|交流会|分析会|观摩会|汇报会|"
    rf"报告会|研讨会|见面会|发布会|协调会|专题会|常委会|全会|会))(?=[,，。;；上后前\s]|$)")
_NAMED_FIRST = re.compile(
    rf"^(?:[^,，。]{{0,20}}[,，])?({_Q}{{4,40}}?(?:会议|大会|座谈会|推进会|动员会|办公会|会))(?:召开|举行|在)")
_TRAINING = re.compile(rf"(?:举办(?:了)?|开办(?:了)?|组织(?:了)?)({_Q}{{2,30}}?(?:培训班|研讨班|轮训|培训))")
_CLASS = re.compile(rf"[、,，]({_Q}{{2,20}}?培训班)")
_DRILL = re.compile(rf"(?:开展(?:了)?|组织(?:开展)?(?:了)?|举行(?:了)?)({_Q}{{2,30}}?(?:演练|演习))")
_SIGNING = re.compile(rf"({_Q}{{2,40}}?签约仪式)")
_CEREMONY = re.compile(rf"(?:举行(?:了)?|举办(?:了)?)({_Q}{{2,30}}?(?:仪式|活动|比赛|大赛|典礼))")
_ACTIVITY = re.compile(rf"(?:开展(?:了)?|启动(?:了)?|组织开展(?:了)?|举办(?:了)?)({_Q}{{2,40}}?(?:活动|行动|比赛|竞赛|宣讲|志愿服务))")
_INSPECT = re.compile(r"(调研|视察|督导|考察|检查|走访|察看)([^,，。;；]{2,30})")
_INSPECT_WORDS = re.compile(r"调研|视察|督导|考察|察看|检查|走访|督查")


def event_type(text: str) -> EventType:
    if re.search(r"签约|签订|签署", text):
        return EventType.SIGNING
    if re.search(r"演练|演习", text):
        return EventType.DRILL
    if re.search(r"培训班|培训|轮训", text) and not re.search(r"召开|会议", text[:40]):
        return EventType.TRAINING
    if _INSPECT_WORDS.search(text):
        return EventType.INSPECTION
    if re.search(r"会议|会$|座谈|召开", text):
        return EventType.MEETING
    return EventType.ACTIVITY


def find_events(lead: str, offset: int, title: str | None, date: str | None) -> list[Event]:
    """Events of an article from its lead (first paragraph, offset into the document)."""
    events: list[Event] = []

    def add(name: str, typ: EventType, a: int, b: int):
        name = name.strip(" ,，")
        if name and all(e.name != name for e in events):
            events.append(Event(name, typ, date, Span(offset + a, offset + b)))

    head = lead[:160]
    sig = _SIGNING.search(head)
    if sig:
        add(sig.group(1), EventType.SIGNING, sig.start(1), sig.end(1))
    drill = _DRILL.search(head)
    if drill:
        add(drill.group(1), EventType.DRILL, drill.start(1), drill.end(1))
    tr = _TRAINING.search(head)
    if tr:
        add(tr.group(1), EventType.TRAINING, tr.start(1), tr.end(1))
        for m in _CLASS.finditer(head, tr.end()):
            add(m.group(1), EventType.TRAINING, m.start(1), m.end(1))
    ins = _INSPECT.search(head)
    if ins and not events:
        what = re.split(r"[并和及,，。]|召开|听取", ins.group(2))[0]
        add(ins.group(1) + what, EventType.INSPECTION, ins.start(), ins.start() + len(ins.group(1) + what))
    for m in list(_NAMED_FIRST.finditer(head)) + list(_MEETING_NAME.finditer(lead)):
        name = m.group(1)
        if re.fullmatch(r"(?:随后召开的)?座谈会|会议|会", name) or name.startswith(("了", "的")):
            continue
        add(name, EventType.MEETING, m.start(1), m.end(1))
    if not events:
        act = _CEREMONY.search(head) or _ACTIVITY.search(head)
        if act:
            add(act.group(1), event_type(act.group(1)), act.start(1), act.end(1))
    if not events and title:            # named after the headline: an empty span says so
        add(title, event_type(title + head), 0, 0)
    return events
