"""Law push and similar-case push: quality on the development set, and latency at 100,000 cases.

    .venv/bin/python bench/knowledge.py [--synthetic 100000] [--queries 200] [--baseline-queries 20]

Prints, in one run:

1. recall@5 and nDCG@10 of the law push and of the similar-case push on the labelled
   development set (bench/data/knowledge_dev.jsonl; how it was made: bench/README.md), against a
   plain BM25 baseline — rank_bm25's BM25Okapi over unsegmented characters — measured here too;
2. the "not similar" feedback recorded in the project's own database (DATABASE_URL, or
   var/zhongcai.sqlite3), if it has the table: what staff said about the pushed cases;
3. the latency of the similar-case push — the whole ``reasons.similar_for_text`` call: law push,
   scoring, reading the results and explaining them — over a library of 100,000 synthetic cases
   (numpy, fixed seed) added to the 10 real ones, median and p95, and the baseline's over the
   same texts, with the ratio.

Everything runs on a fresh SQLite database in a temporary directory (``migrate`` loads the laws
and the typical cases), removed at the end: nothing of the project's data is touched. No timing
is asserted; the figures are printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT / "bench" / "data" / "knowledge_dev.jsonl"
DIVISIONS = ROOT / "src" / "zhongcai" / "orgs" / "data" / "shandong.csv"
K_RECALL, K_NDCG = 5, 10


def setup(workdir: Path) -> str:
    """Django on a fresh database in ``workdir``; the project's own database as "feedback"."""
    sys.path.insert(0, str(ROOT / "src"))
    configured = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'zhongcai.sqlite3'}"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhongcai.settings.test"
    import dj_database_url
    import django
    from django.conf import settings

    settings.DATABASES["feedback"] = dj_database_url.parse(configured)
    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Fresh database: migrated (laws and typical cases loaded) in {_s(started)}.")
    return configured


