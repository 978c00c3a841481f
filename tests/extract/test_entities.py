"""Organizations, projects and places: a sentence in, the entities out.

Every sentence is written for its test (invented names); none is taken from the seed or dev pages.
"""
import json
from pathlib import Path

import pytest

from kg.evaluate import _fuzzy_tp, _norm_entity
from kg.pipeline import extract_text

FAILURES = Path(__file__).resolve().parent.parent / "data" / "failures.jsonl"


def ents(text: str) -> tuple[list[str], list[str], list[str]]:
    """(organizations, projects, places) of every article of ``text``, in order."""
    orgs, projects, places = [], [], []
    for rec in extract_text(text if "讯" in text else "本报讯 " + text, "t.txt"):
        orgs += rec.organizations
        projects += rec.projects
        places += rec.places
    return orgs, projects, places


def orgs(text: str) -> list[str]:
    return ents(text)[0]


def projects(text: str) -> list[str]:
    return ents(text)[1]


def places(text: str) -> list[str]:
    return ents(text)[2]


# -- department words ----------------------------------------------------------------------------

def test_department_abbreviations_and_names_with_he_are_whole():
    # 州住建局: 建局 is no word; 盟住房和城乡建设局: 和 inside the department word
    assert orgs("5月6日，州住建局、州发改局、县卫生健康委负责同志参加。") == ["州住建局", "州发改局", "县卫生健康委"]
    assert orgs("5月6日，盟住房和城乡建设局、盟发展和改革委员会、县住房城乡建设委有关负责人汇报。") == \
        ["盟住房和城乡建设局", "盟发展和改革委员会", "县住房城乡建设委"]


# -- leadership bodies: acting, in a title, in a meeting's name (E1, E2) ------------------------

def test_a_leadership_body_that_acts_is_an_organization():
    assert orgs("3月2日，县委召开全体会议，部署春耕工作。") == ["县委"]
    assert orgs("4月1日，副县长周立言到河湾镇调研。他说，县委、县政府高度重视农田建设。") == ["河湾镇", "县委", "县政府"]


def test_a_body_inside_a_title_only_is_no_organization():
    text = "5月3日，全州防汛会议召开。州人大常委会主任罗一鸣、州政协主席聂文清、州委办公室主任柯晓舟出席。"
    assert orgs(text) == []


def test_a_department_after_jian_is_part_of_a_title():
    assert orgs("5月3日，州委常委、政法委书记兼州公安局局长葛明远出席会议。") == []


def test_meeting_names_are_not_bodies():
    assert orgs("6月2日，县委书记祁远主持召开县委常委会会议，传达学习州政协十届五次会议精神，"
                "研究县委第15次常委会议定事项。") == []


def test_the_one_who_delegates_and_the_one_represented_are_no_acting_bodies():
    assert orgs("7月4日，受县委委托，副县长桂云帆讲话。") == []
    assert orgs("7月4日，副县长桂云帆代表县政府与青岚实业有限公司签订协议。") == ["青岚实业有限公司"]


def test_a_body_as_an_attribute_is_no_organization():
    assert orgs("8月5日，市委理论学习中心组集中学习，研究部署县委中心工作。") == []


def test_a_body_the_headline_shows_acting_is_listed_from_a_title():
    text = "州人大常委会 视察河道治理工作\n本报讯 9月6日，州人大常委会主任罗一鸣带队视察河道治理工作。"
    assert orgs(text) == ["州人大常委会"]


# -- where a name starts --------------------------------------------------------------------------

def test_a_name_does_not_run_across_a_verb_or_a_post():
    assert orgs("2月1日，县委书记魏成林主持召开县委常委会会议。") == []


def test_a_town_keeps_its_first_character():
    # 大/小 before single characters begin the town's name, they do not describe it
    assert orgs("3月9日，副区长汤立到大石桥镇、小坪街道调研。") == ["大石桥镇", "小坪街道"]


def test_a_year_or_a_quantity_in_front_is_no_part_of_a_name():
    assert projects("4月1日，企业计划布局3000亩青川智造产业园建设。") == ["青川智造产业园"]


def test_a_verb_in_front_is_no_part_of_a_project():
    assert projects("5月2日，会议要求，要招大项目、招好项目，大干快上抓项目。") == []
    assert projects("5月2日，双方就建设青岚温泉度假区项目进行座谈。") == ["青岚温泉度假区项目"]


