/* Filters on the stories overview. Plain JavaScript, no libraries.
 *
 * The compact index (made by hooks/videnbank/facets.py, its address in the form's data-index) is
 * fetched only when a filter is used. Each result is the page's own story card: the <template>
 * #vb-card-template, filled from the index's row, which carries the addresses. The filter state lives in the address (?princip=...&metode=...), so a
 * filtered view can be shared and reloaded, and every change is a history entry, so the back
 * button undoes it. Matching mirrors facets.select: "any" = at least one chosen value, "all" =
 * every chosen value; facets combine with AND. Once the index is loaded, every option's count
 * follows the other choices as in facets.counts (the stories the other facets leave that have the
 * option; for an "all" facet, also its own choices), and an option that would find nothing is
 * disabled. Without JavaScript the form stays hidden (a <noscript> style) and the static,
 * paginated list is the overview.
 *
 * The form folds behind the "Filtrér" button (#vb-filter-toggle, a disclosure button with
 * aria-expanded; the CSS hides the form while it is "false"). The form is in the page from the
 * first paint, closed, so nothing moves when this script starts.
 */
(function () {
  "use strict";

  var form = document.getElementById("vb-filter");
  if (!form || !window.fetch || !window.URLSearchParams || !window.history.pushState) {
    return;
  }
  var all = document.getElementById("vb-all");
  var results = document.getElementById("vb-results");
  var cards = document.getElementById("vb-results-cards");
  var more = document.getElementById("vb-more");
  var status = document.getElementById("vb-filter-status");
  var total = Number(form.dataset.total);
  var here = window.location.href;
  var root = new URL(form.dataset.root, here).href;
  var template = document.getElementById("vb-card-template");
  var indexUrl = new URL(form.dataset.index, here).href;
  var toggle = document.getElementById("vb-filter-toggle");
  var chosenCount = document.getElementById("vb-filter-chosen");

  var names = [];
  Array.prototype.forEach.call(form.elements, function (el) {
    if (el.name && names.indexOf(el.name) < 0) {
      names.push(el.name);
    }
  });

  var loading = null;
  var matches = [];
  var shown = 0;
  var generation = 0;
  var filtered = false;

  function load() {
    if (!loading) {
      loading = fetch(indexUrl, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status + " " + indexUrl);
          }
          return response.json();
        })
        .then(prepare)
        .catch(function (error) {
          loading = null;
          throw error;
        });
    }
    return loading;
  }

  function prepare(data) {
    var field = {};
    data.fields.forEach(function (name, i) { field[name] = i; });
    var facets = {};
    data.facets.forEach(function (f) {
      var position = {};
      f.values.forEach(function (value, i) { position[value] = i; });
      facets[f.key] = {
        match: f.match, field: field[f.key], position: position,
        values: f.values, labels: f.labels, urls: f.urls, names: f.names,
      };
    });
    return { field: field, facets: facets, stories: data.stories, page: data.page };
  }

  /* The chosen values per facet, from a query string, in form order. */
  function selection(query) {
    var params = new URLSearchParams(query);
    var chosen = {};
    names.forEach(function (name) {
      var values = params.getAll(name).filter(function (v) { return v !== ""; });
      if (values.length) {
        chosen[name] = values;
      }
    });
    return chosen;
  }

  function queryOf(chosen) {
    var params = new URLSearchParams();
    names.forEach(function (name) {
      (chosen[name] || []).forEach(function (v) { params.append(name, v); });
    });
    return params.toString();
  }

  function fromForm() {
    var chosen = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.value === "") {
        return;
      }
      if ((el.type === "checkbox" && el.checked) || el.tagName === "SELECT") {
        (chosen[el.name] = chosen[el.name] || []).push(el.value);
      }
    });
    return chosen;
  }

  function toForm(chosen) {
    Array.prototype.forEach.call(form.elements, function (el) {
      var values = chosen[el.name] || [];
      if (el.type === "checkbox") {
        el.checked = values.indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT") {
        var known = Array.prototype.some.call(el.options, function (o) {
          return o.value === values[0];
        });
        el.value = known ? values[0] : "";
      }
    });
  }

  /* One test per chosen facet: {key: function (row) -> bool}. */
  function checks(index, chosen) {
    var tests = {};
    Object.keys(chosen).forEach(function (key) {
      var facet = index.facets[key];
      if (!facet) {
        return;
      }
      var wanted = chosen[key]
        .filter(function (v) { return Object.prototype.hasOwnProperty.call(facet.position, v); })
        .map(function (v) { return facet.position[v]; });
      if (!wanted.length) {
        return;
      }
      var every = facet.match === "all";
      tests[key] = function (row) {
        var has = row[facet.field];
        var hit = every ? wanted.every : wanted.some;
        return hit.call(wanted, function (i) { return has.indexOf(i) >= 0; });
      };
    });
    return tests;
  }

  function passes(row, tests, skip) {
    return Object.keys(tests).every(function (key) { return key === skip || tests[key](row); });
  }

  function matching(index, chosen) {
    var tests = checks(index, chosen);
    return index.stories.filter(function (row) { return passes(row, tests, null); });
  }

  /* Per facet, per value: the stories the other choices leave (for an "all" facet, also its own)
     that have the value. Mirrors facets.counts. */
  function counting(index, chosen) {
    var tests = checks(index, chosen);
    var tally = {};
    Object.keys(index.facets).forEach(function (key) {
      var facet = index.facets[key];
      var skip = facet.match === "all" ? null : key;
      var n = facet.values.map(function () { return 0; });
      index.stories.forEach(function (row) {
        if (passes(row, tests, skip)) {
          row[facet.field].forEach(function (i) { n[i] += 1; });
        }
      });
      tally[key] = n;
    });
    return tally;
  }

  function showCounts(index, chosen) {
    var tally = counting(index, chosen);
    Array.prototype.forEach.call(form.elements, function (el) {
      var facet = index.facets[el.name];
      if (!facet) {
        return;
      }
      if (el.type === "checkbox") {
        var i = facet.position[el.value];
        var n = i === undefined ? 0 : tally[el.name][i];
        var count = el.labels && el.labels[0] && el.labels[0].querySelector(".vb-filter__count");
        if (count) {
          count.textContent = "(" + n + ")";
        }
        el.disabled = n === 0 && !el.checked;
      } else if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.options, function (option) {
          var j = facet.position[option.value];
          if (option.value === "" || j === undefined) {
            return;
          }
          var m = tally[el.name][j];
          option.textContent = facet.labels[j] + " (" + m + ")";
          option.disabled = m === 0 && !option.selected;
        });
      }
    });
  }

  function card(index, row) {
    var f = index.field;
    var li = template.content.firstElementChild.cloneNode(true);
    var link = li.querySelector("[data-vb=link]");
    link.textContent = row[f.title];
    link.href = new URL(row[f.url], root).href;
    var draft = li.querySelector("[data-vb=draft]");
    if (draft && !row[f.draft]) {
      draft.previousSibling && draft.previousSibling.nodeType === 3 && draft.previousSibling.remove();
      draft.remove();
    } else if (draft) {
      draft.textContent = row[f.draft];
    }
    li.querySelector("[data-vb=meta]").textContent = row[f.meta];
    li.querySelector("[data-vb=summary]").textContent = row[f.summary];
    var badges = li.querySelector("[data-vb=badges]");
    var badge = badges.querySelector("li");
    badges.textContent = "";
    var principles = index.facets.princip;
    row[f.princip].forEach(function (i) {
      var item = badge.cloneNode(true);
      var a = item.querySelector("a");
      a.textContent = principles.labels[i];
      a.title = principles.names[i];
      a.href = new URL(principles.urls[i], root).href;
      badges.appendChild(item);
    });
    return li;
  }

  function showMore(index, focus) {
    var first = null;
    matches.slice(shown, shown + index.page).forEach(function (row) {
      var li = card(index, row);
      first = first || li.querySelector("a");
      cards.appendChild(li);
    });
    shown = Math.min(matches.length, shown + index.page);
    var left = matches.length - shown;
    more.hidden = left <= 0;
    more.textContent = "Vis flere historier (" + left + " tilbage)";
    if (focus && first) {
      first.focus();
    }
  }

  function countText(n) {
    if (n === 0) {
      return "Ingen historier passer til filtrene. Prøv at fjerne et filter.";
    }
    return (n === 1 ? "1 historie passer" : n + " historier passer") + " til filtrene.";
  }

  function showAll(announce) {
    results.hidden = true;
    all.hidden = false;
    status.textContent = announce
      ? "Filtrene er nulstillet. " + (total === 1 ? "Historien vises." : "Alle " + total + " historier vises.") : "";
  }

  /* The fold: open or close the form; the button says how many filters are chosen. */
  function fold(open) {
    if (toggle) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }

  function folds() {
    return Boolean(toggle && toggle.offsetParent !== null);
  }

  function showChosen(chosen) {
    if (!chosenCount) {
      return;
    }
    var n = Object.keys(chosen).reduce(function (sum, key) { return sum + chosen[key].length; }, 0);
    chosenCount.textContent = n ? "(" + n + " valgt)" : "";
  }

  function render(chosen) {
    var token = ++generation;
    showChosen(chosen);
    if (!Object.keys(chosen).length) {
      showAll(filtered);
      filtered = false;
      if (loading) {
        loading.then(function (index) {
          if (token === generation) {
            showCounts(index, chosen);
          }
        }, function () {});
      }
      return;
    }
    filtered = true;
    status.textContent = "Henter historierne …";
    load().then(function (index) {
      if (token !== generation) {
        return;
      }
      matches = matching(index, chosen);
      showCounts(index, chosen);
      shown = 0;
      cards.textContent = "";
      showMore(index, false);
      all.hidden = true;
      results.hidden = false;
      status.textContent = countText(matches.length);
      more.onclick = function () { showMore(index, true); };
    }).catch(function () {
      if (token !== generation) {
        return;
      }
      showAll(false);
      status.textContent = "Filtrene kunne ikke hentes. Listen nedenfor viser alle historier.";
    });
  }

  function apply() {
    var chosen = fromForm();
    var query = queryOf(chosen);
    if (query !== window.location.search.replace(/^\?/, "")) {
      var url = window.location.pathname + (query ? "?" + query : "");
      window.history.pushState({ videnbank: query }, "", url);
    }
    render(chosen);
  }

  /* Address -> form -> filter, so values the form does not know are dropped, as in
     facets.select. */
  function restore() {
    toForm(selection(window.location.search));
    render(fromForm());
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
    if (folds()) {
      fold(false);
      toggle.focus();
    }
  });
  if (toggle) {
    toggle.addEventListener("click", function () {
      fold(toggle.getAttribute("aria-expanded") !== "true");
    });
  }
  form.addEventListener("reset", function () {
    window.setTimeout(apply, 0);
  });
  window.addEventListener("popstate", restore);

  restore();
})();
