"""Web page addresses for graph nodes, and the HTML shell every page is served in."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from api.catalog import Catalog

STATIC = Path(__file__).resolve().parent / "static"
_COLLECTIONS = {"unit": "units", "field": "fields", "partner": "partners", "place": "places", "instrument": "instruments"}


def page_for(catalog: Catalog, iri: str, kind: str) -> str | None:
    if kind == "measure" and iri in catalog.measure_keys:
        plan, key = catalog.measure_keys[iri]
        return f"/m/{quote(plan)}/{quote(key)}"
    key = iri[len(catalog.base):] if iri.startswith(catalog.base) else ""
    if kind == "task" and key.startswith("plan/"):
        parts = key.split("/")
        return f"/p/{quote(parts[1])}#task-{parts[-1]}"
    head, _, rest = key.partition("/")
    if head in _COLLECTIONS and rest:
        return f"/e/{_COLLECTIONS[head]}/{quote(rest, safe='/')}"
    return None


def shell(page: str, title: str, params: dict[str, Any] | None = None) -> str:
    template = (STATIC / "index.html").read_text(encoding="utf-8")
    state = html.escape(json.dumps(params or {}, ensure_ascii=False), quote=True)
    return (template.replace("{{title}}", html.escape(title)).replace("{{page}}", page)
            .replace("{{params}}", state))
