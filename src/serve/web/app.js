// newsdex's page: a client of the JSON API (/api/search, /api/article/ID).
// Its whole state is the URL: /?q=drone&from=2023-05&person=Dmitry+Peskov,
// so a search can be bookmarked, shared and reloaded, and Back works.
// Text from the index only ever reaches the page as text nodes; the one
// exception, highlighted passages, is rebuilt from text and <b> alone.
"use strict";

const FACETS = [
  ["source", "Sources"],
  ["person", "People"],
  ["org", "Organisations"],
  ["place", "Places"],
  ["topic", "Topics"],
];
// Filters shown as removable chips: the facets, entities, one article's
// near-duplicates (`similar`), and dates.
const FILTERS = [...FACETS.map(([field]) => field), "entity", "similar"];
const LABELS = { similar: "near-duplicates of" };
const DATES = ["from", "to", "on", "since", "until"];
const PAGE = 10;

const $ = (id) => document.getElementById(id);

// Creates an element with attributes and children (strings become text).
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A passage's highlighted HTML (escaped text and <b> from the server),
// rebuilt keeping only text and <b>: nothing else can get in.
function highlighted(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const out = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) out.append(node.textContent);
    else if (node.nodeName === "B") out.append(el("mark", {}, node.textContent));
    else out.append(node.textContent);
  }
  return out;
}

function state() {
  return new URLSearchParams(location.search);
}

function go(params) {
  const query = params.toString();
  history.pushState(null, "", query ? "/?" + query : "/");
  render();
}

// Changes the state: sets (or, with null, removes) keys, back to page one.
function update(changes) {
  const params = state();
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === "") params.delete(key);
    else params.set(key, value);
  }
  params.delete("offset");
  go(params);
}

