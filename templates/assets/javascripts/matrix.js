// Comparison matrix: sorting, filters (class, leaf, every facet, free text) kept in the URL.
// Enhances the plain table generated at build time; without JavaScript that table is the page.
(function () {
  "use strict";

  var dataCache = null;
  // The site's root, from this script's own address (javascripts/matrix.js): unlike the theme's
  // relative base, it stays right after instant navigation swaps the page.
  var siteRoot = new URL("..", document.currentScript.src);

  function loadStudies() {
    if (!dataCache) {
      dataCache = fetch(new URL("downloads/studies.json", siteRoot))
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var byKey = {};
          data.studies.forEach(function (s) { byKey[s.key] = s; });
          return { byKey: byKey, taxonomy: data.taxonomy };
        });
    }
    return dataCache;
  }

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

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", sort: params.get("sort") || "", dir: params.get("dir") || "asc", f: {} };
    params.forEach(function (value, key) {
      if (key.indexOf("f.") === 0) state.f[key.slice(2)] = value.split("|").filter(Boolean);
    });
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.sort) { params.set("sort", state.sort); params.set("dir", state.dir); }
    Object.keys(state.f).sort().forEach(function (k) {
      if (state.f[k].length) params.set("f." + k, state.f[k].join("|"));
    });
    var query = params.toString();
    history.replaceState(history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function dimensions(taxonomy) {
    var names = {}, position = {};
    taxonomy.nodes.forEach(function (n, i) { names[n.path] = n.name; position[n.path] = i; });
    var treeOrder = function (path) { return path in position ? position[path] : 0; };
    var none = function () { return 0; };
    var dims = [
      { id: "class", label: "Class", names: names, order: treeOrder,
        values: function (s) { return s.categories.map(function (c) { return c.split("/")[0]; }); } },
      { id: "leaf", label: "Leaf", names: names, order: treeOrder, values: function (s) { return s.categories; } },
    ];
    taxonomy.facets.forEach(function (facet) {
      dims.push({ id: facet.id, label: facet.label, names: {}, order: none,
        values: function (s) { return s.facets[facet.id] || []; } });
    });
    return dims;
  }

  function enhance(container, data) {
    var byKey = data.byKey;
    var table = container.querySelector("table");
    if (!table || container.dataset.enhanced) return;
    container.dataset.enhanced = "1";
    var rows = Array.prototype.slice.call(table.tBodies[0].rows).map(function (row, index) {
      return { row: row, index: index, study: byKey[studyKey(row)] || null, text: row.textContent.toLowerCase() };
    });
    var studies = rows.map(function (r) { return r.study; }).filter(Boolean);
    var dims = dimensions(data.taxonomy);
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var state = readState();

    var controls = el("div", { class: "survey-matrix__controls", role: "search" });
    var searchId = "matrix-search-" + Math.random().toString(36).slice(2, 8);
    controls.appendChild(el("label", { for: searchId, class: "survey-matrix__label" }, "Filter studies"));
    var search = el("input", { id: searchId, type: "search", placeholder: "Name, title, author, value", class: "md-input" });
    search.value = state.q;
    controls.appendChild(search);

    var boxes = {};
    dims.forEach(function (dim) {
      var counts = {};
      studies.forEach(function (s) { dim.values(s).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; }); });
      var values = Object.keys(counts).sort(function (a, b) {
        return dim.order(a) - dim.order(b) || (a < b ? -1 : a > b ? 1 : 0);
      });
      if (values.length < 2 && !(state.f[dim.id] || []).length) return;
      var details = el("details", { class: "survey-matrix__filter" });
      var summary = el("summary", {}, dim.label);
      details.appendChild(summary);
      var fieldset = el("fieldset", {});
      fieldset.appendChild(el("legend", { class: "survey-matrix__legend" }, "Filter by " + dim.label));
      boxes[dim.id] = [];
      values.forEach(function (value) {
        var label = el("label", {});
        var box = el("input", { type: "checkbox", value: value, "data-dim": dim.id });
        box.checked = (state.f[dim.id] || []).indexOf(value) >= 0;
        label.appendChild(box);
        label.appendChild(document.createTextNode((dim.names[value] || value) + " (" + counts[value] + ")"));
        fieldset.appendChild(label);
        boxes[dim.id].push(box);
      });
      details.appendChild(fieldset);
      if ((state.f[dim.id] || []).length) details.open = true;
      controls.appendChild(details);
    });
    var reset = el("button", { type: "button", class: "md-button survey-matrix__reset" }, "Clear filters");
    controls.appendChild(reset);
    var status = el("p", { class: "survey-matrix__status", role: "status", "aria-live": "polite" });
    controls.appendChild(status);
    container.insertBefore(controls, container.firstChild);

    headers.forEach(function (th, column) {
      var button = el("button", { type: "button", class: "survey-matrix__sort" }, th.textContent.trim());
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var id = String(column);
        state.dir = state.sort === id && state.dir === "asc" ? "desc" : "asc";
        state.sort = id;
        apply();
      });
    });

    function matches(entry) {
      if (state.q && entry.text.indexOf(state.q.toLowerCase()) < 0) return false;
      return dims.every(function (dim) {
        var wanted = state.f[dim.id] || [];
        if (!wanted.length) return true;
        if (!entry.study) return false;
        var have = dim.values(entry.study);
        return wanted.some(function (v) { return have.indexOf(v) >= 0; });
      });
    }

    function sortKey(entry, column) {
      var text = entry.row.cells[column] ? entry.row.cells[column].textContent.trim() : "";
      var number = Number(text);
      return text !== "" && !isNaN(number) ? number : text.toLowerCase();
    }

    function apply() {
      var column = state.sort === "" ? -1 : Number(state.sort);
      var ordered = rows.slice();
      if (column >= 0) {
        ordered.sort(function (a, b) {
          var x = sortKey(a, column), y = sortKey(b, column);
          var order = x < y ? -1 : x > y ? 1 : a.index - b.index;
          return state.dir === "desc" ? -order : order;
        });
      }
      var shown = 0;
      var body = table.tBodies[0];
      ordered.forEach(function (entry) {
        var visible = matches(entry);
        entry.row.hidden = !visible;
        if (visible) shown += 1;
        body.appendChild(entry.row);
      });
      headers.forEach(function (th, i) {
        th.setAttribute("aria-sort", i === column ? (state.dir === "desc" ? "descending" : "ascending") : "none");
      });
      status.textContent = "Showing " + shown + " of " + rows.length + " studies";
      writeState(state);
    }

    search.addEventListener("input", function () { state.q = search.value.trim(); apply(); });
    controls.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.dataset || !box.dataset.dim) return;
      state.f[box.dataset.dim] = boxes[box.dataset.dim].filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      apply();
    });
    reset.addEventListener("click", function () {
      state = { q: "", sort: state.sort, dir: state.dir, f: {} };
      search.value = "";
      Object.keys(boxes).forEach(function (k) { boxes[k].forEach(function (b) { b.checked = false; }); });
      apply();
    });
    apply();
  }

  function init() {
    var containers = document.querySelectorAll(".survey-matrix");
    if (!containers.length) return;
    loadStudies().then(function (data) {
      Array.prototype.forEach.call(containers, function (c) { enhance(c, data); });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  // Material's instant navigation swaps pages without reloading
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
