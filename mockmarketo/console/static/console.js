// mockmarketo console: the live request journal, copy buttons, clickable rows. No dependencies.
"use strict";

function copyText(text, button) {
  const done = () => {
    const label = button.textContent;
    button.textContent = "Copied";
    button.classList.add("done");
    setTimeout(() => { button.textContent = label; button.classList.remove("done"); }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text) && done());
  } else if (fallbackCopy(text)) {
    done();
  }
}

function fallbackCopy(text) {
  // pages served over plain http from another host are no secure context: no Clipboard API there
  const area = document.createElement("textarea");
  area.value = text;
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let copied = false;
  try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
  area.remove();
  return copied;
}

function liveJournal(table) {
  const badge = document.getElementById("live");
  const body = table.tBodies[0];
  let after = table.dataset.after;
  let busy = false;
  badge.hidden = false;
  async function poll() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const response = await fetch(table.dataset.rowsUrl + (table.dataset.rowsUrl.includes("?") ? "&" : "?") +
                                    "after=" + encodeURIComponent(after), {credentials: "same-origin"});
      if (response.status === 401) { badge.textContent = "logged out"; badge.classList.add("paused"); return; }
      if (!response.ok) return;
      const html = (await response.text()).trim();
      after = response.headers.get("X-Last-Seq") || after;
      if (html) {
        const empty = document.getElementById("journal-empty");
        if (empty) empty.remove();
        body.insertAdjacentHTML("afterbegin", html);
        for (const row of body.querySelectorAll("tr.call")) {
          if (Number(row.dataset.seq) > Number(table.dataset.after)) row.classList.add("new");
        }
        table.dataset.after = after;
      }
      badge.textContent = "live";
      badge.classList.remove("paused");
    } catch (e) {
      badge.textContent = "server unreachable";
      badge.classList.add("paused");
    } finally {
      busy = false;
    }
  }
  setInterval(poll, 1000);
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy-from]")) {
    button.addEventListener("click", () => {
      const source = document.getElementById(button.dataset.copyFrom);
      if (source) copyText(source.textContent, button);
    });
  }
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
  document.addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, button, form")) window.location = row.dataset.href;
  });
  const kind = document.querySelector("#add-fault select[name=kind]");
  if (kind) {
    const toggle = () => {
      for (const field of document.querySelectorAll("#add-fault [data-kind]")) {
        field.hidden = field.dataset.kind !== kind.value;
      }
    };
    kind.addEventListener("change", toggle);
    toggle();
  }
  const journal = document.querySelector("table#journal[data-rows-url]");
  if (journal) liveJournal(journal);
});
