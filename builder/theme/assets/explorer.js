// The explorer of related projects in the visitor's browser: a search over acronyms, titles and
// objectives, facets that narrow the projects and count what each value would leave, two orders,
// an address that holds the whole query (to bookmark or share), and the selection as CSV or JSON.
// It reads the index under projects/data/ a file at a time, as each query needs them;
// builder/explorer_index.py says what each file holds. Without this script the page lists every
// project, page by page.

const app = document.querySelector("[data-explorer-index]");
// The page's words in its language (Wording.script_words in builder/templating.py), English where a
// page gives none: a text with %(name)s placeholders, or for a count a text per plural category.
const words = JSON.parse(app?.dataset.words || "{}");
const plural = new Intl.PluralRules(words.language || "en");
if (app) start(app).catch((error) => failed(app, error));

function say(key, english, values = {}) {
  let text = words[key] ?? english;
  if (typeof text === "object") text = text[plural.select(values.count)] ?? text.other;
  return text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
}

const SORTS = ["newest", "oldest", "contribution"];
const SHOWN_VALUES = 12; // a facet's values listed before "Show all"

async function start(app) {
  const indexUrl = new URL(app.dataset.explorerIndex, location.href);
  const files = new Map();
  // Every file is asked for with index.json's version, so a visit never mixes two builds.
  const load = (name) => {
    if (!files.has(name)) {
      files.set(name, fetch(new URL(name + indexUrl.search, indexUrl)).then((response) => {
        if (!response.ok) throw new Error(`${name}: ${response.status}`);
        return response.json();
      }).catch((error) => {
        files.delete(name); // a failure once is no failure for good: the next query asks again
        throw error;
      }));
    }
    return files.get(name);
  };
  const index = await load("index.json");
  const digits = new Map([...index.alphabet].map((char, value) => [char, value]));
  const split = new Map(Object.entries(index.split)); // a Map: a key may be any word, "constructor" too
  const form = app.querySelector("form");
  const status = app.querySelector(".ds-explorer-status");
  const results = app.querySelector(".ds-explorer-results");
  const pager = app.querySelector(".ds-explorer-app__pager");
  const facets = new Map(); // key -> {values, column}: a facet's values, and each project's places among them
  let state = readAddress();
  let selection = [];
  let asked = 0; // queries answer out of order: only the latest may show

  // Numbers in base 64, `width` characters each.
  function decode(text, width) {
    const numbers = new Int32Array(text.length / width);
    for (let at = 0, n = 0; at < text.length; at += width, n += 1) {
      let value = 0;
      for (let k = 0; k < width; k += 1) value = value * index.alphabet.length + digits.get(text[at + k]);
      numbers[n] = value;
    }
    return numbers;
  }

  // A word's projects: their numbers, or after "~" a bitmap of six projects a character.
  function projectsOf(text, marks) {
    if (text[0] === "~") {
      for (let cell = 1; cell < text.length; cell += 1) {
        const bits = digits.get(text[cell]);
        for (let bit = 0; bit < 6; bit += 1) if (bits & (1 << bit)) marks[(cell - 1) * 6 + bit] = 1;
      }
    } else {
      for (const project of decode(text, index.width)) marks[project] = 1;
    }
  }

  // As builder/explorer_index.py's words_of: accents dropped, lower case, letters and digits.
  function wordsOf(text) {
    const plain = text.normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase();
    return (plain.match(/[\p{L}\p{N}]+/gu) || []).filter((word) => !index.stopwords.includes(word));
  }

  // As builder/explorer_index.py's bucket_of: FNV-1a of the UTF-8 of a key.
  function bucketOf(key) {
    let digest = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(key)) digest = Math.imul(digest ^ byte, 0x01000193) >>> 0;
    return digest % index.buckets;
  }

  // The keys whose words may start with `word` (builder/explorer_index.py's keys_of): its own
  // key, a letter longer for each split key it passes; when it ends on a split key, that key and
  // every key under it.
  function keysFor(word) {
    const letters = [...word];
    let length = Math.min(index.prefix, letters.length);
    while (split.has(letters.slice(0, length).join("")) && letters.length > length) length += 1;
    const keys = [letters.slice(0, length).join("")];
    for (let at = 0; at < keys.length; at += 1) {
      for (const letter of split.get(keys[at]) || "") keys.push(keys[at] + letter);
    }
    return keys;
  }

  // The projects whose text has a word that starts with `word` (or is it, when it is shorter
  // than a key's letters: "ai" finds "ai", not "aim").
  async function matching(word) {
    const whole = [...word].length < index.prefix;
    const buckets = [...new Set(keysFor(word).map(bucketOf))];
    const marks = new Uint8Array(index.count);
    for (const bucket of await Promise.all(buckets.map((number) => load(`words-${number}.json`)))) {
      for (const [known, projects] of Object.entries(bucket)) {
        if (whole ? known === word : known.startsWith(word)) projectsOf(projects, marks);
      }
    }
    return marks;
  }

  async function facet(key) {
    if (!facets.has(key)) {
      const data = await load(`facet-${key}.json`);
      const multiple = index.facets.find((spec) => spec.key === key).multiple;
      const column = data.mask ? Array.from(data.projects, (char) => placesOf(digits.get(char)))
        : multiple ? data.projects.split(".").map((run) => decode(run, data.width))
          : Array.from(decode(data.projects, data.width), (value) => [value]);
      facets.set(key, { values: data.values, column });
    }
    return facets.get(key);
  }

  function readAddress() {
    const params = new URLSearchParams(location.search);
    const chosen = new Map();
    for (const spec of index.facets) {
      const values = params.getAll(spec.key);
      if (values.length) chosen.set(spec.key, new Set(values));
    }
    const sort = SORTS.includes(params.get("sort")) ? params.get("sort") : "newest";
    return { q: params.get("q") || "", sort, page: Math.max(1, parseInt(params.get("page"), 10) || 1), chosen };
  }

  function writeAddress(push) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const [key, values] of state.chosen) for (const value of values) params.append(key, value);
    if (state.sort !== "newest") params.set("sort", state.sort);
    if (state.page > 1) params.set("page", String(state.page));
    const query = params.toString();
    const address = `${location.pathname}${query ? `?${query}` : ""}`;
    history[push ? "pushState" : "replaceState"](null, "", address);
  }

  async function order(sort) {
    if (sort === "contribution") return decode((await load("order-contribution.json")).projects, index.width);
    const all = Array.from({ length: index.count }, (_, n) => n);
    if (sort === "newest") return all;
    const dated = index.count - index.undated; // the undated come last in either order
    return [...all.slice(0, dated).reverse(), ...all.slice(dated)];
  }

  async function run() {
    const query = (asked += 1);
    const asking = state; // the query as it is now: Back or Forward may replace `state` meanwhile
    status.textContent = say("searching", "Searching…");
    const words = wordsOf(asking.q);
    const text = new Uint8Array(index.count).fill(1);
    for (const marks of await Promise.all(words.map(matching))) {
      for (let n = 0; n < index.count; n += 1) text[n] &= marks[n];
    }
    // Each narrowing facet's verdict on every project; a facet's counts leave its own out.
    const open = index.facets.filter((spec) => asking.chosen.has(spec.key) || facetDetails(spec.key).open);
    await Promise.all(open.map((spec) => facet(spec.key)));
    if (query !== asked) return;
    forgetUnknownValues(asking);
    const passes = new Map();
    for (const [key, chosen] of asking.chosen) {
      const { values, column } = facets.get(key);
      const wanted = new Set(values.flatMap(([value], place) => (chosen.has(value) ? [place] : [])));
      passes.set(key, column.map((places) => places.some((place) => wanted.has(place))));
    }
    const verdicts = [...passes];
    const kept = (n, except) => text[n] && verdicts.every(([key, of]) => key === except || of[n]);
    const ordered = await order(asking.sort);
    if (query !== asked) return;
    selection = Array.from(ordered).filter((n) => kept(n, null));
    for (const spec of open) {
      const { values, column } = facets.get(spec.key);
      const counts = new Int32Array(values.length);
      for (let n = 0; n < index.count; n += 1) if (kept(n, spec.key)) for (const place of column[n]) counts[place] += 1;
      drawFacet(spec, counts);
    }
    const pages = Math.max(1, Math.ceil(selection.length / index.pageSize));
    state.page = Math.min(state.page, pages);
    await drawResults(query, pages);
  }

  // A query run from an event: should a file fail to load, the listing of every project returns
  // (unless a later query has begun, which answers for itself).
  function refresh() {
    const query = asked + 1;
    return run().catch((error) => { if (query === asked) failed(app, error); });
  }

  // A value an old address names that the projects no longer have: untick it (no box shows it).
  function forgetUnknownValues(asking) {
    let forgot = false;
    for (const [key, chosen] of asking.chosen) {
      const known = new Set(facets.get(key).values.map(([value]) => value));
      for (const value of chosen) if (!known.has(value)) { chosen.delete(value); forgot = true; }
      if (!chosen.size) asking.chosen.delete(key);
    }
    if (forgot) writeAddress(false);
  }

  async function drawResults(query, pages) {
    const shown = selection.slice((state.page - 1) * index.pageSize, state.page * index.pageSize);
    const files = [...new Set(shown.map((n) => Math.floor(n / index.rowsPerFile)))];
    const rows = new Map(await Promise.all(files.map(async (file) => [file, await load(`rows-${file}.json`)])));
    if (query !== asked) return;
    results.replaceChildren(...shown.map((n) => {
      const [id, acronym, title, summary] = rows.get(Math.floor(n / index.rowsPerFile))[n % index.rowsPerFile];
      const link = element("a", { href: new URL(`../${id}.html`, indexUrl).href },
        element("strong", {}, acronym), ` ${title}`);
      return element("li", {}, link, element("span", { class: "ds-explorer-list__meta" }, summary));
    }));
    const total = selection.length;
    const paged = { page: state.page, pages };
    status.textContent = total === index.count && !state.q && !state.chosen.size
      ? (pages > 1
        ? say("allPaged", { one: "%(count)s project, page %(page)s of %(pages)s.", other: "%(count)s projects, page %(page)s of %(pages)s." }, { count: total, ...paged })
        : say("all", { one: "%(count)s project.", other: "%(count)s projects." }, { count: total }))
      : (pages > 1
        ? say("matchingPaged", { one: "%(count)s of %(total)s projects matches, page %(page)s of %(pages)s.", other: "%(count)s of %(total)s projects match, page %(page)s of %(pages)s." }, { count: total, total: index.count, ...paged })
        : say("matching", { one: "%(count)s of %(total)s projects matches.", other: "%(count)s of %(total)s projects match." }, { count: total, total: index.count }));
    pager.replaceChildren(
      ...(state.page > 1 ? [button(say("previous", "Previous page"), () => turn(-1))] : []),
      ...(state.page < pages ? [button(say("next", "Next page"), () => turn(1))] : []));
    app.querySelectorAll("[data-download]").forEach((download) => { download.disabled = total === 0; });
  }

  function turn(by) {
    state.page += by;
    writeAddress(true);
    refresh().then(() => status.scrollIntoView({ block: "start" }));
  }

  function facetDetails(key) {
    return form.querySelector(`details[data-facet="${key}"]`);
  }

  function drawFacet(spec, counts) {
    const details = facetDetails(spec.key);
    const chosen = state.chosen.get(spec.key) || new Set();
    const listed = facets.get(spec.key).values
      .map(([value, label], place) => ({ value, label, count: counts[place] }))
      .filter((value) => value.count > 0 || chosen.has(value.value));
    if (spec.byCount) listed.sort((one, other) => other.count - one.count); // stable: ties keep the build's order
    const all = details.dataset.all === "yes";
    const items = (all ? listed : listed.slice(0, SHOWN_VALUES)).map((value) => {
      const box = element("input", { type: "checkbox", name: spec.key, value: value.value });
      box.checked = chosen.has(value.value);
      return element("li", {}, element("label", {}, box, ` ${value.label} `,
        element("span", { class: "ds-explorer-count" }, `(${value.count})`)));
    });
    const more = !all && listed.length > SHOWN_VALUES
      ? [button(say("showAll", "Show all %(count)s", { count: listed.length }), () => { details.dataset.all = "yes"; drawFacet(spec, counts); })] : [];
    if (!items.length) items.push(element("li", { class: "ds-explorer-count" }, say("none", "None among the projects found")));
    details.querySelector("ul").replaceChildren(...items);
    details.querySelector(".ds-explorer-facet__more").replaceChildren(...more);
  }

  async function download(kind) {
    const per = index.downloadRowsPerFile;
    const files = [...new Set(selection.map((n) => Math.floor(n / per)))];
    const chunks = new Map(await Promise.all(files.map(async (file) => [file, await load(`${kind}-${file}.json`)])));
    const rows = selection.map((n) => chunks.get(Math.floor(n / per))[n % per]);
    const text = kind === "csv" ? `${[index.columns.join(","), ...rows].join("\r\n")}\r\n` : JSON.stringify(rows);
    const blob = new Blob([text], { type: kind === "csv" ? "text/csv" : "application/json" });
    const link = element("a", { href: URL.createObjectURL(blob), download: `projects-selected.${kind}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  }

  // The form: the search box and order as the address says, a closed group per facet.
  for (const spec of index.facets) {
    const details = element("details", { class: "ds-explorer-facet", "data-facet": spec.key },
      element("summary", {}, spec.label),
      element("fieldset", {}, element("legend", { class: "ds-visually-hidden" }, spec.label), element("ul", {}),
        element("p", { class: "ds-explorer-facet__more" })));
    details.open = state.chosen.has(spec.key);
    details.addEventListener("toggle", () => { if (details.open) refresh(); });
    form.querySelector(".ds-explorer-facets").append(details);
  }
  const search = form.elements.q;
  const sort = form.elements.sort;
  const fromAddress = () => {
    search.value = state.q;
    sort.value = state.sort;
    form.querySelectorAll("details[data-facet]").forEach((details) => {
      if (state.chosen.has(details.dataset.facet)) details.open = true;
    });
  };
  let typing;
  search.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => { state.q = search.value; state.page = 1; writeAddress(false); refresh(); }, 250);
  });
  form.addEventListener("change", (event) => {
    const target = event.target;
    if (target === search) return;
    if (target === sort) state.sort = sort.value;
    if (target.type === "checkbox") {
      const chosen = state.chosen.get(target.name) || new Set();
      if (target.checked) chosen.add(target.value); else chosen.delete(target.value);
      if (chosen.size) state.chosen.set(target.name, chosen); else state.chosen.delete(target.name);
    }
    state.page = 1;
    writeAddress(true);
    refresh();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    state.q = search.value;
    state.page = 1;
    writeAddress(true);
    refresh();
  });
  app.querySelectorAll("[data-download]").forEach((control) => {
    control.addEventListener("click", () => download(control.dataset.download).catch((error) => failed(app, error)));
  });
  window.addEventListener("popstate", () => { state = readAddress(); fromAddress(); refresh(); });
  fromAddress();
  app.hidden = false;
  document.querySelectorAll(".ds-explorer-static").forEach((part) => { part.hidden = true; });
  await run();
}

// The places of the bits set in a facet's mask: 0b101 is the first value and the third.
function placesOf(mask) {
  const places = [];
  for (let place = 0; mask >> place; place += 1) if (mask & (1 << place)) places.push(place);
  return places;
}

function element(name, attributes, ...children) {
  const made = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, value);
  made.append(...children);
  return made;
}

function button(label, action) {
  const made = element("button", { type: "button", class: "md-button" }, label);
  made.addEventListener("click", action);
  return made;
}

function failed(app, error) {
  const status = app.querySelector(".ds-explorer-status");
  if (status) status.textContent = say("failed", "The search could not load its index (%(error)s); every project is listed below.", { error: error.message });
  document.querySelectorAll(".ds-explorer-static").forEach((part) => { part.hidden = false; });
}