def _s(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


# -- metrics ---------------------------------------------------------------------------------


def recall_at(ranked: Sequence[Any], relevant: dict[Any, int], k: int) -> float:
    return len({r for r in ranked[:k] if r in relevant}) / len(relevant)


def ndcg_at(ranked: Sequence[Any], gains: dict[Any, int], k: int) -> float:
    seen: set[Any] = set()
    dcg = 0.0
    for i, item in enumerate(ranked[:k]):
        if item in gains and item not in seen:
            dcg += (2 ** gains[item] - 1) / math.log2(i + 2)
            seen.add(item)
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


@dataclass
class Row:
    name: str
    recall: float
    ndcg: float
    halves: dict[str, tuple[float, float]]


def evaluate(
    name: str, queries: list[dict[str, Any]], rank: Callable[[dict], list], gains: str
) -> Row:
    scored: dict[str, list[tuple[float, float]]] = {"tc": [], "cjrc": []}
    for query in queries:
        ranked = rank(query)
        pair = (recall_at(ranked, query[gains], K_RECALL), ndcg_at(ranked, query[gains], K_NDCG))
        scored["tc" if query["id"].startswith("tc") else "cjrc"].append(pair)
    every = [pair for pairs in scored.values() for pair in pairs]
    return Row(
        name,
        statistics.fmean(r for r, _n in every),
        statistics.fmean(n for _r, n in every),
        {
            half: (statistics.fmean(r for r, _n in pairs), statistics.fmean(n for _r, n in pairs))
            for half, pairs in scored.items()
            if pairs
        },
    )


def print_rows(title: str, rows: list[Row]) -> None:
    print(f"\n{title}")
    print(f"  {'':52}{'recall@5':>9}{'nDCG@10':>9}   typical-case / CJRC queries")
    for row in rows:
        halves = "   ".join(
            f"{half} {r:.2f}/{n:.2f}" for half, (r, n) in sorted(row.halves.items(), reverse=True)
        )
        print(f"  {row.name:52}{row.recall:>9.3f}{row.ndcg:>9.3f}   {halves}")
    base = rows[0]
    for row in rows[1:]:
        print(
            f"  {row.name[:44]:44} vs baseline: recall@5 {row.recall - base.recall:+.3f}, "
            f"nDCG@10 {row.ndcg - base.ndcg:+.3f}"
        )


# -- the baseline ------------------------------------------------------------------------------


def _whole_text(case: Any) -> str:
    return "\n".join((case.title, case.facts, case.claims_text, case.outcome_text, case.reasoning))


def characters(text: str) -> list[str]:
    """Unsegmented: every CJK character, letter and digit is a token."""
    return [c for c in text if c.isalnum()]


class CharacterBM25:
    """rank_bm25's BM25Okapi over characters: the plain baseline."""

    def __init__(self, keys: list[Any], texts: list[str]):
        from rank_bm25 import BM25Okapi

        self.keys = keys
        self.bm25 = BM25Okapi([characters(t) or ["∅"] for t in texts])

    def rank(self, text: str, k: int = K_NDCG) -> list[Any]:
        import numpy as np

        scores = self.bm25.get_scores(characters(text))
        top = np.argpartition(-scores, min(k, len(scores) - 1))[:k]
        return [self.keys[i] for i in sorted(top, key=lambda i: -scores[i]) if scores[i] > 0]


# -- quality -----------------------------------------------------------------------------------


def load_dev_set() -> list[dict[str, Any]]:
    with DEV_SET.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def quality(queries: list[dict[str, Any]]) -> None:
    import numpy as np

    from zhongcai.knowledge.casequery import query_from_parts
    from zhongcai.knowledge.catalog import get_catalog
    from zhongcai.knowledge.citations import find_citations
    from zhongcai.knowledge.elements import termination_reason
    from zhongcai.knowledge.lawpush import (
        canonical_articles,
        claims_from_spec,
        law_push_for_text,
        push_articles,
    )
    from zhongcai.knowledge.models import Article, LibraryCase
    from zhongcai.knowledge.reasons import explain, similar_for_text
    from zhongcai.knowledge.similar import get_case_index

    catalog = get_catalog()
    canonical = canonical_articles(catalog)

    def key(law_id: int, number: int, suffix: int) -> tuple[int, int, int]:
        found = (law_id, number, suffix)
        return canonical.get(found, found)

    problems = []
    for query in queries:
        query["article_gains"] = {}
        for label in query["articles"]:
            cited = find_citations(label, catalog=catalog)
            if len(cited) != 1 or cited[0].article_id is None:
                problems.append(f"{query['id']}: {label}")
                continue
            c = cited[0]
            query["article_gains"][key(c.law_id, c.article_number, c.article_suffix)] = 1
        query["case_gains"] = dict(query["cases"])
        query["on"] = date.fromisoformat(query["facts_on"])
        query["parsed_claims"] = claims_from_spec(query["claims"])
    if problems:
        raise SystemExit("Labels the library cannot resolve:\n" + "\n".join(problems))

    # The baseline's documents: every article of each law's latest text (repealed ones too).
    latest = {law.latest.id for law in catalog.laws.values() if law.latest}
    articles = Article.objects.filter(version_id__in=latest, kind=Article.Kind.ARTICLE)
    rows = list(articles.values_list("version__law_id", "number", "suffix", "text"))
    started = time.perf_counter()
    law_baseline = CharacterBM25([key(a, n, s) for a, n, s, _t in rows], [t for *_k, t in rows])
    print(f"Baseline index over {len(rows)} articles built in {_s(started)}.")

    def law_case(query: dict) -> list:
        push = push_articles(
            facts=query["text"],
            claims=query["parsed_claims"],
            termination=termination_reason(query["text"]),
            on=query["on"],
        )
        query["push"] = push
        return [key(*a.key) for a in push.articles]

    def law_text(query: dict) -> list:
        return [key(*a.key) for a in law_push_for_text(query["text"], on=query["on"]).articles]

    law_queries = [q for q in queries if q["article_gains"]]
    print_rows(
        f"Law push — {len(law_queries)} queries, {len(rows)} articles; "
        "relevant: the articles a careful arbitrator would cite",
        [
            evaluate(
                "baseline: BM25 over characters (rank_bm25)",
                law_queries,
                lambda q: law_baseline.rank(q["text"]),
                "article_gains",
            ),
            evaluate("law push, description only", law_queries, law_text, "article_gains"),
            evaluate("law push, description + claim items", law_queries, law_case, "article_gains"),
        ],
    )

    library = list(LibraryCase.objects.filter(public=True))
    case_baseline = CharacterBM25(
        [c.key for c in library],
        [_whole_text(c) for c in library],
    )

    def similar_text(query: dict) -> list:
        return [r.case.key for r in similar_for_text(query["text"], limit=K_NDCG).results]

    def similar_case(query: dict) -> list:
        built = query_from_parts(
            facts=query["text"],
            claims=query["parsed_claims"],
            push=query["push"],
            catalog=catalog,
        )
        found = explain(built, limit=K_NDCG, public_only=True, catalog=catalog)
        return [r.case.key for r in found.results]

    index = get_case_index()
    keys = {c.pk: c.key for c in library}

    def words_only(query: dict) -> list:
        """The push's own text element alone: segmented BM25, no threshold, no element."""
        scores = index.text_scores(index.query_tokens(query["text"]))
        order = [int(i) for i in np.argsort(-scores) if scores[i] > 0 and index.public[i]]
        return [keys[int(index.ids[i])] for i in order[:K_NDCG] if int(index.ids[i]) in keys]

    case_queries = [q for q in queries if q["case_gains"]]
    print_rows(
        f"Similar-case push — {len(case_queries)} queries with a relevant case, "
        f"{len(library)} library cases; gains 2 (the case) / 1 (also relevant)",
        [
            evaluate(
                "baseline: BM25 over characters (rank_bm25)",
                case_queries,
                lambda q: case_baseline.rank(q["text"]),
                "case_gains",
            ),
            evaluate(
                "words only (segmented BM25, no elements)", case_queries, words_only, "case_gains"
            ),
            evaluate(
                "similar-case push, description only", case_queries, similar_text, "case_gains"
            ),
            evaluate(
                "similar-case push, description + claim items",
                case_queries,
                similar_case,
                "case_gains",
            ),
        ],
    )


# -- feedback ----------------------------------------------------------------------------------


def feedback(configured: str) -> None:
    from django.db import DatabaseError
    from django.db.models import Count, Max

    from zhongcai.knowledge.models import SimilarityFeedback

    where = configured.split("@")[-1]
    print(f'\n"Not similar" feedback in the project\'s database ({where})')
    try:
        marks = SimilarityFeedback.objects.using("feedback")
        open_marks = marks.filter(withdrawn_at__isnull=True)
        total, withdrawn = open_marks.count(), marks.filter(withdrawn_at__isnull=False).count()
        per_case = list(
            open_marks.values("library_case__key", "library_case__title")
            .annotate(n=Count("id"), cases=Count("case", distinct=True), last=Max("created_at"))
            .order_by("-n")[:10]
        )
    except DatabaseError as exc:
        print(f"  not readable ({str(exc).splitlines()[0]}); migrate that database to record it.")
        return
    print(f"  {total} open marks, {withdrawn} withdrawn.")
    for row in per_case:
        print(
            f"  {row['n']:>4} marks on {row['cases']:>3} cases  {row['library_case__key']}  "
            f"{row['library_case__title'][:30]}  (last {row['last']:%Y-%m-%d})"
        )
    if not per_case:
        print("  No result has been marked not similar yet.")


# -- latency over 100,000 synthetic cases ------------------------------------------------------

INDUSTRY_WORDS = {
    "E": ("建筑", "工程", "装饰"),
    "G": ("快递", "物流", "运输"),
    "I": ("科技", "网络", "软件"),
    "F": ("商贸", "超市", "医药"),
    "H": ("餐饮", "酒店", "饭店"),
    "C": ("制造", "电子", "机械"),
    "P": ("教育", "培训", "教育咨询"),
    "K": ("物业", "置业", "房地产"),
    "O": ("家政", "汽车服务", "维修"),
    "R": ("传媒", "文化", "报刊"),
}
JOBS = ("操作工", "销售员", "司机", "厨师", "保安", "会计", "施工员", "配送员", "客服", "技术员")


@dataclass(frozen=True)
class Kind:
    weight: float  # share of claims
    label: str  # how a request names it
    facts: tuple[str, ...]  # sentences of the facts, {n} a small number
    typical: int  # typical amount claimed, yuan (0: no money)


KINDS = {
    "unpaid_wages": Kind(
        0.25,
        "拖欠工资",
        ("公司以经营困难为由拖欠{n}个月工资", "公司未足额支付工资，每月克扣{n}百元"),
        15000,
    ),
    "overtime_pay": Kind(
        0.20,
        "加班费",
        (
            "公司安排每周工作{n}天，每天工作十一小时，未支付加班费",
            "申请人经常在休息日和法定节假日加班，公司以未经审批为由拒付加班费",
            "公司不认可申请人提交的打卡记录",
        ),
        20000,
    ),
    "economic_compensation": Kind(
        0.15,
        "经济补偿",
        (
            "公司以经营困难为由与申请人协商解除劳动合同，未支付经济补偿",
            "公司未依法缴纳社会保险，申请人被迫解除劳动合同",
        ),
        12000,
    ),
    "double_wages": Kind(
        0.12,
        "未签订书面劳动合同二倍工资",
        ("入职后公司一直未与申请人签订书面劳动合同", "公司以试用期为由未签订劳动合同"),
        30000,
    ),
    "unlawful_termination": Kind(
        0.10,
        "违法解除劳动合同赔偿金",
        ("公司以申请人严重违反规章制度为由解除劳动合同", "公司以不能胜任工作为由辞退申请人"),
        25000,
    ),
    "annual_leave_pay": Kind(0.05, "未休年休假工资", ("公司从未安排申请人休年休假",), 3000),
    "work_injury": Kind(
        0.05,
        "工伤保险待遇",
        ("申请人在工作中受伤，被认定为工伤，鉴定为{n}级伤残", "公司未为申请人缴纳工伤保险"),
        80000,
    ),
    "social_insurance": Kind(0.04, "社会保险损失", ("公司未为申请人缴纳社会保险",), 10000),
    "confirm_relationship": Kind(
        0.02, "确认劳动关系", ("双方未签订劳动合同，公司否认存在劳动关系",), 0
    ),
    "non_compete": Kind(
        0.02, "竞业限制补偿", ("离职后公司要求申请人履行竞业限制义务但未支付补偿",), 20000
    ),
}
ENDINGS = {
    "worker_resigned": "{y}年{m}月，申请人因个人原因提出辞职",
    "mutual_agreement": "{y}年{m}月，双方协商解除劳动合同",
    "misconduct": "{y}年{m}月，公司以申请人严重违反规章制度为由解除劳动合同",
    "probation": "{y}年{m}月，公司以申请人在试用期间不符合录用条件为由解除劳动合同",
    "worker_for_cause": "{y}年{m}月，申请人以公司未及时足额支付劳动报酬为由被迫解除劳动合同",
    "contract_expired": "{y}年{m}月，劳动合同期满后公司不再续签",
    "": "申请人仍在职",
}


def synthesise(n: int, seed: int = 9) -> tuple[list[dict[str, Any]], list[str]]:
    """``n`` synthetic cases (their fields and claims) and 200 descriptions to query them with."""
    import numpy as np

    rng = np.random.default_rng(seed)
    with DIVISIONS.open(encoding="utf-8") as handle:
        counties = [r["code"] for r in csv.DictReader(handle) if r["level"] == "county"]
    kinds = list(KINDS)
    weights = np.array([KINDS[k].weight for k in kinds])
    weights /= weights.sum()
    industries = list(INDUSTRY_WORDS)
    endings = list(ENDINGS)
    cases = []
    for i in range(n):
        chosen = list(
            dict.fromkeys(rng.choice(kinds, size=int(rng.integers(1, 4)), p=weights).tolist())
        )
        industry = industries[int(rng.integers(len(industries)))]
        word = INDUSTRY_WORDS[industry][int(rng.integers(3))]
        start_year = int(rng.integers(2012, 2024))
        start_month, end_month = int(rng.integers(1, 13)), int(rng.integers(1, 13))
        end_year = start_year + int(rng.integers(1, 4))
        ending = endings[int(rng.integers(len(endings)))]
        wage = int(rng.integers(25, 150)) * 100
        sentences = [
            f"申请人于{start_year}年{start_month}月入职某{word}公司，"
            f"担任{JOBS[int(rng.integers(len(JOBS)))]}，月工资{wage}元"
        ]
        claims = []
        for number, kind in enumerate(chosen, start=1):
            label, facts, typical = KINDS[kind].label, KINDS[kind].facts, KINDS[kind].typical
            sentences.append(facts[int(rng.integers(len(facts)))].format(n=int(rng.integers(2, 8))))
            amount = round(float(rng.lognormal(math.log(typical), 0.6)), 2) if typical else None
            awarded = None
            outcome = ["granted", "partly", "rejected"][int(rng.choice(3, p=[0.5, 0.3, 0.2]))]
            if amount is not None:
                awarded = {"granted": amount, "partly": round(amount * 0.6, 2), "rejected": 0.0}[
                    outcome
                ]
            claims.append((number, kind, label, amount, awarded, outcome))
        sentences.append(ENDINGS[ending].format(y=end_year, m=end_month))
        cases.append(
            {
                "i": i,
                "facts": "。".join(sentences) + "。",
                "claims": claims,
                "industry": industry,
                "region": counties[int(rng.integers(len(counties)))],
                "termination": ending,
                "end": date(min(end_year, 2025), end_month, 1),
                "authority": "local" if rng.random() < 0.8 else "provincial",
            }
        )
    descriptions = []
    for case in cases[: 200 * 37 : 37]:
        parts = case["facts"].split("。")[1:-1]
        asked = "，".join(
            f"要求支付{label}{int(amount)}元" if amount else f"要求{label}"
            for _n, _k, label, amount, _a, _o in case["claims"]
        )
        descriptions.append("。".join(parts) + "，" + asked + "。")
    return cases, descriptions


def insert(cases: list[dict[str, Any]]) -> None:
    from zhongcai.cases.taxonomy import ClaimType
    from zhongcai.knowledge.casetypes import KIND_CAUSES, KIND_TYPE
    from zhongcai.knowledge.catalog import get_catalog
    from zhongcai.knowledge.citations import find_citations
    from zhongcai.knowledge.lawpush import load_rules
    from zhongcai.knowledge.models import LibraryCase, LibraryCitation, LibraryClaim

    catalog = get_catalog()
    rules, _examples = load_rules()
    cites: dict[str, list[tuple[str, int, int, int]]] = {}
    for rule in rules:
        for kind in rule.kinds:
            for written in rule.articles[:3]:
                found = find_citations(written, catalog=catalog)
                if found and found[0].article_id:
                    c = found[0]
                    text = f"{c.law_short_title}{c.article_label}"
                    cited = (text, c.law_id, c.article_number, c.article_id)
                    cites.setdefault(kind, []).append(cited)
    first = (LibraryCase.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    batch = 2000
    for offset in range(0, len(cases), batch):
        rows, claims, citations = [], [], []
        for case in cases[offset : offset + batch]:
            pk = first + case["i"]
            kinds = [kind for _n, kind, *_rest in case["claims"]]
            rows.append(
                LibraryCase(
                    pk=pk,
                    key=f"synthetic-{case['i']:06d}",
                    title=f"合成案例 {case['i']}",
                    authority=case["authority"],
                    issuing_body="合成数据",
                    decided_by="arbitration",
                    region=case["region"],
                    industry=case["industry"],
                    causes=list(dict.fromkeys(c for k in kinds for c in KIND_CAUSES[k])),
                    termination_reason=case["termination"],
                    employment_end=case["end"],
                    facts=case["facts"],
                    claims_text="；".join(
                        f"{n}、请求裁决支付{label}{amount or ''}元"
                        for n, _k, label, amount, _a, _o in case["claims"]
                    ),
                    outcome_text="裁决如下：依法裁决。",
                    public=True,
                    source="bench/knowledge.py synthetic",
                )
            )
            position = 0
            for number, kind, label, amount, awarded, outcome in case["claims"]:
                claims.append(
                    LibraryClaim(
                        case_id=pk,
                        number=number,
                        kind=kind,
                        type=KIND_TYPE.get(kind, ClaimType.OTHER),
                        description=label,
                        amount_claimed=Decimal(str(amount)) if amount is not None else None,
                        amount_awarded=Decimal(str(awarded)) if awarded is not None else None,
                        outcome=outcome,
                    )
                )
                for text, law_id, article_number, article_id in cites.get(kind, []):
                    position += 1
                    citations.append(
                        LibraryCitation(
                            case_id=pk,
                            position=position,
                            text=text,
                            law_id=law_id,
                            article_number=article_number,
                            article_id=article_id,
                        )
                    )
        LibraryCase.objects.bulk_create(rows)
        LibraryClaim.objects.bulk_create(claims)
        LibraryCitation.objects.bulk_create(citations)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p * len(ordered)) - 1)]


