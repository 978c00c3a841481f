"""Finding articles on real pages: page chrome, datelines, byline lines, headlines, digests,
bylines on composed pages, photo captions, and what normalization does for them. Every page
here is invented (people, places and outlets)."""
import pytest

from kg.ingest.bylines import author_fields, parse_byline
from kg.ingest.chrome import chrome_kind, page_dates
from kg.ingest.headlines import headline_break
from kg.ingest.normalize import fold, normalize
from kg.pipeline import extract_text
from kg.ingest.segment import split_articles


def arts(text):
    return split_articles(normalize(text, name="p.txt"))


def recs(text, year=None):
    return extract_text(text, name="p.txt", year=year)


def one(text, year=None):
    (rec,) = recs(text, year)
    return rec


# --- normalize: ruby pinyin, middle dots, Simplified pages ---------------------------------

def test_ruby_pinyin_after_a_character_is_dropped_and_offsets_still_map_back():
    raw = "本報訊 6月2日，青石縣(xiàn)委書記岳明川主持召開縣（xiàn）委常委會。董事長(zhǎng)柳青禾列席。"
    doc = normalize(raw)
    assert "青石县委书记岳明川主持召开县委常委会。董事长柳青禾列席。" in doc.text
    i = doc.text.index("委书记")
    assert [doc.raw[doc.to_raw(k)] for k in range(i, i + 3)] == ["委", "書", "記"]
    rec = one(raw)
    for e in rec.evidence:
        assert doc.text[e.start:e.end] == e.quote


def test_a_ruby_residue_inside_a_dateline_marker_no_longer_hides_it():
    rec = one("桐川融媒體(tǐ)中心訊（記者 杜若溪）5月4日，縣長吳明遠到青石鎮(zhèn)調研。")
    assert rec.body_start.startswith("5月4日") and rec.reporters == ["杜若溪"]


@pytest.mark.parametrize("text", ["平台(app)上线", "长度为5(cm)", "方案(ab)", "企业(ok)"])
def test_latin_in_brackets_that_is_no_pinyin_syllable_is_kept(text):
    assert normalize(text).text == text


@pytest.mark.parametrize("dot", "\u00b7\u2022\u30fb\uff65\u2027\u2219\u22c5")
def test_every_middle_dot_of_a_minority_name_folds_to_one_dot(dot):
    doc = normalize(f"通讯员 阿依江{dot}吐尔洪")
    assert doc.text == f"通讯员 阿依江{dot}吐尔洪"          # the text keeps the printed dot
    assert doc.folded == "通讯员 阿依江·吐尔洪" and len(doc.folded) == len(doc.text)


def test_a_byline_name_keeps_its_printed_dot():
    rec = one("本报讯（记者 杜若溪 通讯员 阿依江•吐尔洪）5月8日，县长吴明远调研。")
    assert rec.correspondents == ["阿依江•吐尔洪"]


def test_a_simplified_page_is_not_rewritten_by_traditional_phrases():
    doc = normalize("本报讯（记者 沈思源）7月3日，乾溪镇召开会议，会期10月26號。")
    assert "沈思源" in doc.text and "乾溪镇" in doc.text and "26号" in doc.text


def test_a_traditional_page_is_converted_whole():
    assert normalize("本報訊 縣長吳明遠主持會議並講話。").text == "本报讯 县长吴明远主持会议并讲话。"


# --- page chrome -----------------------------------------------------------------------------

