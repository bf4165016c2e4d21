"""Search facets: what each item is filed under, for the search index and the search page alike.

Item pages emit these values as Pagefind filters. The search page lists the same values with their
counts over the site, so it can show every facet before a visitor's browser has fetched any of the
index. Keys are what shareable links carry (`?stakeholder=ncp&stage=III`); labels are what the index
stores and visitors read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .config import SiteConfig
from .types import CONTENT_TYPES, Item

FACET_NAMES = {"type": "Type", "stakeholder": "For", "stage": "Research-cycle stage", "topic": "Topic",
               "year": "Year", "language": "Language"}

LanguageName = Callable[[str], str]


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str


@dataclass(frozen=True)
class Facet:
    """One facet of the search page: its values in display order, each with how many items carry it."""

    key: str
    name: str
    values: tuple[tuple[FacetValue, int], ...]


def item_facets(item: Item, config: SiteConfig, language_name: LanguageName) -> dict[str, list[FacetValue]]:
    """The values an item is filed under, by facet."""
    language = item.language or config.project.language
    return {
        "type": [FacetValue(item.type_name, item.type_label)],
        "stakeholder": [FacetValue(key, config.stakeholders[key].label) for key in item.audiences()],
        "stage": [FacetValue(key, f"{key}. {config.stages[key].label}") for key in item.stages],
        "topic": [FacetValue(key, config.topics[key].label) for key in item.topics],
        "year": [FacetValue(str(item.sort_date.year), str(item.sort_date.year))] if item.sort_date else [],
        "language": [FacetValue(language, language_name(language))],
    }


def site_facets(items: Iterable[Item], config: SiteConfig, language_name: LanguageName) -> list[Facet]:
    """Every facet with a value on the site, its values ordered as the config and registry list them
    (years newest first, languages by name), with counts."""
    counts: dict[str, dict[FacetValue, int]] = {facet: {} for facet in FACET_NAMES}
    for item in items:
        for facet, values in item_facets(item, config, language_name).items():
            for value in values:
                counts[facet][value] = counts[facet].get(value, 0) + 1
    order = {"type": list(CONTENT_TYPES), "stakeholder": list(config.stakeholders), "stage": list(config.stages),
             "topic": list(config.topics)}

    def position(facet: str, value: FacetValue) -> tuple:
        if facet in order:
            return (order[facet].index(value.key),)
        return (-int(value.key),) if facet == "year" else (value.label,)

    return [Facet(facet, name, tuple((value, counts[facet][value])
                                     for value in sorted(counts[facet], key=lambda v, f=facet: position(f, v))))
            for facet, name in FACET_NAMES.items() if counts[facet]]