def latency(n: int, n_queries: int, n_baseline: int, dev_texts: list[str]) -> None:
    import numpy as np

    from zhongcai.knowledge.casequery import query_for_text
    from zhongcai.knowledge.models import LibraryCase
    from zhongcai.knowledge.reasons import similar_for_text
    from zhongcai.knowledge.similar import get_case_index

    print(f"\nLatency over {n:,} synthetic cases (+ the 10 real ones)")
    started = time.perf_counter()
    cases, descriptions = synthesise(n)
    print(f"  generated in {_s(started)}")
    started = time.perf_counter()
    insert(cases)
    print(f"  inserted into the database in {_s(started)} ({LibraryCase.objects.count():,} cases)")
    started = time.perf_counter()
    index = get_case_index()
    print(f"  similar-case index built from the database in {_s(started)} ({index.size:,} cases)")
    queries = (dev_texts + descriptions)[:n_queries]
    for text in queries[:5]:
        similar_for_text(text, limit=10)  # warm: catalog, caches
    totals, scoring = [], []
    for text in queries:
        started = time.perf_counter()
        found = similar_for_text(text, limit=10)
        totals.append((time.perf_counter() - started) * 1000)
        if not found.results or not all(r.matches for r in found.results):
            raise SystemExit(f"A result without its reasons for: {text}")
        query, _push, _read = query_for_text(text)
        started = time.perf_counter()
        index.rank(query, limit=10)
        scoring.append((time.perf_counter() - started) * 1000)
    median, p95 = statistics.median(totals), percentile(totals, 0.95)
    print(
        f"  similar-case push, whole call ({len(totals)} queries): "
        f"median {median:.1f} ms, p95 {p95:.1f} ms"
    )
    print(
        f"    of which scoring and ranking all {index.size:,} cases: "
        f"median {statistics.median(scoring):.1f} ms, p95 {percentile(scoring, 0.95):.1f} ms"
    )

    texts = ["\n".join((c["facts"], "")) for c in cases]
    real = list(LibraryCase.objects.exclude(key__startswith="synthetic-"))
    texts += [_whole_text(c) for c in real]
    started = time.perf_counter()
    baseline = CharacterBM25(list(range(len(texts))), texts)
    print(f"  baseline (rank_bm25 over characters) built in {_s(started)}")
    base_times = []
    for text in queries[:n_baseline]:
        started = time.perf_counter()
        baseline.rank(text)
        base_times.append((time.perf_counter() - started) * 1000)
    b_median, b_p95 = statistics.median(base_times), percentile(base_times, 0.95)
    print(
        f"  baseline, rank only ({len(base_times)} queries): "
        f"median {b_median:.1f} ms, p95 {b_p95:.1f} ms"
    )
    print(
        f"  ratio baseline / similar-case push: median {b_median / median:.1f}×, "
        f"p95 {b_p95 / p95:.1f}×"
    )
    print(
        f"  acceptance (median under 100 ms): {'met' if median < 100 else 'NOT met'} "
        f"({median:.1f} ms); numpy {np.__version__}, {os.cpu_count()} CPUs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--baseline-queries", type=int, default=20)
    args = parser.parse_args()
    overall = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="zhongcai-bench-"))
    try:
        configured = setup(workdir)
        queries = load_dev_set()
        print(f"Development set: {len(queries)} queries ({DEV_SET.relative_to(ROOT)})")
        quality(queries)
        feedback(configured)
        latency(args.synthetic, args.queries, args.baseline_queries, [q["text"] for q in queries])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nDone in {_s(overall)}.")


if __name__ == "__main__":
    main()