@pytest.mark.parametrize("line, kind", [
    ("您当前的位置：首页 > 新闻中心 > 青川要闻", "crumb"),
    ("首页 > 政务公开 > 工作动态", "crumb"),
    ("青川新闻 >> 正文", "crumb"),
    ("发布时间：2020-03-17 14:05　　来源：青川县融媒体中心　　浏览次数：357", "field"),
    ("[ 2021-10-27 16:41:09 ]  来源：青川县融媒体中心  浏览次数：219", "field"),
    ("【发布时间：2018-08-14 11:03:52】【来源：青川县融媒体中心】【作者：杜若溪】", "field"),
    ("责任编辑：贺青山", "field"),
    ("（责任编辑：贺青山）", "field"),
    ("字号：[ 大 中 小 ]", "field"),
    ("【打印本页】　【关闭窗口】", "action"),
    ("分享到：", "field"),
    ("上一篇：我县召开安全生产工作会议", "link"),
    ("下一条：县政府召开常务会议", "link"),
    ("蜀ICP备17093321号-2", "icp"),
    ("首页 | 政务公开 | 政务服务 | 互动交流 | 走进青川", "menu"),
    ("网站首页  政务公开  新闻中心  办事服务  互动交流", "menu"),
    ("青川县人民政府门户网站", "site"),
    ("图片新闻", "section"),
    ("2023-03-15", "date"),
    ("2024-05-10 09:12:40", "date"),
    ("[2024-05-10]", "date"),
    ("（2021年3月15日—3月21日）", "issue"),
    ("第37期（9月6日—9月12日）　　青川县融媒体中心", "issue"),
    ("青川日报　2021年4月27日　第1版　要闻", "masthead"),
    ("2020年12月4日　星期五　　版次：A03　　本地新闻", "masthead"),
    ("青川新闻　第1版", "masthead"),
    ("（来源：青川日报）", "field"),
    ("（综合青川日报、青川融媒消息）", "source"),
    ("第3版", "masthead"),
    ("A3版 要闻", "masthead"),
    ("编者按：今年以来，全县持续推进重点工作。", "field"),
])
def test_chrome_lines(line, kind):
    assert chrome_kind(fold(line)) == kind


@pytest.mark.parametrize("line", [
    "镇党委召开扩大会议", "研究部署森林防火等工作", "守住绿水青山 做强茶叶产业",
    "5月8日，县委书记吴明远主持召开县委常委会会议。", "会议指出，要做好防汛工作。",
    "青川县委宣传部", "青川县<script>alert(1)</script>召开河长制工作会",
    "2021年青川县招商推介会举行 9个项目现场签约", "第四季度重点项目集中开工",
])
def test_headlines_and_text_are_no_chrome(line):
    assert chrome_kind(fold(line)) is None


def test_chrome_is_never_headline_nor_body_and_breaks_lines_without_punctuation():
    page = ("青川县人民政府\n首页 | 政务公开 | 政务服务 | 互动交流 | 走进青川\n"
            "当前位置：首页 > 新闻中心 > 青川要闻\n县委常委会召开会议\n"
            "发布时间：2023-06-16 09:30　　来源：青川县融媒体中心　　浏览次数：412\n"
            "【字体：大 中 小】\n"
            "6月15日，县委书记吴明远主持召开县委常委会会议\n会议强调，要做好防汛工作。\n"
            "责任编辑：贺青山\n【打印本页】　【关闭窗口】\n上一篇：县政府召开常务会议\n"
            "版权所有：青川县人民政府办公室\n蜀ICP备17093321号-2")
    (a,) = arts(page)
    assert a.title.text == "县委常委会召开会议"
    assert a.text.startswith("6月15日") and a.text.endswith("做好防汛工作。")
    rec = one(page)
    assert rec.date == "2023-06-15" and rec.reporters == [] and rec.correspondents == []


def test_page_dates_read_from_chrome_lines_only():
    text = fold("青川日报　2021年4月27日　第1版\n县委常委会召开会议\n本报讯 会议部署2023年12月1日起施行的办法。")
    assert [d for _, d in page_dates(text)] == [(2021, 4, 27)]


# --- headlines -------------------------------------------------------------------------------

def test_web_page_headline_lines_are_kicker_headline_and_sub_headline():
    (a,) = arts("凝心聚力 实干争先\n青川县委常委会召开扩大会议\n研究部署冬春水利建设工作\n"
                "本报讯（记者 杜若溪）11月20日，县委书记吴明远主持召开县委常委会扩大会议，研究部署冬春水利建设工作。")
    assert a.title.text == "青川县委常委会召开扩大会议"
    assert [s.text for s in a.subtitles] == ["凝心聚力 实干争先", "研究部署冬春水利建设工作"]


def test_a_kicker_announcing_a_speech_is_not_the_headline():
    (a,) = arts("吴明远在青石镇检查工作时指出\n守住绿水青山 做强茶叶产业\n\n"
                "本报讯 10月12日，县委书记吴明远深入青石镇检查生态保护和茶叶产业发展。")
    assert a.title.text == "守住绿水青山 做强茶叶产业"


