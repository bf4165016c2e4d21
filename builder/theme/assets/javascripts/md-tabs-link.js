// Material's partials/javascripts/content.html, the part for the content.tabs.link feature
// (mkdocs-material 9.8), out of line for the Content-Security-Policy: reopen the tabs last chosen.
var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll(".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){var input=document.getElementById(label.htmlFor);input.checked=!0;continue e}}
