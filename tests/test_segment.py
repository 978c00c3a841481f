"""Page layout: articles, headlines (before or after their bodies), sub-headlines, bylines."""
from kg.ingest.normalize import normalize
from kg.ingest.segment import split_articles


def arts(text):
    return split_articles(normalize(text, name="p.txt"))


def test_articles_split_at_datelines_and_keep_their_headlines():
    a = arts("区长调研防汛工作\n\n本报讯 近日，区长王成到水库调研防汛。记者 李明\n\n"
             "区政协召开主席会议\n\n本报讯 5月5日，区政协召开主席会议。记者 李明")
    assert [x.title.text for x in a] == ["区长调研防汛工作", "区政协召开主席会议"]
    assert a[0].text.startswith("近日") and a[0].text.endswith("调研防汛。")


def test_headline_printed_after_its_body_in_a_column_layout():
    text = ("本报讯 7月4日下午，区委书记樊林带队到\n经开区调研重点项目推进落实情况。\n记者 景静\n\n"
            "区领导调研经开区重点项目推进工作\n\n强服务、抓落实 加速项目建设\n\n"
            "本报讯 近日，二七区组织开展防汛应急\n预案综合演练。\n记者 景静\n\n"
            "二七区组织开展防汛应急预案综合演练")
    a = arts(text)
    assert a[0].title.text == "区领导调研经开区重点项目推进工作"
    assert [s.text for s in a[0].subtitles] == ["强服务、抓落实 加速项目建设"]
    assert a[1].title.text == "二七区组织开展防汛应急预案综合演练"


def test_kicker_before_the_main_headline():
    a = arts("外出招商谋合作 考察取经促发展\n\n区领导带队赴西安考察招商\n\n"
             "本报讯 4月21日，区委书记樊林带领招商小分队赴西安考察招商。记者 景静")
    assert a[0].title.text == "区领导带队赴西安考察招商"
    assert a[0].subtitles[0].text == "外出招商谋合作 考察取经促发展"


def test_subheadline_on_the_same_line_is_kept_apart():
    a = arts("区委统战工作会议召开 凝聚人心力量 融入发展全局\n\n"
             "本报讯 4月4日上午，区委统战工作会议召开，区长王成主持会议。记者 景静")
    assert a[0].title.text == "区委统战工作会议召开"
    assert "凝聚人心力量" in a[0].subtitles[0].text


def test_dateline_with_bracketed_byline():
    (a,) = arts("郑州日报讯（记者 张三 通讯员 李四）近日，区长王成调研。")
    assert [n for n, _ in a.reporters] == ["张三"] and [n for n, _ in a.correspondents] == ["李四"]
    assert a.text.startswith("近日")


def test_page_without_any_dateline_is_one_article():
    (a,) = arts("区长王成近日到水库调研防汛工作，要求做好准备。")
    assert a.text.startswith("区长王成")


def test_narrow_columns_are_rejoined_into_sentences():
    doc = normalize("本报讯 近日，区委书记樊\n惠林带队到经开区调研\n重点项目。记者 景静")
    assert "区委书记樊惠林带队到经开区调研重点项目。" in doc.text


def test_offsets_map_back_to_the_raw_file():
    raw = "  本報訊 區委書記樊\n\n惠林主持會議。\r\n記者 景靜\n"
    doc = normalize(raw)
    i = doc.text.index("樊惠林")
    assert [doc.raw[doc.to_raw(k)] for k in range(i, i + 3)] == ["樊", "惠", "林"]
    j = doc.text.index("景")
    assert doc.raw[doc.to_raw(j)] == "景" and doc.raw == raw.replace("\r\n", "\n")
    assert len(doc.folded) == len(doc.text)
