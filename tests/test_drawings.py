"""SVG files published as they are: what a drawing program writes passes, what could run or reach out
does not, whatever the spelling (namespaces, encodings, document types, CSS escapes)."""

from __future__ import annotations

import pytest

from builder.drawings import check_drawing

SVG = 'xmlns="http://www.w3.org/2000/svg"'

INKSCAPE = f"""<?xml version="1.0" encoding="UTF-8"?>
<svg {SVG} xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" width="90" height="40">
  <!-- a comment -->
  <sodipodi:namedview inkscape:zoom="2"/>
  <title>Participation by stage</title>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#039"/></linearGradient>
    <style>.bar {{ fill: url(#g); stroke: #333 }}</style></defs>
  <g inkscape:label="bars"><rect class="bar" width="20" height="30" style="fill:url('#g')"/>
    <use xlink:href="#g"/><image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
    <image href="photo.png" width="1" height="1"/><a href="https://example.org/"><text>Source</text></a></g>
</svg>"""


def test_what_a_drawing_program_writes_passes():
    assert check_drawing(INKSCAPE.encode()) == []


ATTACKS = [
    (f"<svg {SVG}><script>alert(1)</script></svg>".encode("utf-16"), 1, "contains <script>"),
    ("<s:svg xmlns:s='http://www.w3.org/2000/svg'><s:script>a()</s:script></s:svg>".encode(), 1, "contains <script>"),
    (f"<svg {SVG}>\n<foreignObject><iframe/></foreignObject></svg>".encode(), 2, "contains <foreignObject>"),
    (f"<svg {SVG}>\n\n<set attributeName='href' to='javascript:a()'/></svg>".encode(), 3, "contains <set>"),
    (f"<svg {SVG}><a href=' JaVaScRiPt:a()'><text>x</text></a></svg>".encode(), 1, "'javascript:' value in 'href'"),
    (f"<svg {SVG}><use href='other.svg#x'/></svg>".encode(), 1, "refers to 'other.svg#x'"),
    (f"<svg {SVG}><image href='data:text/html;base64,PHNjcmlwdD4='/></svg>".encode(), 1, "refers to 'data:text/html"),
    (f"<svg {SVG}><rect style='fill:u\\72l(https://evil.example/)'/></svg>".encode(), 1, "escapes characters"),
    (f"<svg {SVG}><style>@import url(https://evil.example/a.css);</style></svg>".encode(), 1, "uses url"),
    (f"<svg {SVG}><rect style='background:image-set(\"https://evil.example/x.png\" 1x)'/></svg>".encode(), 1,
     "uses image-set"),
    (f"<?xml-stylesheet href='https://evil.example/x.css'?><svg {SVG}/>".encode(), 1, "processing instruction"),
    (f"<!DOCTYPE svg [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;'>]><svg {SVG}>&b;</svg>".encode(), 1, "document type"),
    (f"<svg {SVG}><rect onclick='a()'/></svg>".encode(), 1, "event handler 'onclick'"),
    (b"<svg><script>a()</script></svg>", 1, "contains <svg> (no namespace)"),
    (f"<svg {SVG}><unclosed></svg>".encode(), 1, "not well-formed XML"),
]


@pytest.mark.parametrize(("data", "line", "message"), ATTACKS, ids=[message for _, _, message in ATTACKS])
def test_what_could_run_or_reach_out_is_refused_with_its_line(data, line, message):
    findings = check_drawing(data)
    assert findings and all(finding.error for finding in findings)
    assert any(message in finding.message and finding.line == line for finding in findings), findings
