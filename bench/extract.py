"""Throughput of kg's extraction, end to end, against jieba's part-of-speech tagger.

Builds a corpus of at least ``--mb`` MB (1 MB = 2**20 UTF-8 bytes, default 10) from the five
seed pages in ``seeds/``: each file is one seed page with its person names swapped for names
from a small pool, its month/day numbers changed and, for a third of the files, its lines
re-wrapped at 16-30 characters (as text copied out of a PDF). The variation is seeded, so
every run builds the same corpus. The files are written to a temporary directory.

Measured, in one process on one core:

* kg: ``read_document`` + ``extract_document`` per file (read, decode, normalize, segment,
  extract), after a warm-up on one seed page that loads the lexicons (its time is reported
  apart and is not part of the throughput);
* ``jieba.posseg.lcut`` on the decoded text of the same files, after ``jieba.initialize()``
  and a warm-up call. It stops after about two minutes once at least 2 MB are tagged; its
  MB/s is then measured on that fraction (the output says so).

Run from the repository root::

    .venv/bin/python bench/extract.py [--mb N] [--json]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from pathlib import Path

MB = 2 ** 20
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
JIEBA_BUDGET_S = 120.0
JIEBA_MIN_MB = 2.0
# three-character person names printed in the seed pages
SEED_NAMES = ("虎荣鑫 樊惠林 吕安民 王泽文 申红涛 黄卫红 李卓瑜 陈红民 苏建设 唐莉军 武永祥 "
              "王玉卿 王永利 崔世英 安惠萍 吴书文 王同超 李爱国 屈连武 曹宪武 王传胜 杨迎春 "
              "苏莹玺 高留念 刘光远 陈卫东 董治会 刘奎志 李国立 张春丽 尹海燕").split()
SURNAMES = "王李张刘陈"
GIVEN = ("建国 志强 海燕 丽华 晓明 春生 玉兰 国栋 红梅 振华 秀英 文博 德胜 雪莲 俊杰 "
         "桂芳 永刚 淑珍").split()
NAME_RE = re.compile("|".join(SEED_NAMES))
DATE_RE = re.compile(r"(\d{1,2})月(\d{1,2})日")


def vary(text: str, rng: random.Random) -> str:
    """One variant of a seed page: other names, other dates, sometimes other line breaks."""
    pool = [s + g for s in SURNAMES for g in GIVEN]
    names = dict(zip(SEED_NAMES, rng.sample(pool, len(SEED_NAMES))))
    text = NAME_RE.sub(lambda m: names[m.group()], text)
    dates: dict[str, str] = {}
    text = DATE_RE.sub(lambda m: dates.setdefault(
        m.group(), f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"), text)
    if rng.random() < 1 / 3:
        width = rng.randint(16, 30)
        text = "\n".join(line[i:i + width] for line in text.split("\n")
                         for i in range(0, max(len(line), 1), width))
    return text


def build_corpus(directory: Path, mb: float, seed: int = 20240601) -> list[Path]:
    """Write varied seed pages into ``directory`` until they hold ``mb`` MB; their paths."""
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    paths, total = [], 0
    while total < mb * MB:
        data = vary(seeds[len(paths) % len(seeds)], rng).encode("utf-8")
        path = directory / f"{len(paths):05d}.txt"
        path.write_bytes(data)
        paths.append(path)
        total += len(data)
    return paths


def run_kg(paths: list[Path]) -> tuple[float, int, int]:
    """Seconds to extract every file, and the numbers of articles and person names found."""
    from kg.ingest.load import Source
    from kg.pipeline import extract_document, read_document

    articles = persons = 0
    start = time.perf_counter()
    for path in paths:
        doc, _ = read_document(Source(path=str(path), name=path.name))
        records = extract_document(doc)
        articles += len(records)
        persons += sum(len(r.persons) for r in records)
    return time.perf_counter() - start, articles, persons


def warm_kg() -> float:
    """Seconds to extract one seed page in a fresh process (lexicons and jieba loaded)."""
    start = time.perf_counter()
    run_kg(sorted(SEEDS.glob("*.txt"))[:1])
    return time.perf_counter() - start


def run_jieba(texts: list[str]) -> tuple[float, int]:
    """Seconds and UTF-8 bytes of ``jieba.posseg.lcut`` over ``texts`` (maybe a prefix)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.initialize()
    jieba.posseg.lcut("区委书记樊惠林主持会议并讲话。")
    done, start = 0, time.perf_counter()
    for text in texts:
        jieba.posseg.lcut(text)
        done += len(text.encode("utf-8"))
        if time.perf_counter() - start > JIEBA_BUDGET_S and done >= JIEBA_MIN_MB * MB:
            break
    return time.perf_counter() - start, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=10, help="corpus size in MB (default 10)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        paths = build_corpus(Path(tmp), args.mb)
        size = sum(p.stat().st_size for p in paths) / MB
        warm = warm_kg()
        kg_s, articles, persons = run_kg(paths)
        texts = [p.read_text(encoding="utf-8") for p in paths]
    jieba_s, jieba_bytes = run_jieba(texts)
    kg_rate, jieba_rate = size / kg_s, jieba_bytes / MB / jieba_s
    figures = {
        "corpus_mb": round(size, 2), "files": len(paths),
        "kg_warmup_s": round(warm, 2), "kg_s": round(kg_s, 2), "kg_mb_s": round(kg_rate, 3),
        "jieba_posseg_mb": round(jieba_bytes / MB, 2), "jieba_posseg_s": round(jieba_s, 2),
        "jieba_posseg_mb_s": round(jieba_rate, 3), "jieba_posseg_partial": jieba_bytes < size * MB,
        "ratio_kg_jieba_posseg": round(kg_rate / jieba_rate, 2),
        "articles": articles, "persons": persons,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    partial = (f" (measured on {figures['jieba_posseg_mb']} MB of the corpus, extrapolated)"
               if figures["jieba_posseg_partial"] else "")
    print(f"corpus:              {figures['corpus_mb']} MB in {len(paths)} files")
    print(f"kg warm-up:          {figures['kg_warmup_s']} s (one seed page, not counted)")
    print(f"kg:                  {figures['kg_s']} s, {figures['kg_mb_s']} MB/s (1 process)")
    print(f"jieba.posseg:        {figures['jieba_posseg_s']} s, "
          f"{figures['jieba_posseg_mb_s']} MB/s{partial}")
    print(f"ratio kg/posseg:     {figures['ratio_kg_jieba_posseg']}x")
    print(f"articles:            {articles}")
    print(f"persons:             {persons} (distinct names per article, summed)")


if __name__ == "__main__":
    main()
