// The theme's search dialog has role="dialog" but no name; screen readers announce it as "Search".
document.querySelectorAll(".md-search[role='dialog']:not([aria-label])").forEach(function (dialog) {
  dialog.setAttribute("aria-label", "Search");
});

// The theme's search results box is a Tab stop of its own, also while it holds no results: a reader's
// trial tabbed from the empty search box onto it as it closed, and nothing visible had the focus. It
// is one only while there is a query and results to scroll through (a query typed before the index
// has come has none yet: a reader's trial tabbed onto the box then too). (Without them it has no
// tabindex at all: the browser then makes it a Tab stop only if it overflows, which an empty one does
// not; tabindex -1 would keep it out even then, which checkers report as a region keys cannot scroll.
// While the search is closed, extra.css makes it no region to scroll at all.)
(function () {
  var input = document.querySelector(".md-search__input");
  var results = document.querySelector(".md-search__scrollwrap");
  var toggle = document.getElementById("__search");
  if (!input || !results) return;
  function sync() {  // (and while the search is open: a reader's trial tabbed onto it, closed by Escape)
    var open = !toggle || toggle.checked;
    if (open && input.value.trim() && results.querySelector(".md-search-result__link")) results.setAttribute("tabindex", "0");
    else results.removeAttribute("tabindex");
  }
  input.addEventListener("input", sync);
  if (toggle) toggle.addEventListener("change", sync);
  if (typeof MutationObserver === "function") {  // (the results come after the query, drawn by the theme)
    new MutationObserver(sync).observe(results, { childList: true, subtree: true });
  }
  sync();
  // Tab from the box goes to the first result, as the Down arrow does: the theme closed the search at a
  // Tab, and a reader's trial was left on the emptied box of results, where no focus showed. (With no
  // query, Tab goes on as the theme has it.)
  input.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    var first = results.querySelector(".md-search-result__link");
    if (!first || !input.value.trim()) return;
    event.preventDefault();
    event.stopPropagation();  // (the theme, which closes the search at a Tab, hears it on the window)
    first.focus();
  });
  // Tab and Shift+Tab go on through the results, as the arrow keys do, and back to the box: a reader's
  // trial reached the first result by Tab, and the next Tab closed the search. Tab from the last
  // result, or with the results shown another way, goes on as the theme has it.
  results.addEventListener("keydown", function (event) {
    // (Shift pressed alone: the theme took the focus back to the box, as for a letter typed, and the
    // Tab after it, from the box, closed the search. A letter typed with Shift still goes to the box.)
    if (event.key === "Shift" && event.target instanceof Element && event.target.closest(".md-search-result")) {
      event.stopPropagation();
      return;
    }
    // (Space or Enter on a fold's summary opens or shuts it, as on any summary: the theme took the Space
    // for a letter typed, sent the focus to the box and typed a space there.)
    if ((event.key === " " || event.key === "Enter") && event.target instanceof Element &&
        event.target.matches(".md-search-result__more > summary")) {
      event.stopPropagation();
      return;
    }
    if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey) return;
    // (Not those of a fold left shut: Chromium gives them a box all the same, and the Tab stopped at
    // the fold's summary, sent to a link that takes no focus.)
    var links = Array.prototype.filter.call(
      results.querySelectorAll(".md-search-result__link, .md-search-result__more > summary"),
      function (link) {
        var fold = link.closest("details");
        return link.getClientRects().length > 0 && (!fold || fold.open || link.matches("summary"));
      });
    var at = links.indexOf(event.target);
    if (at < 0) return;
    var next = event.shiftKey ? (at > 0 ? links[at - 1] : input) : links[at + 1];
    if (!next) return;
    event.preventDefault();
    event.stopPropagation();
    next.focus();
  });
  // Results drawn again while one of them has the focus would leave the focus on nothing, the page's
  // body: the answer to a query typed before the last can come after a Tab (a fast typist's, as the
  // test suite's was once). The focus goes to the same page's result in the new list, or else to the
  // first, as soon as there is one.
  var held = null, first = false;  // the result (or a fold's summary) that has the focus; whether the first
  function page(link) {  // its address without the highlight, which changes with the query
    if (!link || !link.href) return null;
    var url = new URL(link.href);
    url.searchParams.delete("h");
    return url.href;
  }
  document.addEventListener("focusin", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    held = target && target.matches(".md-search-result__link, .md-search-result__more > summary") ? target : null;
    first = !!held && held === results.querySelector(".md-search-result__link");
  });
  var list = results.querySelector(".md-search-result__list");
  if (list && typeof MutationObserver === "function") {
    new MutationObserver(function () {
      if (!held || held.isConnected) return;
      // (Only from the body: the focus moved on by the reader stays. A search closed meanwhile is
      // hidden, and the browser focuses none of its links.)
      if (document.activeElement && document.activeElement !== document.body) { held = null; return; }
      var links = Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
      if (!links.length) return;  // (emptied, to be drawn again: held until then)
      // The first result stays the first: a reader's trial, typing fast and pressing Tab, was left on a
      // page the last query put lower. Another keeps its page. (A fold's summary stands for its
      // result's page. A section's link the reader had opened its fold for is in a fold drawn shut:
      // it is opened again.)
      if (first) { links[0].focus(); return; }
      var item = held.closest(".md-search-result__item");
      var was = page(held.matches("summary") && item ? item.querySelector(".md-search-result__link") || held : held);
      var same = links.filter(function (link) { return was && page(link) === was; })[0];
      var target = same || links[0], fold = target.closest("details");
      if (fold && !fold.open) fold.open = true;
      target.focus();
      if (document.activeElement !== target) links[0].focus();
    }).observe(list, { childList: true, subtree: true });
  }
  // How many pages the query found is said (a reader's trial heard nothing): once the count rests, half
  // a second after it last changed, and only when it says something else than it last said (the count
  // itself a live region, a reader's trial heard it at each letter typed). Nothing is said before a
  // query is typed. The region is emptied once said, as the matrix's is: read in a screen reader's
  // browsing mode, the count was found twice, in the theme's line and here.
  var meta = document.querySelector(".md-search-result__meta");
  if (meta && meta.parentNode && !meta.parentNode.querySelector(".survey-search-count")) {
    var count = document.createElement("span");
    count.className = "survey-visually-hidden survey-search-count";
    count.setAttribute("aria-live", "polite");
    meta.parentNode.insertBefore(count, meta.nextSibling);
    var countPause = null, countedFor = "", countSaid = "", countHeld = null;
    new MutationObserver(function () {
      window.clearTimeout(countPause);
      countPause = window.setTimeout(function () {
        var box = document.querySelector(".md-search__input"), now = meta.textContent.trim();
        var query = box ? box.value.trim() : "";
        // (Said again for another query with as many results: a review heard 'policy', then 'agent',
        // 22 pages each, said once. The box emptied, the next query is another.)
        if (query && (now !== countSaid || query !== countedFor)) {
          countSaid = now;
          count.textContent = "";  // (emptied first, and written a moment after: the same words are news)
          window.clearTimeout(countHeld);
          countHeld = window.setTimeout(function () {
            count.textContent = now;
            countHeld = window.setTimeout(function () { count.textContent = ""; }, 5000);
          }, 60);
        }
        countedFor = query;
      }, 500);
    }).observe(meta, { childList: true, characterData: true, subtree: true });
  }
})();

