// Material's partials/javascripts/base.html (mkdocs-material 9.8), moved out of line so that the
// Content-Security-Policy needs no inline script. Must stay a classic, synchronous script in <head>:
// the other scripts of the theme use these globals.
//
// Material resolves `extra.scope`, else the site's root (base_url), against the page. This file is
// served from <root>/assets/javascripts/, so the root is "../.." from its own address: the same on
// every page. A configured scope comes in the script element's data-scope.
__md_scope=function(s){return s.hasAttribute("data-scope")?new URL(s.getAttribute("data-scope"),location):new URL("../..",s.src)}(document.currentScript),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