def test_works_are_named_by_their_place():
    # 改造/修复 before 工程 end a works' name when a place comes before; alone they are a kind
    assert projects("6月3日，他实地察看了石梁河渔港升级改造工程、临溪镇生态修复工程。") == \
        ["石梁河渔港升级改造工程", "临溪镇生态修复工程"]
    assert projects("6月3日，全市推进老旧小区改造工程。") == []


def test_development_zones_are_organizations():
    assert orgs("7月5日，青川经开区与华溪高新区签订合作协议。") == ["青川经开区", "华溪高新区"]


# -- type words (E3) -------------------------------------------------------------------------------

def test_provincial_departments_and_working_groups_are_organizations():
    assert orgs("3月8日，省财政厅、省经信委有关负责同志出席。") == ["省财政厅", "省经信委"]
    assert orgs("3月8日，市安全生产督查组到青川县检查。") == ["市安全生产督查组"]
    assert orgs("3月8日，省生态环境厅督察组到青川县开展督察。") == ["省生态环境厅督察组"]


def test_hotels_work_areas_and_rooms_are_places():
    assert places("6月9日，全市文旅推介会在青川国际大酒店召开。与会人员来到石湾港散货作业区参观。") == \
        ["青川国际大酒店", "石湾港散货作业区"]
    # a room keeps its building: the floor does not cut the building off
    assert places("6月9日，座谈会在青川县图书馆二楼报告厅召开。") == ["青川县图书馆"]


def test_parks_complexes_and_lines_are_projects():
    assert projects("7月3日，他察看了临溪工业园、青川商业综合体和石湾水产城。") == \
        ["临溪工业园", "青川商业综合体", "石湾水产城"]


def test_a_wetland_park_is_a_place():
    assert places("7月3日，委员们来到白石湿地公园，实地察看生态修复情况。") == ["白石湿地公园"]


# -- project lists (E4) ----------------------------------------------------------------------------

def test_items_of_a_counted_project_list_are_projects():
    # a centre and a hospital in such a list are projects, an item without a type word too
    assert ents("3月1日，本次共签约青岚智造谷、石湾冷链物流中心、临溪康复医院等6个项目。") == \
        ([], ["青岚智造谷", "石湾冷链物流中心", "临溪康复医院"], [])


def test_items_before_construction_project_sites_are_projects():
    assert projects("4月6日，副区长韩立言来到青岚商业综合体、石湾果蔬配送园等建设项目现场督导。") == \
        ["青岚商业综合体", "石湾果蔬配送园"]


def test_items_introduced_by_yiciwei_are_projects_and_a_park_among_them_too():
    assert ents("4月6日，观摩点位共三个，依次为临溪古镇、石湾田园综合体、青岚滨湖公园。") == \
        ([], ["临溪古镇", "石湾田园综合体", "青岚滨湖公园"], [])


def test_a_counted_list_without_deng_and_works_ending_in_their_verb():
    assert projects("5月8日，企业计划布局石湾温泉小镇开发、800亩青川农业示范园建设两个项目。") == \
        ["石湾温泉小镇开发", "青川农业示范园"]


# -- boundaries and splits (E5) --------------------------------------------------------------------

def test_a_company_inside_a_group_is_one_organization():
    assert orgs("6月2日，副县长黎少川与青川建工集团第三工程有限公司签订协议。") == ["青川建工集团第三工程有限公司"]


def test_the_site_of_a_project_is_a_project():
    # …项目地: the site of a project; a 水产城 before it is a project too
    assert ents("7月1日，县委书记邬成一行查看了临溪水产城、石湾大道项目地的建设进展。") == \
        ([], ["临溪水产城", "石湾大道项目"], [])


def test_a_new_school_is_no_name():
    assert orgs("6月1日，今年新建学校5所。") == []


# -- the examples of failures.md section 13, as the scorer compares them ---------------------------

def _examples():
    with FAILURES.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if r["id"][:1] == "E"]


@pytest.mark.parametrize("example", _examples(), ids=lambda r: r["id"])
def test_failures_examples(example):
    recs = extract_text(example["text"], "t.txt")
    for field in ("organizations", "projects", "places"):
        got = {_norm_entity(x) for r in recs for x in getattr(r, field)}
        want = {_norm_entity(x) for x in example["expected"][field]}
        tp = _fuzzy_tp(want, got)
        assert tp == len(want) == len(got), (field, sorted(got), sorted(want))


