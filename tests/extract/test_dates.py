"""The date of an article's event and its year: date forms, the lead's first sentences, the
page's own date line, the article's own years. Every page here is invented."""
import pytest

from kg.extract.dates import event_year, lead_date, publication_date, text_year
from kg.ingest.normalize import fold
from kg.pipeline import extract_text


def date(text, year=None):
    (rec,) = extract_text(text, name="p.txt", year=year)
    return rec.date


@pytest.mark.parametrize("lead, want", [
    ("8月23-24日，县委书记吴明远带队赴外地考察。", "--08-23"),          # a range with a hyphen
    ("4月23日至25日，县委举办读书班。", "--04-23"),
    ("11月2日~3日，县人大常委会召开会议。", "--11-02"),
    ("1月5号上午，县政协召开常委会议。", "--01-05"),
    ("2023年5月4日上午，县委召开会议。", "2023-05-04"),
])
def test_date_forms(lead, want):
    assert date("本报讯 " + lead) == want


def test_a_scene_setting_sentence_before_the_date():
    assert date("本报讯 初夏时节，绿意盎然。5月21日，县委书记吴明远带队观摩重点项目。") == "--05-21"


@pytest.mark.parametrize("lead", ["近日，县委书记吴明远调研。5月8日，他又来到青石镇。",
                                  "昨日，县委书记吴明远调研重点项目。", "日前，县长吴明远走访企业。"])
def test_relative_days_without_a_date_give_none(lead):
    assert date("本报讯 " + lead) is None


def test_lead_date_looks_at_the_first_sentences_only():
    assert lead_date("为推进工作。会议听取汇报。各方交流发言。5月8日起施行。") is None
    y, m, d, a, b = lead_date("早春时节，万物复苏。3月14日上午，书记调研。")
    assert (y, m, d) == (None, 3, 14) and "早春时节，万物复苏。3月14日上午"[a:b] == "3月14日"


@pytest.mark.parametrize("line", ["发布时间：2024-05-10 来源：青川县政府网", "[2024-05-10]",
                                  "2024-05-10 09:12:40", "青川日报　2024年5月10日　星期五　第1版"])
def test_the_page_date_line_gives_the_year(line):
    assert date(f"县长调研工业企业\n{line}\n5月9日，县长吴明远调研工业企业。") == "2024-05-09"


def test_an_event_in_a_later_month_than_the_page_is_of_the_year_before():
    assert date("发布时间：2024-01-02 09:00\n县领导看望环卫工人\n12月28日，县长吴明远看望一线环卫工人。") == "2023-12-28"
    assert event_year(12, (2024, 1, 2)) == 2023 and event_year(1, (2024, 1, 2)) == 2024


def test_the_page_date_above_an_article_dates_it():
    text = fold("青川日报 2021年3月9日 第2版\n标题\n正文。\n发布时间：2021-04-01")
    assert publication_date(text, text.index("标题")) == (2021, 3, 9)
    assert publication_date(fold("正文。\n发布时间：2021-04-01"), 0) == (2021, 4, 1)


def test_the_year_of_the_headline_or_lead_wins_over_other_years_of_the_article():
    assert date("本报讯 3月6日，青川县召开2022年茶产业推进会，表彰2021年度茶产业先进集体，"
                "回顾2021年全县茶产业发展情况。") == "2022-03-06"


def test_a_year_dating_another_month_gives_way_to_a_year_of_its_own():
    assert text_year("9月2日上午，座谈会举行。", "该村于2019年6月建成茶园。座谈会是全县2021年茶文化节的一项内容。") == 2021


def test_targets_are_not_the_articles_year():
    assert date("本报讯 5月8日，县委召开会议，要求到2025年完成目标，2021—2027年规划实施。") == "--05-08"


def test_a_dated_reference_still_dates_the_article():
    assert date("本报讯 7月1日，全县庆祝建党100周年大会召开。") == "2021-07-01"


def test_a_year_printed_in_another_article_of_the_page_does_not_date_this_one():
    (a, b) = extract_text("县委常委会召开会议\n\n本报讯 5月8日，县委召开会议，部署2023年工作。\n\n"
                          "县长调研企业\n\n本报讯 5月9日，县长吴明远调研企业。", name="p.txt")
    assert (a.date, b.date) == ("2023-05-08", "--05-09")


def test_the_user_year_comes_last():
    assert date("本报讯 7月1日，大会召开。", year=2019) == "2019-07-01"
    assert date("发布时间：2022-07-02\n7月1日，大会召开。", year=2019) == "2022-07-01"


def test_the_marker_date_is_not_the_event_date():
    assert date("青川头条5月9日讯（通讯员 贺青山）5月8日，县长吴明远主持召开常务会议。") == "--05-08"


def test_the_pages_year_dates_the_graph_not_the_record():
    from kg.extract.dates import page_year
    from kg.resolve.assemble import in_page_year
    from kg.types import DocFacts

    text = ("县委常委会召开会议\n\n本报讯 5月8日，县委召开会议，部署2023年工作。\n\n"
            "县长调研企业\n\n本报讯 5月9日，县长吴明远调研企业。")
    (a, b) = extract_text(text, name="p.txt")
    assert b.date == "--05-09"                                   # the record: what its article says
    doc = DocFacts("p.txt", "p.txt", "0" * 64, (), "", (a, b), year=page_year(fold(text)))
    assert in_page_year(b.date, doc) == "2023-05-09"             # the graph: the page's year
    assert in_page_year(a.date, doc) == "2023-05-08" and in_page_year(None, doc) is None


def test_a_dated_reference_in_the_lead_beats_a_year_of_the_story():
    from kg.pipeline import extract_text
    (rec,) = extract_text("本报讯 6月30日，在庆祝中国共产党成立102周年之际，青石镇党员到纪念园"
                          "开展主题党日活动。大家了解了1943年青石起义的历史。", "t.txt")
    assert rec.date == "2023-06-30"
