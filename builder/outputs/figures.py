"""The "Results in numbers" page, for a project that asks for it (`results_in_numbers: true`): the
dissemination report's figures for the whole project, with its charts, from the same counting as
`disseminate report`, so the page and the report never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalogues import translations
from ..charts import ON_SCREEN, Chart
from ..dissemination import DIMENSION_CAPTIONS, DIMENSIONS, Report, build_report, period_of
from ..pages import FIGURES_PAGE
from ..report_formats import charts
from .base import Made, Output, OutputContext, register_output


@dataclass(frozen=True)
class Figures:
    report: Report
    charts: list[Chart]
    dimensions: dict[str, str]  # a count table's heading (untranslated: the template translates it)
    captions: dict[str, str]  # a count table's caption (likewise)
    period: str  # the period in the site's language


@register_output
class ResultsInNumbers(Output):
    name = "figures"
    stage = "files"

    def wanted(self, project) -> bool:
        return project.config.results_in_numbers

    def run(self, context: OutputContext) -> Made:
        project = context.project
        report = build_report(project, period_of(project.config))
        gettext = translations(project.config.project.language).gettext  # a page of the site, in its language
        made = Figures(report, charts(report, ON_SCREEN, gettext), DIMENSIONS, DIMENSION_CAPTIONS,
                       report.period.described(gettext))
        return Made(pages={FIGURES_PAGE: made}, summary=report)
