"""Content types as a registry: adding a type is adding one module here.

Each type declares its folder, its URL base and its fields; `CONTENT_TYPES` maps the type name
used in messages and front matter (`type:`) to its schema.
"""

from .base import CONTENT_TYPES, Item, ItemWithSummary, Page, Publication, ValidationContext, newest_first
from .deliverable import DISSEMINATION_LEVELS, Deliverable, Revision
from .event import EVENT_KIND_LABELS, EVENT_KINDS, Event, Location
from .guide import Guide
from .news import News
from .policy_brief import PolicyBrief
from .recommendation import Recommendation
from .video import Video


def type_for_folder(path: str) -> type[Item]:
    """The content type a source path implies by its folder (plain page when none does)."""
    best: type[Item] = Page
    for content_type in CONTENT_TYPES.values():
        folder = content_type.folder
        if folder and path.startswith(folder + "/") and len(folder) > len(best.folder or ""):
            best = content_type
    return best


__all__ = ["CONTENT_TYPES", "DISSEMINATION_LEVELS", "EVENT_KIND_LABELS", "EVENT_KINDS", "Deliverable", "Event",
           "Guide", "Item", "ItemWithSummary", "Location", "News", "Page", "PolicyBrief", "Publication",
           "Recommendation", "Revision", "ValidationContext", "Video", "newest_first", "type_for_folder"]
