// hearth: the search page. Pagefind's index is loaded from this site (no other
// host), searched in the browser, and its results are shown as plain links.
const root = document.querySelector("[data-search]");
if (root) start(root);

function start(root) {
  const bundle = root.getAttribute("data-search-bundle");
  const form = root.querySelector("form");
  const input = form.querySelector("input[type=search]");
  const status = root.querySelector("[data-search-status]");
  const list = root.querySelector("[data-search-results]");
  const kinds = root.querySelector("[data-search-kinds]");
  const more = root.querySelector("[data-search-more]");
  const PER_PAGE = 10;
  // A site in several languages searches the page's language only (SPEC §5), and
  // says what it finds in that language's words (`data-word-*`; English without).
  const ownLanguageOnly = root.hasAttribute("data-search-own-language");
  const word = (name, english) => root.getAttribute("data-word-" + name) || english;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, k) => (k in values ? values[k] : all));
  const kindLabel = (k) => word("kind-" + k.toLowerCase(), k);
  let pagefind = null;
  let kind = "";
  let current = null;
  let shown = 0;
  let asked = 0;

  // Loaded once, on the first search: every language of the site is searched,
  // not only the page's own (Pagefind keeps one index per language), unless the
  // site is in several languages, each with its own search page.
  async function load() {
    if (pagefind) return pagefind;
    const pf = await import(bundle + "pagefind.js");
    // Result URLs are indexed with the base path already. No worker: its script
    // would be 43 KB more for every visitor, and searching a hub's index on the
    // page's own thread takes milliseconds. The kind filter's data is loaded only
    // when a kind is chosen (counts per kind show from then on).
    await pf.options({ baseUrl: "/", excerptLength: 24, noWorker: true });
    await pf.init();
    if (ownLanguageOnly) {
      pagefind = pf;
      return pf;
    }
    try {
      const entry = await (await fetch(bundle + "pagefind-entry.json")).json();
      const own = (document.documentElement.lang || "").toLowerCase();
      for (const language of Object.keys(entry.languages || {})) {
        if (language.toLowerCase() !== own) {
          await pf.mergeIndex(bundle, { language, baseUrl: "/" });
        }
      }
    } catch (e) { /* the page's own language is searched anyway */ }
    pagefind = pf;
    return pf;
  }

  // Excerpts come from strangers' text: only their words and Pagefind's <mark>
  // are kept. DOMParser makes an inert document (no scripts, no requests).
  function excerptNodes(html) {
    const doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    const out = document.createDocumentFragment();
    doc.body.firstChild.childNodes.forEach(function walk(node) {
      if (node.nodeType === Node.TEXT_NODE) {
        out.appendChild(document.createTextNode(node.textContent));
      } else if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        node.childNodes.forEach(walk);
      }
    });
    return out;
  }

  // Results lead within this site only: a path from its root. Browsers read a
  // backslash as "/", so "/" and a backslash, like "//", start another host's
  // address; a backslash or a control character has no place in a path at all.
  function isSiteUrl(url) {
    return typeof url === "string" && url.startsWith("/") && !/^\/[\/\\]/.test(url)
      && !/[\\\u0000-\u001f\u007f]/.test(url);
  }

  function say(text) {
    status.textContent = text;
  }

  // The site's kinds (from the page) as radio chips; once Pagefind has counted
  // them (after a kind was chosen), the kinds without results go. Chips that stay
  // are kept (with their focus) and only their counts change.
  const known = (root.getAttribute("data-search-kinds-known") || "").split(" ").filter(Boolean);
  function showKinds(filters, found) {
    const counted = filters && filters.kind && Object.keys(filters.kind).length ? filters.kind : null;
    const names = counted
      ? Object.keys(counted).filter((k) => counted[k] > 0 || k === kind).sort()
      : known.slice().sort();
    if (names.length < 2 && !kind) {
      kinds.hidden = true;
      return;
    }
    kinds.hidden = false;
    const count = (k) => (counted ? String(counted[k] || 0) : "");
    const total = counted ? String(names.reduce((n, k) => n + (counted[k] || 0), 0)) : String(found);
    const wanted = [["", word("all", "All"), total]].concat(names.map((k) => [k, kindLabel(k), count(k)]));
    const values = wanted.map(([value]) => value);
    kinds.querySelectorAll("input").forEach((radio) => {
      if (!values.includes(radio.value)) {
        radio.nextElementSibling.remove();
        radio.remove();
      }
    });
    let after = kinds.querySelector("legend");
    wanted.forEach(([value, label, count]) => {
      let radio = [...kinds.querySelectorAll("input")].find((r) => r.value === value);
      if (!radio) {
        radio = document.createElement("input");
        radio.type = "radio";
        radio.name = "kind";
        radio.id = "search-kind-" + (value || "all").toLowerCase();
        radio.value = value;
        radio.addEventListener("change", () => {
          kind = value;
          run(input.value, true);
        });
        const text = document.createElement("label");
        text.htmlFor = radio.id;
        text.append(label + " ");
        const n = document.createElement("span");
        n.className = "count";
        text.appendChild(n);
        after.after(radio, text);
      }
      radio.checked = value === kind;
      radio.nextElementSibling.querySelector(".count").textContent = count;
      after = radio.nextElementSibling;
    });
  }

  async function showMore() {
    const batch = current.results.slice(shown, shown + PER_PAGE);
    shown += batch.length;
    const items = await Promise.all(batch.map((r) => r.data()));
    for (const data of items) {
      if (!isSiteUrl(data.url)) continue;
      const meta = data.meta || {};
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = data.url;
      a.textContent = meta.title || data.url;
      const head = document.createElement("p");
      head.className = "search-result-title";
      head.appendChild(a);
      const label = document.createElement("span");
      label.className = "search-kind";
      label.textContent = meta.kind ? kindLabel(meta.kind) : "";
      head.append(" ", label);
      li.appendChild(head);
      const detail = meta.detail || meta.date;
      if (detail) {
        const p = document.createElement("p");
        p.className = "meta";
        p.textContent = detail;
        li.appendChild(p);
      }
      const excerpt = document.createElement("p");
      excerpt.className = "search-excerpt";
      excerpt.appendChild(excerptNodes(data.excerpt || ""));
      li.appendChild(excerpt);
      list.appendChild(li);
    }
    more.hidden = shown >= current.results.length;
  }

  async function run(query, now) {
    const ask = ++asked;
    const q = query.trim();
    const url = new URL(location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!q) {
      list.replaceChildren();
      more.hidden = true;
      kinds.hidden = true;
      say("");
      return;
    }
    let pf;
    try {
      pf = await load();
    } catch (e) {
      say(word("failed", "Search could not load. Try again later, or browse the menu."));
      return;
    }
    if (!now) await new Promise((done) => setTimeout(done, 150));
    if (ask !== asked) return;
    const options = kind ? { filters: { kind } } : {};
    const search = await pf.search(q, options);
    if (ask !== asked || !search) return;
    current = search;
    shown = 0;
    list.replaceChildren();
    await showMore();
    if (ask !== asked) return;
    const n = search.results.length;
    showKinds(search.totalFilters || search.filters, kind ? "" : n);
    const where = kind ? fill(word("where", " in {kind}"), { kind: kindLabel(kind) }) : "";
    const text = n === 0
      ? word("nothing", "Nothing found for “{q}”{where}.")
      : n === 1 ? word("one", "1 result for “{q}”{where}.") : word("many", "{n} results for “{q}”{where}.");
    say(fill(text, { n: String(n), q, where }));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(input.value, true);
  });
  input.addEventListener("input", () => run(input.value, false));
  more.addEventListener("click", () => showMore());

  const q = new URLSearchParams(location.search).get("q") || "";
  if (q) {
    input.value = q;
    run(q, true);
  }
}
