"""robots.txt: every crawler may read every page, and, when the site's address is known, where the
sitemap is (RFC 9309 and the sitemaps protocol).

A project that publishes its own robots.txt (from an `assets` folder, say `content/robots.txt`)
keeps it: it was written on purpose, for reasons the build cannot know, so the build writes none."""

from __future__ import annotations

from ..layout import dest_uri
from ..project import Project
from .base import Made, Output, OutputContext, register_output

ROBOTS_FILE = "robots.txt"


@register_output
class Robots(Output):
    name = "robots"
    stage = "files"
    # No `writes`: a published robots.txt is the project's choice, not a clash (see above).

    def run(self, context: OutputContext) -> Made:
        project = context.project
        if own := _projects_own(project):
            context.log.info("robots.txt: the project's own, %s", own)
            return Made(summary=own)
        return Made(files={ROBOTS_FILE: robots_txt(project).encode("utf-8")}, summary=ROBOTS_FILE)


def robots_txt(project: Project) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if sitemap := project.absolute_url("sitemap.xml"):
        lines += ["", f"Sitemap: {sitemap}"]
    return "\n".join(lines) + "\n"


def _projects_own(project: Project) -> str | None:
    """The source published as the site's robots.txt, if the project publishes one."""
    use_dirs = project.config.use_directory_urls
    return next((asset.path for asset in project.assets if dest_uri(asset.path, use_dirs) == ROBOTS_FILE), None)
