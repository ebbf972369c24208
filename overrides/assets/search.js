// The header's search box (partials/search.html) with Pagefind. Nothing of Pagefind is fetched on
// page load: its script, WebAssembly and index chunks come when the box gets focus or a query.
// Keys: "/", "s" or "f" opens the search; arrow down and up move through the results; Enter
// opens one (in the box: the first); Escape closes.
// Each result says what it is (Pagefind's meta "type", set by the site: Historie, Metode, Princip,
// Side). Stories come first, in their own group, then the other pages, each group by relevance
// and with its own "Vis flere" button, so a method page stays in reach however many stories match.
(() => {
  "use strict";
  const box = document.getElementById("vb-search");
  if (!box) return;
  const form = box.querySelector("form");
  const input = form.querySelector("input");
  const list = document.getElementById("vb-search-results");
  const meta = document.getElementById("vb-search-meta");
  const toggle = document.getElementById("__search");
  const text = form.dataset;
  const PAGE = 10;
  const FIRST = 5; // results per group before "Vis flere"
  const STORY = "Historie";
  const bundle = new URL(text.bundle, document.baseURI);
  let pagefind = null;
  let groups = [];
  let latest = Promise.resolve();
  let generation = 0;
  let timer = 0;

  function load() {
    pagefind = pagefind || import(new URL("pagefind.js", bundle).href).then(async (pf) => {
      // No web worker: one request less, and a query on one index chunk is quick on the main thread.
      const baseUrl = new URL("../", bundle).pathname;
      await pf.options({ baseUrl, noWorker: true });
      await pf.init();
      // A large bank's index comes in parts (postbuild.Finisher); vb-dele.json lists the others.
      const parts = await fetch(new URL("vb-dele.json", bundle)).then((r) => (r.ok ? r.json() : []), () => []);
      for (const part of parts) await pf.mergeIndex(new URL(part, bundle).pathname, { baseUrl });
      return pf;
    });
    pagefind.catch(() => { pagefind = null; });
    return pagefind;
  }

  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
  }

  function close() {
    if (toggle) toggle.checked = false;
  }

  function count(n) {
    if (n === 0) return text.resultNone;
    if (n === 1) return text.resultOne;
    return text.resultOther.replace("#", n.toLocaleString("da-DK"));
  }

  // Pagefind's excerpt marks the matches with <mark>; copy only its text and <mark>, never markup.
  function excerpt(html) {
    const p = document.createElement("p");
    const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
    for (const node of doc.body.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.append(mark);
      } else {
        p.append(node.textContent);
      }
    }
    return p;
  }

  function item(data) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const kind = document.createElement("p");
    kind.className = "vb-search-kind";
    kind.textContent = (data.meta && data.meta.type) || "Side";
    const title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url;
    article.append(kind, title, excerpt(data.excerpt || ""));
    a.append(article);
    li.append(a);
    return li;
  }

  function moreButton(group) {
    const li = document.createElement("li");
    li.className = "md-search-result__item vb-search-more";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-search-result__link";
    button.textContent = `${group.more} (${group.found.length - group.data.length} til)`;
    button.addEventListener("click", async () => {
      const first = group.data.length;
      await showMore(group, generation, PAGE);
      const next = group.items[first];
      if (next) next.querySelector("a").focus();
    });
    li.append(button);
    return li;
  }

  function render() {
    const items = [];
    for (const group of groups) {
      if (!group.found.length) continue;
      const head = document.createElement("li");
      head.className = "md-search-result__item vb-search-group";
      head.textContent = `${group.name} (${group.found.length.toLocaleString("da-DK")})`;
      items.push(head);
      group.items = group.data.map(item);
      items.push(...group.items);
      if (group.data.length < group.found.length) items.push(moreButton(group));
    }
    list.replaceChildren(...items);
  }

  async function showMore(group, mine, size) {
    const next = await Promise.all(group.found.slice(group.data.length, group.data.length + size).map((r) => r.data()));
    if (mine !== generation) return;
    group.data.push(...next);
    render();
  }

  async function search(term) {
    const mine = ++generation;
    if (!term.trim()) {
      groups = [];
      list.replaceChildren();
      list.dataset.term = "";
      meta.textContent = text.resultPlaceholder;
      return;
    }
    meta.textContent = text.loading;
    let pf;
    try {
      pf = await load();
    } catch {
      meta.textContent = text.failed;
      return;
    }
    const [all, stories] = await Promise.all([pf.search(term), pf.search(term, { filters: { type: STORY } })]);
    if (mine !== generation) return;
    const isStory = new Set(stories.results.map((r) => r.id));
    groups = [
      { name: "Historier", more: "Vis flere historier", found: stories.results, data: [], items: [] },
      { name: "Andre sider", more: "Vis flere sider", data: [], items: [],
        found: all.results.filter((r) => !isStory.has(r.id)) },
    ];
    await Promise.all(groups.map((group) => showMore(group, mine, FIRST)));
    if (mine !== generation) return;
    meta.textContent = count(all.results.length);
    list.dataset.term = term; // which query the list shows (the tests wait for it)
  }

  function links() {
    return [...list.querySelectorAll("a.md-search-result__link, button.md-search-result__link")];
  }

  input.addEventListener("focus", () => {
    open();
    load().catch(() => {});
  });
  input.addEventListener("input", () => {
    open();
    clearTimeout(timer);
    const term = input.value;
    latest = new Promise((resolve) => {
      timer = setTimeout(() => search(term).then(resolve, resolve), 80);
    });
  });
  form.addEventListener("submit", (ev) => ev.preventDefault());
  form.addEventListener("reset", () => {
    setTimeout(() => {
      search("");
      input.focus();
    });
  });
  if (toggle) {
    toggle.addEventListener("change", () => {
      if (toggle.checked) setTimeout(() => input.focus(), 50);
    });
  }

  input.addEventListener("keydown", async (ev) => {
    if (ev.key === "ArrowDown") {
      const first = links()[0];
      if (first) {
        ev.preventDefault();
        first.focus();
      }
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      await latest;
      const first = list.querySelector("a.md-search-result__link");
      if (first) first.click();
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      close();
    }
  });

  list.addEventListener("keydown", (ev) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (ev.key === "ArrowDown" && at < all.length - 1) {
      ev.preventDefault();
      all[at + 1].focus();
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      (at > 0 ? all[at - 1] : input).focus();
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      close();
      input.focus();
    }
  });
  box.addEventListener("focusout", (ev) => {
    if (ev.relatedTarget && !box.contains(ev.relatedTarget)) close();
  });
  list.addEventListener("click", (ev) => {
    const link = ev.target.closest("a");
    if (link && link.hash && link.pathname === location.pathname) close();
  });

  document.addEventListener("keydown", (ev) => {
    if (ev.metaKey || ev.ctrlKey || ev.altKey || ev.defaultPrevented) return;
    if (!["/", "s", "f"].includes(ev.key)) return;
    const active = document.activeElement;
    if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) return;
    ev.preventDefault();
    open();
    input.focus();
    input.select();
  });
})();
