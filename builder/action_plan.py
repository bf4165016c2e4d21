"""The action plan: recommendations crossed by stakeholder group and research-cycle stage.

The matrix has a row per stakeholder group and a column per stage plus one for cross-cutting
recommendations (those with no stage); a recommendation sits in every cell its front matter names.
Groups and stages come from config, so a sixth of either needs no code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from .catalogues import N_
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

    def stage_label(self, stage: str | None, cross_cutting: str = N_("Cross-cutting")) -> str:
        """A column's heading: the stage's number and name, or `cross_cutting` (in the page's language)."""
        return cross_cutting if stage is None else f"{stage}. {self.stages[stage].label}"


def _grouped(records: list[Record], keys: list[Any], key_of: Any) -> list[tuple[Any, list[Record]]]:
    return [(key, [r for r in records if key_of(r) == key]) for key in keys
            if any(key_of(r) == key for r in records)]


@dataclass(frozen=True)
class PlanPart:
    """One page of the action plan as the item it stands for (the whole plan, one group's part or one
    stage's part): what its PDF, its catalogue entry and its print template read, as they read an
    item's."""

    path: str
    title: str
    ident: str
    scope: Literal["full", "stakeholder", "stage"]
    key: str | None = None
    term: Term | None = None
    stakeholders: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    language: str | None = None  # the site language of its page; None: the default's

    type_name: ClassVar[str] = "action-plan"
    type_label: ClassVar[str] = N_("Action plan")
    plain_page: ClassVar[bool] = False
    wants_pdf: ClassVar[bool] = True
    authors: ClassVar[tuple[str, ...]] = ()
    topics: ClassVar[tuple[str, ...]] = ()
    summary: ClassVar[None] = None
    sort_date: ClassVar[None] = None
    version: ClassVar[None] = None

    @property
    def identifier(self) -> str:
        return self.ident

    @property
    def template(self) -> str:
        """Its web template."""
        return {"full": "action_plan.html", "stakeholder": "action_plan_stakeholder.html",
                "stage": "action_plan_stage.html"}[self.scope]

    def audiences(self) -> list[str]:
        return list(self.stakeholders)


def plan_parts(plan: ActionPlan, config: SiteConfig, gettext: Callable[[str], str] = N_) -> list[PlanPart]:
    """The action plan's pages, none without recommendations: the whole plan, then a part per
    stakeholder group and per stage, titled by `gettext`'s language."""
    if not plan.records:
        return []
    title = gettext(config.action_plan.title)  # the default title translated; a project's own as it is
    parts = [PlanPart(f"{ACTION_PLAN_FOLDER}/index.md", title, "action-plan", "full",
                      stakeholders=tuple(plan.stakeholders), stages=tuple(plan.stages))]
    parts += [PlanPart(f"{ACTION_PLAN_FOLDER}/for/{key}.md",
                       gettext("%(plan)s for %(group)s") % {"plan": title, "group": term.label},
                       f"action-plan-for-{key}", "stakeholder", key, term, stakeholders=(key,))
              for key, term in plan.stakeholders.items()]
    parts += [PlanPart(f"{ACTION_PLAN_FOLDER}/stage/{key}.md",
                       gettext("%(plan)s: stage %(stage)s, %(label)s")
                       % {"plan": title, "stage": key, "label": term.label},
                       f"action-plan-stage-{key}", "stage", key, term, stages=(key,))
              for key, term in plan.stages.items()]
    return parts
