"""Persons and titles: one rule per test, a sentence written for the test in, the facts out.

The names, places and companies are invented; none is from the seed or dev pages."""
from kg.extract.names import name_at, split_run_together, valid_name
from kg.pipeline import extract_text


def one(text):
    (rec,) = extract_text(text, "t.txt")
    return rec


def test_a_title_printed_once_belongs_to_every_name_of_its_list():
    rec = one("本报讯 3月2日，县委召开常委会会议。县委书记范青山主持，县委常委柴立群、宁海舟、"
              "骆嘉言出席会议。")
    assert rec.persons == {"范青山": ["县委书记"], "柴立群": ["县委常委"], "宁海舟": ["县委常委"],
                           "骆嘉言": ["县委常委"]}


def test_candidates_hold_the_post_as_printed():
    rec = one("本报讯 5月6日，镇人大召开会议。副镇长候选人邬晨光、祁望舒列席。")
    assert rec.persons == {"邬晨光": ["副镇长候选人"], "祁望舒": ["副镇长候选人"]}


def test_rare_surnames_are_read_after_a_title():
    rec = one("本报讯 7月1日，副县长占立夏到企业调研。县政协副主席訾云鹤、郄明远陪同。")
    assert rec.persons == {"占立夏": ["副县长"], "訾云鹤": ["县政协副主席"], "郄明远": ["县政协副主席"]}


def test_rare_surnames_alone_in_running_text_are_not_names():
    # 占 and 才 are surnames, but 占地 and 才能 are words: no title, no list, no name
    rec = one("本报讯 该项目占地200亩，才能满足企业需求。")
    assert rec.persons == {}


def test_given_names_with_function_characters_are_read_in_lists():
    rec = one("本报讯 9月9日，县领导孟以诚、单向阳、贝延年出席开工仪式。")
    assert set(rec.persons) == {"孟以诚", "单向阳", "贝延年"}


def test_any_two_characters_between_two_list_commas_are_a_name():
    assert valid_name("冼立新", anchored=True) and not valid_name("冼立新x")
    rec = one("本报讯 4月4日，区领导苏望、禤明、柯晓雨参加。")
    assert set(rec.persons) == {"苏望", "禤明", "柯晓雨"}


def test_mongolian_and_tibetan_names_without_a_han_surname():
    rec = one("本报讯 6月1日，旗长查干巴拉主持会议，副旗长萨仁托娅、刘振川出席。"
              "县委常委扎西顿珠参加。")
    assert rec.persons == {"查干巴拉": ["旗长"], "萨仁托娅": ["副旗长"], "刘振川": ["副旗长"],
                           "扎西顿珠": ["县委常委"]}


def test_names_joined_by_a_middle_dot_are_one_name_whatever_the_dot():
    rec = one("本报讯 8月8日，县委副书记、县长买买提·吐尔洪主持会议，副县长阿依古丽•热合曼出席。"
              "阿依古丽•热合曼指出，要抓好秋收。")
    assert rec.persons == {"买买提·吐尔洪": ["县委副书记", "县长"], "阿依古丽•热合曼": ["副县长"]}
    assert ("阿依古丽•热合曼", "speak") in rec.participation


def test_a_two_character_name_padded_with_a_space_is_read_without_it():
    rec = one("本报讯 2月2日，县委常委武　亮、向海鸥出席。")
    assert set(rec.persons) == {"武亮", "向海鸥"}


def test_role_nouns_introduce_a_name_but_are_no_title():
    rec = one("本报讯 近日，记者走进大棚，种植户黎秋菊笑着说：“今年收成好。”")
    assert rec.persons == {"黎秋菊": []}
    assert ("黎秋菊", "speak") in rec.participation


def test_a_role_noun_before_a_common_word_reads_no_name():
    rec = one("本报讯 要不断提升群众幸福感和获得感。")
    assert rec.persons == {}


def test_appointed_persons_are_persons_without_the_post():
    rec = one("本报讯 会议决定任命莫如海为县水利局局长，钟文静为县审计局局长。")
    assert rec.persons == {"莫如海": [], "钟文静": []}


def test_a_title_ending_with_the_name_of_a_body_keeps_its_department():
    rec = one("本报讯 旗林业和草原局局长乌力吉图作了说明。市场监督管理局和发展改革局负责同志参加。")
    assert rec.persons["乌力吉图"] == ["旗林业和草原局局长"]


def test_and_between_two_titled_persons_ends_the_first_title():
    rec = one("本报讯 区委书记孔令山和区长伍嘉树出席。")
    assert rec.persons == {"孔令山": ["区委书记"], "伍嘉树": ["区长"]}


def test_a_company_name_stays_in_the_title_and_is_not_cut_at_you():
    rec = one("本报讯 副市长祁连山与江南恒远精密设备有限公司董事长卜文涛签订协议。")
    assert rec.persons["卜文涛"] == ["江南恒远精密设备有限公司董事长"]


def test_a_title_only_clause_goes_on_after_a_comma():
    rec = one("本报讯 县委常委，经开区党工委书记、管委会主任严立群参加会谈。")
    assert rec.persons["严立群"] == ["县委常委", "经开区党工委书记", "管委会主任"]


def test_a_verb_before_a_title_is_not_part_of_it():
    rec = one("本报讯 会议同意推荐县委统战部副部长蓝文涛为政协委员人选。")
    assert rec.persons["蓝文涛"] == ["县委统战部副部长"]


