// The staff notice (issue 20 item 6): the server's facts (GET /api/v1/notice: retention, access
// log, minimum group size, contact) worded in the chosen language from notice-i18n.js. Printable
// (the browser's print or "save as PDF"). ?lang=xx picks the language; the dashboard links here.
"use strict";
(() => {
  const S = window.FK_NOTICE;
  const langs = Object.keys(S);
  const params = new URLSearchParams(location.search);
  let lang = params.get("lang");
  if (!langs.includes(lang)) lang = localStorage.getItem("fk-lang");
  if (!langs.includes(lang)) lang = "en";
  let facts = null;
  let failed = null;

  const el = (tag, attrs, ...children) => {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    for (const c of children.flat()) n.append(c);
    return n;
  };
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");

  function render() {
    const s = S[lang];
    document.documentElement.lang = lang;
    document.title = s.title;
    document.getElementById("back").textContent = s.back;
    document.getElementById("print").textContent = s.print;
    document.getElementById("lang").value = lang;
    const main = document.getElementById("notice");
    if (failed) {
      main.replaceChildren(el("p", { class: "error", role: "alert" }, fill(s.loadError, { what: failed })));
      return;
    }
    if (!facts) {
      main.replaceChildren(el("p", {}, s.loading));
      return;
    }
    const nf = new Intl.NumberFormat(lang === "en" ? "en-GB" : lang);
    const values = {
      days: nf.format(facts.responses_days),
      log: nf.format(facts.access_log_days),
      group: nf.format(facts.min_group_size),
      n: nf.format(facts.min_n),
      org: facts.organisation || s.orgUnset,
      contact: facts.contact || s.contactUnset,
    };
    const section = (key) => [el("h2", { id: `h-${key}` }, s[`${key}Title`]),
      ...s[key].map((line) => el("p", {}, fill(line, values)))];
    main.replaceChildren(
      el("h1", {}, s.title),
      el("p", { class: "lead" }, fill(s.lead, values)),
      ...["collect", "customers", "staff", "who", "kept", "ask"].flatMap(section),
      el("p", { class: "footer" }, fill(s.footer, { ...values, date: new Date().toLocaleDateString(lang === "en" ? "en-GB" : lang) })));
  }

  document.getElementById("lang").addEventListener("change", (e) => {
    lang = e.target.value;
    const url = new URL(location.href);
    url.searchParams.set("lang", lang);
    history.replaceState(null, "", url);
    render();
  });
  document.getElementById("print").addEventListener("click", () => window.print());
  render();
  fetch("/api/v1/notice", { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then((j) => { facts = j; render(); })
    .catch((e) => { failed = e.message; render(); });
})();
