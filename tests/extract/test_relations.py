"""Participation: one rule per test, a sentence written for the test in, the facts out.

The names, places and companies are invented; none is from the seed or dev pages."""
from kg.pipeline import extract_text


def rels(text):
    (rec,) = extract_text(text, "t.txt")
    return set(rec.participation)


def test_a_list_sharing_one_title_shares_the_verb():
    assert rels("本报讯 市人大常委会副主任伍长青、钱若水、祝云帆带领部分代表视察城区道路建设。") == {
        (n, r) for n in ("伍长青", "钱若水", "祝云帆") for r in ("lead", "inspect")}


def test_clauses_of_names_wait_for_the_verb_that_ends_the_sentence():
    got = rels("本报讯 9月3日，县政协党组召开会议。县政协主席白启明，副主席柏青、常乐天，"
               "副主席候选人潘月华，秘书长石磊出席。")
    assert got == {(n, "attend") for n in ("白启明", "柏青", "常乐天", "潘月华", "石磊")}


def test_a_chain_of_titled_subjects_before_one_verb():
    assert rels("本报讯 6月5日，区委书记岳文轩、区长汤洛川带领相关部门负责人到青石镇调研。") == {
        (n, r) for n in ("岳文轩", "汤洛川") for r in ("lead", "inspect")}


def test_labels_titles_and_a_nameless_group_in_one_chain():
    got = rels("本报讯 4月16日，签约仪式举行。县委书记戴明山，县领导杭晓岚、郁青以及县工商联主席"
               "包世杰一行出席了当天的签约仪式。")
    assert got == {(n, "attend") for n in ("戴明山", "杭晓岚", "郁青", "包世杰")}
    got = rels("本报讯 10月9日，区政协召开会议。区政协办公室主任韩松林，各专门委员会负责人列席。")
    assert got == {("韩松林", "attend")}


def test_a_nameless_collective_is_the_subject_of_its_own_verb():
    assert rels("本报讯 1月3日，区委书记樊志远主持召开区委全会，全体区委委员、候补委员参加会议。") == {
        ("樊志远", "chair")}
    assert rels("本报讯 1月4日，县长雷鸣远主持召开县政府常务会议，各副县长、县长助理参加。") == {
        ("雷鸣远", "chair")}


def test_a_verb_after_attend_is_its_object():
    got = rels("本报讯 2月26日，在市人大常委会副主任甘如海带领下，部分代表分组视察城区民生工程。"
               "市领导闵立、严晓峰参加视察。")
    assert got == {("甘如海", "lead"), ("甘如海", "inspect"), ("闵立", "attend"), ("严晓峰", "attend")}


def test_a_verb_in_the_topic_of_talks_is_no_action():
    got = rels("本报讯 7月3日，市委书记葛长风，副市长卫思源赴远航集团，就产业园项目签约、落地等事宜"
               "进行洽谈对接。")
    assert got == {("葛长风", "attend"), ("卫思源", "attend")}


def test_a_verb_in_a_relative_clause_is_no_action_of_the_leader():
    got = rels("本报讯 在市人大常委会主任邹远山的带领下，出席市人代会的部分代表视察重点项目。")
    assert got == {("邹远山", "lead"), ("邹远山", "inspect")}


def test_the_meeting_acts_are_not_the_chairs_speech():
    got = rels("本报讯 3月15日，受市委书记孟春林委托，市委副书记景明主持召开市委常委会会议，"
               "认真传达学习全国两会精神。")
    assert got == {("景明", "chair")}


def test_a_delegation_stands_for_its_leaders_and_talks_are_meetings():
    got = rels("本报讯 10月10日，县委书记霍青山带领考察团赴远洲市考察。考察团一行与远洲市商务局局长"
               "祁文涛进行了会谈。")
    assert got == {("霍青山", "lead"), ("霍青山", "inspect"), ("霍青山", "meet"), ("祁文涛", "meet")}


def test_who_is_received_in_a_meeting_meets():
    got = rels("本报讯 县长尤明远会见了远航集团董事长秦朗一行。")
    assert got == {("尤明远", "meet"), ("秦朗", "meet")}


def test_both_parties_of_a_signing_sign():
    got = rels("本报讯 副县长庞立新代表县政府与远航集团总经理梅子健签订合作协议。")
    assert got == {("庞立新", "sign"), ("梅子健", "sign")}


