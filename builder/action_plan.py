"""The action plan: recommendations crossed by stakeholder group and research-cycle stage.

The matrix has a row per stakeholder group and a column per stage plus one for cross-cutting
recommendations (those with no stage); a recommendation sits in every cell its front matter names.
Groups and stages come from config, so a sixth of either needs no code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .collection import Collection
from .config import SiteConfig, Term
from .layout import CONTENT_ROOT
from .read import Record
from .types import Recommendation

ACTION_PLAN_FOLDER = f"{CONTENT_ROOT}/action-plan"
CROSS_CUTTING = None


@dataclass
class ActionPlan:
    """The recommendations and the ways the site and the PDFs slice them."""

    records: list[Record]
    stakeholders: dict[str, Term]
    stages: dict[str, Term]

    @classmethod
    def from_collection(cls, collection: Collection, config: SiteConfig) -> "ActionPlan":
        group_order = {key: index for index, key in enumerate(config.stakeholders)}
        records = sorted(collection.of_type(Recommendation),
                         key=lambda r: (group_order[r.item.stakeholders[0]], r.item.order, r.item.id))
        return cls(records, config.stakeholders, config.stages)

    @property
    def columns(self) -> list[str | None]:
        """Stage keys in config order, then the cross-cutting column."""
        return [*self.stages, CROSS_CUTTING]

    def cell(self, stakeholder: str, stage: str | None) -> list[Record]:
        """Recommendations to one group at one stage (or cross-cutting ones, for None)."""
        return [r for r in self.records if stakeholder in r.item.stakeholders
                and (stage in r.item.stages if stage else not r.item.stages)]

    def row_total(self, stakeholder: str) -> int:
        return sum(len(self.cell(stakeholder, stage)) for stage in self.columns)

    def column_total(self, stage: str | None) -> int:
        return sum(len(self.cell(key, stage)) for key in self.stakeholders)

    @property
    def total(self) -> int:
        return sum(self.column_total(stage) for stage in self.columns)

    def for_stakeholder(self, stakeholder: str) -> list[tuple[str | None, list[Record]]]:
        """A group's recommendations by stage, each listed once: under its first stage."""
        mine = [r for r in self.records if stakeholder in r.item.stakeholders]
        return _grouped(mine, self.columns, lambda r: r.item.stages[0] if r.item.stages else CROSS_CUTTING)

    def for_stage(self, stage: str) -> list[tuple[str, list[Record]]]:
        """A stage's recommendations by stakeholder group, each listed once: under its first group."""
        mine = [r for r in self.records if stage in r.item.stages]
        return _grouped(mine, list(self.stakeholders), lambda r: r.item.stakeholders[0])

    def stage_label(self, stage: str | None) -> str:
        return "Cross-cutting" if stage is None else f"{stage}. {self.stages[stage].label}"


def _grouped(records: list[Record], keys: list[Any], key_of: Any) -> list[tuple[Any, list[Record]]]:
    return [(key, [r for r in records if key_of(r) == key]) for key in keys
            if any(key_of(r) == key for r in records)]


def action_plan_pages(plan: ActionPlan, config: SiteConfig) -> list[dict[str, Any]]:
    """The action plan's generated pages, none without recommendations: each with its path, title,
    template and data, its catalogue id and the groups and stages it covers."""
    if not plan.records:
        return []
    title = config.action_plan.title
    pages = [{"path": f"{ACTION_PLAN_FOLDER}/index.md", "title": title, "template": "action_plan.html",
              "data": {"plan": plan}, "ident": "action-plan",
              "stakeholders": tuple(plan.stakeholders), "stages": tuple(plan.stages)}]
    pages += [{"path": f"{ACTION_PLAN_FOLDER}/for/{key}.md", "title": f"{title} for {term.label}",
               "template": "action_plan_stakeholder.html", "data": {"plan": plan, "key": key, "term": term},
               "ident": f"action-plan-for-{key}", "stakeholders": (key,), "stages": ()}
              for key, term in plan.stakeholders.items()]
    pages += [{"path": f"{ACTION_PLAN_FOLDER}/stage/{key}.md", "title": f"{title}: stage {key}, {term.label}",
               "template": "action_plan_stage.html", "data": {"plan": plan, "key": key, "term": term},
               "ident": f"action-plan-stage-{key}", "stakeholders": (), "stages": (key,)}
              for key, term in plan.stages.items()]
    return pages