# -- places named by what happens there ----------------------------------------------------------

def test_the_venue_of_an_event_is_a_place():
    assert places("3月6日，青川县招商项目集中签约仪式在县民众之家举行。") == ["县民众之家"]
    assert places("3月6日，青川县高端装备产业推介会在厦门举行。") == ["厦门"]
    # a building named 中心 is a place there; an institution named 中心 stays a body
    assert ents("3月6日，座谈会在县行政服务中心召开。") == ([], [], ["县行政服务中心"])
    assert ents("3月6日，座谈会在县房产管理服务中心召开。") == (["县房产管理服务中心"], [], [])


def test_the_site_a_clause_starts_at_is_a_place():
    # 临溪镇 is the town's body (an organization), 东岭村 the place
    assert places("5月4日，副县长罗成调研秋收工作。在临溪镇东岭村，罗成察看了水稻长势。") == ["东岭村"]


def test_villages_and_rivers_visited_are_places_a_town_is_not():
    text = "6月2日，副县长罗成先后来到石湾古城、白沙河，实地察看防汛工作。在青岚镇，罗成听取了汇报。"
    assert places(text) == ["石湾古城", "白沙河"]


def test_people_are_no_site():
    assert places("6月2日，区委书记罗成与在京青川籍企业家座谈交流。") == []


def test_one_name_is_one_entity():
    # printed as a project (等项目) and as a place visited: listed once, as the project
    text = "7月2日，本次签约石湾生态园、临溪物流园等3个项目。随后，客商来到石湾生态园参观。"
    assert ents(text) == ([], ["石湾生态园", "临溪物流园"], [])


# -- towns -------------------------------------------------------------------------------------------

def test_a_town_is_what_stands_between_the_word_before_it_and_its_type_word():
    # X|城镇, X|口镇: jieba may run the name into the type word, or the type word into the next
    # name (镇南关村); the word before the name is what segmenting finds
    assert orgs("5月2日，副县长罗成深入石营镇、沙岭镇、羊角镇调研。") == ["石营镇", "沙岭镇", "羊角镇"]
    assert orgs("5月2日，会议听取了关于上岭镇工作的汇报。副县长罗成到石岗乡调研。") == ["上岭镇", "石岗乡"]


def test_words_with_a_town_word_are_no_towns():
    assert orgs("5月2日，要实施乡村振兴战略，推进城镇化，各乡镇要守护美丽家乡。") == []


def test_a_town_naming_where_a_project_is_is_no_body():
    assert ents("5月2日，他察看了石营镇青川安置区项目。") == ([], ["石营镇青川安置区项目"], [])


def test_a_number_that_is_part_of_a_name_stays():
    # 8英寸 names the product; 2024年 and 4栋 are a year and a count
    assert projects("8月1日，8英寸硅片封装项目签约。") == ["8英寸硅片封装项目"]
    assert projects("8月1日，会议研究了2024年青川县民生实事项目，新建4栋标准厂房。") == []


def test_a_list_of_project_owners_is_a_list_of_bodies():
    assert ents("8月1日，青川县中医院、临溪镇中心卫生院等项目业主作表态发言。") == \
        (["青川县中医院", "临溪镇中心卫生院"], [], [])


def test_a_project_named_after_its_company_is_the_project():
    assert ents("8月1日，他先后来到青川南岭精细化工股份有限公司年产20万吨环氧树脂项目现场。") == \
        (["青川南岭精细化工股份有限公司"], ["年产20万吨环氧树脂项目"], [])


def test_people_end_a_name():
    assert projects("8月1日，诚挚欢迎各位企业家来青川投资兴业。力争项目年底投产。") == []


def test_bodies_signing_with_a_company_act():
    # 与 names the other party: it does not join the list of bodies that act
    assert orgs("6月12日，青川区人民政府、青川经济技术开发区管委会与石湾微电子有限公司签订投资协议。") == \
        ["青川区人民政府", "青川经济技术开发区管委会", "石湾微电子有限公司"]


def test_a_company_keeps_its_words():
    # a verb between nouns is part of a company's name (再生); a verb before it is not (了解)
    assert orgs("3月2日，他来到江西青禾再生铜业有限公司察看生产，详细了解青禾集团发展情况。") == \
        ["江西青禾再生铜业有限公司", "青禾集团"]