// The theme's search reads its box on a key press (keyup) alone: a query pasted from a menu (right-click
// Paste, a phone's long press) or dropped in made none, and a reader's trial was left with "Type to start
// searching" over a full box. Any change made without a key tells the theme as a key's release would
// (it reads the box, and does nothing when the text is as it was: a change made by a key is read twice,
// to the same effect).
(function () {
  var input = document.querySelector(".md-search__input");
  if (!input || typeof KeyboardEvent !== "function") return;
  input.addEventListener("input", function () {
    input.dispatchEvent(new KeyboardEvent("keyup"));  // (not bubbling: the box's own)
  });
})();

// The theme's note after a code block's copy button ('Copied to clipboard') is shown and said nowhere
// else: a screen reader announced nothing (a reader's trial). It is a status, read when it changes.
document.querySelectorAll(".md-dialog__inner:not([role])").forEach(function (note) {
  note.setAttribute("role", "status");
});

// A button made of the theme's label for a checkbox says whether what the box opens is open.
function expandedAs(button, box) {
  var sync = function () { button.setAttribute("aria-expanded", box.checked ? "true" : "false"); };
  box.addEventListener("change", sync);
  sync();
}

// The arrow beside a section of the theme's navigation (a label that opens and closes it) is a Tab
// stop with no text: it is named after its section, as a button (a label may bear no name of its own:
// axe found that a serious fault in the drawer of narrow screens) that says whether the section is
// open. (The navigation is drawn anew on each page.)
function nameSectionToggles() {
  document.querySelectorAll("label.md-nav__link[for]").forEach(function (toggle) {
    if (toggle.textContent.trim() || toggle.hasAttribute("aria-label")) return;
    var link = toggle.parentElement && toggle.parentElement.querySelector("a.md-nav__link");
    var name = link ? link.textContent.trim() : "";
    if (!name) return;
    toggle.setAttribute("role", "button");
    toggle.setAttribute("aria-label", "Pages under " + name);
    var section = document.getElementById(toggle.getAttribute("for"));
    if (section) expandedAs(toggle, section);
  });
}
// The bar of a code block's copy button is a navigation landmark of its own, unnamed: on a page with two
// BibTeX blocks, a screen reader lists two alike navigations beside the site's own (axe, a reader's
// trial). It is no landmark: one button is no region to go to. (The theme draws it on each page.)
// And each copy button is named by the section its block stands in: About's two were both 'Copy to
// clipboard' (a reader's trial), one copying the survey's record, one the site's.
function unmarkCodeBars() {
  document.querySelectorAll("nav.md-code__nav:not([role])").forEach(function (bar) {
    bar.setAttribute("role", "none");
  });
  var headings = Array.prototype.slice.call(document.querySelectorAll("article h2, article h3"));
  document.querySelectorAll("article .md-code__button[data-md-type='copy']:not([aria-label])").forEach(function (button) {
    var above = headings.filter(function (heading) {
      return heading.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING;
    }).pop();
    var name = above ? above.textContent.replace(/\u00b6/g, "").trim() : "";
    // (Its title, the tooltip a pointer shows, was read after the name as its description, a reader's
    // trial heard: an empty description stands in its place.)
    if (name) {
      button.setAttribute("aria-label", "Copy to clipboard: " + name);
      button.setAttribute("aria-description", "");
    }
  });
}
// A heat map's every cell is a link: a keyboard reader had to Tab through some 130 of them to get past
// the heat maps of the matrix page (a reader's trial). Each heat map is one Tab stop, at the cell last
// reached (at first, its first link); the arrow keys move between its cells' links, Home and End to
// the first and last of a row (with Ctrl, of the table). Without this script every link is a Tab stop.
var EDGES = {
  ArrowRight: "No cell further right", ArrowLeft: "No cell further left",
  ArrowDown: "No cell further down", ArrowUp: "No cell further up",
};
function roveHeatmaps() {
  document.querySelectorAll("table.survey-heatmap__table:not([data-roving])").forEach(function (table) {
    var rows = Array.prototype.map.call(table.tBodies[0] ? table.tBodies[0].rows : [], function (row) {
      return Array.prototype.map.call(row.cells, function (cell) { return cell.querySelector("a[href]"); });
    });
    var links = table.querySelectorAll("tbody a[href]");
    if (!links.length) return;
    table.setAttribute("data-roving", "");
    Array.prototype.forEach.call(links, function (link) { link.setAttribute("tabindex", "-1"); });
    links[0].setAttribute("tabindex", "0");
    var caption = table.closest("figure") && table.closest("figure").querySelector("figcaption");
    if (caption) {  // (a note for the screen, not printed: see extra.css)
      var keys = document.createElement("span");
      keys.className = "survey-heatmap__keys";
      keys.textContent = " By keyboard the table is one Tab stop: the arrow keys move between its cells.";
      caption.appendChild(keys);
    }
    function place(link) {
      for (var r = 0; r < rows.length; r++) {
        var c = rows[r].indexOf(link);
        if (c >= 0) return [r, c];
      }
      return null;
    }
    // The nearest link from (r, c) on, stepping by (dr, dc): cells without a link are passed over.
    function from(r, c, dr, dc) {
      for (r += dr, c += dc; r >= 0 && r < rows.length && c >= 0 && c < rows[r].length; r += dr, c += dc) {
        if (rows[r][c]) return rows[r][c];
      }
      return null;
    }
    // At the table's edge the focus stays; a screen reader is told so (a reader's trial heard nothing).
    var edge = document.createElement("span");
    edge.className = "survey-visually-hidden";
    edge.setAttribute("aria-live", "polite");
    table.parentNode.insertBefore(edge, table.nextSibling);
    function go(link, key) {
      if (!link) {
        edge.textContent = "";
        edge.textContent = EDGES[key] || "";
        return;
      }
      edge.textContent = "";
      Array.prototype.forEach.call(links, function (each) { each.setAttribute("tabindex", "-1"); });
      link.setAttribute("tabindex", "0");
      link.focus();
    }
    table.addEventListener("keydown", function (event) {
      var at = event.target instanceof Element ? place(event.target.closest("a[href]")) : null;
      if (!at || event.altKey || event.metaKey) return;
      var r = at[0], c = at[1], row = rows[r], next = null;
      if (event.key === "ArrowRight") next = from(r, c, 0, 1);
      else if (event.key === "ArrowLeft") next = from(r, c, 0, -1);
      else if (event.key === "ArrowDown") next = from(r, c, 1, 0);
      else if (event.key === "ArrowUp") next = from(r, c, -1, 0);
      else if (event.key === "Home") next = event.ctrlKey ? links[0] : from(r, -1, 0, 1);
      else if (event.key === "End") next = event.ctrlKey ? links[links.length - 1] : from(r, row.length, 0, -1);
      else return;
      event.preventDefault();  // (the page does not scroll: the focus moves, or stays at the edge)
      go(next, event.key);
    });
  });
}
// Every table of a page's text is named: a screen reader lists the tables of a page by their names,
// and a reader's trial with axe found none named. A heat map is named by its figure's caption, any
// other table by the heading above it, with the page's title where that heading is not it ('Reward:
// Comparison'); the headings' permanent links ('¶') are no part of a name.
function headingText(heading) {
  var copy = heading.cloneNode(true);
  Array.prototype.forEach.call(copy.querySelectorAll(".headerlink"), function (link) { link.remove(); });
  return copy.textContent.replace(/\s+/g, " ").trim();
}
function tableName(table) {
  var figure = table.closest("figure"), caption = figure && figure.querySelector("figcaption");
  if (caption) return caption.textContent.replace(/\s+/g, " ").trim();
  var article = table.closest("article") || document.body, above = null;
  Array.prototype.forEach.call(article.querySelectorAll("h1, h2, h3, h4, h5, h6"), function (heading) {
    if (heading.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING) above = heading;
  });
  if (!above) return "";
  var name = headingText(above), title = article.querySelector("h1");
  if (title && title !== above) {
    var page = headingText(title);
    if (page && name.indexOf(page) < 0) name = page + ": " + name;
  }
  return name;
}
function nameTables() {
  document.querySelectorAll("article table:not([aria-label]):not([aria-labelledby])").forEach(function (table) {
    if (table.caption) return;
    var name = tableName(table);
    if (name) table.setAttribute("aria-label", name);
  });
}
// A row's first cell names what the row is about, and is made its header, so a screen reader says it
// with each cell of the row: a study's facet in its Facets table (a reader's trial heard 'Value' alone
// from cell to cell), a study in a comparison table (across a row of a dozen facets, as the heat maps'
// rows are headed). The Markdown tables the pages are written in have no row headers. (Rows a
// comparison table draws later are drawn headed: matrix.js.)
function rowHeads() {
  var cells = [".survey-facets", ".survey-matrix", ".survey-subcategories"].map(function (box) {
    return box + " table > tbody > tr > td:first-child";
  }).join(", ");
  document.querySelectorAll(cells).forEach(function (cell) {
    var head = document.createElement("th");
    head.setAttribute("scope", "row");
    Array.prototype.forEach.call(cell.attributes, function (attribute) {
      head.setAttribute(attribute.name, attribute.value);
    });
    while (cell.firstChild) head.appendChild(cell.firstChild);
    cell.replaceWith(head);
  });
}
function onEveryPage() {
  rowHeads();
  nameTables();  // (before a heat map's caption is told how the keyboard moves in it)
  nameSectionToggles();
  unmarkCodeBars();
  roveHeatmaps();
}
// What several of the scripts below ask: each page the theme shows (instant navigation included),
// whether a Back or Forward brought it (page-steps.html says, the same to every script), and whether
// the focus is still nowhere (on the page's body, as the theme leaves it).
function onEachPage(callback) {
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(callback);
  else callback();
}
function broughtBack() {
  var steps = window.surveySteps;
  return !!steps && typeof steps.arrival === "function" && steps.arrival().back;
}
function focusIsFree() {
  var at = document.activeElement;
  return !at || at === document.body || at === document.documentElement;
}
// Or left in the theme's search once it has closed (on its box, or on a result, which the browser
// moves to the body soon after): nowhere a reader put it either.
function focusLeftBehind() {
  var at = document.activeElement, toggle = document.getElementById("__search");
  return focusIsFree() || (!!at.closest && !!at.closest(".md-search") && !!toggle && !toggle.checked);
}
// The link a key followed from the page shown, kept for a Back to the page (see below): its address and
// its place among the page's links to it; null when none was (a pointer's link, a search result's).
var FOLLOWED = "survey-followed:";
function followedFrom() {
  var kept = null;
  try { kept = JSON.parse(sessionStorage.getItem(FOLLOWED + location.pathname + location.search) || "null"); } catch (error) { kept = null; }
  return kept && typeof kept.href === "string" ? kept : null;
}
// The page's heading (or the section `hash` names) is given the focus, which a screen reader reads out,
// and Tab goes on from there (see the arrival below).
function arriveAt(hash) {
  var id = hash.slice(1);
  try { id = decodeURIComponent(id); } catch (error) { /* written undecoded: as the browser looks it up */ }
  var target = (id && document.getElementById(id)) || document.querySelector(".md-content article h1");
  if (!target) return;
  // (No ring while it has the focus this way, and no Tab stop once left: the heading of a page left
  // kept its tabindex, and a section of the same name on the next page was announced from it first, a
  // reader's trial found. An element that is a control, which an address may name, keeps its own.)
  var added = !target.hasAttribute("tabindex");
  if (added) target.setAttribute("tabindex", "-1");
  target.setAttribute("data-survey-arrived", "");
  target.addEventListener("blur", function () {
    target.removeAttribute("data-survey-arrived");
    if (added) target.removeAttribute("tabindex");
  }, { once: true });
  target.focus({ preventScroll: true });  // (the page stays where the theme put it)
}
onEachPage(onEveryPage);

