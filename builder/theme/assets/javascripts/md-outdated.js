// Material's partials/javascripts/outdated.html (mkdocs-material 9.8), out of line for the
// Content-Security-Policy: show the outdated-version banner. The page's base_url comes in data-base.
var el=document.querySelector("[data-md-component=outdated]"),base=new URL(document.currentScript.getAttribute("data-base")),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)
