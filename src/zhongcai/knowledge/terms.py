"""The search dictionary, built from the library's own text rather than typed by hand.

jieba's general dictionary cuts legal terms apart (竞业限制 → 竞/业/限制, 经济补偿 → 经济/补偿),
which makes a search for the term match every article with 限制 in it. The terms added to the
segmenter come from:

1. the names of the laws (titles, short titles, aliases) and their chapter and section titles;
2. defined terms: （以下简称X）, 本法所称X是指, “X”;
3. collocations mined from the articles: character strings that occur often, hold together
   (every split of them is much rarer than the whole) and stand free (varied characters on both
   sides) — the classic "new word discovery" measure; this finds 劳务派遣, 竞业限制, 工作年限,
   停工留薪期, 劳动能力鉴定 … without a list;
4. the few words of practice that the texts never use (二倍工资, 加班费, 年假), from
   ``data/search_synonyms.json``, where each also says what the law calls it.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "search_synonyms.json"
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
DEFINED_TERM = re.compile(
    r"（以下(?:简称|称|统称)“?(?P<short>[\u4e00-\u9fff]{2,10})”?）"
    r"|所称(?:的)?“?(?P<defined>[\u4e00-\u9fff]{2,12}?)”?，?(?:是指|包括)"
    r"|“(?P<quoted>[\u4e00-\u9fff]{2,8})”"
)
HEADING_SPLIT = re.compile(r"[、，]|和|与|及")
# Numbers are not terms (第三十, 十五日内, 三个月): they are matched as numbers.
NUMERIC = re.compile(
    r"^第|[零一二三四五六七八九十百千两]+(?:条|款|项|日|月|年|个|倍|万|元|分之|周|次|人|级)"
    r"|^[零一二三四五六七八九十百千两]+$"
)
# Characters that glue a phrase to its context rather than belong to a term.
BOUNDARY_CHARS = set(
    "的了和与或及在是对由等其并为以向从按将被但而则该本可应不之所者有于把给也都就还又未"
)
# Words that open or close phrases without being part of a term (应当依照, 人可以请求 …).
BOUNDARY_WORDS = [
    "应当",
    "或者",
    "可以",
    "依照",
    "按照",
    "依法",
    "根据",
    "有关",
    "以上",
    "以下",
    "其他",
    "进行",
    "予以",
    "给予",
    "对于",
    "以及",
    "并且",
    "需要",
    "没有",
    "规定",
    "要求",
    "请求",
    "提供",
    "作出",
    "通过",
    "相关",
    "情况",
    "负责",
    "开展",
    "加强",
    "建立",
    "采取",
    "使用",
    "同时",
    "已经",
    "不能",
    "不得",
    "不是",
    "之间",
    "之日",
    "方面",
    "必要",
    "条件",
    "事项",
    "法律",
    "法规",
    "人民政府",
]
MIN_COUNT = 5
MAX_LENGTH = 6
MIN_COHESION = 3.0  # natural log of how much likelier the whole is than its parts together
MIN_FREEDOM = 0.7  # entropy of the characters on each side


def defined_terms(texts: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for text in texts:
        for match in DEFINED_TERM.finditer(text):
            term = match["short"] or match["defined"] or match["quoted"]
            if term and not NUMERIC.search(term):
                found.add(term)
    return found


def heading_terms(titles: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for title in titles:
        for part in HEADING_SPLIT.split(title):
            part = part.strip()
            if 2 <= len(part) <= 8 and CJK_RUN.fullmatch(part):
                found.add(part)
    return found


def mined_terms(texts: Iterable[str]) -> set[str]:
    """Frequent, cohesive, free-standing character strings of 3 to 6 characters."""
    runs = [run for text in texts for run in CJK_RUN.findall(text)]
    counts: Counter[str] = Counter()
    for run in runs:
        length = len(run)
        for size in range(1, MAX_LENGTH + 1):
            for i in range(length - size + 1):
                counts[run[i : i + size]] += 1
    total = sum(n for gram, n in counts.items() if len(gram) == 1) or 1
    candidates = {
        gram
        for gram, n in counts.items()
        if 3 <= len(gram) <= MAX_LENGTH
        and n >= MIN_COUNT
        and gram[0] not in BOUNDARY_CHARS
        and gram[-1] not in BOUNDARY_CHARS
        and not gram.startswith(tuple(BOUNDARY_WORDS))
        and not gram.endswith(tuple(BOUNDARY_WORDS))
        and not NUMERIC.search(gram)
    }
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    for run in runs:
        padded = f"^{run}$"
        length = len(run)
        for size in range(3, MAX_LENGTH + 1):
            for i in range(length - size + 1):
                gram = run[i : i + size]
                if gram in candidates:
                    left[gram][padded[i]] += 1
                    right[gram][padded[i + size + 1]] += 1

    def entropy(counter: Counter[str]) -> float:
        n = sum(counter.values())
        return -sum(c / n * math.log(c / n) for c in counter.values())

    def cohesion(gram: str) -> float:
        whole = counts[gram] / total
        return min(
            math.log(whole / ((counts[gram[:i]] / total) * (counts[gram[i:]] / total)))
            for i in range(1, len(gram))
        )

    return {
        gram
        for gram in candidates
        if min(entropy(left[gram]), entropy(right[gram])) >= MIN_FREEDOM
        and cohesion(gram) >= MIN_COHESION
    }


@cache
def practice_synonyms() -> dict[str, list[str]]:
    """Words of practice → what the texts say instead (二倍工资 → 二倍的工资)."""
    with SYNONYMS_FILE.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {word: entry["means"] for word, entry in data["words"].items()}


def library_terms(names: Iterable[str], headings: Iterable[str], texts: Iterable[str]) -> set[str]:
    texts = list(texts)
    terms = {n for n in names if CJK_RUN.fullmatch(n) and len(n) >= 2}
    terms |= heading_terms(headings)
    terms |= defined_terms(texts)
    terms |= mined_terms(texts)
    terms |= set(practice_synonyms())
    return terms
