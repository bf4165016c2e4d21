"""SVG drawings published as files: opened on their own, they are documents of the site's address
that no page's policy protects, so a drawing may hold only what draws.

The file is read as a browser reads it, as XML with namespaces, in whatever encoding it declares,
without entities or a document type of its own. Then an allow-list: the SVG elements that draw (no
script, no embedded page, no animation, which could rewrite a link into a script), metadata that
editors such as Inkscape add, attributes without event handlers, links and references that stay in
the drawing or on the site, and styles without escapes, imports or resources other than the
drawing's own parts (`url(#gradient)`).
"""

from __future__ import annotations

import re

from lxml import etree

from .links import is_remote, normalise_url, url_scheme
from .markup import Finding

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
DRAWING_ELEMENTS = frozenset({
    "a", "circle", "clipPath", "defs", "desc", "ellipse", "feBlend", "feColorMatrix", "feComponentTransfer",
    "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow",
    "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode",
    "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
    "filter", "g", "image", "line", "linearGradient", "marker", "mask", "metadata", "path", "pattern", "polygon",
    "polyline", "radialGradient", "rect", "stop", "style", "svg", "switch", "symbol", "text", "textPath", "title",
    "tspan", "use", "view",
})
# Namespaces of metadata that drawing programs write; browsers neither show nor run them.
METADATA_NAMESPACES = frozenset({
    "http://www.inkscape.org/namespaces/inkscape", "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://creativecommons.org/ns#", "http://purl.org/dc/elements/1.1/",
    "http://purl.org/dc/terms/", "http://ns.adobe.com/AdobeIllustrator/10.0/", "http://ns.adobe.com/SaveForWeb/1.0/",
})
_READER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True)
_OWN_PART = re.compile(r"url\(\s*(['\"]?)#[^)'\"\\]*\1\s*\)", re.I)  # url(#gradient): a part of the drawing
_CSS_THAT_REACHES_OUT = ("url(", "@import", "image(", "image-set(", "expression(", "binding", "\\")
_IMAGE_DATA = re.compile(r"data:image/(png|jpe?g|gif|webp);", re.I)


def check_drawing(data: bytes) -> list[Finding]:
    """Why an SVG file may not be published as it is: each refused part, with its line."""
    try:
        tree = etree.ElementTree(etree.fromstring(data, _READER))
    except etree.XMLSyntaxError as error:
        return [Finding(error.lineno or 1, f"the drawing is not well-formed XML ({error.msg}), so it cannot be checked",
                        True)]
    if tree.docinfo.internalDTD is not None:
        return [Finding(1, "the drawing defines its own document type (entities, attribute defaults), which is not "
                           "allowed", True)]
    findings = []
    root = tree.getroot()
    for node in [*root.itersiblings(preceding=True), *root.iter(), *root.itersiblings()]:
        findings += _judge_node(node)
    return findings


def _judge_node(node: etree._Element) -> list[Finding]:
    line = node.sourceline or 1
    if isinstance(node, etree._Entity):
        return [Finding(line, f"the drawing uses the entity &{node.name};, which is not allowed", True)]
    if isinstance(node, etree._ProcessingInstruction):
        return [Finding(line, "the drawing holds a processing instruction (a stylesheet link, say), which is not "
                              "allowed", True)]
    name = etree.QName(node)
    if name.namespace in METADATA_NAMESPACES:
        return []
    if name.namespace != SVG or name.localname not in DRAWING_ELEMENTS:
        return [Finding(line, f"the drawing contains <{name.localname}> ({name.namespace or 'no namespace'}), which "
                              "does not draw and may run when the drawing is opened", True)]
    findings = [finding for attribute, value in node.attrib.items()
                if (finding := _judge_attribute(name.localname, etree.QName(attribute), value, line))]
    if name.localname == "style" and (problem := _css_problem(node.text or "")):
        findings.append(Finding(line, f"the drawing's stylesheet {problem}", True))
    return findings


def _judge_attribute(element: str, attribute: etree.QName, value: str, line: int) -> Finding | None:
    local = attribute.localname
    if local.lower().startswith("on"):
        return Finding(line, f"the drawing's <{element}> has the event handler '{local}'", True)
    if "javascript:" in normalise_url(value).replace(" ", "").lower():
        return Finding(line, f"the drawing's <{element}> has a 'javascript:' value in '{local}'", True)
    if local == "href" and attribute.namespace in (None, XLINK):
        return _judge_reference(element, value, line)
    if local == "style" and (problem := _css_problem(value)):
        return Finding(line, f"the drawing's <{element}> has a style that {problem}", True)
    return None


def _judge_reference(element: str, value: str, line: int) -> Finding | None:
    """A drawing may link anywhere a page may, but load only its own parts, images embedded as data,
    and images beside it on the site."""
    target = normalise_url(value)
    if element == "a":
        allowed = url_scheme(target) in ("", "http", "https", "mailto")
    elif element == "image":
        allowed = bool(_IMAGE_DATA.match(target)) or not (url_scheme(target) or is_remote(target))
    else:
        allowed = target.startswith("#")
    return None if allowed else Finding(line, f"the drawing's <{element}> refers to '{value}', which it may not load",
                                        True)


def _css_problem(css: str) -> str | None:
    remaining = _OWN_PART.sub("", css).lower()
    reaching = next((token for token in _CSS_THAT_REACHES_OUT if token in remaining), None)
    if reaching is None:
        return None
    what = "escapes characters" if reaching == "\\" else f"uses {reaching.rstrip('(')}"
    return f"{what}, which is not allowed (a drawing may refer only to its own parts: url(#name))"
