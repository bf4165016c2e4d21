// The search page, on Pagefind's JS API: a query and facets with counts, results with type, date and
// PDF link, and shareable links such as /search/?q=privacy&stakeholder=ncp&stage=III.
// Within one facet any ticked value matches; across facets all must match.

const form = document.getElementById("ds-search");
const FACETS = ["type", "stakeholder", "stage", "topic", "year", "language"];
const NAMES = { type: "Type", stakeholder: "For", stage: "Research-cycle stage", topic: "Topic", year: "Year", language: "Language" };
const PAGE_SIZE = 20;

if (form) {
  const keyed = JSON.parse(form.dataset.facets);          // facet -> {key: label}
  const pagefind = await import(form.dataset.index);
  await pagefind.options({ excerptLength: 24 });
  const query = form.querySelector("#ds-search-q");
  const facetBox = form.querySelector("#ds-search-facets");
  const status = form.querySelector("#ds-search-status");
  const list = form.querySelector("#ds-search-results");
  const everything = await pagefind.filters();             // facet -> {label: count} over the site

  const labelOf = (facet, value) => (keyed[facet] && keyed[facet][value]) || value;
  const keyOf = (facet, label) => {
    const pairs = Object.entries(keyed[facet] || {});
    const found = pairs.find(([, text]) => text === label);
    return found ? found[0] : label;
  };

  function readUrl() {
    const params = new URLSearchParams(window.location.search);
    const chosen = {};
    for (const facet of FACETS) {
      const labels = params.getAll(facet).map((value) => labelOf(facet, value));
      if (labels.length) chosen[facet] = new Set(labels);
    }
    return { q: params.get("q") || "", chosen };
  }

  function writeUrl(q, chosen) {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    for (const facet of FACETS) {
      for (const label of chosen[facet] || []) params.append(facet, keyOf(facet, label));
    }
    const search = params.toString();
    history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
  }

  function element(tag, props = {}, children = []) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  function drawFacets(chosen, counts) {
    facetBox.replaceChildren();
    for (const facet of FACETS) {
      const values = Object.keys(everything[facet] || {}).sort();
      if (!values.length) continue;
      const fieldset = element("fieldset", { className: "ds-facet" }, [element("legend", { textContent: NAMES[facet] })]);
      for (const label of values) {
        const id = `ds-facet-${facet}-${keyOf(facet, label)}`.replace(/[^\w-]/g, "_");
        const box = element("input", { type: "checkbox", id, value: label, checked: chosen[facet]?.has(label) || false });
        box.dataset.facet = facet;
        const count = (counts[facet] || {})[label] || 0;
        fieldset.append(element("div", { className: "ds-facet__option" }, [
          box, element("label", { htmlFor: id, textContent: `${label} ` }, [element("span", { className: "ds-count", textContent: `(${count})` })]),
        ]));
      }
      facetBox.append(fieldset);
    }
  }

  function drawResult(data) {
    const facts = [data.meta.type, data.meta.date].filter(Boolean).join(" · ");
    const item = element("li", { className: "ds-search__result" }, [
      element("p", { className: "ds-search__title" }, [element("a", { href: data.url, textContent: data.meta.title })]),
    ]);
    const meta = element("p", { className: "ds-entry__meta", textContent: facts });
    if (data.meta.pdf) meta.append(" · ", element("a", { href: data.meta.pdf, textContent: "PDF", type: "application/pdf" }));
    const excerpt = element("p", { className: "ds-entry__summary" });
    excerpt.innerHTML = data.excerpt;                     // Pagefind's excerpt: escaped text with <mark>
    item.append(meta, excerpt);
    return item;
  }

  async function run() {
    form.dataset.state = "searching";                       // "done" once results are drawn
    const { q, chosen } = readUrl();
    const filters = Object.fromEntries(Object.entries(chosen).map(([facet, set]) => [facet, { any: [...set] }]));
    const anything = q || Object.keys(filters).length;
    const search = anything ? await pagefind.search(q || null, { filters }) : null;
    drawFacets(chosen, search ? search.filters : everything);
    list.replaceChildren();
    if (!search) {
      status.textContent = "Type a word or tick a filter.";
      form.dataset.state = "done";
      return;
    }
    const shown = await Promise.all(search.results.slice(0, PAGE_SIZE).map((result) => result.data()));
    list.append(...shown.map(drawResult));
    const total = search.results.length;
    status.textContent = total === 0 ? "Nothing found." :
      `${total} result${total === 1 ? "" : "s"}${total > PAGE_SIZE ? `, showing the first ${PAGE_SIZE}` : ""}.`;
    form.dataset.state = "done";
  }

  // Fill the box from a shared link once, without overwriting anything typed while the index loaded.
  if (!query.value) query.value = readUrl().q;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    writeUrl(query.value.trim(), readUrl().chosen);
    run();
  });
  facetBox.addEventListener("change", (event) => {
    const box = event.target;
    const { chosen } = readUrl();
    const set = chosen[box.dataset.facet] || new Set();
    box.checked ? set.add(box.value) : set.delete(box.value);
    chosen[box.dataset.facet] = set;
    writeUrl(query.value.trim(), chosen);
    run();
  });
  form.dataset.ready = "true";
  run();
}
