"""Plan text → typed model: source decoding, layout, numbering, deadlines, the plan parser."""

from kg.parse.plan import parse_file, parse_source, parse_text, plan_id_for
from kg.parse.source import PlanError

__all__ = ["PlanError", "parse_file", "parse_source", "parse_text", "plan_id_for"]