// Escape closes the theme's search and takes the focus off its box, to nowhere: a keyboard reader
// (a reader's trial) was left on the page's body, and the next Tab started from the page's top. The
// focus goes back to where it was when the search was opened (by a shortcut key or by Tab), if that is
// still on the page. (The theme's search box itself would open the search again.)
(function () {
  var input = document.querySelector(".md-search__input");
  if (!input) return;
  var before = null;
  input.addEventListener("focus", function (event) {
    // Where the focus came from (none: the page's body); kept when it comes back from within the
    // search itself, as from a result by the arrow keys.
    var from = event.relatedTarget;
    if (!from || !from.closest(".md-search")) before = from;
  });
  var toggle = document.querySelector("[data-md-toggle='search']");
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var inBox = document.activeElement === input, open = toggle && toggle.checked;
    if (!inBox && !open) return;  // (the theme may have left the box already)
    var back = before, asked = Date.now();
    function restore() {  // once the theme has closed the search and taken the focus off its box
      // (Or left it on a result of the search it closed: a reader's trial, Escape from a result
      // reached by the arrow keys.)
      if (focusLeftBehind() && back && back.isConnected && back !== input) back.focus();
    }
    if (inBox && !open) {
      // The theme marks its search open a moment after its box takes the focus, and until then does
      // nothing with Escape: under load a test's quick Escape came first, and the focus stayed in the
      // box (as a reader's would on a slow device). The box is left here instead.
      input.blur();
      restore();
      return;
    }
    // Whenever the theme takes the focus off its box (a set wait of one task missed it under load), if
    // that is this key's doing: the wait for the restoring is not limited, as the browser may be slow.
    if (inBox) {
      input.addEventListener("blur", function () {
        if (Date.now() - asked < 1000) setTimeout(restore, 0);
      }, { once: true });
    } else {
      setTimeout(restore, 0);
    }
  }, true);
})();