@pytest.mark.parametrize("prev, nxt, apart", [
    ("镇党委召开扩大会议", "研究部署森林防火等工作", True),     # headline | agenda
    ("青川县重大项目集中开工", "总投资41.3亿元", True),                       # headline | figures
    ("决战四季度 冲刺全年红", "青川县17个重大项目集中开工", True),             # slogan | headline
    ("吴明远在青石镇检查时指出", "守住绿水青山", True),                       # speech kicker
    ("白河乡", "便民服务中心新址启用", False),                                  # one headline wrapped
    ("县政协常委会专题", "研究河长制落实情况", False),
    ("守护群众平安", "青川景区开展旅游安全应急演练", True),                   # one-phrase kicker | headline
    ("青川景区开展旅游安全应急演练", "200余人参演", True),                    # headline | figures
    ("青川县白河乡", "开展禁毒集中宣传", False),
])
def test_headline_break_in_text_cut_at_a_column(prev, nxt, apart):
    assert headline_break(prev, nxt) is apart


def test_a_headline_wrapped_in_a_pdf_column_stays_one_headline():
    text = ("本报讯（记者 杜若溪）5月8日，县委书\n记吴明远主持召开县委常\n委会会议，研究防汛工作。\n"
            "会议强调，要压实防汛\n责任，做好值守。\n\n青川县委常委会\n专题研究防汛工作")
    (a,) = arts(text)
    assert a.title.text == "青川县委常委会专题研究防汛工作"


def test_a_headline_printed_after_its_body_keeps_its_sub_headline_apart():
    text = ("本报讯（记者 杜若溪）9月3日，县长吴明远主持召开县政府第九次常务会议，研\n究秋\n"
            "粮收储工作。会议要求，各部门要强化责任担当，抓好落实。\n\n"
            "县政府召开第九次常务会议\n研究秋粮收储等工作")
    (a,) = arts(text)
    assert a.title.text == "县政府召开第九次常务会议"


@pytest.mark.parametrize("headline, title", [
    ("青川县委常委会召开会议 传达学习全会精神 部署河长制工作", "青川县委常委会召开会议"),
    ("2021年青川县招商推介会举行 9个项目现场签约", "2021年青川县招商推介会举行 9个项目现场签约"),
    ("吴明远走访茶企茶农 共商茶产业发展", "吴明远走访茶企茶农 共商茶产业发展"),
])
def test_space_separated_headline_segments(headline, title):
    (a,) = arts(f"{headline}\n\n本报讯 5月8日，县委书记吴明远主持召开会议，传达学习全会精神，"
                "吴明远走访茶企茶农，共商茶产业发展，青川县招商推介会举行，9个项目现场签约。")
    assert a.title.text == title


def test_the_event_headline_wins_over_a_sub_headline_restating_a_detail():
    (a,) = arts("青川县与白河农科院签订茶产业合作协议\n\n共建茶叶良种繁育基地\n\n"
                "本报讯 8月5日，青川县人民政府与白河农科院共建茶叶良种繁育基地签约仪式举行。")
    assert a.title.text == "青川县与白河农科院签订茶产业合作协议"


# --- dateline markers (A2) -----------------------------------------------------------------

@pytest.mark.parametrize("marker", [
    "青川新闻客户端讯", "青川头条5月8日讯", "桐川发布讯", "青报讯", "青川网讯", "青川融媒体中心讯",
    "青川电视台讯", "本站综合讯", "本报青石讯", "青川日报青石讯", "据青川县融媒体中心消息，",
    "青川日报报道 ", "新华社成都5月8日电", "【本网讯】", "本�讯",
])
def test_dateline_markers(marker):
    rec = one(f"县政府召开常务会议\n\n{marker}（记者 杜若溪 通讯员 贺青山 罗一鸣）5月7日，县长吴明远主持召开县政府常务会议。")
    assert rec.body_start.startswith("5月7日")
    assert rec.date == "--05-07"                 # never the marker's own date
    assert rec.reporters == ["杜若溪"] and rec.correspondents == ["贺青山", "罗一鸣"]


def test_a_byline_after_the_marker_without_brackets():
    rec = one("青川县新闻传媒中心讯 记者 杜若溪 通讯员 贺青山 11月2日下午，青石镇茶叶加工厂投产。")
    assert rec.body_start.startswith("11月2日")
    assert rec.reporters == ["杜若溪"] and rec.correspondents == ["贺青山"]


def test_a_dateline_whose_bracketed_byline_is_wrapped():
    rec = one("本报讯（记者 杜若溪 通讯员 贺青\n山）4月11日至12日，县长吴明远率队赴邻县学习茶园管护经验，参观了三个茶叶合作社。")
    assert rec.correspondents == ["贺青山"] and rec.body_start.startswith("4月11日")


def test_a_dateline_alone_on_its_line():
    rec = one("县委常委会召开会议\n本报讯（记者 杜若溪）\n2月28日上午，县委书记吴明远主持召开县委常委会会议。")
    assert rec.body_start.startswith("2月28日") and rec.date == "--02-28"


