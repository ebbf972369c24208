/* The "page not found" page (overrides/404.html): its search box hands the words to the header's
 * search (assets/search.js, Pagefind), which opens and shows the results. The box starts with the
 * words of the missing address, so a mistyped or moved story is often one Enter away. */
(function () {
  "use strict";

  var form = document.getElementById("vb-notfound-search");
  var query = document.getElementById("vb-notfound-query");
  var header = document.getElementById("vb-search-input");
  if (!form || !query || !header) {
    return;
  }
  var words = window.location.pathname.split("/").filter(Boolean).pop() || "";
  try {
    words = decodeURIComponent(words);
  } catch (e) {
    words = "";
  }
  query.value = words.replace(/\.html?$/, "").replace(/[-_+.]+/g, " ").trim();

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var toggle = document.getElementById("__search");
    if (toggle) {
      toggle.checked = true;
    }
    header.value = query.value;
    header.focus();
    header.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