// The theme's menu button of narrow screens (a label that opens the navigation drawer) takes no focus:
// a reader's trial at 390 px could not reach the site's navigation by keyboard. It is made a button
// that Tab reaches and Enter or Space opens and closes, named, and saying whether the drawer is open;
// opened by a key, the drawer takes the focus, and Escape closes it and gives the focus back. (The
// header is drawn once: instant navigation keeps it.)
(function () {
  var drawer = document.getElementById("__drawer");
  var button = document.querySelector("label.md-header__button[for='__drawer']");
  if (!drawer || !button) return;
  button.setAttribute("tabindex", "0");
  button.setAttribute("role", "button");
  if (!button.hasAttribute("aria-label")) button.setAttribute("aria-label", "Menu");  // (the drawer: "Navigation")
  expandedAs(button, drawer);
  button.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    event.stopPropagation();  // (the theme clicks a focused label on Enter too: the drawer closed again)
    button.click();  // the label toggles the drawer, as a tap does
    if (!drawer.checked) return;
    // The first entry of the shown panel that takes the focus: not the logo, nor an entry of a panel
    // beside it (a section's, or the current page's contents, which slide in when opened); on a phone
    // the current page's own link is not shown (a label that opens its contents stands for it).
    var panel = shownPanel();
    var entries = panel ? panel.querySelectorAll(".md-nav__list :is(a[href], [tabindex='0'])") : [];
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].closest("nav.md-nav") !== panel || !entries[i].getClientRects().length) continue;
      entries[i].focus();
      if (document.activeElement === entries[i]) break;
    }
  });
  // The drawer opens on the deepest open section of the navigation (on a leaf's page, the leaf's
  // class), whose panel covers the lists above it.
  function shownPanel() {
    var sidebar = document.querySelector(".md-sidebar--primary");
    var open = sidebar ? sidebar.querySelectorAll("input.md-nav__toggle:checked") : [];
    for (var i = open.length - 1; i >= 0; i--) {  // the last in the page's order is the deepest
      var nav = open[i].parentElement.querySelector(":scope > nav.md-nav");
      if (nav) return nav;
    }
    return sidebar && sidebar.querySelector("nav.md-nav--primary");
  }
  // Within the open drawer, Tab goes round what it shows, from its last entry to its first and back,
  // not out to the page under the overlay; a section's panel is entered as it opens, and its title (the
  // arrow back to the list it covers) is a button (a reader's trial at 390 px tabbed out of the drawer,
  // and lost the focus to a panel that slid away). What it shows: stylesheets/extra.css hides the rest.
  var narrow = window.matchMedia("(max-width: 76.234375em)");
  function stops() {  // (the sidebar is the page's: instant navigation draws it anew)
    var sidebar = document.querySelector(".md-sidebar--primary");
    if (!sidebar) return [];
    return Array.prototype.filter.call(sidebar.querySelectorAll("a[href], [tabindex='0']"), function (stop) {
      return stop.getClientRects().length > 0 && window.getComputedStyle(stop).visibility === "visible";
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || !drawer.checked || !narrow.matches || event.altKey || event.ctrlKey || event.metaKey) return;
    var all = stops(), at = all.indexOf(document.activeElement);
    if (at < 0) return;  // (the focus elsewhere: the menu button, the search)
    var next = event.shiftKey ? (at === 0 ? all.length - 1 : -1) : (at === all.length - 1 ? 0 : -1);
    if (next < 0) return;
    event.preventDefault();
    all[next].focus();
  });
  onEachPage(function () {
    var sidebar = document.querySelector(".md-sidebar--primary");
    if (!sidebar || sidebar.dataset.panelKeys) return;
    sidebar.dataset.panelKeys = "yes";
    Array.prototype.forEach.call(sidebar.querySelectorAll("nav.md-nav > label.md-nav__title[for]"), function (title) {
      var toggle = document.getElementById(title.getAttribute("for"));
      if (!toggle || toggle === drawer) return;
      title.setAttribute("tabindex", "0");
      title.setAttribute("role", "button");
      title.setAttribute("aria-label", "Back from " + title.textContent.trim());
      title.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        event.stopPropagation();  // (the theme clicks a focused label on Enter too)
        title.click();
        // The focus goes to the section's own entry in the list the panel covered.
        var item = toggle.parentElement;
        var entry = item && item.querySelector(
          ":scope > .md-nav__link[tabindex='0'], :scope > .md-nav__container > a, :scope > a");
        if (entry) entry.focus({ preventScroll: true });  // (the panel sliding away: as above)
      });
    });
    // A top section's arrow, which opens its pages in the drawer, is reached too: the theme leaves it out
    // of the Tab order (tabindex="") where sections are headings on wide screens, and a reader's trial at
    // 375 px could open a sub-category's pages from the keyboard but no class's. (Wide, the arrow is not
    // drawn, and so no Tab stop.) Space opens it as Enter does, as a button's keys do.
    Array.prototype.forEach.call(sidebar.querySelectorAll("label.md-nav__link[for^='__nav_']"), function (arrow) {
      if (arrow.getAttribute("tabindex") === "") arrow.setAttribute("tabindex", "0");
      arrow.addEventListener("keydown", function (event) {
        if (event.key !== " ") return;
        event.preventDefault();  // (not the page scrolled under the drawer)
        arrow.click();
      });
    });
    // The current page's entry, on a phone a label that opens the page's contents, is reached too (a
    // reader's trial found it skipped: Tab went from the panel's title to the next page).
    Array.prototype.forEach.call(sidebar.querySelectorAll("label.md-nav__link[for='__toc']"), function (entry) {
      if (entry.hasAttribute("tabindex") && entry.getAttribute("tabindex") !== "") return;
      entry.setAttribute("tabindex", "0");
      entry.setAttribute("role", "button");
      entry.setAttribute("aria-label", entry.textContent.trim() + ": the contents of this page");
    });
    sidebar.addEventListener("change", function (event) {
      var toggle = event.target;
      if (!narrow.matches || !toggle.matches || !toggle.matches("input.md-nav__toggle") || !toggle.checked) return;
      var item = toggle.parentElement, focused = document.activeElement;
      if (!item || !focused || !item.contains(focused)) return;  // (opened by a tap: the focus is nowhere near)
      // Opened by a key only: a tap or a click focuses the arrow too, and must leave the focus be. And
      // the focus goes in without scrolling: the panel is still sliding in, and its box was scrolled
      // sideways to reach it, which left the drawer blank until a Tab (a reader's trial at 320-1,024 px).
      if (!focused.matches(":focus-visible")) return;
      var nav = item.querySelector(":scope > nav.md-nav");
      var first = nav ? stops().filter(function (stop) { return nav.contains(stop); })[0] : null;
      if (first) first.focus({ preventScroll: true });
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !drawer.checked) return;
    // An Escape in the search, opened over the drawer, is the search's: it closes that alone (the
    // theme's own handler, which comes after this one, gives the focus back to the drawer).
    var search = document.querySelector("[data-md-toggle='search']");
    var target = event.target instanceof Element ? event.target : null;
    if ((search && search.checked) || (target && target.closest(".md-search"))) return;
    var inside = document.activeElement && document.activeElement.closest(".md-sidebar--primary");
    button.click();
    if (inside || document.activeElement === document.body) button.focus();
  });
})();