# --- byline lines before the body (A1) -----------------------------------------------------

@pytest.mark.parametrize("byline, reporters, correspondents", [
    ("青川日报·青石融媒客户端记者 杜若溪 通讯员 贺青山", ["杜若溪"], ["贺青山"]),
    ("青川日报全媒体记者 杜若溪 通讯员 阿依江·吐尔洪 报道", ["杜若溪"], ["阿依江·吐尔洪"]),
    ("□记者 杜 溪 通讯员 贺 山", ["杜溪"], ["贺山"]),
    ("（记者 杜若溪 通讯员 贺青山）", ["杜若溪"], ["贺青山"]),
    ("文/图 杜若溪", ["杜若溪"], []),
    ("本报记者 杜若溪 罗一鸣", ["杜若溪", "罗一鸣"], []),
])
def test_a_byline_line_between_headline_and_body_starts_the_article(byline, reporters, correspondents):
    rec = one(f"青川县召开森林防火工作会\n\n来源：青石融媒客户端 2024-06-03 09:12:40\n分享到\n\n{byline}\n\n"
              "6月2日下午，青川县召开森林防火工作会。县长吴明远到会讲话。")
    assert rec.title == "青川县召开森林防火工作会"
    assert rec.body_start.startswith("6月2日下午")
    assert rec.reporters == reporters and rec.correspondents == correspondents
    assert rec.date == "2024-06-02"


def test_a_byline_line_before_a_scene_setting_lead():
    rec = one("来源：青川新闻客户端\n2023-03-15\n青川日报·青川新闻客户端记者 杜若溪 罗一鸣\n"
              "早春时节，万物复苏。3月14日上午，县委书记吴明远带队到青石镇调研。")
    assert rec.title is None and rec.body_start == "早春时节，万物复苏。3月"
    assert rec.reporters == ["杜若溪", "罗一鸣"] and rec.date == "2023-03-14"


def test_a_word_that_only_looks_like_a_byline_is_text():
    (a,) = arts("本报讯 9月3日，县长吴明远主持召开会议，研究青川\n民俗摄影展览布置、老街修缮等工\n作。会议要求抓好落实。")
    assert a.reporters == () and "民俗摄影展览布置" in a.text


# --- bylines on composed pages (B1) --------------------------------------------------------

def test_a_names_line_in_brackets_ends_its_article_and_the_next_headline_is_clean():
    a = arts("县政协召开协商座谈会\n\n本报讯 9月3日，县政协召开协商座谈会。\n\n（罗一鸣）\n\n"
             "县领导检查防汛工作\n\n本报讯 7月21日，副县长贺青山检查防汛工作。\n\n"
             "贺青山要求，要落实值班制度。（杜若溪）\n\n县长调研工业企业\n\n本报讯 8月2日，县长吴明远调研工业企业。")
    assert [x.title.text for x in a] == ["县政协召开协商座谈会", "县领导检查防汛工作", "县长调研工业企业"]
    assert [[n for n, _ in x.reporters] for x in a] == [["罗一鸣"], ["杜若溪"], []]


def test_a_footer_author_repeats_the_byline_and_editors_are_nowhere():
    rec = one("本报讯（通讯员 杜若溪 贺青山）5月7日，县长吴明远主持召开县政府常务会议。\n"
              "来源：青川网\n作者：杜若溪 贺青山 罗一鸣\n编辑：柳青禾\n审核：石青岩")
    assert rec.correspondents == ["杜若溪", "贺青山"] and rec.reporters == ["罗一鸣"]


def test_an_author_field_in_the_metadata_line_names_the_reporter():
    rec = one("县委常委会召开会议\n【发布时间：2018-08-14 11:03:52】【来源：青川县融媒体中心】【作者：杜若溪】\n"
              "8月13日，县委书记吴明远主持召开县委常委会会议。\n责任编辑：柳青禾")
    assert rec.reporters == ["杜若溪"] and rec.date == "2018-08-13"


def test_author_fields_parse_names_between_labels():
    doc = normalize("来源：青川网  作者：杜若溪 贺青山  编辑：罗一鸣")
    assert [n for _, n, _ in author_fields(doc, 0, len(doc.text))] == ["杜若溪", "贺青山"]