function toggleFilter(field, value) {
  const params = state();
  const values = params.getAll(field);
  params.delete(field);
  const next = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
  for (const v of next) params.append(field, v);
  params.delete("offset");
  go(params);
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function headline(article) {
  return article.headline || article.title || article.id;
}

function meta(article, extra = []) {
  return [article.date || "undated", article.source || "unknown source", ...extra].join(" · ");
}

function showError(message) {
  const summary = $("summary");
  summary.textContent = message;
  summary.className = "error";
}

// Each render counts itself; an answer that arrives after a newer render
// began is dropped, so a slow search never paints over what came after.
let renders = 0;

// What had the keyboard focus (a facet's value, a timeline bar), to give
// it back once the lists are drawn again.
function focusKey() {
  const data = document.activeElement ? document.activeElement.dataset || {} : {};
  if (data.field && data.value !== undefined) return `[data-field="${CSS.escape(data.field)}"][data-value="${CSS.escape(data.value)}"]`;
  if (data.start) return `#timeline .bar[data-start="${CSS.escape(data.start)}"]`;
  return null;
}

async function render() {
  const mine = ++renders;
  const path = location.pathname;
  if (path.startsWith("/article/")) return renderArticle(decodeURIComponent(path.slice(9)), mine);
  const focus = focusKey();
  const params = state();
  $("q").value = params.get("q") || "";
  $("from").value = params.get("from") || "";
  $("to").value = params.get("to") || "";
  $("sort").value = params.get("sort") || "relevance";
  $("article").hidden = true;
  for (const id of ["results", "pages", "facets", "active"]) $(id).hidden = false;
  $("summary").className = "";
  $("summary").textContent = "Searching…";
  const request = new URLSearchParams(params);
  request.set("facets", "1");
  request.set("timeline", "1");
  request.set("limit", String(PAGE));
  let results;
  try {
    results = await api("/api/search?" + request);
  } catch (e) {
    if (mine !== renders) return;
    for (const id of ["results", "pages", "facets"]) $(id).replaceChildren();
    $("timeline").hidden = true;
    renderActive(params);
    return showError(e.message);
  }
  if (mine !== renders) return;
  document.title = params.get("q") ? `${params.get("q")} · newsdex` : "newsdex";
  renderActive(params);
  renderFacets(results.facets, params);
  renderTimeline(results.timeline);
  renderResults(results, params);
  const again = focus && document.querySelector(focus);
  if (again) again.focus();
}

function renderActive(params) {
  const chips = [];
  for (const field of FILTERS) {
    for (const value of params.getAll(field)) {
      chips.push(
        el("button", { type: "button", class: "chip", title: "Remove this filter", onclick: () => toggleFilter(field, value) },
          `${LABELS[field] || field}: ${value} ✕`)
      );
    }
  }
  for (const key of DATES) {
    const value = params.get(key);
    if (value) {
      chips.push(el("button", { type: "button", class: "chip", title: "Remove this date", onclick: () => update({ [key]: null }) },
        `${key} ${value} ✕`));
    }
  }
  $("active").replaceChildren(...chips);
}

function renderFacets(facets, params) {
  const groups = [];
  for (const [field, label] of FACETS) {
    const values = (facets && facets[field]) || [];
    if (!values.length) continue;
    const chosen = params.getAll(field);
    groups.push(
      el("section", { class: "facet", dataset: { field } },
        el("h2", {}, label),
        el("ul", {}, values.map(({ value, count }) =>
          el("li", {},
            el("button", {
              type: "button",
              "aria-pressed": chosen.includes(value) ? "true" : "false",
              dataset: { field, value },
              onclick: () => toggleFilter(field, value),
            }, el("span", { class: "name" }, value), el("span", { class: "count" }, count))
          )
        ))
      )
    );
  }
  $("facets").replaceChildren(...groups);
}

function renderTimeline(timeline) {
  const figure = $("timeline");
  const buckets = (timeline && timeline.buckets) || [];
  if (buckets.length < 2 && !(buckets.length === 1 && buckets[0].count > 0)) {
    figure.hidden = true;
    return;
  }
  const most = Math.max(1, ...buckets.map((b) => b.count));
  figure.hidden = false;
  figure.querySelector("figcaption").textContent =
    `Matches by ${timeline.by}, ${buckets[0].start} to ${buckets[buckets.length - 1].end} (click a bar to keep only its dates)`;
  figure.querySelector(".bars").replaceChildren(
    ...buckets.map((b, i) =>
      el("button", {
        type: "button",
        class: "bar",
        // One tab stop for the whole timeline; the arrow keys move along it.
        tabindex: i === 0 ? "0" : "-1",
        title: `${b.label}: ${b.count}`,
        "aria-label": `${b.label}: ${b.count} articles`,
        dataset: { start: b.start, end: b.end },
        onclick: () => update({ from: b.start, to: b.end }),
      }, bar((100 * b.count) / most))
    )
  );
}

// A bar's filled part. Its height is set through the style object, which
// the page's content policy allows (a style attribute it would refuse).
function bar(percent) {
  const fill = el("span");
  fill.style.height = `${percent}%`;
  return fill;
}

function renderResults(results, params) {
  const offset = Number(params.get("offset") || 0);
  const shown = results.total - results.collapsed;
  const q = params.get("q");
  const folded = results.collapsed ? ` (and ${results.collapsed} near-duplicates of them)` : "";
  $("summary").textContent = results.hits.length
    ? `${offset + 1}–${offset + results.hits.length} of ${shown} article${shown === 1 ? "" : "s"}${q ? ` for “${q}”` : ""}${folded}`
    : `No articles match${q ? ` “${q}”` : ""}.`;
  $("results").setAttribute("start", String(offset + 1));
  $("results").replaceChildren(
    ...results.hits.map((hit) => {
      // Folded near-duplicates: a link lists them all.
      const similar = hit.similar
        ? [" · ", el("a", { href: "/?" + new URLSearchParams({ similar: hit.id }), class: "similar" }, `+${hit.similar} similar`)]
        : [];
      return el("li", { class: "hit", dataset: { id: hit.id } },
        el("h3", {}, el("a", { href: "/article/" + encodeURIComponent(hit.id) }, headline(hit))),
        el("p", { class: "meta" }, meta(hit), similar),
        hit.passages.map((p) => el("p", { class: "passage" }, highlighted(p.highlighted)))
      );
    })
  );
  const pages = [];
  if (offset > 0) {
    pages.push(el("button", { type: "button", rel: "prev", onclick: () => page(Math.max(0, offset - PAGE)) }, "← Previous"));
  }
  if (offset + results.hits.length < shown) {
    pages.push(el("button", { type: "button", rel: "next", onclick: () => page(offset + PAGE) }, "Next →"));
  }
  $("pages").replaceChildren(...pages);
}

function page(offset) {
  const params = state();
  if (offset) params.set("offset", String(offset));
  else params.delete("offset");
  go(params);
  window.scrollTo(0, 0);
}

// The arrow keys move the focus along the timeline's bars.
function timelineKeys(event) {
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -Infinity, End: Infinity }[event.key];
  if (step === undefined) return;
  const bars = [...$("timeline").querySelectorAll(".bar")];
  const at = bars.indexOf(document.activeElement);
  if (at < 0) return;
  event.preventDefault();
  const next = bars[Math.max(0, Math.min(bars.length - 1, at + (Number.isFinite(step) ? step : step > 0 ? bars.length : -bars.length)))];
  for (const bar of bars) bar.tabIndex = bar === next ? 0 : -1;
  next.focus();
}