def test_a_phase_is_part_of_a_project():
    assert projects("8月1日，会议研究了青川牛肉产业园二期建设用地问题。") == ["青川牛肉产业园二期"]


def test_projects_listed_one_after_another_are_named_by_what_they_make():
    assert projects("8月1日，石墨烯薄膜项目、高纯硅粉项目现场签约。") == ["石墨烯薄膜项目", "高纯硅粉项目"]


def test_a_companys_project_is_no_name():
    assert ents("8月1日，他听取了青川锦华新材料有限公司项目负责人汇报。") == (["青川锦华新材料有限公司"], [], [])


def test_works_named_by_the_facility_worked_on_and_generic_lines():
    assert projects("8月1日，推进青川国际茶叶博览会展馆提升改造项目建设。") == ["青川国际茶叶博览会展馆提升改造项目"]
    assert projects("8月1日，企业将新建熔喷生产线。") == []


def test_a_project_printed_with_and_without_its_company_is_one():
    assert ents("8月1日，临溪新材料有限公司精密模具制造产业园项目签约仪式举行。") == \
        (["临溪新材料有限公司"], ["临溪新材料有限公司精密模具制造产业园项目"], [])


def test_department_words_are_whole_after_a_verb_of_the_name():
    # 农办 is a department word though 2 characters ending with 办; 发展/促进 are part of a name
    assert orgs("5月2日，州委农办、州财政局负责同志参加。州投资促进服务中心、州投资促进办负责人出席。") == \
        ["州委农办", "州财政局", "州投资促进服务中心", "州投资促进办"]
    assert orgs("5月2日，座谈会在市冷藏装备产业发展服务中心召开。") == ["市冷藏装备产业发展服务中心"]


def test_a_companys_name_has_words_of_any_kind_but_not_a_kind_of_company():
    assert orgs("5月2日，他走访了青川源新能源开发有限公司、石湾鼎新能源科技有限公司。") == \
        ["青川源新能源开发有限公司", "石湾鼎新能源科技有限公司"]
    assert orgs("5月2日，打造医疗行业公司集聚区。") == []


def test_phrases_ending_like_a_body_are_none():
    # 开好局 (a good start), 好事办好 (get things done), 董事局主席 (a post), 茶叶之乡 (a title),
    # 叮嘱镇村干部 (镇村: towns and villages), 执法检查组 (which group?)
    text = ("5月2日，推动全年经济发展开好局。要把好事办好、实事办实。青禾集团董事局主席罗成出席。"
            "青川是茶叶之乡。罗成叮嘱镇村干部做好防汛。执法检查组一行察看了现场。")
    assert orgs(text) == ["青禾集团"]


def test_a_road_named_after_a_body_is_not_cut():
    # 学院|路: a road; the company's name is not cut after 学院
    assert orgs("3月1日，他来到学院路客运集团调研。") == ["学院路客运集团"]


def test_a_grade_of_cadres_is_no_town():
    assert orgs("3月1日，州委党校举办了2023年春季乡科级干部培训班。") == ["州委党校"]


def test_a_village_gone_to_is_a_place():
    assert places("6月2日，副县长罗成到石门村调研。") == ["石门村"]


def test_a_body_naming_a_project_is_no_body_there_but_its_owner_is():
    assert ents("8月2日，他察看了青川县第三医院新院区项目、临溪镇安置区项目。") == \
        ([], ["青川县第三医院新院区项目", "临溪镇安置区项目"], [])
    assert ents("8月2日，他察看了青川经开区青禾生物医药产业园项目。") == \
        (["青川经开区"], ["青川经开区青禾生物医药产业园项目"], [])


def test_a_body_in_a_documents_title_only_issues_it():
    # E2: documents are not bodies acting
    assert orgs("5月2日，会议宣读了《中共青川县委员会关于表彰先进基层党组织的决定》。") == []


def test_a_facilitys_centre_is_no_body():
    # what a company or a project builds (研发中心, 仓储物流中心); a centre with a place is a body
    assert orgs("6月1日，他参观了企业展厅、研发中心和生产线。项目将建设冷链仓储物流中心。") == []
    assert orgs("6月1日，青川县农产品检测中心负责人参加。") == ["青川县农产品检测中心"]


def test_a_delegation_is_no_visit_verb():
    # 考察组来到X: 考察 names the group here, the site comes after 来到
    assert places("9日，考察组来到青川白沙湖，与青禾模具有限公司负责人座谈。") == ["青川白沙湖"]


