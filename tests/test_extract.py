"""Extraction rules: a sentence in, the facts out. None of these sentences is from the seeds."""
from kg.pipeline import extract_text


def one(text, **kw):
    (rec,) = extract_text(text, "t.txt", **kw)
    return rec


def rels(rec):
    return set(rec.participation)


def test_title_chain_split_on_comma_list_of_titled_people_attend():
    rec = one("本报讯 11月17號上午，县委书记张建国主持召开县委常委会会议，县委副书记、县长李晓明，"
              "县委常委、常务副县长王丽出席会议。张建国强调，要抓好冬季安全生产工作。（记者 刘洋 通讯员 赵小军）")
    assert rec.persons == {"张建国": ["县委书记"], "李晓明": ["县委副书记", "县长"],
                           "王丽": ["县委常委", "常务副县长"]}
    assert rels(rec) == {("张建国", "chair"), ("张建国", "speak"), ("李晓明", "attend"), ("王丽", "attend")}
    assert rec.date == "--11-17"
    assert (rec.reporters, rec.correspondents) == (["刘洋"], ["赵小军"])


def test_town_leader_leads_an_inspection_and_is_accompanied():
    rec = one("本报讯（通讯员 陈静）近日，城关镇党委书记周海涛带领镇村干部到辖区企业走访调研，镇长吴刚陪同。"
              "周海涛要求，各村要做好服务。")
    assert rec.persons["吴刚"] == ["镇长"]
    assert rels(rec) == {("周海涛", "lead"), ("周海涛", "inspect"), ("周海涛", "speak"), ("吴刚", "accompany")}
    assert rec.correspondents == ["陈静"] and rec.date is None


def test_title_after_name_and_led_by():
    rec = one("本报讯 3月5日，在赵革书记的带领下，市委办干部赴红旗渠参观学习。记者 王强")
    assert rec.persons == {"赵革": ["书记"]}
    assert rels(rec) == {("赵革", "lead")}


def test_entrusted_and_quoted_leaders_take_no_part():
    rec = one("本报讯 4月8日，全县经济工作会议召开。受县委书记孙志刚委托，县委副书记、县长郑伟出席会议并讲话。"
              "会议传达学习了习近平总书记重要讲话精神。习近平总书记指出，发展是第一要务。记者 钱多多")
    assert rec.persons["孙志刚"] == ["县委书记"]
    assert rels(rec) == {("郑伟", "attend"), ("郑伟", "speak")}


def test_traditional_script_is_read_as_simplified():
    rec = one("本報訊 4月4日上午，區委書記樊惠林主持會議並講話，區領導王澤文、李雅參加。記者 景靜")
    assert rec.persons == {"樊惠林": ["区委书记"], "王泽文": [], "李雅": []}
    assert rels(rec) == {("樊惠林", "chair"), ("樊惠林", "speak"), ("王泽文", "attend"), ("李雅", "attend")}
    assert rec.reporters == ["景静"]


def test_long_list_after_a_collective_label():
    names = ["马建国", "朱红梅", "何晓东", "郭亮", "罗斌", "梁晓燕", "宋志强", "唐文杰"]
    rec = one(f"本报讯 6月1日，全市防汛工作会议召开。市领导{'、'.join(names)}参加会议。市委书记杨光主持会议。记者 韩梅")
    assert set(rec.persons) == set(names) | {"杨光"}
    assert all(rec.persons[n] == [] for n in names)          # 市领导 is a label, not a title
    assert rels(rec) == {(n, "attend") for n in names} | {("杨光", "chair")}


def test_names_run_together_in_a_byline_are_split_by_surname():
    rec = one("本报讯 5月2日，区委常委、组织部长宿建军参加座谈会并讲话。\n\n记者 左学彬周祎")
    assert rec.reporters == ["左学彬", "周祎"]
    assert "左学彬" not in rec.persons