def test_unlabeled_names_closing_the_article_are_its_writers():
    rec = one("县委书记检查森林防火\n\n2月14日上午，县委书记吴明远检查森林防火工作。\n吴明远强调，要守牢底线。\n\n杜若溪　贺青山")
    assert rec.reporters == ["杜若溪", "贺青山"]


def test_a_photographer_credited_in_a_caption_is_a_reporter():
    rec = one("图片说明：10月9日，县委书记吴明远在茶园查看采摘情况。　石青岩　摄\n\n县委书记调研茶叶产业\n\n"
              "本报讯（记者 杜若溪）10月9日，县委书记吴明远调研茶叶产业。")
    assert rec.reporters == ["杜若溪", "石青岩"] and rec.title == "县委书记调研茶叶产业"


def test_parse_byline_roles():
    doc = normalize("记者 杜若溪 通讯员贺青山罗一鸣 编辑 柳青禾")
    assert [(r, n) for r, n, _ in parse_byline(doc, 0, len(doc.text))] == [
        ("reporter", "杜若溪"), ("correspondent", "贺青山"), ("correspondent", "罗一鸣")]


# --- digests (Convention 10) ----------------------------------------------------------------

def test_digest_items_with_bracketed_headlines():
    rs = recs("青川县要闻周报\n第37期（9月6日—9月12日）　　青川县融媒体中心\n\n"
              "●【县委常委会召开会议】6月3日，县委书记吴明远主持召开县委常委会会议。\n\n"
              "●【县长检查河道清淤】6月5日，县长贺青山检查河道清淤进度。")
    assert [(r.title, r.body_start[:5]) for r in rs] == [("县委常委会召开会议", "6月3日，"),
                                                         ("县长检查河道清淤", "6月5日，")]


def test_digest_items_with_a_headline_line_and_the_year_of_the_issue():
    rs = recs("青川县一周要闻\n（2020年第33期  5月8日—5月14日）\n\n●县委常委会召开会议\n"
              "5月8日，县委书记吴明远主持召开县委常委会会议。\n\n●全县开展防汛演练\n5月12日，全县防汛演练在青石镇举行。")
    assert [(r.title, r.date) for r in rs] == [("县委常委会召开会议", "2020-05-08"), ("全县开展防汛演练", "2020-05-12")]


def test_digest_items_without_headlines():
    rs = recs("青川一周要闻\n（2021年5月3日—5月9日）\n\n● 5月8日，县委书记吴明远主持召开县委常委会会议。\n\n"
              "● 5月9日，县长贺青山带队赴外地招商。\n\n（来源：青川日报）")
    assert [(r.title, r.body_start[:5], r.date) for r in rs] == [(None, "5月8日，", "2021-05-08"),
                                                                 (None, "5月9日，", "2021-05-09")]


def test_numbered_digest_items():
    rs = recs("青川要闻周报\n一、县委常委会召开会议\n5月8日，县委书记吴明远主持召开县委常委会会议。\n"
              "二、县政府召开常务会议\n5月9日，县长贺青山主持召开常务会议。")
    assert [r.title for r in rs] == ["县委常委会召开会议", "县政府召开常务会议"]


# --- photo captions (T1) -------------------------------------------------------------------

def test_caption_lines_after_the_last_article_are_part_of_its_body_one_sentence_each():
    page = ("本报讯 5月20日下午，全县文旅项目签约仪式举行。县领导吴明远、贺青山出席签约仪式。\n"
            "图为签约现场\n副县长贺青山与投资方代表签约\n县委书记吴明远讲话")
    (a,) = arts(page)
    assert a.text.endswith("图为签约现场\n副县长贺青山与投资方代表签约\n县委书记吴明远讲话")
    assert a.title is None


def test_a_caption_starting_with_tu_wei_stays_with_its_article_on_a_composed_page():
    a = arts("县领导走访学校\n\n本报讯 9月9日，县领导杜若溪到学校走访慰问教师。\n图为县委常委杜若溪看望老教师\n\n"
             "县长调研企业\n\n本报讯 9月10日，县长吴明远调研企业。")
    assert a[0].text.endswith("图为县委常委杜若溪看望老教师") and a[1].title.text == "县长调研企业"


# --- more byline forms, article starts without a dateline ------------------------------------

_H = "县委常委会召开会议\n\n"
_B = "本报讯 5月8日，县委书记吴明远主持召开县委常委会会议。\n会议强调，要做好防汛工作。"