// The theme's light and dark toggle is a radio button per scheme, each followed by the label (the icon)
// shown while its scheme is on, which switches to the next. The theme shows the right label but checks
// no radio button, so Tab always reached the first one: in the dark scheme, that is the one whose label
// is hidden (the focus ring was drawn on nothing) and whose name says "Switch to dark mode", and Space
// did nothing in either (a reader's trial). The scheme's own radio button is checked whenever the theme
// shows its label, and Space switches as Enter does.
(function () {
  var form = document.querySelector("form[data-md-component='palette']");
  if (!form) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.md-option"));
  function current() {
    for (var i = 0; i < inputs.length; i++) {
      var label = inputs[i].nextElementSibling;
      if (label && label.tagName === "LABEL" && !label.hidden) return i;
    }
    return -1;
  }
  function mark() {
    var index = current();
    if (index >= 0 && !inputs[index].checked) inputs[index].checked = true;
  }
  mark();
  if (typeof MutationObserver === "function") {
    new MutationObserver(mark).observe(form, { attributes: true, attributeFilter: ["hidden"], subtree: true });
  }
  form.addEventListener("keydown", function (event) {
    if (event.key !== " " || !(event.target instanceof HTMLInputElement)) return;
    var index = current();
    if (index < 0) return;
    event.preventDefault();
    var next = inputs[(index + 1) % inputs.length];
    next.click();  // as the theme does on Enter
    next.focus();
  });
})();

