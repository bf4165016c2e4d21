// Material's partials/javascripts/content.html (mkdocs-material 9.8), out of line for the
// Content-Security-Policy: a link to a content tab's anchor opens that tab.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
