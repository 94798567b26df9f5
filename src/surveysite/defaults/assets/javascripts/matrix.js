// Comparison tables: sort by any column, filter by class, leaf, every facet and free text, state in the URL.
// A small table is generated whole at build time and this script filters its rows; without JavaScript
// that table is the page. A large one (data-total above the rows written) holds only its first rows,
// and this script pages through every study in its scope from the table's data file, so ten thousand
// studies stay quick. A table is enhanced only when it comes into view or a reader acts on it. A large
// table draws its filters from facts written into the page (data-facts: names and counts), and fetches
// its data (megabytes for the whole matrix) only when the reader asks for more than the page shows.
(function () {
  "use strict";

  var PAGE_ROWS = 100;
  var TYPING_PAUSE = 2500;  // ms without a key in the text filter that end a run of typing (see enhance)
  var SAID_FOR = 5000;  // ms a live region holds what it said (see tell)
  // Every lookup keyed by data (study keys, node paths, facet ids and values) uses an object without a
  // prototype, so a key such as "constructor" or "__proto__" is an ordinary key.
  function dict() { return Object.create(null); }
  // The site's root, from this script's own address (javascripts/matrix.js): unlike the theme's
  // relative base, it stays right after instant navigation swaps the page.
  var siteRoot = new URL("..", document.currentScript.src);
  var dataCache = dict();

  // Each table reads only its own studies: the matrix page matrix.json, a node's table
  // tables/<node path>.json (written by surveysite for every node with studies).
  function dataUrl(scope) {
    return new URL(scope ? "tables/" + scope + ".json" : "matrix.json", siteRoot).href;
  }

  // A failed load (no connection, an error page, a file that is not the table's data) is forgotten,
  // so the reader's next try fetches again.
  function loadData(url) {
    if (!dataCache[url]) {
      var loading = dataCache[url] = fetch(url)
        .then(function (r) {
          if (!r.ok) throw new Error(url + ": " + r.status);
          return r.json();
        })
        .then(function (data) {
          data.byKey = dict();
          data.studies.forEach(function (s) { data.byKey[s.key] = s; });
          return data;
        })
        .catch(function (error) {
          if (dataCache[url] === loading) delete dataCache[url];
          throw error;
        });
    }
    return dataCache[url];
  }

  // An arXiv id, a DOI or a study's address typed or pasted alone into a table's text filter (as the
  // header search reads one: window.surveysiteIdentifier, from search-query.html) finds the study the
  // survey holds it for: the tables' data hold no ids (they would grow every table's file), so the
  // first such query has search/identifiers.json fetched (window.surveysiteIdentifiers, shared with
  // the header search, each id with its study's key); the tables filtering by an id meanwhile are
  // drawn again when it comes. Without it, ids are looked for as text.
  var identifiers = null, identifiersAsked = false, waitingForIds = [];
  // The key of the study an id (as the filter holds it) names: a key, null for an id no study has,
  // undefined for a query that is no id (or while the file is on its way: then `redo` is run after).
  function identifiedKey(query, redo) {
    var id = typeof window.surveysiteIdentifier === "function" ? window.surveysiteIdentifier(query) : null;
    if (!id) return undefined;
    if (identifiers) {
      var ids = identifiers[id[0]];
      var key = ids && Object.prototype.hasOwnProperty.call(ids, id[1]) ? ids[id[1]] : null;
      return typeof key === "string" ? key : null;
    }
    if (typeof window.surveysiteIdentifiers !== "function") return undefined;
    waitingForIds.push(redo);
    if (!identifiersAsked) {
      identifiersAsked = true;
      window.surveysiteIdentifiers(new URL("search/identifiers.json", siteRoot).href).then(function (got) {
        identifiersAsked = false;
        var waiting = waitingForIds;
        waitingForIds = [];  // (none: asked again at the next id; the tables filter by text meanwhile)
        if (!got) return;
        identifiers = got;
        waiting.forEach(function (again) { again(); });
      });
    }
    return undefined;
  }

  // The key of a table entry's study: its data's, or its row's link's.
  function entryKey(entry) { return entry.study ? entry.study.key : entry.row && studyKey(entry.row); }

  function studyKey(row) {
    var link = row.querySelector("a[href*='studies/']");
    var match = link && link.getAttribute("href").match(/studies\/([a-z0-9_-]+)\/?$/);
    return match ? match[1] : null;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Text as the filter compares it: lower case, without accents ('Gallé' and 'galle', 'Bıyık' and
  // 'biyik' alike), for readers who type names without them.
  // (The letters of references.plain_letters, in lower case: a test holds the two alike.)
  var LETTERS = new Map([["ı", "i"], ["ł", "l"], ["ø", "o"], ["đ", "d"], ["ð", "d"], ["ħ", "h"], ["ŧ", "t"],
    ["ŋ", "ng"], ["ß", "ss"], ["æ", "ae"], ["œ", "oe"], ["þ", "th"]]);
  var LETTER = new RegExp("[" + Array.from(LETTERS.keys()).join("") + "]", "g");
  // Folded text's letters and digits, in their order, as a pattern that lets anything but letters,
  // digits and the characters of `stops` stand between each run of them and the next ('llama2' and
  // 'Llama 2' find 'Llama 2'; 'gpt4' 'GPT-4'); null for text typed with other marks than spaces,
  // hyphens, full stops and slashes, which is looked for as typed.
  function runsPattern(folded, stops) {
    var runs = /^[\p{L}\p{N}\s.\/-]*$/u.test(folded) ? folded.match(/\p{L}+|\p{N}+/gu) : null;
    return runs ? new RegExp(runs.join("[^\\p{L}\\p{N}" + stops + "]*"), "u") : null;
  }
  // (By compatibility, as references.plain_letters folds: a title's 'CO₂' is found by 'co2'.)
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(LETTER, function (letter) { return LETTERS.get(letter); });
  }
  window.surveyFold = fold;  // (reading.js marks a search's words with it: see markFolded)

  // The text filter's parameter: not "q", which opens the theme's search over the table.
  var TEXT = "text";

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = {
      q: params.get(TEXT) || "", sort: params.get("sort") || "", dir: params.get("dir") || "asc",
      page: Math.max(1, parseInt(params.get("page"), 10) || 1), f: dict(),
      hide: (params.get("hide") || "").split("|").filter(Boolean),
    };
    params.forEach(function (value, key) {  // (one parameter given twice, as a hand-made address may: both)
      if (key.indexOf("f.") !== 0) return;
      var chosen = state.f[key.slice(2)] || [];
      value.split("|").filter(Boolean).forEach(function (v) { if (chosen.indexOf(v) < 0) chosen.push(v); });
      state.f[key.slice(2)] = chosen;
    });
    return state;
  }

  // An address written before a node was renamed (content/published.txt moves it): its old path in a
  // class or leaf filter stands for the new one, as its old page sends readers to the new page (a heat
  // map's link, a link a reader shared; a maintainer's trial found 'No study matches' at a renamed
  // leaf's). `moved` (the data's taxonomy.moved) holds each renamed node's old path and its new one.
  function renamed(state, moved) {
    if (!moved) return state;
    var to = dict();
    Object.keys(moved).forEach(function (path) { to[path] = String(moved[path]); });
    var now = function (path) {  // (a leaf under a renamed class, whose own line the record lacks)
      var parts = path.split("/");
      for (var i = parts.length; i > 0; i--) {
        var head = parts.slice(0, i).join("/");
        if (head in to) return [to[head]].concat(parts.slice(i)).join("/");
      }
      return path;
    };
    ["class", "leaf"].forEach(function (id) {
      var values = (state.f[id] || []).map(function (value) {
        return id === "class" ? now(value).split("/")[0] : now(value);
      });
      if (values.length) state.f[id] = values.filter(function (v, i) { return values.indexOf(v) === i; });
    });
    return state;
  }

  // Whether a state shows the table as the page wrote it: no text, sort, page or filter asked for.
  function plain(state) {
    return !state.q && !state.sort && state.page === 1 &&
      Object.keys(state.f).every(function (k) { return !state.f[k].length; });
  }

  // The reader's view into the address. A change the reader makes at once (a box, a sort, a page, a
  // column) is a step of its own in the history, so that Back undoes it; so is the first letter of the
  // text, whose further letters replace that step: Back undoes the whole word, not a letter of it.
  // Anything else (the view as the page opened it, or as its data arrived) replaces the address.
  function writeState(state, step) {
    // Parameters this table does not own (another script's, e.g. the order of the cards) are kept.
    var params = new URLSearchParams(window.location.search);
    Array.from(params.keys()).forEach(function (key) {
      if ([TEXT, "sort", "dir", "page", "hide"].indexOf(key) >= 0 || key.indexOf("f.") === 0) params.delete(key);
    });
    if (state.q) params.set(TEXT, state.q);
    if (state.sort) { params.set("sort", state.sort); params.set("dir", state.dir); }
    Object.keys(state.f).sort().forEach(function (k) {
      if (state.f[k].length) params.set("f." + k, state.f[k].join("|"));
    });
    if (state.page > 1) params.set("page", String(state.page));
    if (state.hide.length) params.set("hide", state.hide.join("|"));
    var query = params.toString();
    var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (address === window.location.pathname + window.location.search + window.location.hash) return;
    // Back and Forward between two steps go to the page's scripts (the theme override
    // partials/page-steps.html, which says why): a site whose main.html leaves it out makes no steps.
    if (step && window.surveySteps) history.pushState(null, "", address);
    else history.replaceState(history.state, "", address);
  }

  // The values that say nothing is known of a cell ('', 'not stated'), as the tables' data names them.
  function unknownValues(taxonomy) {
    var unknown = dict();
    (taxonomy.unknown || []).forEach(function (value) { unknown[value] = true; });
    return unknown;
  }

  // `work` run once at the next frame, however often this is called before it (a scroll's events).
  function onceAFrame(work) {
    var waiting = false;
    return function () {
      if (waiting) return;
      waiting = true;
      window.requestAnimationFrame(function () { waiting = false; work(); });
    };
  }

  function dimensions(taxonomy) {
    var names = dict(), position = dict(), leafNames = dict();
    taxonomy.nodes.forEach(function (n, i) { names[n.path] = n.name; position[n.path] = i; });
    // A leaf is named with its class where the table spans more than one ('Methods · Field studies', as
    // the heat maps' rows name it): a reader's trial read two leaves of like names in the Leaf filter,
    // of two classes, with nothing to say which class either is in.
    var classes = taxonomy.nodes.filter(function (n) { return n.path.indexOf("/") < 0; });
    taxonomy.nodes.forEach(function (n) {
      var cut = n.path.indexOf("/"), top = cut < 0 ? "" : n.path.slice(0, cut);
      leafNames[n.path] = top && classes.length > 1 && top in names ? names[top] + " \u00b7 " + n.name : n.name;
    });
    var treeOrder = function (path) { return path in position ? position[path] : 0; };
    // A taxonomy whose every class is a leaf: its Leaf filter would offer what the Class filter does, value
    // for value (an edge-case trial's twelve classes, twice). Kept for an address that asks for a leaf.
    var flat = taxonomy.nodes.every(function (n) { return n.path.indexOf("/") < 0; });
    // A facet's values that say nothing is known ('not stated', 'not checked') after every known one,
    // as the table sorts them (a reader's trial found 'not checked' between two models).
    var unknown = unknownValues(taxonomy);
    var facetOrder = function (value) { return unknown[value] ? 1 : 0; };
    var dims = [
      { id: "class", label: "Class", names: names, order: treeOrder,
        values: function (s) { return s.categories.map(function (c) { return c.split("/")[0]; }); } },
      { id: "leaf", label: "Leaf", names: leafNames, order: treeOrder, values: function (s) { return s.categories; },
        unoffered: flat },
      // (newest first; the year of the version cited, as the table's column)
      { id: "year", label: "Year", names: dict(), order: function (value) { return -Number(value) || 0; },
        values: function (s) { return typeof s.year === "number" ? [String(s.year)] : []; } },
    ];
    taxonomy.facets.forEach(function (facet) {
      dims.push({ id: facet.id, label: facet.label, names: dict(), order: facetOrder,
        values: function (s) { return Object.prototype.hasOwnProperty.call(s.facets, facet.id) ? s.facets[facet.id] : []; } });
    });
    // An edition's studies, by whether the original survey reviews them (views.ORIGIN_FILTER): last,
    // as the counts of the page and its data list the filters.
    var origin = taxonomy.in_survey;
    if (origin) {
      var origins = dict();  // (a lookup keyed by data, as every other: an address may ask for 'constructor')
      Object.keys(origin.names || {}).forEach(function (value) { origins[value] = String(origin.names[value]); });
      dims.push({ id: "in_survey", label: String(origin.label), names: origins,
        order: function (value) { return value === "yes" ? 0 : 1; },
        values: function (s) { return typeof s.in_survey === "boolean" ? [s.in_survey ? "yes" : "no"] : []; } });
    }
    return dims;
  }

  // Between a study's text and each of its cells, in the text the filter reads: a phrase typed is
  // found within one of them, never across two (a cell ending 'Llama' and the next starting '2').
  var PART = "\u0001";

  function inScope(study, scope) {
    return !scope || study.categories.some(function (c) { return c === scope || c.indexOf(scope + "/") === 0; });
  }

  // Where each of a table's columns (`ids`, from data-columns) is among the cells of the data's records
  // (its "columns"): a node's table may leave out a column the data holds, such as a leaf page's class
  // and leaf, the same in every row. Null when they are the same columns, or either is not known.
  function columnsPicked(ids, data) {
    var held = data.columns || [];
    var picked = ids.slice(1).map(function (id) { return held.indexOf(id); });
    if (!held.length || !picked.length || picked.indexOf(-1) >= 0) return null;
    return picked.length === held.length && picked.every(function (at, i) { return at === i; }) ? null : picked;
  }

  // The entries a table works on: its own rows when it is whole, else every study in its scope, with
  // the cells of the table's columns.
  function tableEntries(body, data, scope, paged, ids) {
    if (paged) {
      var picked = columnsPicked(ids, data);
      return data.studies.filter(function (s) { return inScope(s, scope); }).map(function (s, index) {
        var cells = picked ? picked.map(function (at) { return s.cells[at]; }) : s.cells;
        return { row: null, index: index, study: s, cells: [s.name].concat(cells), text: fold(s.text + PART + s.cells.join(PART)) };
      });
    }
    return Array.prototype.map.call(body.rows, function (row, index) {
      var study = data.byKey[studyKey(row)] || null;
      var cells = Array.prototype.map.call(row.cells, function (c) { return c.textContent.trim(); });
      return { row: row, index: index, study: study, cells: cells,
        text: fold(((study && study.text) || "") + PART + cells.join(PART)) };
    });
  }

  function rowFor(entry) {
    var row = el("tr", {});
    var first = el("th", { scope: "row" });  // (as accessibility.js heads the rows the page was written with)
    first.appendChild(el("a", { href: new URL(entry.study.page, siteRoot).href }, entry.study.name));
    row.appendChild(first);
    entry.cells.slice(1).forEach(function (text) { row.appendChild(el("td", {}, text)); });
    return row;
  }

  // Text sorted as a reader orders it: 'Tülu' beside 'Tulu', not after 'TWOSOME'; 'v2' before 'v10'.
  var COLLATOR = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function sortKey(entry, column) {
    entry.keys = entry.keys || dict();
    if (!(column in entry.keys)) {
      var text = entry.cells[column] || "";
      var number = Number(text);
      entry.keys[column] = text !== "" && !isNaN(number) ? number : text.toLowerCase();
    }
    return entry.keys[column];
  }

  // For each filter, how many studies have each value (a study counts once per value).
  function valueCounts(dims, studies) {
    return dims.map(function (dim) {
      var counts = dict();
      studies.forEach(function (s) {
        var seen = dict();
        dim.values(s).forEach(function (v) { if (!seen[v]) { seen[v] = true; counts[v] = (counts[v] || 0) + 1; } });
      });
      return counts;
    });
  }

  // A value an address gives in other letters or without its accents ('model-a' for 'Model-A': a link made
  // by hand, which a reader's trial found matched nothing while the text filter found 14) is the
  // table's own value, where just one of them is spelled so.
  function spelledAsTheTable(dims, allCounts, state) {
    dims.forEach(function (dim, d) {
      var counts = allCounts[d] || {}, chosen = state.f[dim.id];
      if (!chosen) return;
      var known = Object.keys(counts);
      state.f[dim.id] = chosen.map(function (value) {
        if (value in counts) return value;
        var same = known.filter(function (k) { return COLLATOR.compare(k, value) === 0; });
        return same.length === 1 ? same[0] : value;
      }).filter(function (value, i, all) { return all.indexOf(value) === i; });
    });
  }

  // Each filter's panel, its values those the whole table holds (`allCounts`), each with a count: at
  // first of every study, then (see shown) of the studies the text and the other filters leave.
  // `redraw`: filled with each panel's function that draws its boxes again, for the values the state
  // now chooses (see restore).
  function filterControls(dims, allCounts, state, controls, summaries, shown, redraw) {
    var boxes = dict();
    dims.forEach(function (dim, d) {
      var counts = allCounts[d] || {};
      // A value the address chose that no study has (a hand-made or outdated link) gets a box too,
      // to be unchosen.
      function valuesOffered() {
        var chosen = (state.f[dim.id] || []).filter(function (v) { return !(v in counts); });
        // In the order the table sorts by (a reader's trial looked for 'Delta' after 'charlie' and found
        // it before: code points put every capital before any small letter).
        return Object.keys(counts).concat(chosen).sort(function (a, b) {
          return dim.order(a) - dim.order(b) || COLLATOR.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
        });
      }
      if ((dim.unoffered || valuesOffered().length < 2) && !(state.f[dim.id] || []).length) return;
      var details = el("details", { class: "survey-matrix__filter" });
      summaries[dim.id] = details.appendChild(el("summary", {}, dim.label));
      var fieldset = el("fieldset", {});
      fieldset.appendChild(el("legend", { class: "survey-matrix__legend" }, "Filter by " + dim.label));
      boxes[dim.id] = [];
      function fill() {
        if (boxes[dim.id].length) return;
        var now = shown.counts ? shown.counts[d] : counts;
        var offered = valuesOffered();
        if (offered.length > FIND_ABOVE && !fieldset.querySelector(".survey-matrix__find")) finder(fieldset, dim.label);
        offered.forEach(function (value) {
          var label = el("label", {});
          var box = el("input", { type: "checkbox", value: value, "data-dim": dim.id });
          box.checked = (state.f[dim.id] || []).indexOf(value) >= 0;
          label.appendChild(box);
          // The value and its count in one box beside the checkbox: apart, a value that takes two lines
          // left its count at the panel's far edge, centred beside the words, a reader's trial saw.
          var words = label.appendChild(el("span", {}, (dim.names[value] || value) + " "));
          label.folded = fold(dim.names[value] || value);  // (what the box for finding one reads: not the count)
          box.count = words.appendChild(el("span", { class: "survey-matrix__count" }, ""));
          fieldset.appendChild(label);
          boxes[dim.id].push(box);
          counted(box, now[value] || 0);
        });
        fieldset.appendChild(el("p", { class: "survey-matrix__none", hidden: "" }, ""));
        found(fieldset);
      }
      details.appendChild(fieldset);
      whenOpened(details, fill);
      if ((state.f[dim.id] || []).length) fill();  // its summary says how many are chosen
      controls.appendChild(details);
      redraw[dim.id] = function () {
        if (!boxes[dim.id].length && !(state.f[dim.id] || []).length) return;  // drawn when opened
        fieldset.querySelectorAll("label, .survey-matrix__none").forEach(function (node) { node.remove(); });
        boxes[dim.id] = [];
        fill();
      };
    });
    return boxes;
  }

  // A value's count, and whether it is offered: one no study shown has (a leaf of another class than
  // the one chosen) is left out of its panel, unless it is chosen, so that it can be unchosen.
  function counted(box, count) {
    var text = "(" + count + ")";
    if (box.count.textContent !== text) box.count.textContent = text;
    var label = box.parentNode;
    var hide = !count && !box.checked;
    if (label.hidden !== hide) label.hidden = hide;
  }

  // A panel whose every value is left out says so: no study shown has any of them, or none holds
  // what was typed in its box for finding a value.
  function valuesShown(fieldset) {
    var none = fieldset.querySelector(".survey-matrix__none");
    if (!none) return;
    var labels = fieldset.querySelectorAll("label");
    var offered = Array.prototype.some.call(labels, function (label) { return !label.hidden; });
    var any = offered && Array.prototype.some.call(labels, function (label) {
      return !label.hidden && !label.classList.contains(UNFOUND);
    });
    var text = offered ? "No value holds what was typed." : "None of the studies shown has any of these values.";
    if (none.textContent !== text) none.textContent = text;
    if (none.hidden !== any) none.hidden = any;
  }

  // A filter of more than FIND_ABOVE values has a box to find one by what it holds: a reader's trial
  // scrolled through 129 environments for one. It hides the values that do not hold what is typed
  // (letter case and accents aside); the values the counts leave out stay out.
  var FIND_ABOVE = 12, UNFOUND = "survey-matrix__unfound";
  // Escape in a box holding text empties it (as a search box does), and only then closes the panel.
  function finder(fieldset, label) {
    var find = el("input", { type: "search", class: "survey-matrix__find", placeholder: "Find a value",
      "aria-label": "Find a value of " + label, autocomplete: "off" });
    fieldset.insertBefore(find, fieldset.querySelector("legend").nextSibling);
    find.addEventListener("input", function () { found(fieldset); });
    fieldset.addEventListener("change", function () { found(fieldset); });  // (a value ticked or unticked)
    find.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !find.value) return;
      find.value = "";
      found(fieldset);
      event.preventDefault();
      event.stopPropagation();  // (the panel stays open)
    });
  }
  // (A ticked value stays in view whatever is typed, so that it can be unticked, as the counts keep it.)
  // What was typed is found as it is, or as the table's text filter finds a phrase (runsPattern: 'gpt4'
  // finds 'GPT-4'; a reader's trial found nothing).
  function found(fieldset) {  // (the values that hold what the panel's box holds, those alone shown)
    var find = fieldset.querySelector(".survey-matrix__find");
    var needle = find ? fold(find.value.trim()) : "", runs = needle ? runsPattern(needle, "") : null;
    Array.prototype.forEach.call(fieldset.querySelectorAll("label"), function (label) {
      var ticked = label.firstChild && label.firstChild.checked, folded = label.folded || "";
      var out = !!needle && !ticked && folded.indexOf(needle) < 0 && !(runs && runs.test(folded));
      if (label.classList.contains(UNFOUND) !== out) label.classList.toggle(UNFOUND, out);
    });
    valuesShown(fieldset);
  }

  // A closed filter's boxes are drawn when it is first opened: a page with a table lays out a few
  // summaries at load, not every value of every facet. The summary's click comes before the box
  // opens (mouse, Enter or Space); the toggle event covers an opening by any other means.
  function whenOpened(details, fill) {
    details.firstChild.addEventListener("click", fill);
    details.addEventListener("toggle", function () { if (details.open) fill(); });
  }

  // The column chooser of the full-width matrix: the columns hidden are kept in the URL (hide=id|id).
  function columnChooser(container, ids, headers, getState, changed) {
    if (ids.length !== headers.length) return null;
    container.id = container.id || "survey-matrix-" + Math.random().toString(36).slice(2, 8);
    var details = el("details", { class: "survey-matrix__filter survey-matrix__columns" });
    details.appendChild(el("summary", {}, "Columns"));
    var fieldset = el("fieldset", {});
    fieldset.appendChild(el("legend", { class: "survey-matrix__legend" }, "Columns to show"));
    var boxes = [];
    function fill() {
      if (boxes.length) return;
      ids.slice(1).forEach(function (id, i) {  // the study's own column always shows
        var label = el("label", {});
        var box = el("input", { type: "checkbox", value: id, "data-column": id });
        box.checked = getState().hide.indexOf(id) < 0;
        label.appendChild(box);
        label.appendChild(document.createTextNode(headers[i + 1].textContent.trim()));
        fieldset.appendChild(label);
        boxes.push(box);
      });
    }
    details.appendChild(fieldset);
    whenOpened(details, fill);
    var style = el("style", {});
    container.appendChild(style);
    function show() {
      var rules = getState().hide.map(function (id) { return ids.indexOf(id); }).filter(function (i) { return i > 0; })
        .map(function (i) { return "#" + container.id + " tr > :nth-child(" + (i + 1) + ")"; });
      style.textContent = rules.length ? rules.join(", ") + " { display: none; }" : "";
    }
    fieldset.addEventListener("change", function (event) {
      getState().hide = boxes.filter(function (b) { return !b.checked; }).map(function (b) { return b.value; });
      show();
      changed(event.target);
    });
    show();
    // The columns as the address names them again (Back, Forward).
    function sync() {
      boxes.forEach(function (box) { box.checked = getState().hide.indexOf(box.value) < 0; });
      show();
    }
    return { panel: details, sync: sync };
  }

  // `data` is the table's data, or null for a paged table drawn from its facts (its data is fetched
  // when the reader first asks for more than the rows in the page).
  function enhance(container, data, facts) {
    var table = container.querySelector("table");
    if (!table || container.dataset.enhanced) return;
    container.dataset.enhanced = "1";
    var body = table.tBodies[0];
    var scope = container.getAttribute("data-scope") || "";
    var total = Number(container.getAttribute("data-total") || 0);
    var paged = total > body.rows.length;
    // A paged table pages by as many rows as the page was built with, so its first page is already there.
    var pageRows = paged ? body.rows.length || PAGE_ROWS : PAGE_ROWS;
    var untouched = true;  // until a reader changes the view, the rows written into the page stay
    var ids = (container.getAttribute("data-columns") || "").split(" ").filter(Boolean);  // its columns' ids
    var entries = data ? tableEntries(body, data, scope, paged, ids) : null;
    var loading = null;
    var taxonomy = (data || facts).taxonomy;
    var dims = dimensions(taxonomy);
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var state = renamed(readState(), taxonomy.moved);

    var controls = el("div", { class: "survey-matrix__controls", role: "search", "aria-label": "Filter the studies" });
    var searchId = "matrix-search-" + Math.random().toString(36).slice(2, 8);
    controls.appendChild(el("label", { for: searchId, class: "survey-matrix__label" }, "Filter studies"));
    var search = el("input", { id: searchId, type: "search", placeholder: "Name, author or value", class: "md-input" });
    search.value = state.q;
    controls.appendChild(search);
    var counts = data ? valueCounts(dims, entries.map(function (e) { return e.study; }).filter(Boolean)) : facts.counts;
    spelledAsTheTable(dims, counts, state);
    // What the address asks that this table has not (a sort by no column of it, a direction that is
    // neither, a column it cannot hide) is left out of it, not kept there doing nothing.
    if (sortColumn(state.sort) < 0) state.sort = "";
    if (state.dir !== "desc") state.dir = "asc";
    state.hide = state.hide.filter(function (id, at, all) { return ids.indexOf(id) > 0 && all.indexOf(id) === at; });
    var summaries = dict();  // each filter's summary, which says how many of its values are chosen
    var shown = { counts: null };  // the counts as the reader's filters leave them: see recount
    var redraw = dict();
    var boxes = filterControls(dims, counts, state, controls, summaries, shown, redraw);
    // Each filter's summary names what is chosen in it: the first value chosen, in the state's order
    // (a reader who followed a study's 'Adam' sees 'Optimizer: Adam'), and how many more ('Domain:
    // Robotics and 1 more'; a reader's trial saw '(2 chosen)' and could not tell which). An open
    // filter's summary keeps its words until it is closed: a longer summary moved the open list away
    // from under the pointer, to the next line (a reader's trial clicked on the table where the next
    // value had been).
    // On paper, where the controls are not printed, a line says what the table is filtered to (a
    // reader's trial printed a filtered matrix: nothing said which filters made its 5 rows).
    var printed = el("p", { class: "survey-matrix__printed" });
    function markChosen() {
      var said = dims.filter(function (dim) { return (state.f[dim.id] || []).length; }).map(function (dim) {
        return dim.label + ": " + state.f[dim.id].map(function (v) { return dim.names[v] || v; }).join(", ");
      });
      if (state.q) said.push("the text \u201c" + state.q + "\u201d");
      // and how it is sorted and which columns it leaves out (a print trial's sorted table with two
      // columns hidden printed no line at all)
      var lines = said.length ? ["Filtered to " + said.join("; ") + "."] : [];
      if (sortColumn(state.sort) >= 0) lines.push(sortSaid() + ".");
      var hidden = state.hide.map(function (id) { return headers[ids.indexOf(id)]; }).filter(Boolean);
      if (hidden.length) {
        lines.push("Columns not shown: " + hidden.map(function (th) { return th.textContent.trim(); }).join(", ") + ".");
      }
      printed.textContent = lines.join(" ");
      dims.forEach(function (dim) {
        var summary = summaries[dim.id];
        if (!summary || summary.parentNode.open) return;
        var values = state.f[dim.id] || [], chosen = values.length;
        var first = chosen ? dim.names[values[0]] || values[0] : "";
        if (first.length > 32) first = first.slice(0, 31) + "\u2026";
        summary.textContent = dim.label + (chosen ? ": " + first + (chosen > 1 ? " and " + (chosen - 1) + " more" : "") : "");
        summary.parentNode.classList.toggle("survey-matrix__filter--on", chosen > 0);
      });
    }
    // A column chooser where the page's stand-in of the controls has one: every table's, by default (a
    // reader's trial found a node page's table wider than the page, the columns it filtered on out of
    // sight, and no way to hide others); of a table whose page wrote no stand-in, the matrix page's alone.
    var standIn = container.querySelector(".survey-matrix__stand-in");  // the page's, laid out as these
    var chooser = null;
    if (standIn ? standIn.querySelector(".survey-matrix__columns") : container.closest(".survey-matrix-page")) {
      chooser = columnChooser(container, ids, headers, function () { return state; }, function (box) {
        typing = false;
        writeState(state, true);
        if (box && box.parentNode) tell(columnSaid(box.parentNode.textContent.trim(), box.checked));
      });
      if (chooser) controls.appendChild(chooser.panel);
    }
    var reset = el("button", { type: "button", class: "md-button survey-matrix__reset" }, "Clear filters");
    controls.appendChild(reset);
    // The studies the table shows, filtered and in its order, as one BibTeX, RIS or CSV file (a
    // reader's trial writing a related-work section narrowed the matrix to five studies, and had to cut
    // them by hand out of a class's file; a later one asked for them in RIS, for a reference manager,
    // and in CSV): cut from the site's file of every study, fetched when asked for.
    // (Shown as 'Download these studies: BibTeX RIS CSV', each button named in full: 'RIS of these
    // studies'.)
    var cites = [], downloads = el("span", { class: "survey-matrix__downloads" }, "Download these studies:");
    Object.keys(DOWNLOADS).forEach(function (format) {
      var at = container.getAttribute("data-" + format), label = DOWNLOADS[format].label;
      if (!at) return;
      var button = el("button", { type: "button", class: "md-button survey-matrix__reset", "aria-label": label + " of these studies" }, label);
      cites.push({ button: button, at: at, format: DOWNLOADS[format] });
      downloads.appendChild(button);
    });
    if (cites.length) controls.appendChild(downloads);
    var status = el("p", { class: "survey-matrix__status" });
    controls.appendChild(printed);
    controls.appendChild(status);
    // What a sort or the column chooser changed, which the status line does not say, is said to a
    // screen reader (a reader's trial heard nothing when it sorted by a column or hid one).
    // Emptied once said: a screen reader read in its browsing mode found the count twice, in the status
    // line and here (a reader's trial). (An emptied region says nothing.)
    var told = el("span", { class: "survey-visually-hidden", "aria-live": "polite" }), toldPause = null;
    controls.appendChild(told);
    function tell(text) {
      told.textContent = "";
      told.textContent = text;
      window.clearTimeout(toldPause);
      toldPause = window.setTimeout(function () { told.textContent = ""; }, SAID_FOR);
    }
    // The status line is said once it rests, half a second after its last change, and only when it
    // says something else than it last said: a live region itself, it was said at each letter typed
    // in the text box ('Showing 3 of 40...', 'No study matches...' twice over; a reader's trial). What
    // it says before the reader does anything (the page's first rows) is not said.
    var statusSaid = null, statusPause = null;
    function acting() { if (statusSaid === null) statusSaid = status.textContent; }  // (as the page had it)
    ["input", "change", "click", "keydown"].forEach(function (kind) {
      container.addEventListener(kind, acting, true);
    });  // (and a Back or Forward within the page: see restore)
    new MutationObserver(function () {
      window.clearTimeout(statusPause);
      statusPause = window.setTimeout(function () {
        var now = status.textContent;
        if (statusSaid === null || !now || now === statusSaid) return;
        statusSaid = now;
        tell(now);
      }, 500);
    }).observe(status, { childList: true, characterData: true, subtree: true });
    // A sort and a column shown or hidden, as they are said when done and when Back or Forward undoes
    // or does them again.
    function sortSaid() {
      var column = sortColumn(state.sort);
      return column < 0 ? "In the table's own order" : "Sorted by " + headers[column].textContent.trim() +
        ", " + (state.dir === "asc" ? "ascending" : "descending");
    }
    function columnSaid(name, shown) { return "Column " + name + (shown ? " shown" : " hidden"); }
    // What the box for finding a value leaves is said once the typing pauses (a reader's trial heard
    // nothing, not even that no value held what was typed).
    var findPause = null;
    controls.addEventListener("input", function (event) {
      var find = event.target, fieldset = find.closest && find.closest("fieldset");
      if (!fieldset || !find.classList.contains("survey-matrix__find")) return;
      window.clearTimeout(findPause);
      findPause = window.setTimeout(function () {
        var left = Array.prototype.filter.call(fieldset.querySelectorAll("label"), function (label) {
          return !label.hidden && !label.classList.contains(UNFOUND);
        }).length;
        tell(left ? left + (left === 1 ? " value" : " values") + " shown" : "No value holds what was typed.");
      }, 500);
    });
    var woken = standIn && standIn.contains(document.activeElement);  // its button, which started this
    if (standIn) standIn.replaceWith(controls);
    else container.insertBefore(controls, container.firstChild);
    // In the open filter or column panel that holds the focus: Escape closes it, the focus going back to
    // its summary; the arrow keys move between its boxes, from its summary on (a reader's trial pressed
    // ArrowDown on an open filter, and the page scrolled instead).
    controls.addEventListener("keydown", function (event) {
      var key = event.key, panel = event.target.closest && event.target.closest("details[open]");
      if (!panel) return;
      if (key === "Escape") {
        panel.open = false;
        panel.querySelector("summary").focus();
      } else if (key === "ArrowDown" || key === "ArrowUp") {
        // (Not the values the box for finding one leaves out: a reader's trial typed in it, and the
        // Down arrow went nowhere. From the box Down goes to the first value, and from the first value
        // Up goes back to the box.)
        var boxes = Array.prototype.filter.call(panel.querySelectorAll("input[type=checkbox]"), function (box) {
          return !box.closest("[hidden], ." + UNFOUND);
        });
        var find = panel.querySelector(".survey-matrix__find");
        var step = key === "ArrowDown" ? 1 : -1;
        var from = event.target === find ? -1 : boxes.indexOf(event.target);
        if (event.target === find && step < 0) return;  // (the caret's, in the box)
        var next = event.target.tagName === "SUMMARY" ? (step > 0 ? 0 : -1) : from + step;
        if (next === -1 && find && from === 0) { find.focus(); event.preventDefault(); return; }
        if (next < 0 || next >= boxes.length) return;
        boxes[next].focus();
      } else {
        return;
      }
      event.preventDefault();
    });
    // One panel open at a time, as menus are: opening one closes the others, and a click anywhere
    // else closes it (they lie over the table: see extra.css).
    function closePanels(except) {
      controls.querySelectorAll("details[open]").forEach(function (panel) { if (panel !== except) panel.open = false; });
    }
    // A panel that would run past the window's right edge opens leftward from its summary instead.
    function place(panel) {
      panel.classList.remove("survey-matrix__filter--end");
      var box = panel.lastElementChild.getBoundingClientRect();
      if (box.right > document.documentElement.clientWidth) panel.classList.add("survey-matrix__filter--end");
    }
    controls.addEventListener("toggle", function (event) {
      var panel = event.target;
      if (!panel.open) {
        markChosen();  // its summary, kept as it was while it was open
        // Its summary named anew ('Year: 2019') may move the panel opened in its place to another row,
        // placed where it was (a reader's trial had one open leftward past the window's left edge).
        controls.querySelectorAll("details[open]").forEach(place);
        return;
      }
      closePanels(panel);
      place(panel);
    }, true);
    // Focus moved out of an open panel by the keyboard (Tab, or a script) closes it: left open, it lay
    // over the sort buttons the focus went on to (a reader's trial tabbed on under it). Not when a
    // pointer moves it, on its way down: the panel closed then, its summary was named anew and grew,
    // and the button pressed ('Clear filters') moved from under the pointer before it was let go, its
    // click lost. A press elsewhere closes the panel as it did (see outside, below).
    var pressing = false;
    controls.addEventListener("pointerdown", function () { pressing = true; }, true);
    function released() {
      if (!controls.isConnected) {  // the page was left (instant navigation keeps the document): as outside
        document.removeEventListener("pointerup", released, true);
        document.removeEventListener("pointercancel", released, true);
        return;
      }
      pressing = false;
    }
    document.addEventListener("pointerup", released, true);
    document.addEventListener("pointercancel", released, true);
    controls.addEventListener("focusout", function (event) {
      var panel = event.target.closest && event.target.closest("details[open]"), to = event.relatedTarget;
      if (panel && !pressing && to instanceof Node && !panel.contains(to)) panel.open = false;
    });
    document.addEventListener("pointerdown", function outside(event) {
      if (!controls.isConnected) {  // the page was left (instant navigation keeps the document)
        document.removeEventListener("pointerdown", outside);
        return;
      }
      if (!(event.target instanceof Node) || !controls.contains(event.target)) closePanels(null);
    });

    var pager = null, previous = null, next = null, where = null;
    // The pager is under the table: a reader's trial turned the page and was left below the new
    // page's first rows (the table's head 300-1,650 px above the screen). The table's top is brought
    // to just under the theme's header when it is above it; a table in view is left where it is.
    function toFirstRows() {
      var below = headerBottom();
      var top = (scrollBox(container) || container).getBoundingClientRect().top;
      if (top < below) window.scrollBy(0, top - below);
    }
    if (paged) {
      var more = container.querySelector(".survey-matrix__more");
      if (more) more.hidden = true;
      pager = el("nav", { class: "survey-matrix__pager", "aria-label": "Table pages" });
      previous = el("button", { type: "button", class: "md-button" }, "Previous page");
      where = el("span", { class: "survey-matrix__page" });
      next = el("button", { type: "button", class: "md-button" }, "Next page");
      pager.appendChild(previous); pager.appendChild(where); pager.appendChild(next);
      container.appendChild(pager);
      previous.addEventListener("click", function () { state.page -= 1; stepped(); toFirstRows(); });
      next.addEventListener("click", function () { state.page += 1; stepped(); toFirstRows(); });
    }

    headers.forEach(function (th, column) {
      var button = el("button", { type: "button", class: "survey-matrix__sort" }, th.textContent.trim());
      th.textContent = "";
      th.appendChild(button);
      // A click in the cell but not on its words sorts too: an edge-case trial's long column name made
      // every header cell tall, and a click below a short name did nothing.
      // Not the second click of a double-click there (a trial's sorted up and then down again), nor
      // the end of a drag that selected the name's words (to copy them: sorted too, in that trial).
      th.addEventListener("click", function (event) {
        if (event.target !== th || event.detail > 1) return;
        if (window.getSelection && String(window.getSelection()).trim()) return;
        button.click();
      });
      button.addEventListener("click", function () {
        // The address names the column by its id, as a filter does: a link still sorts by it when
        // columns are added or reordered (a reader's trial shared '?sort=3' for the year).
        var id = ids[column] || String(column);
        state.dir = sortColumn(state.sort) === column && state.dir === "asc" ? "desc" : "asc";
        state.sort = id;
        state.page = 1;
        stepped();
        tell(sortSaid());
      });
    });

    // The text filter as typed, and its words folded: once, not once a row. A study matches when its
    // text holds what was typed as a phrase, its letters and digits in that order with anything but
    // letters and digits between them ('Llama 2' and 'llama2' find 'Llama 2', not 'Llama 3.2'; 'gpt4'
    // finds 'GPT-4'), when any study does; else when its text holds every word, wherever ('smith adam',
    // 'eureka ppo' as a reader types them). A reader's trial typed 'Llama 2' and was shown 18 studies,
    // 7 of them with Llama 2. A phrase does not run over a comma (from one author to the next: 'chen
    // anna' is no phrase of 'Anna Chen, Anna Goldie'), and text typed with other marks than spaces,
    // hyphens, full stops and slashes ('A*', '-llama') is looked for word by word, marks and all.
    var typed = "", needles = [], phrase = null, idKey;
    function textMatches(entry) {
      if (state.q !== typed) {
        typed = state.q;
        idKey = identifiedKey(typed, function () { typed = null; apply(false); });
        var folded = fold(typed);
        needles = folded.split(/\s+/).filter(Boolean);
        phrase = runsPattern(folded, "," + PART);
        if (phrase && !entries.some(function (e) { return phrase.test(e.text); })) phrase = null;
      }
      if (idKey !== undefined) return idKey !== null && entryKey(entry) === idKey;
      if (phrase) return phrase.test(entry.text);
      return needles.every(function (needle) { return entry.text.indexOf(needle) >= 0; });
    }
    // A study's distinct values for each filter, made once (the counts read them all at each change).
    function valuesOf(entry, d) {
      if (!entry.values) {
        entry.values = dims.map(function (dim) {
          return dim.values(entry.study).filter(function (v, i, all) { return all.indexOf(v) === i; });
        });
      }
      return entry.values[d];
    }
    function passes(dim, d, entry) {
      var wanted = state.f[dim.id] || [];
      if (!wanted.length) return true;
      if (!entry.study) return false;
      var have = valuesOf(entry, d);
      return wanted.some(function (v) { return have.indexOf(v) >= 0; });
    }
    function matches(entry) {
      return textMatches(entry) && dims.every(function (dim, d) { return passes(dim, d, entry); });
    }

    // Each value's count as the reader's choices leave it: of the studies that the text and every
    // other filter let through (a filter's own values widen it, so they are counted without it), as
    // shops count theirs. Drawn into the panels already filled; a panel filled later reads them.
    function recount() {
      var filtering = state.q || dims.some(function (dim) { return (state.f[dim.id] || []).length; });
      var now = filtering ? dims.map(function () { return dict(); }) : counts;
      if (filtering) entries.forEach(function (entry) {
        if (!entry.study || !textMatches(entry)) return;
        var failing = -1, fails = 0;
        dims.forEach(function (dim, d) { if (!passes(dim, d, entry)) { failing = d; fails += 1; } });
        if (fails > 1) return;
        dims.forEach(function (dim, d) {
          if (fails && failing !== d) return;
          valuesOf(entry, d).forEach(function (v) { now[d][v] = (now[d][v] || 0) + 1; });
        });
      });
      shown.counts = now;
      dims.forEach(function (dim, d) {
        var drawn = boxes[dim.id] || [];
        drawn.forEach(function (box) { counted(box, now[d][box.value] || 0); });
        if (drawn.length) valuesShown(drawn[0].closest("fieldset"));
      });
    }

    // A cell that says nothing is known ('', 'not stated') sorts after every known one, either way.
    var unknown = unknownValues((data || facts).taxonomy);
    function known(entry, column) {
      var text = entry.cells[column] || "";
      return text !== "" && !unknown[text];
    }

    // The column a sort names: by its id, or by its place (an address of an earlier version); -1: none.
    function sortColumn(sort) {
      if (sort === "") return -1;
      var at = ids.indexOf(sort);
      if (at >= 0) return at;
      return /^[0-9]+$/.test(sort) && Number(sort) < headers.length ? Number(sort) : -1;
    }

    function ordered() {
      var column = sortColumn(state.sort);
      var list = entries.slice();
      if (column >= 0) {
        list.sort(function (a, b) {
          var kx = known(a, column), ky = known(b, column);
          if (kx !== ky) return kx ? -1 : 1;
          var x = sortKey(a, column), y = sortKey(b, column);
          var order = (typeof x === "number" && typeof y === "number" ? x - y : COLLATOR.compare(String(x), String(y))) ||
            a.index - b.index;
          return state.dir === "desc" ? -order : order;
        });
      }
      headers.forEach(function (th, i) {
        th.setAttribute("aria-sort", i === column ? (state.dir === "desc" ? "descending" : "ascending") : "none");
      });
      return list;
    }

    function showPage(visible) {
      var pages = Math.max(1, Math.ceil(visible.length / pageRows));
      state.page = Math.min(Math.max(1, state.page), pages);
      var start = (state.page - 1) * pageRows;
      var slice = visible.slice(start, start + pageRows);
      if (!untouched) {
        var fragment = document.createDocumentFragment();
        slice.forEach(function (entry) { fragment.appendChild(rowFor(entry)); });
        body.replaceChildren(fragment);
      }
      showPosition(start, slice.length, visible.length, entries.length, state.page, pages);
    }

    // The status line and the pager, for rows start+1 to start+shown of `matching` studies.
    function showPosition(start, shown, matching, all, page, pages) {
      say(matching
        ? "Showing " + (start + 1) + "–" + (start + shown) + " of " + matching + " matching studies (" + all + " in all)"
        : "No study matches (" + all + " in all)", !matching);
      where.textContent = "Page " + page + " of " + pages;
      var was = document.activeElement;
      previous.disabled = page <= 1;
      next.disabled = page >= pages;
      // A pager button disabled under the focus (the first or the last page reached by it) let the
      // focus fall to the page's body (a reader's trial): it goes to the other button.
      if ((was === previous || was === next) && was.disabled) {
        var other = was === previous ? next : previous;
        if (!other.disabled) other.focus({ preventScroll: true });
      }
    }

    function showRows(list) {
      var shown = 0;
      // Rows are moved only when the order changed, and touched only when shown or hidden anew:
      // every change to a large table makes the browser lay it out again.
      var inOrder = list.every(function (entry, i) { return body.rows[i] === entry.row; });
      list.forEach(function (entry) {
        var visible = matches(entry);
        if (entry.row.hidden === visible) entry.row.hidden = !visible;
        if (visible) shown += 1;
        if (!inOrder) body.appendChild(entry.row);
      });
      say(shown ? "Showing " + shown + " of " + entries.length + " studies"
        : "No study matches (" + entries.length + " in all): clear a filter, or the text", !shown);
    }

    // The status line says `text`, or with `none` (no study matches) that the id typed is a study of
    // another page (see elsewhere), or offers the text typed without its slips (see nearText).
    // Written only when it changes: written again, its link was a new one, and a click on the one
    // shown a moment before went nowhere (a test, on a loaded machine); and a live region written
    // again is announced again.
    function say(text, none) {
      var other = none ? elsewhere() : null, link = status.querySelector("a");
      var near = none && !other ? nearText() : null;
      var said = other ? "No study here has that id; it is a study of another page: " : text + (near ? ". Did you mean " : "");
      var whole = said + (other ? "open it" : near ? near + "?" : "");
      if (status.textContent === whole && (link ? link.href : null) === other) return;
      status.textContent = said;
      if (other) status.appendChild(el("a", { href: other }, "open it"));
      if (near) {
        var offer = el("button", { type: "button", class: "survey-matrix__near" }, near);
        offer.addEventListener("click", function () {
          search.value = near;
          search.dispatchEvent(new Event("input"));
          search.focus();  // (the button goes with the line it stood in)
        });
        status.appendChild(offer);
        status.appendChild(document.createTextNode("?"));
      }
    }

    // A word typed that no study of the table holds, of four letters or more, is taken for a slip of
    // one letter (one added, left out or changed, or two swapped): when the text matches no study, the
    // status line offers the text with each such word as the table's word one letter from it, if it
    // has one ('eurika ppo' offers 'eureka ppo'; a reader's trial typed a name misspelt and was told
    // only to clear the text). Words ordered by how many studies hold them, the first within reach.
    // The table's words are gathered once, when first wanted.
    var words = null;
    function tableWords() {
      if (words) return words;
      var counted = new Map();
      entries.forEach(function (entry) {
        (entry.text.match(/[\p{L}\p{N}]+/gu) || []).forEach(function (word) {
          if (word.length >= 3) counted.set(word, (counted.get(word) || 0) + 1);
        });
      });
      words = Array.from(counted.keys()).sort(function (a, b) { return counted.get(b) - counted.get(a); });
      return words;
    }
    function oneApart(a, b) {
      if (a === b || Math.abs(a.length - b.length) > 1) return false;
      var i = 0;
      while (i < a.length && a[i] === b[i]) i += 1;
      if (a.length === b.length) {
        if (a.slice(i + 1) === b.slice(i + 1)) return true;  // one changed
        return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);  // two swapped
      }
      return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
    }
    function nearText() {
      if (!entries || !state.q || state.q !== typed || idKey !== undefined) return null;
      if (entries.some(textMatches)) return null;  // (the other filters leave nothing: no slip of the text)
      var found = false;
      var near = needles.map(function (needle) {
        if (entries.some(function (entry) { return entry.text.indexOf(needle) >= 0; })) return needle;
        if (!/^\p{L}{4,}$/u.test(needle)) return null;
        var word = tableWords().find(function (word) { return oneApart(needle, word); });
        if (word) found = true;
        return word || null;
      });
      return found && near.indexOf(null) < 0 ? near.join(" ") : null;
    }

    // An id (or address) of a study the site holds, but not this table (a node's: the study is under
    // another), is told so, with a link to the study's page: a reader's trial pasted an id on a leaf's
    // page and was told to clear a filter it had not set.
    // The address of that study's page, or null.
    function elsewhere() {
      if (typeof idKey !== "string" || !entries || !state.q || state.q !== typed) return null;
      var here = entries.some(function (entry) { return entryKey(entry) === idKey; });
      if (here) return null;  // (other filters hide it: clearing one shows it)
      return new URL("studies/" + idKey + "/", siteRoot).href;
    }

    // The rows written into the page, before the table's data is fetched.
    function showFirst() {
      showPosition(0, Math.min(pageRows, total), total, total, 1, Math.max(1, Math.ceil(total / pageRows)));
    }

    // Fetch the table's data once; the view the reader asked for meanwhile is applied when it arrives.
    // After a failure only a change the reader makes fetches again, not focus moving through the
    // controls (a fetch each time, of megabytes), and only such a change is told it failed.
    var failed = false;
    function fetchData() {
      if (entries || loading) return;
      container.setAttribute("aria-busy", "true");
      loading = loadData(dataUrl(scope)).then(function (loaded) {
        entries = tableEntries(body, loaded, scope, paged, ids);
        container.removeAttribute("aria-busy");
        if (!untouched) apply();
      }, function () {
        loading = null;
        failed = true;
        container.removeAttribute("aria-busy");
        ready(container);
        if (!untouched) status.textContent = "The studies could not be loaded; try again, or reload the page.";
      });
    }
    function prefetch() { if (!failed) fetchData(); }

    // `step`: the reader's change is a step of its own in the history (see writeState).
    function apply(step) {
      markChosen();
      untouched = untouched && plain(state);
      if (!entries) {
        if (untouched) {
          showFirst();
          ready(container);
        } else {
          status.textContent = "Loading all " + total + " studies…";
          fetchData();
        }
        writeState(state, step);
        return;
      }
      var list = ordered();
      if (paged) showPage(list.filter(matches));
      else showRows(list);
      recount();
      writeState(state, step);
      ready(container);
    }
    // A change made at once, and the end of any typing: the next letter typed is a step again.
    var typing = false, typedFrom = "";
    function stepped() { typing = false; apply(true); }

    // Back and Forward within this page show the view its address names.
    if (window.surveySteps) window.surveySteps.add(container, function restore() {
      acting();
      var asked = renamed(readState(), taxonomy.moved);
      var was = { sort: state.sort, dir: state.dir, hide: state.hide.slice() };
      Object.keys(asked).forEach(function (key) { state[key] = asked[key]; });
      search.value = state.q;
      typing = false;
      dims.forEach(function (dim) {
        var drawn = boxes[dim.id] || [];
        var values = drawn.map(function (box) { return box.value; });
        // (A filter with no panel, of fewer than two values, has no boxes to draw: its choice still filters.)
        var missing = (state.f[dim.id] || []).some(function (v) { return values.indexOf(v) < 0; });
        if (missing && redraw[dim.id]) redraw[dim.id]();
        else drawn.forEach(function (box) { box.checked = (state.f[dim.id] || []).indexOf(box.value) >= 0; });
      });
      if (chooser) chooser.sync();
      apply();
      // A sort or a column undone by Back (or done again by Forward) is said as when it was done: a
      // reader's trial heard nothing (the status line says only how many studies are shown).
      var said = [];
      if (state.sort !== was.sort || state.dir !== was.dir) said.push(sortSaid());
      ids.forEach(function (id, at) {
        var hidden = state.hide.indexOf(id) >= 0;
        if (hidden !== (was.hide.indexOf(id) >= 0) && headers[at]) {
          said.push(columnSaid(headers[at].textContent.trim(), !hidden));
        }
      });
      if (said.length) tell(said.join(". "));
    });

    if (!entries) {
      controls.addEventListener("focusin", prefetch);  // the reader is about to filter: start fetching
      controls.addEventListener("toggle", prefetch, true);
    }
    // A pause ends a run of typing: what the reader stopped to read is a step of its own. A reader's
    // trial typed 'GPT-4', read the rows, cleared the box and typed 'Llama 2': clearing took the
    // 'GPT-4' step back, and Back then skipped it.
    var lastTyped = 0;
    search.addEventListener("input", function () {
      var text = search.value.trim(), now = Date.now();
      if (now - lastTyped > TYPING_PAUSE) typing = false;
      lastTyped = now;
      if (typing && text === typedFrom && window.surveySteps) {  // as before the typing: its step is taken back
        typing = false;
        history.back();  // (restore then shows the view before it)
        return;
      }
      if (!typing) typedFrom = state.q;
      state.q = text;
      state.page = 1;
      var before = window.location.href;
      apply(!typing);
      if (window.location.href !== before) typing = true;  // (a space alone changes no address)
    });
    search.addEventListener("change", function () { typing = false; });  // left, or Enter
    controls.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.dataset || !box.dataset.dim) return;
      state.f[box.dataset.dim] = boxes[box.dataset.dim].filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      state.page = 1;
      stepped();
    });
    // (Busy while the file is made, not disabled: a disabled button loses the focus, which a reader's
    // trial, by keyboard, found on the page's body after each download.)
    cites.forEach(function (cite) {
      var button = cite.button, format = cite.format;
      var busy = function (on) {
        if (on) button.setAttribute("aria-disabled", "true");
        else button.removeAttribute("aria-disabled");
      };
      button.addEventListener("click", function () {
        if (button.getAttribute("aria-disabled") === "true") return;
        busy(true);
        fetchData();
        var refused = function () {
          busy(false);
          status.textContent = "The " + format.label + " could not be loaded; try again, or reload the page.";
        };
        Promise.resolve(entries || loading).then(function () {
          if (!entries) throw new Error("no table data");
          var keys = ordered().filter(matches).map(entryKey);
          if (!keys.length) {  // (a reader's trial was given an empty file, and no word)
            busy(false);
            status.textContent = "No study is shown: there is nothing to download.";
            return;
          }
          return fetch(new URL(cite.at, siteRoot).href).then(function (response) {
            if (!response.ok) throw new Error(String(response.status));
            return response.text();
          }).then(function (text) {
            var file = format.split(text);
            var chosen = keys.filter(function (key) { return file.byKey[key]; }).map(function (key) { return file.byKey[key]; });
            var link = el("a", { download: "studies-" + chosen.length + "." + format.extension });
            link.href = URL.createObjectURL(new Blob([file.head + chosen.join(format.between) + format.after], { type: format.type }));
            document.body.appendChild(link);
            link.click();
            link.remove();
            setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
            busy(false);
          });
        }).catch(refused);
      });
    });
    reset.addEventListener("click", function () {
      // (The same state object, changed: a filter panel drawn later reads its choices from it.)
      state.q = ""; state.page = 1; state.f = dict();
      search.value = "";
      Object.keys(boxes).forEach(function (k) { boxes[k].forEach(function (b) { b.checked = false; }); });
      stepped();
    });
    apply();
    if (woken) search.focus();
  }

  // The files of every study a table's studies can be cut from (its data-bibtex, data-ris and data-csv
  // give where): how each is cut into its studies by key, and joined again. A fetched file's text has
  // no byte order mark (the decoder drops it), which a CSV gets back for spreadsheets that read it as
  // UTF-8 by it alone.
  var DOWNLOADS = {
    bibtex: { label: "BibTeX", extension: "bib", type: "application/x-bibtex", between: "\n\n", after: "\n", split: function (text) {
      var byKey = dict();
      text.split(/\n(?=@)/).forEach(function (entry) {
        var key = /^\s*@\w+\{([^,\s]+),/.exec(entry);
        if (key) byKey[key[1]] = entry.trim();
      });
      return { head: "", byKey: byKey };
    } },
    ris: { label: "RIS", extension: "ris", type: "application/x-research-info-systems", between: "\n\n", after: "\n", split: function (text) {
      var byKey = dict(), lines = [], key = null;
      text.split(/\r?\n/).forEach(function (line) {
        if (!lines.length && !line.trim()) return;  // (between two records)
        lines.push(line);
        var id = /^ID {2}- (.+)$/.exec(line);
        if (id) key = id[1].trim();
        if (/^ER {2}-/.test(line)) {
          if (key) byKey[key] = lines.join("\n");  // (its "ER  - " keeps the space the format asks)
          lines = []; key = null;
        }
      });
      return { head: "", byKey: byKey };
    } },
    csv: { label: "CSV", extension: "csv", type: "text/csv;charset=utf-8", between: "\n", after: "\n", split: function (text) {
      // Rows end at a line's end outside quotes (a summary may hold a comma, a quote, a line break);
      // each row's first field is its study's key. (Read with a "\r\n" too, which the site's own
      // file does not write.)
      var byKey = dict(), head = null, start = 0, quoted = false;
      text = text.replace(/^\ufeff/, "");
      for (var i = 0; i <= text.length; i++) {
        var c = text.charAt(i);
        if (c === '"') quoted = !quoted;
        else if (i === text.length || (c === "\n" && !quoted)) {
          var row = text.slice(start, i).replace(/\r$/, "");
          start = i + 1;
          if (!row) continue;
          if (head === null) { head = row; continue; }
          var first = /^("(?:[^"]|"")*"|[^,]*)/.exec(row)[1];
          byKey[first.charAt(0) === '"' ? first.slice(1, -1).replace(/""/g, '"') : first] = row;
        }
      }
      return { head: "\ufeff" + (head || "") + "\n", byKey: byKey };  // (the site's file ends its rows so)
    } }
  };

  // Until its table starts, its controls' stand-in (which the page writes hidden from assistive
  // technology) is their landmark, holding one button that starts the table and gives the focus to
  // its search box: a reader's trial, jumping to the filters by landmark from the heat maps far below
  // a table, found none. Made here, by the script that answers the button: a page whose script does
  // not run has no landmark or button that would do nothing.
  function wakeable(container) {
    var standIn = container.querySelector(".survey-matrix__stand-in");
    if (!standIn || standIn.querySelector(".survey-matrix__wake")) return;
    standIn.removeAttribute("aria-hidden");
    standIn.removeAttribute("inert");
    standIn.setAttribute("role", "search");
    standIn.setAttribute("aria-label", "Filter the studies");
    var wake = el("button", { type: "button", class: "survey-visually-hidden survey-matrix__wake" },
      "Filter and sort the table");
    // Pressed without being focused first (as assistive technology may), it takes the focus: that
    // starts the table (see whenWanted), whose search box the focus then goes to (see enhance).
    wake.addEventListener("click", function () { wake.focus(); });
    standIn.insertBefore(wake, standIn.firstChild);
  }

  // A table is made interactive once it is about to be seen or a reader acts on it, never before:
  // a page whose table is further down costs nothing until then, and no data is fetched for it.
  function whenWanted(container, start) {
    var done = false;
    var observer = null;
    function go() {
      if (done) return;
      done = true;
      if (observer) observer.disconnect();
      ["pointerdown", "focusin", "keydown"].forEach(function (type) { container.removeEventListener(type, go); });
      start();
    }
    ["pointerdown", "focusin", "keydown"].forEach(function (type) { container.addEventListener(type, go); });
    if ("IntersectionObserver" in window) {
      observer = new IntersectionObserver(function (seen) {
        if (seen.some(function (entry) { return entry.isIntersecting; })) go();
      }, { rootMargin: "200px 0px" });
      observer.observe(container);
    } else {
      go();
    }
  }

  // A table whose data could not be loaded stays as the page wrote it (every row of a small table),
  // says why it has no filters, and gives back the space they were to take.
  function unavailable(container) {
    ready(container);
    var standIn = container.querySelector(".survey-matrix__stand-in");  // no controls will come
    var woken = standIn && standIn.contains(document.activeElement);
    if (standIn) standIn.remove();
    if (container.dataset.enhanced) return;
    container.dataset.enhanced = "unavailable";
    var note = el("p", { class: "survey-matrix__status survey-matrix__unavailable", role: "status", tabindex: "-1" },
      "Sorting and filtering are unavailable: the table's data could not be loaded. Reload the page to try again.");
    container.insertBefore(note, container.firstChild);
    if (woken) note.focus();  // (its button, gone, held the focus)
  }

  // The facts a paged table was built with, or null (a whole table, or a page built without them).
  function factsOf(container) {
    try {
      var facts = JSON.parse(container.getAttribute("data-facts") || "null");
      var paged = Number(container.getAttribute("data-total") || 0) > container.querySelectorAll("tbody tr").length;
      return paged && facts && facts.taxonomy && Array.isArray(facts.counts) ? facts : null;
    } catch (error) {
      return null;
    }
  }

  // A heat map's cell leads to this page with filters in its address. The theme's instant navigation
  // takes a link to the page already shown for a link within it and does nothing: such a click loads
  // the page, as it does without instant navigation, and the table reads the filters from the address.
  function followHeatmapLinks() {
    Array.prototype.forEach.call(document.querySelectorAll(".survey-heatmap"), function (map) {
      map.addEventListener("click", function (event) {
        var link = event.target.closest ? event.target.closest("a[href]") : null;
        if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        if (link.origin !== window.location.origin || link.pathname !== window.location.pathname) return;
        event.preventDefault();
        event.stopPropagation();
        window.location.assign(link.href);
      });
    });
  }

  // An address that filters, sorts or pages the table (a heat map's cell, a link a reader shared):
  // its rows are held back until that view is shown, instead of every row first, then the few asked
  // for. The table is made at once, not when seen.
  var PENDING = "survey-matrix--pending";
  function asksForView() { return !plain(readState()); }
  var SHOWN = "survey-matrix-shown";  // the event said once a held-back view is shown (see whenShown)
  function ready(container) {  // (called where no fetch for the table is under way)
    if (!container.classList.contains(PENDING)) return;
    container.classList.remove(PENDING);
    container.removeAttribute("aria-busy");
    container.dispatchEvent(new Event(SHOWN));
  }
  function whenShown(container, act) {  // at once, or once the view a table holds back is shown
    if (container.classList.contains(PENDING)) container.addEventListener(SHOWN, act, { once: true });
    else act();
  }

  // A table scrolls in a box of its own (the matrix page's both ways, a node page's sideways), which
  // the theme does not restore: Back from a study opened at row 50 of the matrix showed row 1, and
  // from one opened with a leaf's table scrolled to its last columns showed the first (readers'
  // trials). Where each box stood is kept for this tab by address, and the box is put back there
  // only when the page is reached by Back or Forward.
  var SCROLLED = "survey-matrix-scroll:";
  function arrival() {  // whether a Back or Forward, or a reload, brought the page shown (page-steps.html)
    var steps = window.surveySteps;
    return steps && typeof steps.arrival === "function" ? steps.arrival() : { back: false, reload: false, state: null };
  }
  function headerBottom() {  // where the theme's header, fixed at the top, ends
    var header = document.querySelector(".md-header");
    return header ? header.getBoundingClientRect().bottom : 0;
  }

  // A link to a node page's table filtered or sorted (one a reader shared) opened at the top of the
  // page, the table 15,000 px below the 26 cards above it, and nothing on the screen said so (a
  // reader's trial): the page is brought to the table once its view is shown. Not on Back or Forward
  // or a reload (the page is put where it was), not for an address naming a place on the page, and
  // not for a table on the screen already (the matrix page's). The focus is brought there too, to the
  // line saying how many studies are shown (a screen reader reads it): from a heat map's cell, a
  // keyboard reader's trial was left at the page's top, 28 Tab stops above the rows it had asked for.
  // The next Tab goes on to the table. Not when the reader has put the focus somewhere already. Its ring
  // is drawn only when the link was followed by a key (a pointer's reader was shown a box round the line).
  // Whether the reader's last input was a key, on this page or the one before (kept for the tab: a link
  // to the page shown is followed by loading it anew).
  var KEYED = "survey-matrix-keyed";
  var keyed = (function () { try { return sessionStorage.getItem(KEYED) === "1"; } catch (e) { return false; } })();
  function input(byKey) {
    if (keyed === byKey) return;
    keyed = byKey;
    try { sessionStorage.setItem(KEYED, byKey ? "1" : "0"); } catch (e) { /* (storage refused: this page only) */ }
  }
  window.addEventListener("keydown", function () { input(true); }, true);
  window.addEventListener("pointerdown", function () { input(false); }, true);
  function broughtToTable(container) {
    whenShown(container, function () {
      var top = container.getBoundingClientRect().top;
      if (top > window.innerHeight / 2) window.scrollBy(0, top - headerBottom());
      var status = container.querySelector(".survey-matrix__status"), at = document.activeElement;
      if (!status || (at && at !== document.body && at !== document.documentElement)) return;
      status.setAttribute("tabindex", "-1");
      status.classList.toggle("survey-matrix__status--unringed", !keyed);
      status.focus({ preventScroll: true });
    });
  }
  // Back, Forward or a reload puts the page at the offset it had when it was left: the theme scrolls
  // there (history.state holds it), or the browser does. The parts above it that are laid out only
  // when near (content-visibility: see reading.js) stood at estimated heights, and a filtered node
  // page came back 200-850 px off, another study's row on the screen (a review, at 390 px). Those
  // parts are laid out first and, once every table shows the view the address asks for, the page is
  // put at the offset again; where the page is not yet that long (a table's controls and notes are
  // drawn when it is first seen: the foot of a page came back 53-99 px short), again as it grows, for
  // a few seconds. Not once the reader has moved the page (by a key, the wheel, a touch, a click, or
  // otherwise: finding a word in it), nor on another page. Meanwhile the browser does not keep what
  // is on the screen in place as those parts grow (scroll anchoring): it moved the page 16,000 px
  // down, where the theme, which keeps the offset it last saw, took it for the place to come Back to;
  // and the theme is told the offset reached at the end.
  var keptEnd = null;  // ends the last page's keptPlace while it still waits (see init)
  function keptPlace(containers, state) {  // (state: the history entry's, as arrival gives it)
    var y = state && typeof state.y === "number" ? state.y : 0;
    if (!(y > 0)) return;
    var root = document.documentElement, page = window.location.pathname, done = false, grown = null;
    var last = null;  // where this last put the page: moved from there, the page is the reader's
    var inputs = ["wheel", "touchstart", "keydown", "mousedown"];
    function end() {
      if (done) return;
      done = true;
      keptEnd = null;
      inputs.forEach(function (type) { window.removeEventListener(type, end); });
      if (grown) grown.disconnect();
      root.style.overflowAnchor = "";
      window.dispatchEvent(new Event("scroll"));  // (read by the theme, which missed some of the moves)
    }
    function reached() {
      if (done) return;
      if (last !== null && Math.abs(window.scrollY - last) > 1) { end(); return; }  // (found in the page)
      window.scrollTo(0, y);
      last = window.scrollY;
      if (Math.abs(last - y) < 1) end();
    }
    function place() {
      if (done || window.location.pathname !== page) { end(); return; }
      reached();
      if (done || !window.ResizeObserver) { end(); return; }
      grown = new ResizeObserver(reached);
      grown.observe(document.body);
      window.setTimeout(end, 3000);
    }
    keptEnd = end;
    root.style.overflowAnchor = "none";
    inputs.forEach(function (type) { window.addEventListener(type, end, { passive: true }); });
    window.setTimeout(end, 15000);  // (a table whose data never comes)
    if (window.surveyLaidOutTo) window.surveyLaidOutTo(y);
    Promise.all(containers.map(function (container) {
      return new Promise(function (resolve) { whenShown(container, resolve); });
    })).then(function () { window.requestAnimationFrame(place); });
  }
  function scrollKey(place) {  // (the address, and the table's place on the page if not the first)
    return SCROLLED + window.location.pathname + window.location.search + (place > 0 ? "#" + place : "");
  }
  function scrollBox(container) {
    var wrap = container.querySelector(".md-typeset__scrollwrap");
    return wrap || (container.closest(".survey-matrix-page") ? container : null);
  }
  function keptScrolling(container, back) {
    var box = scrollBox(container);
    if (!box) return;
    var place = Array.prototype.indexOf.call(document.querySelectorAll(".survey-matrix"), container);
    if (back) {
      var kept = [];
      try {
        kept = (window.sessionStorage.getItem(scrollKey(place)) || "").split(" ");
      } catch (error) { /* no storage here: the box stays at its start */ }
      // A view the address asks for (a page 2, a filter) is put back once its rows are shown: before,
      // the box held none of them, and a leaf's page 2 came Back at its first column.
      whenShown(container, function () {
        if (kept[0]) box.scrollTop = Number(kept[0]);
        if (kept[1]) box.scrollLeft = Number(kept[1]);
      });
    }
    box.addEventListener("scroll", onceAFrame(function () {
      try {
        window.sessionStorage.setItem(scrollKey(place), box.scrollTop + " " + box.scrollLeft);
      } catch (error) { /* none */ }
    }), { passive: true });
  }

  // What takes the focus in a box that scrolls sideways is never left under the box's sticky first
  // column: the box scrolls it clear (a reader's trial tabbed back through the sort buttons
  // and 'Leaf', 'Year' and 'Domain' stayed under the Study column; the browser's own scroll to the
  // focus takes the sticky cells for room to show it in, and scroll-padding did not change that).
  function clearOfStickyCells(box, table) {
    box.addEventListener("focusin", function (event) {
      var cell = event.target.closest ? event.target.closest("th, td") : null;
      var corner = table.tHead && table.tHead.rows[0] && table.tHead.rows[0].cells[0];
      if (!cell || !corner || cell.cellIndex === 0 || !table.contains(cell)) return;
      var shown = event.target.getBoundingClientRect(), sticky = corner.getBoundingClientRect();
      var under = sticky.right - shown.left;  // (the corner's right edge is the sticky column's)
      if (under > 0) box.scrollLeft -= under + 8;
    });
  }

  // A table wider than its box says which columns lie beyond its right edge: at 1280 px a leaf's
  // table ended at 'Domain', and a reader's trial did not know Feedback, Code released and Date added
  // were there to scroll to. Said under the table (above it, the line moved the table down once the
  // controls were drawn), kept up as the box scrolls or changes size; nothing when all are in view.
  // A heat map wider than the screen (a phone's) says so too: a reader's trial saw no sign of its last
  // columns (Vicuna, GPT-3.5) beyond the edge. Returns what updates the line (null: none drawn).
  function sidewaysHint(box, table) {
    if (!box || !table || !table.tHead) return null;
    var hint = el("p", { class: "survey-matrix__sideways", hidden: "" });
    box.after(hint);
    function update() {
      var edge = box.getBoundingClientRect().right;
      // (A column cut by the edge is named once its larger part is beyond it: a reader's trial at 390 px
      // was told of 'Year', most of which it could read.)
      var beyond = Array.prototype.filter.call(table.tHead.rows[0].cells, function (th) {
        var box = th.getBoundingClientRect();
        return th.offsetParent !== null && box.right > edge + 1 && box.left + box.width / 2 > edge;
      }).map(function (th) { return th.textContent.trim(); }).filter(Boolean);  // (a heat map's corner is empty)
      var text = beyond.length ? "More columns to the right: " + beyond.join(", ") + "; scroll the table sideways." : "";
      if (hint.textContent !== text) hint.textContent = text;
      if (hint.hidden !== !text) hint.hidden = !text;
    }
    var later = onceAFrame(update);
    box.addEventListener("scroll", later, { passive: true });
    clearOfStickyCells(box, table);
    // (Observers of the box and the table, not a listener on the window, which would keep every page
    // the theme's instant navigation swaps out.)
    if (window.ResizeObserver) {
      var sized = new ResizeObserver(later);
      sized.observe(box);
      sized.observe(table);
    }
    new MutationObserver(later).observe(table, { childList: true, subtree: true });  // (rows paged, sorted)
    update();
    return later;
  }
  function heatmapHints() {
    Array.prototype.forEach.call(document.querySelectorAll(".survey-heatmap__scroll"), function (box) {
      if (box.dataset.hinted) return;
      box.dataset.hinted = "yes";
      sidewaysHint(box, box.querySelector("table"));
    });
  }

  // A table scrolls in a box no taller than the window, its header row sticky at the box's top; the
  // page scrolls too, and where the box's top went under the theme's fixed header, so did the header
  // row (a reader's trial at 390 px saw 'algorithm' and 'benchmark' alone of the columns' names). The
  // row sticks as far down the box as the theme's header covers it, so it stays in view below.
  // The theme's "Back to top", which floats just below its header as the page scrolls up, stood over
  // the middle of that row and hid columns' names (a reader's trial): while a header row is where the
  // button floats, the button floats below the row (--survey-top-shift, extra.css).
  var HEAD_TOP = "--survey-head-top", TOP_SHIFT = "--survey-top-shift";
  function headsBelowHeader() {
    var bottom = headerBottom(), button = document.querySelector(".md-top"), shift = 0;
    // (Where the theme floats it: the top it gives the button, below its header, and the button's height.)
    var from = button ? parseFloat(getComputedStyle(button).top) || 0 : 0, to = from + (button ? button.offsetHeight : 0);
    Array.prototype.forEach.call(document.querySelectorAll(".survey-matrix"), function (container) {
      var box = container.querySelector(".md-typeset__scrollwrap") || container;
      var covered = Math.min(bottom - box.getBoundingClientRect().top, box.clientHeight / 2);
      var value = covered > 0 ? Math.round(covered) + "px" : "";
      if (box.style.getPropertyValue(HEAD_TOP) !== value) {
        if (value) box.style.setProperty(HEAD_TOP, value);
        else box.style.removeProperty(HEAD_TOP);
      }
      var head = container.querySelector("table thead th");  // (the cells stick, not the row)
      var row = head ? head.getBoundingClientRect() : null;
      if (row && row.height && row.bottom > bottom && row.top < to) shift = Math.max(shift, row.bottom + 4 - from);
    });
    var root = document.documentElement.style, shifted = shift > 0 ? Math.ceil(shift) + "px" : "";
    if (root.getPropertyValue(TOP_SHIFT) === shifted) return;
    if (shifted) root.setProperty(TOP_SHIFT, shifted);
    else root.removeProperty(TOP_SHIFT);
  }
  var headsLater = onceAFrame(headsBelowHeader);
  window.addEventListener("scroll", headsLater, { passive: true });  // (once: it reads whichever page is shown)
  window.addEventListener("resize", headsLater, { passive: true });

  function init() {
    if (keptEnd) keptEnd();  // (a page left before it was put back where it had been)
    followHeatmapLinks();
    heatmapHints();
    headsLater();
    var asked = asksForView();
    var arrived = arrival(), back = arrived.back, again = arrived.reload;
    var containers = Array.prototype.slice.call(document.querySelectorAll(".survey-matrix"));
    containers.forEach(function (container) {
      // (A table that fails to be made interactive is left as the page wrote it, without the
      // controls' stand-in; the error still reaches the console.)
      function made(data, facts) {
        var fresh = !container.dataset.enhanced;  // (enhance leaves a table made interactive before alone)
        try {
          enhance(container, data, facts);
        } catch (error) {
          unavailable(container);
          throw error;
        }
        if (!fresh || !container.dataset.enhanced) return;
        keptScrolling(container, back);
        var hinted = sidewaysHint(container.querySelector(".md-typeset__scrollwrap"), container.querySelector("table"));
        if (hinted) container.addEventListener("change", hinted);  // (a column hidden or shown, by the column chooser)
      }
      function start() {
        var facts = factsOf(container);
        if (facts) { made(null, facts); return; }
        loadData(dataUrl(container.getAttribute("data-scope") || "")).then(function (data) {
          made(data);
        }, function () { unavailable(container); });
      }
      if (asked && !container.dataset.enhanced) {
        container.classList.add(PENDING);
        container.setAttribute("aria-busy", "true");
        start();
        if (!back && !again && !window.location.hash && container === containers[0]) {
          broughtToTable(container);
        }
      } else {
        wakeable(container);
        whenWanted(container, start);
      }
    });
    if (back || again) keptPlace(containers, arrived.state);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material's instant navigation swaps pages without reloading
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