// Back to a page left by a link followed with a key puts the focus on that link again: the theme's
// instant navigation puts the page back where it was on the screen but leaves the focus on its body,
// and a keyboard reader's trial, back from a study's page, had to Tab again from the site's header
// down to the card it had left by. The link is known by its address and, of the page's links to the
// same address, its place (a leaf's cards and table link a study twice); where it is drawn only later
// (the rows of a table's second page), it is waited for a few seconds. Not when the focus has gone
// somewhere meanwhile, nor for a link followed by a pointer (no ring is drawn where none was asked).
(function () {
  function here() { return location.pathname + location.search; }
  function store(key, value) {
    try {
      if (value === null) sessionStorage.removeItem(FOLLOWED + key);
      else sessionStorage.setItem(FOLLOWED + key, value);
    } catch (error) { /* no storage here: the focus is not brought back */ }
  }
  function alike(href) {  // the page's links written with this address, in the page's order
    if (window.CSS && typeof CSS.escape === "function") {
      return Array.prototype.slice.call(document.querySelectorAll('a[href="' + CSS.escape(href) + '"]'));
    }
    return Array.prototype.filter.call(document.querySelectorAll("a[href]"), function (link) {
      return link.getAttribute("href") === href;
    });
  }
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;  // (another tab or window)
    // A place on this page, or another site, is no page left here to come back to.
    if (link.origin !== location.origin || link.pathname + link.search === here()) return;
    // Where the page stands now is where Back is to put it: the theme records it some time after a
    // scroll, and a keyboard reader's trial, who had tabbed down a table to a link and followed it at
    // once, came Back 450 px higher, the link below the window. (The theme keeps the offset as {x, y}.)
    var state = history.state && typeof history.state === "object" ? history.state : {};
    if (state.x !== window.scrollX || state.y !== window.scrollY) {
      history.replaceState(Object.assign({}, state, { x: window.scrollX, y: window.scrollY }), "");
    }
    // A key's click has no count of presses; a pointer's has one (a pointer's link forgets a key's). A
    // search result is gone from the page when it is back (its heading takes the focus then).
    if (event.detail !== 0 || link.closest(".md-search")) { store(here(), null); return; }
    var href = link.getAttribute("href");
    store(here(), JSON.stringify({ href: href, nth: alike(href).indexOf(link) }));
  }, true);
  function refocus() {
    if (!broughtBack()) return;
    var kept = followedFrom();
    if (!kept) return;
    var page = here(), until = Date.now() + 4000;
    // The link given the focus is watched until the wait is over: a table opened filtered or sorted
    // puts its rows in the view's order, or draws them anew, which takes the focus off a row's link to
    // the body (a reader's trial was left there). It is given the focus again, or its new self is.
    // (Not once the reader has pressed a key or a pointer: the focus is theirs.)
    var placed = null, touched = false;
    function touch() { touched = true; }
    ["pointerdown", "mousedown", "keydown"].forEach(function (type) {
      document.addEventListener(type, touch, { capture: true, once: true });
    });
    function attempt() {
      if (here() !== page || touched) return true;  // (another page, or the reader's turn)
      var late = Date.now() > until;
      if (placed && document.activeElement === placed) return late;
      if (!focusIsFree()) return true;  // (the reader's own focus)
      var links = alike(kept.href);
      // (The one it was, once drawn; after the wait, the last of those drawn.)
      var link = placed && placed.isConnected ? placed
        : links[Math.max(Number(kept.nth) || 0, 0)] || (late ? links[links.length - 1] : null);
      if (!link || !link.getClientRects().length) {
        // (Never drawn: the page is announced as a page no key left, see the arrival below; a review.)
        if (late && focusIsFree()) arriveAt(location.hash);  // (or drawn, focused and drawn away again)
        return late;
      }
      var roving = link.closest("table[data-roving]");  // (a heat map: its one Tab stop is this cell now)
      if (roving) {
        roving.querySelectorAll("tbody a[href]").forEach(function (each) { each.setAttribute("tabindex", "-1"); });
        link.setAttribute("tabindex", "0");
      }
      link.focus({ preventScroll: true });  // (the page stays where the theme and the tables put it)
      placed = link;
      return late;
    }
    if (attempt()) return;
    var timer = window.setInterval(function () { if (attempt()) window.clearInterval(timer); }, 100);
  }
  onEachPage(refocus);
})();