@pytest.mark.parametrize("closing, reporters", [
    ("\n（文/记者 杜若溪）", ["杜若溪"]),
    ("\n文/图 杜若溪 贺青山", ["杜若溪", "贺青山"]),
    ("\n杜若溪 贺青山 文/图", ["杜若溪", "贺青山"]),
    ("（杜若溪 摄）", ["杜若溪"]),
])
def test_closing_byline_forms(closing, reporters):
    assert one(_H + _B + closing).reporters == reporters


def test_two_opening_byline_lines():
    rec = one(_H + "记者 杜若溪\n通讯员 贺青山\n5月8日，县委书记吴明远主持召开县委常委会会议。")
    assert (rec.reporters, rec.correspondents) == (["杜若溪"], ["贺青山"])
    assert rec.body_start.startswith("5月8日")


def test_a_place_name_alone_before_xun_is_a_dateline():
    rec = one(_H + "青川讯（记者 杜若溪）5月8日，县委书记吴明远主持会议。")
    assert rec.body_start.startswith("5月8日") and rec.reporters == ["杜若溪"]


@pytest.mark.parametrize("lead", ["昨日，县长邹远航到企业调研。", "今天上午，县长邹远航到企业调研。",
                                  "5月上旬，县长邹远航到企业调研。"])
def test_more_leads_start_an_article_after_its_headline(lead):
    rs = recs("县委常委会召开会议\n5月8日，县委书记吴明远主持召开县委常委会会议。\n会议强调做好防汛工作。\n"
              f"县长到企业调研\n{lead}")
    assert [r.title for r in rs] == ["县委常委会召开会议", "县长到企业调研"]


def test_a_headline_restating_the_next_lead_starts_an_article():
    rs = recs("县委常委会召开会议\n本报讯 5月8日，县委书记吴明远主持召开县委常委会会议。\n"
              "会议强调做好防汛工作。\n\n县长调研企业\n5月9日，县长邹远航到企业调研。")
    assert [r.title for r in rs] == ["县委常委会召开会议", "县长调研企业"]


def test_a_sub_heading_inside_a_body_starts_no_article():
    rs = recs("县委常委会召开会议\n本报讯 5月8日，县委书记吴明远主持召开县委常委会会议。\n"
              "会议听取了汛前准备情况汇报。\n抓好防汛工作\n5月9日起，各乡镇实行汛期值班制度。")
    assert len(rs) == 1


def test_a_headline_and_body_after_a_closed_article_start_the_next_one():
    rs = recs("县委常委会召开会议\n本报讯 青川县委常委会5月8日召开会议，县委书记吴明远主持。会议强调做好防汛工作。\n（记者 杜若溪）\n"
              "县长调研企业\n为推动工业发展，县长邹远航5月9日到企业调研。邹远航要求做好服务。\n（记者 贺青山）")
    assert [(r.title, r.reporters) for r in rs] == [("县委常委会召开会议", ["杜若溪"]), ("县长调研企业", ["贺青山"])]


def test_a_digest_item_with_its_headline_before_its_lead_on_one_line():
    rs = recs("青川一周要闻\n■ 县委常委会召开会议 5月8日，县委书记吴明远主持召开会议。\n"
              "■ 县政府召开常务会议 5月9日，县长邹远航主持召开常务会议。")
    assert [(r.title, r.body_start[:5]) for r in rs] == [("县委常委会召开会议", "5月8日，"), ("县政府召开常务会议", "5月9日，")]


def test_a_dateline_that_lost_its_outlet_is_still_a_dateline():
    rec = one("青石镇开展主题党日活动\n\n讯 (通讯员 林雨桐) 6月30日，青石镇党委书记韩立带领机关党员"
              "到纪念园开展主题党日活动。")
    assert rec.title == "青石镇开展主题党日活动"
    assert rec.body_start.startswith("6月30日")
    assert rec.correspondents == ["林雨桐"]


def test_an_item_credited_to_a_body_ends_there_and_names_no_writer():
    page = ("某市人民政府\n首页 > 新闻中心 > 乡镇动态\n\n乡镇动态（第12期）\n\n"
            "青石镇开展消防检查\n6月14日，青石镇镇长韩立带领工作人员开展消防安全检查。（青石镇 供稿）\n\n"
            "白沙乡看望困难群众\n6月16日，白沙乡党委书记罗文带队看望困难群众。（白沙乡 供稿）\n")
    got = recs(page)
    assert [r.title for r in got] == ["青石镇开展消防检查", "白沙乡看望困难群众"]
    assert all(r.reporters == [] and r.correspondents == [] for r in got)
    assert got[1].body_start.startswith("6月16日")
