// Client-side callbacks of the frame (registered in dashboard/callbacks.py).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  app: {
    // Copy the address of the view, with its filters, and say so (read out by screen readers).
    copyLink: function (clicks) {
      if (!clicks) {
        return window.dash_clientside.no_update;
      }
      var url = window.location.href;
      function fallback() {
        var box = document.createElement("textarea");
        box.value = url;
        box.setAttribute("readonly", "");
        box.style.position = "absolute";
        box.style.left = "-9999px";
        document.body.appendChild(box);
        box.select();
        var done = false;
        try {
          done = document.execCommand("copy");
        } catch (error) {
          done = false;
        }
        document.body.removeChild(box);
        return done;
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).catch(fallback);
        return "Link copied: " + url;
      }
      return fallback() ? "Link copied: " + url : "Copy this link: " + url;
    },
    // The browser tab's title: the page's own (its subject first, "Home Office –
    // Departments", sent with the page) once it has come for this address, else the page's
    // title from the page registry; then the service.
    pageTitle: function (pathname, tabTitle, titles) {
      var key = (pathname || "/").replace(/\/$/, "") || "/";
      var known = titles && Object.prototype.hasOwnProperty.call(titles, key);
      var title = known ? titles[key] : "Page not found";
      if (tabTitle && tabTitle.title && tabTitle.path === (pathname || "/")) {
        title = tabTitle.title;
      }
      document.title = title + " – Framework spend analytics";
      return "";
    },
    // Print the page (the brief's "Print this brief" button).
    printPage: function (clicks) {
      if (clicks) {
        window.print();
      }
      return window.dash_clientside.no_update;
    },
    // Show or hide the filters on narrow screens; the button says which.
    toggleFilters: function (clicks) {
      var open = Boolean(clicks && clicks % 2 === 1);
      var region = "app-columns__filters" + (open ? " app-columns__filters--open" : "");
      return [open ? "true" : "false", region];
    },
  },
});