def test_whose_and_how_many_are_no_part_of_a_project():
    assert projects("5月1日，推动更多优质项目签约落地。区委书记宣布项目开工。") == []
    assert projects("5月1日，他听取了企业年产3GWh动力电池项目建设进展。") == ["年产3GWh动力电池项目"]


def test_generic_production_lines_are_no_projects():
    assert projects("5月1日，将建设智能化板式家具生产线和中成药生产线。") == []


def test_a_type_word_that_begins_a_longer_noun_ends_no_name():
    # 工程|机械 (machinery), 党组|织 (a party branch)
    assert ents("5月1日，青川县工程机械产业发展迅速。全县基层党组织书记参加培训。") == ([], [], [])


def test_a_town_in_a_list_of_places_stays_a_body():
    assert ents("6月1日，石岭乡、青湾镇等地探索形成了新模式。") == (["石岭乡", "青湾镇"], [], [])


def test_works_listed_beside_a_project_are_projects():
    # E4: items of a list of works, though they end with their verb and have no type word
    assert projects("6月1日，他察看了石湾河堤加固工程和白沙湾防护林建设情况。") == \
        ["石湾河堤加固工程", "白沙湾防护林建设"]
    assert projects("6月1日，确定实施青川老城供水管网改造工程、临溪街道农贸市场建设等十件民生实事。") == \
        ["青川老城供水管网改造工程", "临溪街道农贸市场建设"]


def test_a_description_before_a_long_name_is_no_part_of_it():
    assert projects("6月1日，双方就高端智能装备华东总部基地项目进行会谈。") == ["智能装备华东总部基地项目"]
    assert projects("6月1日，签署了创新药研发基地项目投资协议。") == ["创新药研发基地项目"]


def test_a_site_visited_with_a_phase_is_a_project():
    assert ents("6月1日，代表们先后来到青湾老街区二期，实地察看。") == ([], ["青湾老街区二期"], [])


def test_a_long_parks_name_is_its_own():
    # 青石 (bluestone) is a common word: a park's long name is a name all the same
    assert ents("6月8日，区委书记何晴一行先后来到桃源村、白鹭湖湿地公园和青石智能制造产业园，实地察看项目建设。") == \
        ([], ["青石智能制造产业园"], ["桃源村", "白鹭湖湿地公园"])


def test_a_leagues_bodies_in_titles_are_none():
    assert orgs("3月2日，盟委书记包文清主持召开盟委常委会会议。盟人大工委主任、盟政协主席列席。") == []


def test_a_noun_and_its_verb_name_a_project():
    assert projects("8月1日，硅片封装项目、电池组装项目集中签约。区委书记宣布项目开工。") == ["硅片封装项目", "电池组装项目"]


def test_a_towns_central_school_or_clinic_is_one_name():
    assert orgs("4月9日，他来到临溪镇中心小学，石门乡中心卫生院院长汇报。") == ["临溪镇中心小学", "石门乡中心卫生院"]


def test_a_place_is_one_visited_worked_on_or_where_something_happens():
    assert places("县长程远来到青峰古镇景区调研。") == ["青峰古镇景区"]
    assert places("座谈会在县行政中心三楼报告厅召开。") == ["县行政中心"]     # the room keeps its building
    assert places("要将白鹭湾湿地公园打造成城市名片。") == ["白鹭湾湿地公园"]
    # a scenic spot named among the tasks of a speech is no site of the article
    assert places("会议要求，各部门要抓好清溪山风景区、古城墙遗址等重点区域防火工作。") == []


def test_memorials_keep_the_event_they_are_named_for():
    assert places("党员到红河起义纪念园开展主题党日活动。在红河起义纪念碑前，全体党员敬献花篮。") == [
        "红河起义纪念园", "红河起义纪念碑"]


def test_villages_rivers_and_stretches_visited_are_places():
    assert places("镇长带队深入青竹村、罗回村等边境村屯开展禁毒宣传。") == ["青竹村", "罗回村"]
    assert "清江" in places("一行先后来到白石镇清江沿岸和在建的防洪堤工程察看。")
    assert places("副镇长带领工作人员到曼朗村委会看望慰问困难群众。") == ["曼朗村委会"]


def test_a_type_word_of_two_words_is_one_head():
    assert places("县长来到白山镇新兴村大豆种植基地，察看大豆长势。") == ["白山镇新兴村大豆种植基地"]