async function renderArticle(id, mine) {
  for (const id of ["results", "pages", "facets", "active"]) $(id).hidden = true;
  $("timeline").hidden = true;
  $("summary").className = "";
  $("summary").textContent = "";
  const view = $("article");
  view.hidden = false;
  view.replaceChildren("Loading…");
  let a;
  try {
    a = await api("/api/article/" + encodeURIComponent(id));
  } catch (e) {
    if (mine !== renders) return;
    view.replaceChildren();
    return showError(e.message);
  }
  if (mine !== renders) return;
  const title = headline(a);
  document.title = `${title} · newsdex`;
  const names = [];
  for (const field of ["person", "org", "place"]) {
    for (const name of (a.entities && a.entities[field]) || []) {
      names.push(el("a", { href: "/?" + new URLSearchParams({ [field]: name }), class: "chip" }, name));
    }
  }
  view.replaceChildren(
    el("p", {}, el("a", { href: "/", onclick: back }, "← Back to the search")),
    el("h2", {}, title),
    el("p", { class: "meta" }, meta(a, [a.id])),
    /^https?:\/\//i.test(a.url || "") ? el("p", {}, el("a", { href: a.url, rel: "noopener noreferrer" }, a.url)) : null,
    names.length ? el("p", { class: "names" }, names) : null,
    ...a.body.split(/\n\s*\n/).map((para) => el("p", {}, para))
  );
  view.querySelector("h2").tabIndex = -1;
  view.querySelector("h2").focus();
  renderLike(id, mine);
}

// "More like this" under an article: `newsdex similar ID`, the top five.
async function renderLike(id, mine) {
  let like;
  try {
    like = await api(`/api/similar/${encodeURIComponent(id)}?limit=5&passages=0`);
  } catch (e) {
    return; // The article is shown; its neighbours are a bonus.
  }
  if (mine !== renders || !like.hits.length) return;
  $("article").append(
    el("section", { id: "like", "aria-label": "More like this" },
      el("h3", {}, "More like this"),
      el("ol", {}, like.hits.map((hit) =>
        el("li", { class: "hit", dataset: { id: hit.id } },
          el("a", { href: "/article/" + encodeURIComponent(hit.id) }, headline(hit)),
          el("p", { class: "meta" }, meta(hit))
        )
      ))
    )
  );
}

// Back to the search that led here, if the page came from one (links
// within the page mark the history entries they make).
function back(event) {
  if (history.state && history.state.fromPage) {
    event.preventDefault();
    event.stopPropagation();
    history.back();
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("search").addEventListener("submit", (event) => {
    event.preventDefault();
    // From an article, a new search; from a search, the same one changed.
    const params = location.pathname === "/" ? state() : new URLSearchParams();
    const form = {
      q: $("q").value.trim(),
      from: $("from").value.trim(),
      to: $("to").value.trim(),
      sort: $("sort").value === "relevance" ? "" : $("sort").value,
    };
    for (const [key, value] of Object.entries(form)) {
      if (value) params.set(key, value);
      else params.delete(key);
    }
    params.delete("offset");
    go(params);
  });
  $("timeline").addEventListener("keydown", timelineKeys);
  $("sort").addEventListener("change", () => $("search").requestSubmit());
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
    if (event.key === "/" && !typing) {
      event.preventDefault();
      $("q").focus();
    }
  });
  window.addEventListener("popstate", render);
  document.body.addEventListener("click", (event) => {
    // Links within the page change its state without a reload.
    const link = event.target.closest("a[href]");
    if (!link || link.origin !== location.origin || event.defaultPrevented) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    history.pushState({ fromPage: true }, "", link.getAttribute("href"));
    render();
    window.scrollTo(0, 0);
  });
  render();
});
