// The header's search box (partials/search.html) with Pagefind. Nothing of Pagefind is fetched on
// page load: its script, WebAssembly and index chunks come when the box gets focus or a query.
// Keys: "/", "s" or "f" opens the search; arrow down and up move through the results; Enter
// opens one (in the box: the first); Escape closes.
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
  const bundle = new URL(text.bundle, document.baseURI);
  let pagefind = null;
  let shown = 0;
  let found = [];
  let latest = Promise.resolve();
  let generation = 0;
  let timer = 0;

  function load() {
    pagefind = pagefind || import(new URL("pagefind.js", bundle).href).then(async (pf) => {
      // No web worker: one request less, and a query on one index chunk is quick on the main thread.
      await pf.options({ baseUrl: new URL("../", bundle).pathname, noWorker: true });
      await pf.init();
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
    const title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url;
    article.append(title, excerpt(data.excerpt || ""));
    a.append(article);
    li.append(a);
    return li;
  }

  function moreButton() {
    const li = document.createElement("li");
    li.className = "md-search-result__item vb-search-more";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-search-result__link";
    button.textContent = `Vis flere resultater (${found.length - shown} til)`;
    button.addEventListener("click", async () => {
      const first = shown;
      await showMore(generation);
      const next = links()[first];
      if (next) next.focus();
    });
    li.append(button);
    return li;
  }

  async function showMore(mine, fresh = false) {
    const page = await Promise.all(found.slice(shown, shown + PAGE).map((r) => r.data()));
    if (mine !== generation) return;
    if (fresh) list.replaceChildren();
    list.querySelector(".vb-search-more")?.remove();
    for (const data of page) list.append(item(data));
    shown += page.length;
    if (shown < found.length) list.append(moreButton());
  }

  async function search(term) {
    const mine = ++generation;
    if (!term.trim()) {
      found = [];
      shown = 0;
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
    const result = await pf.search(term);
    if (mine !== generation) return;
    found = result.results;
    shown = 0;
    await showMore(mine, true);
    if (mine !== generation) return;
    meta.textContent = count(found.length);
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
