/* The writing page "Skriv en historie" (overrides/skriv.html).
 *
 * Everything it knows about the fields comes from the core (hooks/videnbank/writing.py) in the
 * JSON block #skriv-data: the issue form's fields with their labels, choices and constraints, the
 * model's order of the front matter and its body sections. The page
 *  - keeps the draft in localStorage on every change, restores it on load, deletes it on request;
 *  - checks the fields (the browser's own constraints plus the line formats of the issue form) and
 *    shows the problems the way Danish public forms do: a summary at the top with a link to each
 *    field, the message beside the field, focus on the summary;
 *  - shows the story as it will look, built with textContent only;
 *  - writes the file `videnbank fra-issue` would write from the same answers (front matter with
 *    every string quoted, publicering: til-gennemsyn, the body sections with their text escaped so
 *    nothing typed becomes a heading, front matter or markup) and offers it as a download, as a
 *    mail to the secretariat and as a prefilled GitHub issue.
 * Nothing is sent anywhere by the page itself: no request goes to any host.
 */
(function () {
  "use strict";

  var dataElement = document.getElementById("skriv-data");
  var form = document.getElementById("skriv");
  if (!dataElement || !form) return;
  var config = JSON.parse(dataElement.textContent);
  var fields = config.fields;
  var byTarget = {};
  fields.forEach(function (f) { if (f.target) byTarget[f.target] = f; });
  var BODY = "tekst:";

  var summary = document.getElementById("skriv-fejl");
  var summaryList = document.getElementById("skriv-fejl-liste");
  var preview = document.getElementById("skriv-visning");
  var previewHeading = document.getElementById("skriv-visning-titel");
  var story = document.getElementById("skriv-historie");
  var send = document.getElementById("skriv-send");
  var draftStatus = document.getElementById("skriv-kladde-status");
  var announce = document.getElementById("skriv-besked");
  var download = document.getElementById("skriv-hent");
  var mail = document.getElementById("skriv-mail");
  var mailLong = document.getElementById("skriv-mail-lang");
  var github = document.getElementById("skriv-github");
  var githubLong = document.getElementById("skriv-github-lang");
  var markup = new RegExp(config.markup);
  var blobUrl = null;

  // --- reading the form ------------------------------------------------------------------------

  function boxes(f) {
    return Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="' + f.name + '"]'));
  }

  function element(f) {
    return f.element === "checks" ? boxes(f)[0] : document.getElementById(f.id);
  }

  /* The raw answers: a string per field, or the list of ticked values for boxes. */
  function answers() {
    var out = {};
    fields.forEach(function (f) {
      if (f.element === "checks") {
        out[f.name] = boxes(f).filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      } else {
        out[f.name] = document.getElementById(f.id).value;
      }
    });
    return out;
  }

  function fill(saved) {
    fields.forEach(function (f) {
      var value = saved[f.name];
      if (value === undefined) return;
      if (f.element === "checks") {
        boxes(f).forEach(function (b) { b.checked = Array.isArray(value) && value.indexOf(b.value) >= 0; });
      } else {
        document.getElementById(f.id).value = typeof value === "string" ? value : "";
      }
    });
  }

  // --- the draft in the browser ----------------------------------------------------------------

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function time() {
    var now = new Date();
    return ("0" + now.getHours()).slice(-2) + "." + ("0" + now.getMinutes()).slice(-2);
  }

  function save() {
    var store = storage();
    if (!store) {
      draftStatus.textContent = "Denne browser kan ikke gemme kladden. Hent filen, før du lukker siden.";
      return;
    }
    try {
      store.setItem(config.storage_key, JSON.stringify(answers()));
      draftStatus.textContent = "Kladden er gemt i denne browser kl. " + time() + ".";
    } catch (e) {
      draftStatus.textContent = "Kladden kunne ikke gemmes i denne browser. Hent filen, før du lukker siden.";
    }
  }

  function restore() {
    var store = storage();
    var text = store && store.getItem(config.storage_key);
    if (!text) return;
    try {
      fill(JSON.parse(text));
      draftStatus.textContent = "Din kladde fra sidst er hentet frem. Den er kun gemt i denne browser.";
    } catch (e) { /* a damaged draft is left alone */ }
  }

  function removeDraft() {
    if (!window.confirm("Vil du slette alt, du har skrevet på denne side? Det kan ikke fortrydes.")) return;
    var store = storage();
    if (store) store.removeItem(config.storage_key);
    form.reset();
    clearErrors();
    preview.hidden = true;
    send.hidden = true;
    draftStatus.textContent = "Kladden er slettet.";
    announce.textContent = "Kladden er slettet.";
  }

  // --- text helpers, as the core writes them (slugs.slugify, issueform) ------------------------

  function slugify(value) {
    var text = value.trim().toLowerCase().replace(/./g, function (ch) {
      return Object.prototype.hasOwnProperty.call(config.transliteration, ch) ? config.transliteration[ch] : ch;
    }).normalize("NFKD");  // then accents fall away below (é → e), as slugs.slugify does
    return text.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  function fileSlug(title) {
    var slug = slugify(title);
    if (slug.length <= config.max_slug) return slug;
    var cut = slug.slice(0, config.max_slug + 1);
    cut = cut.indexOf("-") >= 0 ? cut.slice(0, cut.lastIndexOf("-")) : cut.slice(0, config.max_slug);
    return cut.replace(/^-+|-+$/g, "");
  }

  function oneLine(text) {
    return text.split(/\s+/).filter(Boolean).join(" ");
  }

  function lines(text) {
    return text.split(/\r\n|\r|\n/).map(function (line) {
      return line.replace(/^\s*[-*]\s+/, "").trim();
    }).filter(Boolean);
  }

  function sortedChoices(f) {
    var out = {};
    f.choices.forEach(function (c) { out[c.value] = c.label; });
    return out;
  }

  // --- the line formats of the issue form (issueform._Reader) ----------------------------------

  function readActors(raw, problems) {
    var sectors = {};
    Object.keys(config.sectors).forEach(function (s) { sectors[s] = s; sectors[slugify(config.sectors[s])] = s; });
    var out = [];
    lines(raw).forEach(function (line, i) {
      var n = i + 1;
      var match = /^(.+?)\s*\(([^()]+)\)\s*$/.exec(line);
      if (!match) {
        problems.push("Linje " + n + " »" + line + "« mangler sektoren i parentes, fx »Foreningen Grønne Hænder (civilsamfund)«.");
        return;
      }
      var inside = match[2].split(",").map(function (p) { return p.trim(); });
      var sector = slugify(inside[0]);
      if (!Object.prototype.hasOwnProperty.call(sectors, sector)) {
        problems.push("Linje " + n + ": ukendt sektor »" + inside[0] + "«. Skriv en af: " + Object.keys(config.sectors).join(", ") + ".");
        return;
      }
      var actor = { "navn": match[1].trim(), "sektor": sectors[sector] };
      if (inside.length > 1) {
        var kinds = {};
        Object.keys(config.actor_kinds).forEach(function (k) { kinds[k] = k; kinds[slugify(config.actor_kinds[k])] = k; });
        var kind = kinds[slugify(inside.slice(1).join(","))];
        if (!kind) {
          problems.push("Linje " + n + ": ukendt type »" + inside.slice(1).join(", ") + "«. Skriv », gruppe« efter sektoren for en gruppe af personer, ellers intet.");
          return;
        }
        actor["type"] = kind;
      }
      out.push(actor);
    });
    return out;
  }

  /* The model takes only https:// addresses (model.WebAddress). */
  function insecure(n, address) {
    return "Linje " + n + ": »" + address + "« starter med http://, som ikke er krypteret. Skriv adressen med https:// foran.";
  }

  function readSources(raw, problems) {
    var out = [];
    lines(raw).forEach(function (line, i) {
      var n = i + 1;
      var parts = line.split(";").map(function (p) { return p.trim(); });
      if (parts.length < 2 || parts.length > 4 || !parts[0] || !parts[1]) {
        problems.push("Linje " + n + " »" + line + "« har ikke formen »titel; udgiver; år; adresse«. Adskil med semikolon.");
        return;
      }
      var source = { "titel": parts[0], "udgiver": parts[1] };
      parts.slice(2).forEach(function (part) {
        if (/^\d{4}$/.test(part)) source["år"] = parseInt(part, 10);
        else if (/^https?:\/\/\S+$/.test(part)) {
          if (/^http:/i.test(part)) problems.push(insecure(n, part));
          else source["link"] = part;
        }
        else if (part) problems.push("Linje " + n + ": »" + part + "« er hverken et årstal eller en webadresse. Skriv året med fire cifre og adressen med https://.");
      });
      out.push(source);
    });
    return out;
  }

  function readLinks(raw, problems) {
    var out = [];
    lines(raw).forEach(function (line, i) {
      var match = /^(.*?)[\s:–-]*<?(https?:\/\/[^\s>]+)>?\s*$/.exec(line);
      if (!match) {
        problems.push("Linje " + (i + 1) + " »" + line + "« har ingen webadresse til sidst. Skriv teksten og derefter adressen, der starter med https://.");
        return;
      }
      if (/^http:/i.test(match[2])) {
        problems.push(insecure(i + 1, match[2]));
        return;
      }
      out.push({ "titel": match[1].trim() || match[2], "url": match[2] });
    });
    return out;
  }

  function readHow(raw, problems) {
    var names = {};
    Object.keys(config.principles).forEach(function (slug) {
      names[slugify(config.principles[slug])] = slug;
      names[slug] = slug;
    });
    var out = [];
    lines(raw).forEach(function (line, i) {
      var n = i + 1;
      var at = line.indexOf(":");
      var name = at >= 0 ? line.slice(0, at) : line;
      var sentence = at >= 0 ? line.slice(at + 1) : "";
      var slug = names[slugify(name)];
      if (at < 0 || !sentence.trim()) {
        problems.push("Linje " + n + " »" + line + "« har ikke formen »princip: sætning«. Skriv principets navn, et kolon og én sætning.");
      } else if (!slug) {
        problems.push("Linje " + n + ": ukendt princip »" + name.trim() + "«. Brug et af navnene under »Principper«.");
      } else {
        out.push([slug, oneLine(sentence)]);
      }
    });
    return out;
  }

  // --- the story from the answers ---------------------------------------------------------------

  /* Markdown that shows exactly the typed text: no heading, list, quote, code, table, link,
   * emphasis, entity or attribute list can come out of it (the core's renderer, Python-Markdown,
   * reads every escape used here). A line break stays a line break; a blank line starts a paragraph. */
  function markdownText(text) {
    function line(raw) {
      var s = raw.trim()
        .replace(/[\\`*_\[\]|]/g, "\\$&")
        .replace(/\]\(/g, "]\\(")  /* "[a](b)" is no link either to a checker reading the raw text */
        .replace(/&(?=#?[A-Za-z0-9]+;)/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/\{/g, "&#123;")
        .replace(/\}/g, "&#125;");
      if (/^[#>+\-!]/.test(s)) s = "\\" + s;
      else if (/^=/.test(s)) s = "&#61;" + s.slice(1);
      else if (/^~/.test(s)) s = "&#126;" + s.slice(1);
      else if (/^\d+[.)]/.test(s)) s = s.replace(/^(\d+)([.)])/, "$1\\$2");
      return s;
    }
    return text.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/).map(function (paragraph) {
      return paragraph.split("\n").map(line).filter(Boolean).join("  \n");
    }).filter(Boolean).join("\n\n");
  }

  function put(data, path, value) {
    if (path.indexOf("[].") >= 0) return;
    var parts = path.split(".");
    var node = data;
    for (var i = 0; i < parts.length - 1; i++) {
      if (!node[parts[i]]) node[parts[i]] = {};
      node = node[parts[i]];
    }
    node[parts[parts.length - 1]] = value;
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }

  /* The story's data as `videnbank fra-issue` reads the same answers, and the line problems per field. */
  function read(values) {
    var data = { "dato": { date: today() }, "publicering": config.state };
    var body = {};
    var problems = {};
    var how = [];
    fields.forEach(function (f) {
      var raw = values[f.name];
      var found = [];
      var value = null;
      if (f.element === "checks") {
        if (f.kind === "checkboxes") {
          value = f.target && raw.length ? "ja" : null;
        } else if (raw.length) {
          value = f.target === "principper" ? raw.map(function (v) { return { "princip": v }; }) : raw;
        }
      } else {
        raw = raw.trim();
        if (!raw) return;
        if (f.target.indexOf(BODY) === 0) body[f.target.slice(BODY.length)] = markdownText(raw);
        else if (f.element === "select") value = raw;
        else if (f.target === "aktører") value = readActors(raw, found);
        else if (f.target === "links") value = readLinks(raw, found);
        else if (f.target === "kilder") value = readSources(raw, found);
        else if (f.target === "principper[].hvordan") how = readHow(raw, found);
        else if (f.target === "målgrupper" || f.target === "temaer") {
          value = raw.split(/[,\n]/).map(oneLine).filter(Boolean);
          value.forEach(function (item) {
            if (f.item_maxlength && item.length > f.item_maxlength) {
              found.push("»" + item.slice(0, 30) + "…« er for lang: hvert punkt må højst have " + f.item_maxlength + " tegn. Adskil punkterne med komma.");
            }
          });
        } else value = oneLine(raw);
      }
      if (found.length) problems[f.name] = found.join(" ");
      if (value !== null && f.target && f.target.indexOf(BODY) !== 0) put(data, f.target, value);
    });
    var refs = {};
    (data["principper"] || []).forEach(function (ref) { refs[ref["princip"]] = ref; });
    var howField = byTarget["principper[].hvordan"];
    how.forEach(function (pair) {
      if (!refs[pair[0]]) {
        problems[howField.name] = (problems[howField.name] ? problems[howField.name] + " " : "") +
          "»" + config.principles[pair[0]] + "« er ikke valgt under »Principper«. Vælg principet, eller slet linjen.";
      } else {
        refs[pair[0]]["hvordan"] = pair[1];
      }
    });
    var results = data["resultater"];
    if (results && results["evalueret"] !== undefined && results["tekst"] === undefined) {
      problems[byTarget["resultater.tekst"].name] = "Du har svaret på, om resultaterne er evalueret, men ikke skrevet, hvad de er. Beskriv resultaterne, eller lad begge felter stå tomme.";
    }
    var period = data["periode"];
    if (period && period["slut"] !== undefined && period["start"] === undefined) {
      problems[byTarget["periode.start"].name] = "Der er en slut, men ingen start. Skriv, hvornår det begyndte, fx 2019.";
    }
    var date = new RegExp("^(?:" + byTarget["periode.start"].pattern + ")$");
    if (period && date.test(period["start"] || "") && date.test(period["slut"] || "")) {
      var common = Math.min(period["start"].length, period["slut"].length);
      if (period["slut"].slice(0, common) < period["start"].slice(0, common)) {
        problems[byTarget["periode.slut"].name] = "Perioden slutter, før den starter. Byt om på start og slut, eller ret årstallet.";
      }
    }
    var front = {};
    config.order.forEach(function (key) { if (data[key] !== undefined) front[key] = data[key]; });
    return { front: front, body: body, problems: problems };
  }

  // --- YAML and the file ------------------------------------------------------------------------

  /* A string as a YAML double-quoted scalar: JSON's quoting (which YAML reads) plus escapes for what
   * YAML would read as a line break or refuse (C1 controls, NEL, line and paragraph separators, BOM). */
  function quote(text) {
    return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, function (ch) {
      return "\\u" + ("000" + ch.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  function scalar(value) {
    if (typeof value === "number") return String(value);
    if (value && value.date) return value.date;
    return quote(String(value));
  }

  function yamlPair(key, value, indent, out) {
    if (Array.isArray(value)) {
      if (!value.length) return;
      out.push(indent + key + ":");
      value.forEach(function (item) {
        if (item && typeof item === "object" && !item.date) {
          Object.keys(item).forEach(function (k, i) {
            out.push(indent + (i === 0 ? "  - " : "    ") + k + ": " + scalar(item[k]));
          });
        } else {
          out.push(indent + "  - " + scalar(item));
        }
      });
    } else if (value && typeof value === "object" && !value.date) {
      out.push(indent + key + ":");
      Object.keys(value).forEach(function (k) { yamlPair(k, value[k], indent + "  ", out); });
    } else {
      out.push(indent + key + ": " + scalar(value));
    }
  }

  function fileText(result) {
    var front = [];
    Object.keys(result.front).forEach(function (key) { yamlPair(key, result.front[key], "", front); });
    var parts = ["---\n" + front.join("\n") + "\n---\n"];
    config.sections.forEach(function (section) {
      if (result.body[section]) parts.push("## " + section + "\n\n" + result.body[section] + "\n");
    });
    return parts.join("\n");
  }

  // --- checking ---------------------------------------------------------------------------------

  function message(f, values) {
    var el = element(f);
    if (f.element === "checks") {
      var list = boxes(f);
      if (f.one_required && !list.some(function (b) { return b.checked; })) return "Vælg mindst ét punkt under »" + f.label + "«.";
      if (f.each_required) {
        var missing = list.filter(function (b) { return !b.checked; });
        if (missing.length) {
          return "Sæt kryds ved " + (missing.length === list.length ? "begge bekræftelser" : "»" + form.querySelector('label[for="' + missing[0].id + '"]').textContent + "«") + ".";
        }
      }
      return null;
    }
    var value = values[f.name];
    var v = el.validity;
    if (v.valueMissing || (f.required && !value.trim())) {
      return f.element === "select" ? "Vælg »" + f.label + "«." : "Udfyld »" + f.label + "«.";
    }
    if (f.maxlength && value.trim().length > f.maxlength) {
      return "»" + f.label + "« må højst have " + f.maxlength + " tegn. Nu er der " + value.trim().length + ".";
    }
    if (v.typeMismatch || v.patternMismatch) {
      return "»" + f.label + "«: skriv " + (f.format || "en gyldig værdi") + ".";
    }
    if (f.target.indexOf(BODY) !== 0 && markup.test(value)) {
      return "»" + f.label + "« må ikke indeholde HTML: skriv tegnet < med et mellemrum efter, eller skriv teksten uden.";
    }
    return null;
  }

  function clearErrors() {
    summary.hidden = true;
    summaryList.textContent = "";
    fields.forEach(function (f) {
      var box = document.getElementById(f.id + "-felt");
      var note = document.getElementById(f.id + "-fejl");
      box.classList.remove("vb-field--error");
      note.hidden = true;
      note.textContent = "";
      var targets = f.element === "checks" ? boxes(f) : [element(f)];
      targets.forEach(function (el) {
        el.removeAttribute("aria-invalid");
        var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
          return id && id !== f.id + "-fejl";
        });
        if (described.length) el.setAttribute("aria-describedby", described.join(" "));
        else el.removeAttribute("aria-describedby");
      });
      var group = box.querySelector("fieldset");
      if (group) {
        var ids = (group.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
          return id && id !== f.id + "-fejl";
        });
        if (ids.length) group.setAttribute("aria-describedby", ids.join(" "));
        else group.removeAttribute("aria-describedby");
      }
    });
  }

  function showError(f, text) {
    var note = document.getElementById(f.id + "-fejl");
    var prefix = document.createElement("span");
    prefix.className = "vb-sr-only";
    prefix.textContent = "Fejl: ";
    note.textContent = "";
    note.appendChild(prefix);
    note.appendChild(document.createTextNode(text));
    note.hidden = false;
    document.getElementById(f.id + "-felt").classList.add("vb-field--error");
    var targets = f.element === "checks" ? boxes(f) : [element(f)];
    targets.forEach(function (el) {
      el.setAttribute("aria-invalid", "true");
      var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (f.element !== "checks") described.push(f.id + "-fejl");
      if (described.length) el.setAttribute("aria-describedby", described.join(" "));
    });
    if (f.element === "checks") {
      var group = document.getElementById(f.id + "-felt").querySelector("fieldset");
      var ids = (group.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (ids.indexOf(f.id + "-fejl") < 0) ids.push(f.id + "-fejl");
      group.setAttribute("aria-describedby", ids.join(" "));
    }
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = "#" + element(f).id;
    link.textContent = text;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var target = element(f);
      var box = document.getElementById(f.id + "-felt");
      box.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    });
    item.appendChild(link);
    summaryList.appendChild(item);
  }

  /* Every problem of the form, in the order of the fields; null when there is none. */
  function check() {
    var values = answers();
    var result = read(values);
    var problems = [];
    fields.forEach(function (f) {
      var text = message(f, values) || result.problems[f.name];
      if (text) problems.push([f, text]);
    });
    return { result: result, problems: problems };
  }

  // --- showing the story (text only) -------------------------------------------------------------

  function add(parent, tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) el.textContent = text;
    if (className) el.className = className;
    parent.appendChild(el);
    return el;
  }

  function shown(f, values) {
    var raw = values[f.name];
    if (f.element === "checks") {
      var labels = sortedChoices(f);
      return raw.map(function (v) { return labels[v]; }).join(", ");
    }
    if (f.element === "select") return raw ? sortedChoices(f)[raw] : "";
    return raw.trim();
  }

  function showStory(values) {
    story.textContent = "";
    add(story, "h3", oneLine(values[byTarget["titel"].name]), "vb-write__title");
    add(story, "p", oneLine(values[byTarget["sammendrag"].name]), "vb-lead");
    var facts = add(story, "dl", null, "vb-write__facts");
    fields.forEach(function (f) {
      if (!f.target || f.target === "titel" || f.target === "sammendrag" || f.target.indexOf(BODY) === 0) return;
      var text = shown(f, values);
      if (!text) return;
      add(facts, "dt", f.label);
      add(facts, "dd", text);
    });
    config.sections.forEach(function (section) {
      var f = byTarget[BODY + section];
      var text = values[f.name].trim();
      if (!text) return;
      add(story, "h4", section);
      text.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/).forEach(function (paragraph) {
        if (paragraph.trim()) add(story, "p", paragraph.trim(), "vb-write__text");
      });
    });
  }

  // --- the three ways to send --------------------------------------------------------------------

  function issueValue(f, values) {
    var raw = values[f.name];
    if (f.element === "checks") {
      if (f.kind === "checkboxes") return "";  // GitHub cannot tick boxes from the address
      var labels = sortedChoices(f);
      return raw.map(function (v) { return labels[v]; }).join(", ");
    }
    if (f.element === "select") return raw ? sortedChoices(f)[raw] : "";
    raw = raw.trim();
    return f.target.indexOf(BODY) === 0 ? markdownText(raw) : raw;
  }

  function issueAddress(values) {
    var title = oneLine(values[byTarget["titel"].name]);
    var address = config.issue.url + "&title=" + encodeURIComponent(config.issue.title + title);
    fields.forEach(function (f) {
      var value = issueValue(f, values);
      if (value) address += "&" + encodeURIComponent(f.name) + "=" + encodeURIComponent(value);
    });
    return address;
  }

  function mailAddress(title, slug, text) {
    var to = "mailto:" + encodeURI(config.mail.to);
    var subject = "?subject=" + encodeURIComponent("Historie til videnbanken: " + title);
    var whole = to + subject + "&body=" + encodeURIComponent(text.replace(/\n/g, "\r\n"));
    if (whole.length <= config.mail.limit) return { href: whole, whole: true };
    var note = "Historien »" + title + "« er vedhæftet som filen " + slug + ".md.\n";
    return { href: to + subject + "&body=" + encodeURIComponent(note.replace(/\n/g, "\r\n")), whole: false };
  }

  function offer(checked) {
    var values = answers();
    var title = oneLine(values[byTarget["titel"].name]);
    var slug = fileSlug(title) || "historie";
    var text = fileText(checked.result);
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    blobUrl = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
    download.href = blobUrl;
    download.setAttribute("download", slug + ".md");
    download.dataset.text = "";
    if (mail && config.mail) {
      var m = mailAddress(title, slug, text);
      mail.href = m.href;
      mailLong.hidden = m.whole;
    }
    if (github && config.issue) {
      var address = issueAddress(values);
      var fits = address.length <= config.issue.limit;
      github.href = fits ? address : config.issue.url;
      githubLong.hidden = fits;
    }
    showStory(values);
  }

  function ready(event) {
    event.preventDefault();
    clearErrors();
    var checked = check();
    if (checked.problems.length) {
      preview.hidden = true;
      send.hidden = true;
      checked.problems.forEach(function (p) { showError(p[0], p[1]); });
      summary.hidden = false;
      summary.focus();
      return;
    }
    offer(checked);
    preview.hidden = false;
    send.hidden = false;
    previewHeading.focus();
  }

  /* After a change: the draft is saved, and what is offered follows the text (or is taken back
   * until the form is checked again). */
  function changed() {
    save();
    if (send.hidden) return;
    var checked = check();
    if (checked.problems.length) {
      preview.hidden = true;
      send.hidden = true;
      announce.textContent = "Historien er ændret. Tryk »Se historien, og send den« igen.";
    } else {
      offer(checked);
    }
  }

  restore();
  form.addEventListener("submit", ready);
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  document.getElementById("skriv-slet").addEventListener("click", removeDraft);
  form.dataset.klar = "ja";
})();
