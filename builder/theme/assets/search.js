// The search page, on Pagefind's JS API: a query and facets, results with type, date and PDF link,
// and shareable links such as /search/?q=privacy&stakeholder=ncp&stage=III.
// Within one facet any ticked value matches; across facets all must match.
//
// What a first search costs: Pagefind's runtime, its page list, the index chunk holding the word and
// the results shown. The facets and their counts over the whole site come with the page. Counts for
// the visitor's own search need every facet's filter index (about 150 KB on a 10,000-page site), so
// those are fetched only when the visitor reaches for the facets, or at once when a link arrives
// with facets ticked.

const form = document.getElementById("ds-search");
const PAGE_SIZE = 10;

// The page's words in its language (Wording.script_words in builder/templating.py), English where a
// page gives none: a text with %(name)s placeholders, or for a count a text per plural category.
function wording(words) {
  const plural = new Intl.PluralRules(words.language || "en");
  return (key, english, values = {}) => {
    let text = words[key] ?? english;
    if (typeof text === "object") text = text[plural.select(values.count)] ?? text.other;
    return text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
  };
}

if (form) {
  const say = wording(JSON.parse(form.dataset.words || "{}"));
  const facetBox = form.querySelector("#ds-search-facets");
  // Beside the results on a wide screen; on a phone folded, before anything loads, so that the
  // results come first and the page does not jump.
  if (window.matchMedia("(max-width: 44em)").matches) facetBox.open = false;
  const pagefind = await import(new URL(form.dataset.index, document.baseURI).href);
  // Pagefind's web worker would only move the work off the main thread, and costs a second copy of
  // its code (41 KB) on every first search.
  await pagefind.options({ excerptLength: 24, noWorker: true });
  const query = form.querySelector("#ds-search-q");
  const boxes = [...facetBox.querySelectorAll("input[type=checkbox]")];
  const facets = [...new Set(boxes.map((box) => box.name))];
  const status = form.querySelector("#ds-search-status");
  const list = form.querySelector("#ds-search-results");
  const more = form.querySelector("#ds-search-more");
  const ticked = form.querySelector("#ds-search-ticked");

  let generation = 0;        // the number of the latest search; older ones drop their answers
  let results = [];          // the latest search's results, shown PAGE_SIZE at a time
  let shown = 0;
  let countsLoading = null;  // Pagefind's filter index, once asked for
  let countsReady = false;

  // A link names facet values by key (?type=deliverable); older links used the label (?type=Deliverable).
  function boxFor(facet, value) {
    return boxes.find((box) => box.name === facet && (box.value === value || box.dataset.label === value));
  }

  function readUrl() {
    const params = new URLSearchParams(window.location.search);
    const chosen = {};
    const unknown = [];
    for (const [facet, value] of params) {
      if (facet === "q") continue;
      const box = boxFor(facet, value);
      if (box) (chosen[facet] ||= new Set()).add(box.value);
      else unknown.push(`${facet}=${value}`);
    }
    return { q: params.get("q") || "", chosen, unknown };
  }

  function writeUrl(q, chosen) {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    for (const facet of facets) {
      for (const key of chosen[facet] || []) params.append(facet, key);
    }
    const search = params.toString();
    history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
  }

  // The index stores labels; links and checkboxes carry keys.
  function pagefindFilters(chosen) {
    return Object.fromEntries(Object.entries(chosen).map(
      ([facet, keys]) => [facet, { any: [...keys].map((key) => boxFor(facet, key).dataset.label) }]));
  }

  function siteCounts(facet) {
    return Object.fromEntries(boxes.filter((box) => box.name === facet).map(
      (box) => [box.dataset.label, Number(box.labels[0].querySelector(".ds-count").dataset.site)]));
  }

  // What each value would give if ticked. Pagefind counts within the filtered results, which is right
  // across facets; within a facet whose values are already ticked, the counts must come from the
  // search without that facet's own filter, since ticking another of its values widens the results.
  async function countsFor(q, chosen, filtered) {
    const counts = { ...filtered };
    for (const facet of Object.keys(chosen)) {
      const others = { ...chosen };
      delete others[facet];
      counts[facet] = !q && !Object.keys(others).length ? siteCounts(facet)
        : (await pagefind.search(q || null, { filters: pagefindFilters(others) })).filters[facet];
    }
    return counts;
  }

  // `counts` is facet -> {label: count} for the current search; null shows the site's own counts,
  // and "pending" blanks them until the filter index has arrived.
  function drawCounts(counts) {
    for (const box of boxes) {
      const count = box.labels[0].querySelector(".ds-count");
      if (counts === "pending") count.textContent = "";
      else count.textContent = `(${counts ? (counts[box.name] || {})[box.dataset.label] || 0 : count.dataset.site})`;
    }
  }

  function wantCounts() {
    if (countsLoading) return;
    countsLoading = pagefind.filters().then(() => {
      countsReady = true;
      recount();
    }, () => {
      countsLoading = null;                                 // not fetched: the next cue tries again
    });
  }

  function element(tag, props = {}, children = []) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  function drawResult(data) {
    const facts = [data.meta.type, data.meta.date].filter(Boolean).join(" · ");
    const item = element("li", { className: "ds-search__result" }, [
      element("p", { className: "ds-search__title" }, [element("a", { href: data.url, textContent: data.meta.title })]),
    ]);
    const meta = element("p", { className: "ds-entry__meta", textContent: facts });
    if (data.meta.pdf) meta.append(" · ", element("a", { href: data.meta.pdf, textContent: "PDF", type: "application/pdf" }));
    item.append(meta, element("p", { className: "ds-entry__summary" }, highlighted(data.excerpt)));
    return item;
  }

  // Pagefind's excerpt is page text, escaped, with <mark> around the words found. It is rebuilt here
  // from text nodes and marks only, in an inert document, so that no markup in it could ever run.
  function highlighted(excerpt) {
    const body = new DOMParser().parseFromString(excerpt, "text/html").body;
    return Array.from(body.childNodes, (node) =>
      node.nodeName === "MARK" ? element("mark", { textContent: node.textContent }) : node.textContent);
  }

  function describe() {
    const total = results.length;
    if (total === 0) return say("nothing", "Nothing found.");
    return shown < total
      ? say("first", { one: "%(count)s result, showing the first %(shown)s.", other: "%(count)s results, showing the first %(shown)s." },
        { count: total, shown })
      : say("results", { one: "%(count)s result.", other: "%(count)s results." }, { count: total });
  }

  function fail(error) {
    status.textContent = say("failed", "The search did not work. Please try again.");
    form.dataset.state = "done";
    console.error(error);
  }

  // Append the next PAGE_SIZE results; false if a newer search has started meanwhile.
  async function showMore() {
    const mine = generation;
    const batch = results.slice(shown, shown + PAGE_SIZE);
    shown += batch.length;                                  // claimed at once: a second click takes the next ones
    more.hidden = shown >= results.length;
    const data = await Promise.all(batch.map((result) => result.data()));
    if (mine !== generation) return false;
    list.append(...data.map(drawResult));
    status.textContent = describe();
    return true;
  }

  async function run() {
    const mine = ++generation;
    form.dataset.state = "searching";                       // "done" once results are drawn
    const { q, chosen, unknown } = readUrl();
    for (const box of boxes) box.checked = chosen[box.name]?.has(box.value) || false;
    const count = boxes.filter((box) => box.checked).length;
    ticked.textContent = count ? say("ticked", "(%(count)s ticked)", { count }) : "";
    const filters = pagefindFilters(chosen);
    const filtered = Object.keys(filters).length > 0;
    if (filtered) wantCounts();                             // arriving with facets ticked: counts matter
    list.replaceChildren();
    results = [];
    shown = 0;
    more.hidden = true;
    if (unknown.length) {
      drawCounts(null);
      status.textContent = say("unknown", "Nothing found: this site has no %(values)s.", { values: unknown.join(", ") });
      form.dataset.state = "done";
      return;
    }
    if (!q && !filtered) {
      drawCounts(null);
      status.textContent = say("idle", "Type a word or tick a filter.");
      form.dataset.state = "done";
      return;
    }
    status.textContent = say("searching", "Searching…");
    try {
      const ready = countsReady;
      const search = await pagefind.search(q || null, { filters });
      if (mine !== generation) return;
      results = search.results;
      const counts = ready ? await countsFor(q, chosen, search.filters) : "pending";
      if (mine !== generation) return;
      drawCounts(counts);
      if (!ready && countsReady) recount();                 // the filter index arrived during this search
      if (await showMore()) form.dataset.state = "done";
    } catch (error) {
      if (mine === generation) fail(error);
    }
  }

  // Counts for the current search, once the filter index is in.
  async function recount() {
    const mine = generation;
    const { q, chosen, unknown } = readUrl();
    const filters = pagefindFilters(chosen);
    if (unknown.length || (!q && !Object.keys(filters).length)) return;  // the site's counts are shown
    try {
      const search = await pagefind.search(q || null, { filters });
      const counts = await countsFor(q, chosen, search.filters);
      if (mine === generation) drawCounts(counts);
    } catch (error) {
      console.error(error);                                 // the counts stay blank; results are unaffected
    }
  }

  // Start from the link, keeping anything typed or ticked while the index loaded.
  const start = readUrl();
  if (!query.value) query.value = start.q;
  const early = boxes.filter((box) => box.checked && !start.chosen[box.name]?.has(box.value));
  if (early.length) {
    for (const box of early) (start.chosen[box.name] ||= new Set()).add(box.value);
    writeUrl(query.value.trim(), start.chosen);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    writeUrl(query.value.trim(), readUrl().chosen);
    run();
  });
  facetBox.addEventListener("change", (event) => {
    const box = event.target;
    const { chosen } = readUrl();
    const keys = chosen[box.name] || new Set();
    box.checked ? keys.add(box.value) : keys.delete(box.value);
    chosen[box.name] = keys;
    writeUrl(query.value.trim(), chosen);
    run();
  });
  // Reaching for the facets (pointer, touch or keyboard) is the cue to fetch their counts.
  for (const cue of ["pointerover", "touchstart", "focusin"]) {
    facetBox.addEventListener(cue, wantCounts, { passive: true });
  }
  more.addEventListener("click", async () => {
    const first = shown;
    const mine = generation;
    form.dataset.state = "searching";
    try {
      if (!(await showMore())) return;
      // Keyboard users continue where the new results start, unless they have moved on meanwhile.
      if ([more, document.body].includes(document.activeElement)) list.children[first]?.querySelector("a")?.focus();
      form.dataset.state = "done";
    } catch (error) {
      if (mine === generation) fail(error);
    }
  });
  form.dataset.ready = "true";
  run();
}
