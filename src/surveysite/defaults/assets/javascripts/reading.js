// Node pages: show the study cards in taxonomy order or newest first (by year, then date added),
// the choice kept in the URL (order=newest), a step in the history that Back takes back, as a table's
// filters are (matrix.js). Without JavaScript the cards stay in taxonomy order.
// On every page, a link to a place on it lands there (see toTarget).
(function () {
  "use strict";

  var counter = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function newestFirst(a, b) {
    var year = Number(b.card.dataset.year) - Number(a.card.dataset.year);
    if (year) return year;
    var x = a.card.dataset.added || "", y = b.card.dataset.added || "";
    return x < y ? 1 : x > y ? -1 : a.index - b.index;
  }

  function setOrder(value) {
    var params = new URLSearchParams(window.location.search);
    if (value === "newest") params.set("order", value); else params.delete("order");
    var query = params.toString();
    var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (address === window.location.pathname + window.location.search + window.location.hash) return;
    if (window.surveySteps) history.pushState(null, "", address);  // a step (partials/page-steps.html)
    else history.replaceState(history.state, "", address);
  }

  function orderAsked() {
    return new URLSearchParams(window.location.search).get("order") === "newest" ? "newest" : "taxonomy";
  }

  // The table of contents lists the cards in the order they are shown (the theme's, and its copy in
  // the navigation of a narrow screen): each card's entry is moved to the end of its list in turn.
  // (Entries are matched by their link's fragment, however its address is written.)
  function orderContents(entries) {
    var items = Object.create(null);
    Array.prototype.forEach.call(document.querySelectorAll(".md-nav--secondary a.md-nav__link"), function (link) {
      var id = link.hash.slice(1);
      try { id = decodeURIComponent(id); } catch (error) { /* a malformed escape: the id as written */ }
      (items[id] = items[id] || []).push(link.parentNode);
    });
    entries.forEach(function (entry) {
      var heading = entry.card.querySelector("h3[id]");
      (heading && items[heading.id] || []).forEach(function (item) { item.parentNode.appendChild(item); });
    });
  }

  function enhance(list) {
    if (list.dataset.ordered) return;
    list.dataset.ordered = "1";
    var entries = Array.prototype.filter.call(list.children, function (c) { return c.classList.contains("survey-card"); })
      .map(function (card, index) { return { card: card, index: index }; });
    if (entries.length < 2) return;
    var orders = {
      taxonomy: entries.slice(),
      newest: entries.slice().sort(newestFirst),
    };
    counter += 1;
    var name = "survey-order-" + counter;
    var group = el("fieldset", { class: "survey-order" });
    group.appendChild(el("legend", {}, "Order the studies"));
    [["taxonomy", "As in the taxonomy, oldest first"], ["newest", "Newest first (by year)"]].forEach(function (choice) {
      var label = el("label", {});
      var radio = el("input", { type: "radio", name: name, value: choice[0] });
      label.appendChild(radio);
      label.appendChild(document.createTextNode(" " + choice[1]));
      group.appendChild(label);
    });
    list.parentNode.insertBefore(group, list);

    // The cards are moved only when not in the order asked, and a card's link that had the focus keeps
    // it: moved, it lost it (a keyboard reader's trial, put back on the link it had followed after
    // Back, was left on the page's body as the cards were put in the order they already stood in).
    var shown = "";
    function show(order) {
      if (order === shown) return;
      shown = order;
      var cards = Array.prototype.filter.call(list.children, function (c) { return c.classList.contains("survey-card"); });
      var inOrder = orders[order].every(function (entry, i) { return cards[i] === entry.card; });
      if (!inOrder) {
        var focused = list.contains(document.activeElement) ? document.activeElement : null;
        orders[order].forEach(function (entry) { list.appendChild(entry.card); });
        if (focused && document.activeElement !== focused) focused.focus({ preventScroll: true });
      }
      orderContents(orders[order]);
      group.querySelector("input[value='" + order + "']").checked = true;
    }
    group.addEventListener("change", function (event) {
      show(event.target.value);
      setOrder(event.target.value);
    });
    show(orderAsked());
    // Back and Forward within the page show the order the address names (partials/page-steps.html).
    if (window.surveySteps) window.surveySteps.add(list, function () { show(orderAsked()); });
  }

  // A link to a place on the page (#comparison, a study's card) must find it where it is: the parts
  // laid out only when near (content-visibility) stand at an estimated height until then, and the
  // browser keeps what is on screen in place as they grow, which left the place thousands of pixels
  // off once the theme had loaded the page again (it does, for a link in the table of contents).
  // Those before the place, or holding it, are laid out at once, and the place scrolled to.
  var DEFERRED = ".survey-cards, .survey-chart, .survey-heatmap, .survey-matrix table";

  function toTarget() {
    var id = window.location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (error) { /* a malformed escape: the id as written */ }
    var target = id && document.getElementById(id);
    if (!target) return;
    var moved = laidOut(function (box) {
      return box.contains(target) || box.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    if (moved) target.scrollIntoView();
  }

  // Each deferred part `wanted` picks laid out at once; whether there was one. Still contained as
  // `content-visibility: auto` contains it, so that its margins stand as they did: without, the
  // first and last cards' margins joined the list's, and a page put back at its offset came 30 px off.
  function laidOut(wanted) {
    var moved = false;
    Array.prototype.forEach.call(document.querySelectorAll(DEFERRED), function (box) {
      if (wanted(box)) {
        box.style.contentVisibility = "visible";
        box.style.contain = "layout style paint";
        moved = true;
      }
    });
    return moved;
  }

  // The parts that start above `y` pixels down the page, and the first screen below it, laid out at
  // once: matrix.js puts a page reached by Back, Forward or a reload at the offset it had.
  window.surveyLaidOutTo = function (y) {
    var bottom = y + window.innerHeight;
    function above(box) {
      return box.style.contentVisibility !== "visible" && box.getBoundingClientRect().top + window.scrollY < bottom;
    }
    while (laidOut(above)) { /* each part laid out moves those after it: looked at again */ }
  };

  // A search typed without accents ('Muller', 'Garcia') finds a page by the plain forms of its names, and
  // the theme, opening the page from the results, marks there only the words as typed: nothing, where the
  // page says 'Müller' (a reader's trial). The words a search brought the reader for ('?h=' in the
  // address) are marked here as the matrix's filter compares text, accents aside; what the theme marks
  // itself, written as typed, is left to it.
  function markFolded() {
    var fold = window.surveyFold, query = new URLSearchParams(window.location.search).get("h");
    var article = document.querySelector(".md-content article");
    if (typeof fold !== "function" || !query || !article) return;
    var words = fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    // The words as typed, each of which the theme marks wherever it stands (a mark of ours holding one
    // would have the theme's inside it: a review's 'muller ll').
    var typed = query.toLowerCase().split(/[\s\-*+:~^]+/).filter(Boolean);
    if (!words.length) return;
    var nodes = [], walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var folded = fold(node.textContent);  // (a quick look first: most text holds none of the words)
      // (Not in a chart's SVG, which draws no HTML mark: its label vanished, a review found.)
      if (words.some(function (word) { return folded.indexOf(word) >= 0; }) &&
          !node.parentElement.closest("mark, script, style, svg, textarea, option, .md-search")) nodes.push(node);
    }
    nodes.forEach(function (node) {
      // The folded text character by character, and where each of its letters came from (folding may
      // drop a mark, 'u\u0308' as 'u', make two letters of one, 'ß' as 'ss', or one of two code units,
      // a math letter '𝐚' as 'a').
      var text = node.textContent, folded = "", from = [], till = [], at = 0;
      Array.from(text).forEach(function (character) {
        var letters = fold(character);
        for (var k = 0; k < letters.length; k++) { from.push(at); till.push(at + character.length); }
        folded += letters;
        at += character.length;
      });
      var spans = [];
      words.forEach(function (word) {
        for (var found = folded.indexOf(word); found >= 0; found = folded.indexOf(word, found + 1)) {
          var start = from[found], end = till[found + word.length - 1];
          while (end < text.length && !fold(text[end])) end += 1;  // (an accent written after its letter)
          var shown = text.slice(start, end).toLowerCase();
          if (!typed.some(function (each) { return shown.indexOf(each) >= 0; })) spans.push([start, end]);
        }
      });
      if (!spans.length) return;
      spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
      var merged = [];  // (words that overlap make one mark: 'Mull Muller' marks 'Müller' whole)
      spans.forEach(function (span) {
        var last = merged[merged.length - 1];
        if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
        else merged.push(span.slice());
      });
      var parts = document.createDocumentFragment(), done = 0;
      merged.forEach(function (span) {
        parts.appendChild(document.createTextNode(text.slice(done, span[0])));
        var mark = document.createElement("mark");
        mark.setAttribute("data-md-highlight", "");
        mark.textContent = text.slice(span[0], span[1]);
        parts.appendChild(mark);
        done = span[1];
      });
      parts.appendChild(document.createTextNode(text.slice(done)));
      node.replaceWith(parts);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".survey-cards"), enhance);
    toTarget();
    markFolded();
  }

  window.addEventListener("hashchange", toTarget);

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
