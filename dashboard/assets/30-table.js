// GovukTable: a GOV.UK data table drawn from the texts of its cells (dashboard/ui/tables.py).
// One Dash component per table rather than one per cell keeps page responses small; the
// markup is what html.Table, html.Th and html.Td would give. The rows come as one JSON text
// (a list of rows, each a list of cells: a text, or [text, address] for a link to a body's
// page). Every cell is a React text child, so nothing from the data is ever read as HTML.
(function () {
  "use strict";

  function cellClass(base, numeric) {
    return numeric ? base + " " + base + "--numeric" : base;
  }

  // A table wider than its box scrolls sideways: say so in the hint just above the box
  // (dashboard/ui/tables.py), now and whenever the window changes size.
  function showScrollHint(table) {
    var box = table && table.parentElement;
    var hint = box && box.previousElementSibling;
    if (!hint || !hint.classList.contains("app-table-hint")) {
      return;
    }
    var wider = box.scrollWidth > box.clientWidth + 1;
    hint.hidden = !wider;
    box.classList.toggle("app-table-scroll--wider", wider);
  }

  function GovukTable(props) {
    var h = window.React.createElement;
    var ref = window.React.useRef(null);
    window.React.useEffect(function () {
      var check = function () { showScrollHint(ref.current); };
      check();
      window.addEventListener("resize", check);
      return function () { window.removeEventListener("resize", check); };
    });
    var numeric = props.numeric || [];
    var header = h(
      "tr",
      { className: "govuk-table__row" },
      (props.columns || []).map(function (text, index) {
        return h(
          "th",
          { key: index, className: cellClass("govuk-table__header", numeric[index]), scope: "col" },
          text
        );
      })
    );
    var rows = JSON.parse(props.rows_json || "[]").map(function (row, rowIndex) {
      return h(
        "tr",
        { key: rowIndex, className: "govuk-table__row" },
        row.map(function (cell, index) {
          // A cell naming a body is [text, address]: a link to its page.
          var content = Array.isArray(cell)
            ? h("a", { href: cell[1], className: "govuk-link" }, cell[0])
            : cell;
          return h("td", { key: index, className: cellClass("govuk-table__cell", numeric[index]) }, content);
        })
      );
    });
    return h(
      "table",
      { id: props.id, className: props.className, ref: ref },
      h("caption", { className: "govuk-visually-hidden" }, props.caption),
      h("thead", { className: "govuk-table__head" }, header),
      h("tbody", { className: "govuk-table__body" }, rows)
    );
  }

  window.dashboard = Object.assign(window.dashboard || {}, { GovukTable: GovukTable });
})();
