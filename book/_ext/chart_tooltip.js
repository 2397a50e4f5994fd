// The tooltip of the book's charts, bundled with Vega by book/_ext/offline_assets.py.
//
// Vega calls a view's tooltip handler with the mark's tooltip value when the pointer moves
// over a mark, and with no value when it leaves it. The handler shows the value in one
// element, #vg-tooltip-element (the element and class names vega-tooltip used, so the book's
// stylesheet and browser tests keep working), with class "visible" while shown: an object as
// a table of key/value rows ("title" as a heading above it), anything else as text. Every
// value goes in as text (textContent), so no label in the data can inject markup. The box is
// put beside the pointer and kept inside the window.
const TOOLTIP_ID = "vg-tooltip-element";
const POINTER_OFFSET = 10;
const TOOLTIP_STYLE = `
#vg-tooltip-element {
  visibility: hidden; position: fixed; top: 0; left: 0; z-index: 1000; padding: 8px;
  max-width: calc(100vw - 16px); box-sizing: border-box; pointer-events: none;
  font-family: sans-serif; font-size: 11px; color: black;
  background-color: rgba(255, 255, 255, 0.95); border: 1px solid #d9d9d9;
  border-radius: 3px; box-shadow: 2px 2px 4px rgba(0, 0, 0, 0.1);
}
#vg-tooltip-element.visible { visibility: visible; }
#vg-tooltip-element h2 { margin: 0 0 5px 0; font-size: 13px; }
#vg-tooltip-element table { border-spacing: 0; }
#vg-tooltip-element td { padding: 2px 0; overflow: hidden; text-overflow: ellipsis; }
#vg-tooltip-element td.key { color: #808080; max-width: 150px; text-align: right;
  padding-right: 4px; vertical-align: top; }
#vg-tooltip-element td.value { max-width: 300px; text-align: left; }
`;

function tooltipBox() {
  let box = document.getElementById(TOOLTIP_ID);
  if (box) return box;
  if (!document.getElementById(TOOLTIP_ID + "-style")) {
    // First in <head>, so that the book's own stylesheet (custom.css) overrides it.
    const style = document.createElement("style");
    style.id = TOOLTIP_ID + "-style";
    style.textContent = TOOLTIP_STYLE;
    document.head.insertBefore(style, document.head.firstChild);
  }
  box = document.createElement("div");
  box.id = TOOLTIP_ID;
  box.setAttribute("role", "tooltip");
  document.body.appendChild(box);
  return box;
}

function asText(value) {
  if (value !== null && typeof value === "object") {
    try {
      return JSON.stringify(value);
    } catch (error) {
      return String(value);
    }
  }
  return String(value);
}

function fill(box, value) {
  box.textContent = "";
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    box.textContent = asText(value);
    return;
  }
  const { title, ...rows } = value;
  if (title !== undefined && title !== null) {
    const heading = document.createElement("h2");
    heading.textContent = asText(title);
    box.appendChild(heading);
  }
  const table = document.createElement("table");
  for (const [key, entry] of Object.entries(rows)) {
    if (entry === undefined) continue;
    const row = table.insertRow();
    const name = row.insertCell();
    name.className = "key";
    name.textContent = key;
    const shown = row.insertCell();
    shown.className = "value";
    shown.textContent = asText(entry);
  }
  if (table.rows.length) box.appendChild(table);
}

function place(box, event) {
  const size = box.getBoundingClientRect();
  const pointerX = event && Number.isFinite(event.clientX) ? event.clientX : 0;
  const pointerY = event && Number.isFinite(event.clientY) ? event.clientY : 0;
  let x = pointerX + POINTER_OFFSET;
  if (x + size.width > window.innerWidth) x = pointerX - POINTER_OFFSET - size.width;
  let y = pointerY + POINTER_OFFSET;
  if (y + size.height > window.innerHeight) y = pointerY - POINTER_OFFSET - size.height;
  x = Math.max(0, Math.min(x, window.innerWidth - size.width));
  y = Math.max(0, Math.min(y, window.innerHeight - size.height));
  box.style.left = `${x}px`;
  box.style.top = `${y}px`;
}

function chartTooltip(handler, event, item, value) {
  const box = tooltipBox();
  if (value === undefined || value === null || value === "") {
    box.classList.remove("visible");
    return;
  }
  fill(box, value);
  box.classList.add("visible");
  place(box, event);
}

window.vegaChartTooltip = chartTooltip;
