// podium's only script: small enhancements. Every page works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The custom window form stays folded until asked for (or in use).
  var custom = document.getElementById("custom");
  document.querySelectorAll('a[data-window="custom"]').forEach(function (a) {
    if (a.getAttribute("aria-current")) custom && custom.classList.add("open");
    a.addEventListener("click", function (e) {
      if (!custom) return;
      e.preventDefault();
      custom.classList.toggle("open");
    });
  });

  // The search filters the table as one types; submitting still loads the
  // server's answer, and the URL keeps the search so the view can be shared.
  var q = document.querySelector('.search input[name=q]');
  var rows = document.querySelectorAll('#leaderboard tbody tr[data-address]');
  if (q && rows.length) {
    q.addEventListener("input", function () {
      var s = q.value.trim().toLowerCase();
      rows.forEach(function (tr) {
        var name = (tr.querySelector(".name") || {textContent: ""}).textContent.toLowerCase();
        tr.hidden = s !== "" && tr.dataset.address.indexOf(s) < 0 && name.indexOf(s) < 0;
      });
      var u = new URL(location.href);
      if (s) u.searchParams.set("q", q.value.trim()); else u.searchParams.delete("q");
      history.replaceState(null, "", u);
    });
  }

  // "Now" is the server's clock reading the page was rendered at, advanced
  // by the time elapsed since (a monotonic clock): the browser's own date
  // never enters, so the page reads as the server wrote it.
  var served = Number(document.documentElement.getAttribute("data-now"));
  var loadedAt = performance.now();
  var now = function () { return served + (performance.now() - loadedAt); };

  // A live countdown to the snapshot, in the server's words (formatUntil).
  var cd = document.getElementById("countdown");
  if (cd && served > 0) {
    var until = Number(cd.getAttribute("data-until")) * 1000;
    var tick = function () {
      var s = Math.max(0, Math.floor((until - now()) / 1000));
      var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
      cd.textContent = s === 0 ? "now" : d > 0 ? d + " d " + h + " h" : h > 0 ? h + " h " + m + " min" : m > 0 ? m + " min " + (s % 60) + " s" : (s % 60) + " s";
    };
    tick();
    setInterval(tick, 1000);
  }
})();
