"""Facets: what each item is filed under, for the search index, the search page and the listings' filters.

Item pages emit these values as Pagefind filters. The search page lists the same values with their
counts over the site, so it can show every facet before a visitor's browser has fetched any of the
index; a listing's filter bar offers those its items carry. Keys are what shareable links carry (`?stakeholder=ncp&stage=III`); labels are what the index
stores and visitors read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .catalogues import N_
from .config import SiteConfig
from .templating import Wording
from .types import CONTENT_TYPES, Item

FACET_NAMES = {"type": N_("Type"), "stakeholder": N_("For"), "stage": N_("Research-cycle stage"), "topic": N_("Topic"),
               "year": N_("Year"), "language": N_("Language")}


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


def configured_values(config: SiteConfig) -> dict[str, list[FacetValue]]:
    """Every value of the facets that come from the config's taxonomies, in the config's order."""
    return {"stakeholder": [FacetValue(key, term.label) for key, term in config.stakeholders.items()],
            "stage": [FacetValue(key, f"{key}. {term.label}") for key, term in config.stages.items()],
            "topic": [FacetValue(key, term.label) for key, term in config.topics.items()]}


def item_facets(item: Item, config: SiteConfig, wording: Wording,
                configured: dict[str, list[FacetValue]] | None = None) -> dict[str, list[FacetValue]]:
    """The values an item is filed under, by facet, labelled in the wording's language
    (`configured`: the config's values, when the caller has them for many items)."""
    known = {facet: {value.key: value for value in values}
             for facet, values in (configured or configured_values(config)).items()}
    language = item.language or config.default_language
    return {
        "type": [FacetValue(item.type_name, wording.gettext(item.type_label))],
        "stakeholder": [known["stakeholder"][key] for key in item.audiences()],
        "stage": [known["stage"][key] for key in item.stages],
        "topic": [known["topic"][key] for key in item.topics],
        "year": [FacetValue(str(item.sort_date.year), str(item.sort_date.year))] if item.sort_date else [],
        "language": [FacetValue(language, wording.language_name(language))],
    }


def site_facets(items: Iterable[Item], config: SiteConfig, wording: Wording,
                facets_of: Callable[[Item], dict[str, list[FacetValue]]] | None = None) -> list[Facet]:
    """Every facet with its values and how many items carry each (`facets_of`: an item's, when the
    caller keeps them). The config's groups, stages and topics are all listed, in its order, even
    with no item yet (the action plan links to each); types follow the registry, years run newest
    first, languages by name."""
    configured = configured_values(config)
    counts: dict[str, dict[FacetValue, int]] = {facet: dict.fromkeys(configured.get(facet, []), 0)
                                                for facet in FACET_NAMES}
    for item in items:
        found = facets_of(item) if facets_of else item_facets(item, config, wording, configured)
        for facet, values in found.items():
            for value in values:
                counts[facet][value] = counts[facet].get(value, 0) + 1
    types = list(CONTENT_TYPES)

    def position(facet: str, value: FacetValue) -> tuple:
        if facet in configured:
            return (configured[facet].index(value),)
        if facet == "type":
            return (types.index(value.key),)
        return (-int(value.key),) if facet == "year" else (value.label,)

    return [Facet(facet, wording.gettext(name), tuple((value, counts[facet][value])
                                     for value in sorted(counts[facet], key=lambda v, f=facet: position(f, v))))
            for facet, name in FACET_NAMES.items() if counts[facet]]
