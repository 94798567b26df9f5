// The theme's search dialog has role="dialog" but no name; screen readers announce it as "Search".
document.querySelectorAll(".md-search[role='dialog']:not([aria-label])").forEach(function (dialog) {
  dialog.setAttribute("aria-label", "Search");
});
