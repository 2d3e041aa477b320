// Applies the reader's chosen theme before the page paints (no flash of the other one).
(function () {
  try {
    var chosen = localStorage.getItem("kb-theme");
    if (chosen === "dark" || chosen === "light") {
      document.documentElement.setAttribute("data-theme", chosen);
    }
  } catch (e) { /* storage disabled: follow the system setting */ }
})();