def test_a_name_split_across_lines_is_rejoined():
    rec = one("本报讯 5月2日，区委常委、组织部长宿\n\n建军参加座谈会并讲话。记者 景静")
    assert rec.persons == {"宿建军": ["区委常委", "组织部长"]}


def test_concurrent_posts_joined_by_jian():
    rec = one("本报讯 2021年7月1日，区委副书记、区长兼经开区党工委书记、管委会主任马明亮到项目一线调研。记者 景静")
    assert rec.persons["马明亮"] == ["区委副书记", "区长", "经开区党工委书记", "管委会主任"]
    assert rec.date == "2021-07-01"


def test_lead_after_headline_without_marker_and_author_byline():
    rec = one("县领导调研重点项目建设\n\n近日，县委书记冯国栋到产业集聚区调研项目建设情况，县领导许伟陪同。"
              "冯国栋指出，要加快项目建设进度。\n\n（作者 林峰）")
    assert rec.title == "县领导调研重点项目建设"
    assert rels(rec) == {("冯国栋", "inspect"), ("冯国栋", "speak"), ("许伟", "accompany")}
    assert rec.reporters == ["林峰"]


def test_company_and_government_body_names_stay_in_titles_and_the_received_meet():
    rec = one("本报讯 4月21日，区委副书记、区长虎荣鑫会见了河南某某科技有限公司董事长张春丽。"
              "区发改委主任冯沛参加。记者 景静")
    assert rec.persons["张春丽"] == ["河南某某科技有限公司董事长"]
    assert rec.persons["冯沛"] == ["区发改委主任"]
    assert rels(rec) == {("虎荣鑫", "meet"), ("张春丽", "meet"), ("冯沛", "attend")}


def test_listening_to_a_report_is_not_reporting():
    rec = one("本报讯 近日，区长王成调研项目建设，听取了企业负责人的情况汇报。副区长刘芳对工作进行汇报。记者 景静")
    assert ("王成", "report") not in rels(rec)
    assert ("刘芳", "report") in rels(rec)


def test_an_organization_as_subject_breaks_the_topic_chain():
    rec = one("本报讯 近日，区委常委、常务副区长屈明组织召开重点项目推进会，区发改委汇报了项目进展。记者 景静")
    assert rels(rec) == {("屈明", "chair")}


def test_co_signers():
    rec = one("本报讯 4月21日，区政府党组成员李立作为甲方代表，与乙方代表某某有限公司总经理王海共同签订了合作协议。记者 景静")
    assert {("李立", "sign"), ("王海", "sign")} <= rels(rec)


def test_speech_content_is_not_participation():
    rec = one("本报讯 4月4日，区委书记陈明出席会议并强调，各单位要积极参加培训，主动调研走访。记者 景静")
    assert rels(rec) == {("陈明", "attend"), ("陈明", "speak")}


def test_dates_ranges_and_years():
    assert one("本报讯 4月21日~23日，区委书记樊林带队赴西安考察。记者 景静").date == "--04-21"
    assert one("本报讯 3月28日至4月26日，区委党校举办培训班。记者 景静").date == "--03-28"
    assert one("本报讯 7月1日，全区庆祝建党100周年大会召开。记者 景静").date == "2021-07-01"
    assert one("本报讯 7月1日，大会召开。记者 景静", year=2019).date == "2019-07-01"
    assert one("本报讯 近日，大会召开。记者 景静").date is None


def test_no_name_guessed_from_two_characters_before_a_verb():
    rec = one("本报讯 近日，全体干部参加会议，大家高度重视，全力参加活动。记者 景静")
    assert rec.persons == {} and rec.participation == []


def test_a_deputy_title_names_no_jurisdiction():
    from kg.extract.places import jurisdiction, title_place

    assert jurisdiction("本报讯 5月4日上午,区委常委、常务副区长屈连武出席会议并讲话。", ()) == ""
    assert title_place("常务副区长") == ""
    assert jurisdiction("金水区委书记张三主持会议。金水区长李四出席。", ()) == "金水区"