def test_lexicon_verbs_of_the_conventions():
    got = rels("本报讯 3月18日，全市招商推介会开幕。市委书记鲍家宁出席并讲话。市长阮清致欢迎辞。"
               "县领导钟灵、卓越一同前往。副县长管仲文作交流发言。")
    assert got == {("鲍家宁", "attend"), ("鲍家宁", "speak"), ("阮清", "speak"), ("钟灵", "attend"),
                   ("卓越", "attend"), ("管仲文", "report")}


def test_project_viewing_led_by_a_leader_is_an_inspection():
    assert rels("本报讯 4月2日，区委书记裴景行带领区四大班子领导对全区重点项目进行集中观摩。") == {
        ("裴景行", "lead"), ("裴景行", "inspect")}


def test_pronoun_at_the_start_of_a_later_sentence_is_the_last_subject():
    got = rels("本报讯 7月2日，市长时鸿到青石镇调研。座谈会上，时鸿听取了镇里的工作汇报。他指出，要坚持项目为王。")
    assert got == {("时鸿", "inspect"), ("时鸿", "speak")}
    got = rels("本报讯 8月8日，县委书记韩露在座谈会上介绍了县情。她表示，欢迎企业来投资。")
    assert got == {("韩露", "report"), ("韩露", "speak")}


def test_reports_heard_by_a_meeting():
    got = rels("本报讯 会议听取了市交通局及青石镇党委书记樊高远关于安全生产工作的汇报。")
    assert got == {("樊高远", "report")}


def test_zuo_frames_give_report_or_speak():
    got = rels("本报讯 受县政府委托，副县长项明作了报告。县审计局局长葛亮作了具体说明。"
               "县委书记魏青就做好防汛工作作了安排。会议邀请省委党校教授邓文远作了专题辅导报告。")
    assert got == {("项明", "report"), ("葛亮", "report"), ("魏青", "speak"), ("邓文远", "speak")}


def test_what_follows_a_speech_verb_is_what_was_said():
    got = rels("本报讯 区人大代表殷晓芸建议，要引入社会资本参与小区改造，邀请专家考察论证。")
    assert got == {("殷晓芸", "speak")}


def test_a_meeting_and_witnessing_joined_by_bing():
    got = rels("本报讯 县委书记屠远峰会见客人并见证签约。")
    assert got == {("屠远峰", "meet"), ("屠远峰", "attend")}


def test_a_name_with_xiang_in_it_is_not_an_object():
    got = rels("本报讯 县领导冷向东、包以宁、韦明出席会议。")
    assert got == {("冷向东", "attend"), ("包以宁", "attend"), ("韦明", "attend")}


def test_a_ratio_is_no_leading():
    got = rels("本报讯 公司总经理芮明远介绍，园区植被覆盖率由5%提高到80%。")
    assert got == {("芮明远", "report")}


def test_entrusted_and_quoted_leaders_take_no_part():
    got = rels("本报讯 受县委书记钟毓秀委托，县长路远主持会议。会议传达学习了习近平总书记重要讲话精神。")
    assert got == {("路远", "chair")}


def test_a_drills_commanders_take_part():
    got = rels("本报讯 6月18日，青石镇开展森林防火应急演练。演练总指挥、镇党委书记龙启明宣布演练开始后，"
               "副总指挥、镇党委副书记岩罕带领扑火队赶赴“火场”。")
    assert {("龙启明", "attend"), ("岩罕", "attend")} <= got


def test_explaining_and_sharing_are_speech_and_receiving_visitors_a_meeting():
    got = rels("本报讯 大队长顾长青结合典型案例，为师生详细讲解了火灾逃生知识。网格员伍小梅作了经验分享。"
               "镇党委书记覃立、镇长莫岚在信访接待室接待来访群众。")
    assert got == {("顾长青", "speak"), ("伍小梅", "speak"), ("覃立", "meet"), ("莫岚", "meet")}


def test_a_latin_full_stop_between_chinese_ends_a_sentence():
    got = rels("本报讯 7月5日,街道召开安全生产工作会.区委常委、副区长冉青山出席会议并讲话,街道党工委书记"
               "向晨主持会议.")
    assert got == {("冉青山", "attend"), ("冉青山", "speak"), ("向晨", "chair")}