// A page the theme's instant navigation draws is announced, and Tab goes on from its top: the focus is
// put on its heading (or on the section its address names), which a screen reader reads out. A
// reader's trial heard nothing of the new page, and the next Tab went to the site's navigation or the
// page's content as it happened. Not on a Back or Forward to a page a key's link left (see above: that
// link is focused again), nor where a script of the page has placed the focus already (the matrix's
// status line); the page loaded the usual way is the browser's to announce.
(function () {
  var first = true;
  function arrived() {
    if (first) { first = false; return; }
    // A Back or Forward: to the link a key left the page by (see above), else, as a reader's trial
    // found the focus left on the body (after a search result, a pointer's link, Forward), here too.
    if (broughtBack() && followedFrom()) return;
    if (focusLeftBehind()) arriveAt(location.hash);  // (Enter on a query leaves it in the search)
  }
  onEachPage(arrived);
  // A link to a section of the page shown: the theme moves there and the link's focus falls to the body
  // (a reader's trial, after an instant navigation): the section takes it.
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[href*='#']") : null;
    if (!link || link.origin !== location.origin || link.pathname + link.search !== location.pathname + location.search) return;
    if (!link.hash || link.closest(".md-search")) return;
    window.setTimeout(function () { if (focusLeftBehind()) arriveAt(link.hash); }, 100);  // (after the theme has moved)
  });
})();

// A page found by a section of it alone (a study by a value of its Facets) is listed above that
// section, and the theme links it with an empty highlight ('?h='), which a reader then copies or shares
// (a reader's trial): the empty part is left out. And each result is named by what it shows (its
// heading, then the words found): the theme's link holds an article, which gives a link no name, and
// a reader's trial with a screen reader heard 'link' alone for every result. The article is made no
// element of its own to a screen reader. (Not a label of the heading alone: checkers want a link's
// name to hold the words it shows.)
(function () {
  var list = document.querySelector(".md-search-result__list");
  if (!list || typeof MutationObserver !== "function") return;
  function tidy() {
    list.querySelectorAll("a.md-search-result__link > article:not([role])").forEach(function (article) {
      article.setAttribute("role", "none");
    });
    list.querySelectorAll("a.md-search-result__link[href*='h=']").forEach(function (link) {
      var url;
      try { url = new URL(link.href); } catch (error) { return; }
      if (!url.searchParams.has("h") || url.searchParams.get("h").trim()) return;
      url.searchParams.delete("h");
      link.setAttribute("href", url.href);
    });
  }
  new MutationObserver(tidy).observe(list, { childList: true, subtree: true });
})();