def test_a_title_after_the_name_adds_nothing_when_a_fuller_title_ends_with_it():
    rec = one("本报讯 6月6日，县委书记欧阳春出席会议。欧阳春书记指出，要抓实项目。")
    assert rec.persons == {"欧阳春": ["县委书记"]}
    only = one("本报讯 6月6日，会上，卢海峰书记指出，要抓实项目。")
    assert only.persons == {"卢海峰": ["书记"]}


def test_one_post_with_and_without_its_place_is_listed_once_in_the_fuller_form():
    rec = one("本报讯 城关镇镇长龙雨田主持会议。镇长龙雨田强调，要守牢底线。")
    assert rec.persons == {"龙雨田": ["城关镇镇长"]}


def test_titles_printed_in_the_headline_are_the_persons_titles():
    rec = one("县政协主席温思远调研文旅项目\n本报讯 5月9日，温思远带队到青石镇调研文旅项目建设情况。")
    assert rec.persons == {"温思远": ["县政协主席"]}
    assert set(rec.participation) == {("温思远", "lead"), ("温思远", "inspect")}


def test_a_title_proves_a_name_before_an_unlisted_word():
    rec = one("本报讯 6月6日，全区营商环境大会召开。区长邵青原致欢迎辞，副区长方宜简要汇报了工作。")
    assert rec.persons == {"邵青原": ["区长"], "方宜": ["副区长"]}
    assert set(rec.participation) == {("邵青原", "speak"), ("方宜", "report")}


def test_spaces_between_a_title_and_its_name():
    rec = one("本报讯 演练结束后，市应急管理局局长  盛晓东对演练进行了点评。")
    assert rec.persons == {"盛晓东": ["市应急管理局局长"]}


def test_a_place_before_a_post_is_not_read_as_a_name_in_a_list():
    rec = one("本报讯 会上，青松镇党委书记鲁长河、白杨村党支部书记金德顺、柳湾镇镇长邢丽分别发言。")
    assert rec.persons == {"鲁长河": ["青松镇党委书记"], "金德顺": ["白杨村党支部书记"], "邢丽": ["柳湾镇镇长"]}


def test_a_possessor_in_a_list_does_not_share_the_title():
    rec = one("本报讯 报告会上，镇党委副书记蒋文彬、韦建国同志的妻子卢秀英先后作报告，讲述了韦建国同志的感人事迹。")
    assert rec.persons["蒋文彬"] == ["镇党委副书记"]
    assert rec.persons["韦建国"] == []
    assert {("蒋文彬", "speak"), ("卢秀英", "speak")} <= set(rec.participation)
    assert ("韦建国", "speak") not in rec.participation


def test_post_words_inside_longer_words_give_no_name():
    rec = one("本报讯 县领导在主席台前排就座。县委常委和政协委员参加。")
    assert rec.persons == {}


def test_split_run_together_keeps_dotted_names_whole():
    assert split_run_together("买买提·吐尔洪") == [("买买提·吐尔洪", 0, 7)]
    assert name_at("县长买买提·吐尔洪主持", 2, mode="title") == 9


def test_yi_and_dai_names_are_read_after_titles():
    rec = one("本报讯 7月3日，州委书记曲比拉哈率队到县里调研，州委常委、秘书长阿西木呷陪同。"
              "副县长岩罕、刀文华出席。")
    assert rec.persons == {"曲比拉哈": ["州委书记"], "阿西木呷": ["州委常委", "秘书长"],
                           "岩罕": ["副县长"], "刀文华": ["副县长"]}


def test_a_later_list_item_may_be_a_word_of_the_dictionary_but_not_the_first_after_a_label():
    rec = one("本报讯 县领导蓝天、方圆、甘露参加会议。")
    assert set(rec.persons) == {"蓝天", "方圆", "甘露"}
    rec = one("本报讯 区商务局负责同志拜访了商会。")
    assert rec.persons == {}


def test_a_name_opening_its_clause_before_a_verb():
    rec = one("●【市领导督导项目建设】11月16日，柏云山带队督导全市重点项目建设。")
    assert "柏云山" in rec.persons
    assert {("柏云山", "lead"), ("柏云山", "inspect")} <= set(rec.participation)


def test_collective_words_after_a_surname_character_are_no_names():
    rec = one("本报讯 区领导陪同调研。董事长程立军代表双方签约。会上，杨新春主持会议，向大家介绍了情况。")
    assert set(rec.persons) == {"程立军", "杨新春"}


def test_withheld_names_and_places_in_lists_are_no_persons():
    rec = one("本报讯 会议通报了原局长宋某某、原镇长陈某等人严重违纪案件。镇党委书记黄文海、青岗镇、"
              "白石镇负责人作交流发言。")
    assert set(rec.persons) == {"黄文海"}


def test_a_noun_of_the_dictionary_is_a_name_where_a_title_proves_it():
    rec = one("本报讯 县委常委、副县长黄河带领有关部门负责人检查防汛工作。县长高度重视。")
    assert rec.persons == {"黄河": ["县委常委", "副县长"]}


def test_an_age_and_a_role_before_a_name():
    rec = one("本报讯 老党员代表、90岁的钟德昌激动地说：“我这辈子最自豪的就是跟党走。”")
    assert "钟德昌" in rec.persons and ("钟德昌", "speak") in rec.participation


def test_a_role_noun_inside_a_longer_word_introduces_no_name():
    rec = one("本报讯 双方将围绕扎西岗村民宿集群等资源合作。")
    assert rec.persons == {}


def test_tibetan_and_yi_names_before_a_one_character_verb():
    rec = one("本报讯 村委会主任多吉次仁作表态发言。乡卫生院院长依火阿呷用彝汉双语讲解。")
    assert set(rec.persons) == {"多吉次仁", "依火阿呷"}
