// Head-office dashboard: a read-only view over kiosk-server's reports API (docs/API.md). Plain JS,
// no build step, nothing fetched from elsewhere. The session is an HttpOnly cookie set by
// POST /api/v1/session; this script never sees the token after login. All text goes in through
// textContent (names are data, in any script), never innerHTML.
"use strict";
(() => {
  const S = window.FK_STRINGS;
  const $ = (id) => document.getElementById(id);
  const state = {
    lang: "en", period: "7d", from: "", to: "",
    sort: { col: "lower", desc: true }, heatMode: "score", heatChoice: "score", reps: [], minN: 20, scale: 4,
    // Who is logged in (GET /api/v1/session): role null is a manager token. The server enforces
    // every rule; the page only hides what the role may not use.
    who: { user: null, role: null },
  };
  const may = {
    calls: () => state.who.role !== "coach",
    export: () => state.who.role !== "coach",
    users: () => state.who.role === "admin",
    survey: () => state.who.role === "admin" || state.who.role === "head_office" || state.who.role === "store_manager",
    // A store manager edits only their own store's roster (PUT /api/v1/survey/roster).
    surveyAll: () => state.who.role === "admin" || state.who.role === "head_office",
    account: () => state.who.user !== null,
  };

  function pickLang() {
    const saved = localStorage.getItem("fk-lang");
    if (saved && S[saved]) return saved;
    for (const l of navigator.languages || [navigator.language || "en"]) {
      const base = String(l).toLowerCase().split("-")[0];
      if (S[base]) return base;
    }
    return "en";
  }
  function t(key, n) {
    const s = (S[state.lang] && S[state.lang][key]) ?? S.en[key] ?? key;
    return n === undefined ? s : String(s).replace("{n}", n);
  }
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      // Through CSSOM: the page's CSP (default-src 'self') blocks style attributes.
      else if (k === "style") Object.assign(e.style, v);
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  const nf1 = () => new Intl.NumberFormat(state.lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const nf0 = () => new Intl.NumberFormat(state.lang);
  const pct = (v) => (v === null || v === undefined ? null : nf1().format(v) + " %");
  const num1 = (v) => (v === null || v === undefined ? null : nf1().format(v));
  function age(ms) {
    if (ms === null || ms === undefined) return "–";
    const m = Math.floor(ms / 60000);
    if (m < 120) return t("minutes", nf0().format(m));
    if (m < 48 * 60) return t("hours", nf0().format(Math.floor(m / 60)));
    return t("days", nf0().format(Math.floor(m / 1440)));
  }

  function applyLang() {
    document.documentElement.lang = state.lang;
    $("lang").value = state.lang;
    for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
    document.title = t("title");
    if (state.who.user) $("who").textContent = `${state.who.user} · ${t("role_" + state.who.role)}`;
  }

  function periodQuery() {
    return state.period === "custom" && state.from && state.to
      ? `from=${encodeURIComponent(state.from)}&to=${encodeURIComponent(state.to)}`
      : `period=${state.period === "custom" ? "7d" : state.period}`;
  }

  class AuthError extends Error {}
  async function api(path) {
    const res = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (res.status === 401) throw new AuthError("401");
    let body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) throw new Error(body && body.error ? body.error.message : "HTTP " + res.status);
    return body;
  }

  function showLogin(message) {
    $("set-password").hidden = true;
    $("who").hidden = true;
    $("nav").hidden = true;
    $("logout").hidden = true;
    $("period-box").hidden = true;
    $("custom-range").hidden = true;
    $("view").hidden = true;
    $("status").hidden = true;
    $("login").hidden = false;
    const err = $("login-error");
    err.hidden = !message;
    err.textContent = message || "";
    $("username").focus();
  }
  function showApp(who) {
    state.who = { user: who.user ?? null, role: who.role ?? null };
    $("login").hidden = true;
    $("set-password").hidden = true;
    $("nav").hidden = false;
    $("nav-calls").hidden = !may.calls();
    $("nav-users").hidden = !may.users();
    $("nav-survey").hidden = !may.survey();
    $("nav-account").hidden = !may.account();
    $("who").hidden = !state.who.user;
    $("who").textContent = state.who.user ? `${state.who.user} · ${t("role_" + state.who.role)}` : "";
    $("logout").hidden = false;
    $("period-box").hidden = false;
    $("custom-range").hidden = state.period !== "custom";
    $("view").hidden = false;
  }

  async function login(ev) {
    ev.preventDefault();
    const token = $("token").value.trim();
    const name = $("username").value.trim();
    const password = $("password").value;
    const res = token
      ? await fetch("/api/v1/session", {
        method: "POST", credentials: "same-origin", headers: { Authorization: "Bearer " + token },
      })
      : await fetch("/api/v1/session", {
        method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ user: name, password }),
      });
    $("token").value = "";
    $("password").value = "";
    if (!res.ok) {
      if (res.status === 429) {
        const wait = Number(res.headers.get("Retry-After") || 60);
        const until = new Date(Date.now() + wait * 1000);
        showLogin(t("locked", until.toLocaleTimeString(state.lang, { hour: "2-digit", minute: "2-digit" })));
      } else showLogin(t(token ? "wrongToken" : "wrongLogin"));
      return;
    }
    showApp(await res.json());
    if (!location.hash || location.hash === "#/") location.hash = "#/stores"; else route();
  }

  // The one-time link (#set-password=SECRET): the secret stays in the fragment, never sent to
  // the server except in the POST body.
  function linkSecret() {
    const m = /^#set-password=(fkl_[0-9a-f]{64})$/.exec(location.hash);
    return m ? m[1] : null;
  }
  function showSetPassword(message) {
    for (const id of ["login", "view", "nav", "logout", "period-box", "custom-range", "status", "who"]) $(id).hidden = true;
    $("set-password").hidden = false;
    $("set-password-error").hidden = !message;
    $("set-password-error").textContent = message || "";
    $("new-password").focus();
  }
  async function setPassword(ev) {
    ev.preventDefault();
    const a = $("new-password").value, b = $("new-password2").value;
    if (a !== b) { showSetPassword(t("passwordsDiffer")); return; }
    const res = await fetch("/api/v1/password", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ link: linkSecret(), password: a }),
    });
    $("new-password").value = "";
    $("new-password2").value = "";
    let body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) {
      const code = body && body.error ? body.error.code : "";
      showSetPassword(code === "bad_password" ? t("passwordRule") : t("linkBad"));
      return;
    }
    history.replaceState(null, "", "/");
    showLogin("");
    $("username").value = body.user;
    const note = $("login-error");
    note.hidden = false;
    note.textContent = t("passwordSet");
    $("password").focus();
  }

  async function postJson(path, body) {
    const res = await fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body || {}),
    });
    if (res.status === 401 && path !== "/api/v1/me/password") throw new AuthError("401");
    let data = null;
    try { data = await res.json(); } catch (e) { /* not JSON */ }
    return { ok: res.ok, status: res.status, data };
  }

  // --- People (admins) -------------------------------------------------------------------------
  async function renderUsers(view) {
    const data = await api("/api/v1/users");
    const linkBox = el("div", { id: "reset-box" });
    const act = async (name, action) => {
      const r = await postJson(`/api/v1/users/${encodeURIComponent(name)}/${action}`);
      if (!r.ok) { linkBox.replaceChildren(el("p", { class: "error" }, r.data && r.data.error ? r.data.error.message : "HTTP " + r.status)); return; }
      await renderUsers(view);
      if (action === "reset") {
        $("reset-box").replaceChildren(el("p", {}, t("resetLink", name)),
          el("p", { class: "reset-link", id: "reset-link" }, location.origin + r.data.link));
      }
    };
    const rows = data.users.map((u) => el("tr", { "data-user": u.name },
      el("td", { class: "name" }, u.name),
      el("td", {}, t("role_" + u.role)),
      el("td", {}, u.stores.length ? u.stores.join(", ") : t("allStores")),
      el("td", {}, u.disabled ? t("userDisabled") : u.has_password ? t("userActive") : t("noPassword")),
      el("td", {},
        el("button", { type: "button", class: "reset", onclick: () => act(u.name, "reset") }, t("resetPassword")),
        u.name === state.who.user ? null
          : el("button", { type: "button", class: "toggle", onclick: () => act(u.name, u.disabled ? "enable" : "disable") },
            t(u.disabled ? "enable" : "disable")))));
    view.replaceChildren(el("h2", {}, t("users")),
      el("div", { class: "card" },
        el("table", { class: "users-table" },
          el("thead", {}, el("tr", {}, el("th", {}, t("userName")), el("th", {}, t("role")),
            el("th", {}, t("stores")), el("th", {}, t("userState")), el("th", {}, ""))),
          el("tbody", {}, rows)),
        el("p", { class: "legend" }, t("addUserHelp")), linkBox));
    // Who viewed or exported per-rep data (GET /api/v1/access-log, admins).
    const log = await api("/api/v1/access-log");
    view.append(el("div", { class: "card" },
      el("h3", {}, t("accessLog"), csvLink("csv-access-log", "/api/v1/access-log.csv")),
      log.entries.length
        ? el("table", { id: "access-table" },
          el("thead", {}, el("tr", {}, el("th", {}, t("accessAt")), el("th", {}, t("accessWho")),
            el("th", {}, t("role")), el("th", {}, t("accessWhat")), el("th", {}, t("accessFrom")))),
          el("tbody", {}, log.entries.map((e) => el("tr", {},
            el("td", {}, new Date(e.at).toLocaleString(state.lang)), el("td", { class: "name" }, e.who),
            el("td", {}, e.role === "manager_token" ? t("token") : t("role_" + e.role)),
            el("td", {}, e.what), el("td", {}, e.from)))))
        : el("p", { class: "legend" }, t("accessNone"))));
  }

  // --- Survey definition (admin, head office) -----------------------------------------------
  // One store's definition (docs/API.md "Survey definitions"): scale, roster and reasons edited
  // here, every other section kept as stored. The server checks it with the kiosk's own loader;
  // its problems are listed as they come. Versions can be rolled back.
  const SURVEY_LANGS = ["en", "hi", "ne", "te", "da"];  // the kiosk's languages, button order
  const SURVEY_LANG_NAMES = { en: "English", hi: "हिन्दी", ne: "नेपाली", te: "తెలుగు", da: "Dansk" };
  const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  async function renderSurvey(view, storeId) {
    const stores = (await api("/api/v1/reports/stores?period=7d")).stores;
    const store = storeId || (stores[0] && stores[0].store);
    const picker = el("select", { id: "survey-store", onchange: (ev) => { location.hash = "#/survey/" + encodeURIComponent(ev.target.value); } },
      stores.map((s) => el("option", { value: s.store, selected: s.store === store }, s.name || s.store)));
    if (!store) { view.replaceChildren(el("h2", {}, t("surveyNav")), el("p", { class: "legend" }, t("surveyNoStore"))); return; }
    const data = await api(`/api/v1/survey?store=${encodeURIComponent(store)}`);
    const def = data.definition ? structuredClone(data.definition) : {};
    delete def.version;
    def.survey = def.survey || {};
    def.roster = def.roster || [];
    // No reasons (a store with no definition yet): the server would store the built-in list, so
    // the editor starts from it too and a first save keeps those reasons.
    if (!Array.isArray(def.reasons) || def.reasons.length === 0) def.reasons = structuredClone(data.built_in_reasons || []);
    const msg = el("div", { id: "survey-msg", role: "alert" });
    const scale = el("select", { id: "survey-scale" }, [4, 5].map((n) =>
      el("option", { value: String(n), selected: (def.survey.scale || 4) === n }, t("surveyFaces", n))));
    const rosterBody = el("tbody", {});
    const drawRoster = () => rosterBody.replaceChildren(...def.roster.map((r, i) => el("tr", { "data-rep": r.id },
      el("td", { class: "name" }, r.id),
      el("td", {}, el("input", { value: r.name, "aria-label": t("surveyRepName"), oninput: (ev) => { def.roster[i].name = ev.target.value; } })),
      el("td", {}, el("input", { type: "checkbox", class: "shown", checked: r.active !== false, "aria-label": t("surveyShown"),
        onchange: (ev) => { def.roster[i].active = ev.target.checked; } })))));
    const reasonBody = el("tbody", {});
    const drawReasons = () => reasonBody.replaceChildren(...def.reasons.map((r, i) => el("tr", { "data-reason": r.id },
      el("td", { class: "name" }, r.id),
      el("td", {}, el("input", { value: (r.labels && r.labels[state.lang]) || "", "aria-label": t("surveyLabel"),
        oninput: (ev) => { def.reasons[i].labels = { ...(def.reasons[i].labels || {}), [state.lang]: ev.target.value }; if (!ev.target.value) delete def.reasons[i].labels[state.lang]; } })),
      el("td", {}, el("input", { type: "checkbox", class: "about-rep", checked: !!r.attributable_to_rep, "aria-label": t("surveyAboutRep"),
        onchange: (ev) => { def.reasons[i].attributable_to_rep = ev.target.checked; } })))));
    drawRoster();
    drawReasons();
    const newRep = { id: el("input", { id: "new-rep-id", placeholder: "id", "aria-label": "id" }),
      name: el("input", { id: "new-rep-name", placeholder: t("surveyRepName"), "aria-label": t("surveyRepName") }) };
    const newReason = { id: el("input", { id: "new-reason-id", placeholder: "code", "aria-label": "code" }),
      label: el("input", { id: "new-reason-label", placeholder: t("surveyLabel"), "aria-label": t("surveyLabel") }) };
    // Languages, opening hours, the help step and the alert rule: a section the definition leaves
    // out keeps each kiosk's own kiosk.toml values, so one is written only once edited here; the
    // fields show the stored values or the documented defaults.
    const part = (name, defaults) => (def[name] = def[name] || structuredClone(defaults));
    const num = (id, section, key, fallback, defaults) => el("input", { id, type: "number", min: "0",
      value: String((def[section] && def[section][key]) ?? fallback), "aria-label": t(id.replace(/-(\w)/g, (m, c) => c.toUpperCase())),
      oninput: (ev) => { part(section, defaults)[key] = Number(ev.target.value); } });
    const offered = () => (def.languages && def.languages.offered) || ["en"];
    const langBoxes = el("span", { id: "survey-languages" }, SURVEY_LANGS.map((code) => el("label", { class: "check" },
      el("input", { type: "checkbox", value: code, checked: offered().includes(code), onchange: (ev) => {
        const l = part("languages", { offered: ["en"] });
        l.offered = SURVEY_LANGS.filter((c) => c === code ? ev.target.checked : l.offered.includes(c));
        if (!l.offered.includes(l.default)) l.default = l.offered[0];
        drawDefaultLang();
      } }), " ", SURVEY_LANG_NAMES[code])));
    const defaultLang = el("select", { id: "survey-default-lang", onchange: (ev) => { part("languages", { offered: ["en"] }).default = ev.target.value; } });
    const drawDefaultLang = () => defaultLang.replaceChildren(...offered().map((code) =>
      el("option", { value: code, selected: ((def.languages && def.languages.default) || offered()[0]) === code }, SURVEY_LANG_NAMES[code])));
    drawDefaultLang();
    const always = el("input", { id: "survey-hours-always", type: "checkbox", checked: !def.hours || def.hours.always !== false,
      onchange: (ev) => { const h = part("hours", {}); h.always = ev.target.checked;
        for (const d of WEEKDAYS) { if (h.always) delete h[d]; else h[d] = h[d] || "09:00-21:00"; } drawHours(); } });
    const hoursBody = el("tbody", {});
    const drawHours = () => hoursBody.replaceChildren(...(always.checked ? [] : WEEKDAYS.map((d, i) => el("tr", { "data-day": d },
      el("td", {}, (S[state.lang].weekdays || S.en.weekdays)[i]),
      el("td", {}, el("input", { class: "hours", value: [].concat((def.hours && def.hours[d]) || "09:00-21:00").join(", "),
        "aria-label": (S[state.lang].weekdays || S.en.weekdays)[i], placeholder: "09:00-21:00",
        oninput: (ev) => { const parts = ev.target.value.split(",").map((s) => s.trim()).filter(Boolean);
          part("hours", {})[d] = parts.length > 1 ? parts : (parts[0] || "closed"); } }))))));
    drawHours();
    const helpFor = () => (def.help && def.help.offer_for) || [1];
    const helpBoxes = el("span", { id: "survey-help-for" }, Array.from({ length: Number(scale.value) }, (x, i) => i + 1).map((n) =>
      el("label", { class: "check" }, el("input", { type: "checkbox", value: String(n), checked: helpFor().includes(n), onchange: (ev) => {
        const h = part("help", {});
        h.offer_for = Array.from({ length: 5 }, (x, i) => i + 1).filter((v) => v === n ? ev.target.checked : helpFor().includes(v));
      } }), " ", String(n))));
    const settings = el("div", { id: "survey-settings" },
      el("h3", {}, t("surveyLanguages")),
      el("p", {}, langBoxes, " ", el("label", {}, t("surveyDefaultLang"), " ", defaultLang)),
      el("h3", {}, t("surveyHours")),
      el("p", {}, el("label", { class: "check" }, always, " ", t("surveyAlwaysOpen"))),
      el("table", { id: "survey-hours" }, hoursBody),
      el("h3", {}, t("surveyHelp")),
      el("p", {}, t("surveyHelpFor"), " ", helpBoxes),
      el("p", {}, el("label", {}, t("surveyConfirmWithin"), " ", num("survey-confirm-within", "help", "confirm_within_s", 10, {})), " ",
        el("label", {}, t("surveyEscalateAfter"), " ", num("survey-escalate-after", "help", "escalate_after_s", 300, {}))),
      el("h3", {}, t("surveyAlert")),
      el("p", {}, el("label", {}, t("surveyAlertPct"), " ", num("survey-alert-pct", "alert", "negative_share_pct", 50, {})), " ",
        el("label", {}, t("surveyAlertWindow"), " ", num("survey-alert-window", "alert", "window_min", 15, {})), " ",
        el("label", {}, t("surveyAlertMin"), " ", num("survey-alert-min", "alert", "min_responses", 4, {}))),
      el("p", { class: "legend" }, t("surveySectionsNote")));
    // The customer screens as the kiosk would show them with this (unsaved) definition: Rate,
    // the reasons and thank-you, in one language, in the kiosk's own words (its locale catalogs,
    // GET /api/v1/survey/screens) with the definition's question and labels over them.
    const previewLang = el("select", { id: "survey-preview-lang" }, SURVEY_LANGS.map((code) =>
      el("option", { value: code, selected: code === state.lang }, SURVEY_LANG_NAMES[code])));
    const previewBox = el("div", { id: "survey-preview", class: "preview" });
    const drawPreview = async () => {
      const lang = previewLang.value;
      const words = (await api(`/api/v1/survey/screens?store=${encodeURIComponent(store)}&lang=${lang}`)).strings;
      const n = Number(scale.value);
      const question = (def.survey.question && def.survey.question[lang]) || words["rate.question"];
      const screen = (name, ...children) => el("div", { class: "screen", lang, "data-screen": name }, ...children);
      previewBox.replaceChildren(
        screen("rate", el("p", { class: "screen-q" }, question),
          el("div", { class: "faces" }, Array.from({ length: n }, (x, i) => i + 1).map((r) =>
            el("div", { class: "face-tile", "data-rating": r },
              // Drawn in CSS (mood 0 = worst .. 4 = best): no emoji font needed.
              el("span", { class: `face-disc mood-${n === 4 ? [0, 1, 3, 4][r - 1] : r - 1}`, "aria-hidden": "true" }),
              el("span", {}, words[`rate.face${n}.${r}`] || String(r)))))),
        screen("reasons", el("p", { class: "screen-q" }, words["reason.question"]),
          el("div", { class: "reason-tiles" }, def.reasons.map((r) =>
            el("div", { class: "reason-tile", "data-reason": r.id },
              (r.labels && r.labels[lang]) || words[`reason.label.${r.id}`] || (r.labels && r.labels.en) || r.id)))),
        screen("thanks", el("p", { class: "screen-q" }, words["thanks.title"]), el("p", {}, words["thanks.body"])));
    };
    previewLang.addEventListener("change", drawPreview);
    const preview = el("div", { id: "survey-preview-card" },
      el("h3", {}, t("surveyPreview")),
      el("p", {}, el("label", {}, t("language"), " ", previewLang), " ",
        el("button", { type: "button", id: "survey-preview-button", onclick: drawPreview }, t("surveyPreviewShow"))),
      previewBox);
    const show = (ok, lines) => {
      msg.className = ok ? "ok" : "error";
      msg.replaceChildren(...(ok ? [el("p", {}, lines[0])] : [el("ul", { id: "survey-problems" }, lines.map((l) => el("li", {}, l)))]));
    };
    const save = async () => {
      def.survey.scale = Number(scale.value);
      // A store manager sends the roster alone; the server keeps the rest as it is.
      const res = await fetch(may.surveyAll() ? `/api/v1/survey?store=${encodeURIComponent(store)}`
        : `/api/v1/survey/roster?store=${encodeURIComponent(store)}`, {
        method: "PUT", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(may.surveyAll() ? def : { roster: def.roster }),
      });
      if (res.status === 401) throw new AuthError("401");
      let body = null;
      try { body = await res.json(); } catch (e) { /* not JSON */ }
      if (res.ok) { await renderSurvey(view, store); $("survey-msg").className = "ok"; $("survey-msg").replaceChildren(el("p", {}, t("surveySaved", body.version))); return; }
      show(false, body && body.problems ? body.problems : [body && body.error ? body.error.message : "HTTP " + res.status]);
    };
    const rollback = async (version) => {
      const r = await postJson(`/api/v1/survey/rollback?store=${encodeURIComponent(store)}`, { version });
      if (!r.ok) { show(false, [r.data && r.data.error ? r.data.error.message : "HTTP " + r.status]); return; }
      await renderSurvey(view, store);
      $("survey-msg").className = "ok";
      $("survey-msg").replaceChildren(el("p", {}, t("surveySaved", r.data.version)));
    };
    const versions = data.versions.map((v, i) => el("tr", { "data-version": v.version },
      el("td", {}, "v" + v.version + (v.kiosk_id ? ` (${v.kiosk_id})` : "")),
      el("td", {}, new Date(v.created_at).toLocaleString(state.lang)),
      el("td", { class: "name" }, v.created_by),
      el("td", {}, v.note),
      el("td", {}, i === 0 || !may.surveyAll() ? "" : el("button", { type: "button", class: "rollback", onclick: () => rollback(v.version) }, t("surveyRollback")))));
    const all = may.surveyAll();
    view.replaceChildren(
      el("h2", {}, t("surveyNav")),
      el("div", { class: "card" },
        el("label", {}, t("store"), " ", picker), " ",
        all ? el("label", {}, t("surveyScale"), " ", scale) : el("p", { class: "legend", id: "survey-roster-only" }, t("surveyRosterOnly")),
        el("h3", {}, t("reps")),
        el("table", { id: "survey-roster" },
          el("thead", {}, el("tr", {}, el("th", {}, "id"), el("th", {}, t("surveyRepName")), el("th", {}, t("surveyShown")))),
          rosterBody),
        el("p", {}, newRep.id, " ", newRep.name, " ",
          el("button", { type: "button", id: "add-rep", onclick: () => {
            if (!newRep.id.value) return;
            def.roster.push({ id: newRep.id.value.trim(), name: newRep.name.value, active: true });
            newRep.id.value = newRep.name.value = "";
            drawRoster();
          } }, t("surveyAddRep"))),
        all ? el("h3", {}, t("reasons")) : null,
        all ? el("table", { id: "survey-reasons" },
          el("thead", {}, el("tr", {}, el("th", {}, "code"), el("th", {}, t("surveyLabel") + " (" + state.lang + ")"), el("th", {}, t("surveyAboutRep")))),
          reasonBody) : null,
        !all ? null : el("p", {}, newReason.id, " ", newReason.label, " ",
          el("button", { type: "button", id: "add-reason", onclick: () => {
            if (!newReason.id.value) return;
            const labels = newReason.label.value ? { [state.lang]: newReason.label.value } : {};
            def.reasons.push({ id: newReason.id.value.trim(), labels, attributable_to_rep: false });
            newReason.id.value = newReason.label.value = "";
            drawReasons();
          } }, t("surveyAddReason"))),
        all ? settings : null,
        all ? preview : null,
        el("p", {}, el("button", { type: "button", id: "survey-save", onclick: save }, t("surveySave"))),
        msg),
      el("div", { class: "card" },
        el("h3", {}, t("surveyVersions")),
        el("table", { id: "survey-versions" },
          el("thead", {}, el("tr", {}, el("th", {}, t("version")), el("th", {}, t("accessAt")), el("th", {}, t("accessWho")),
            el("th", {}, t("surveyNote")), el("th", {}, ""))),
          el("tbody", {}, versions))));
  }

  // --- Own account -----------------------------------------------------------------------------
  function renderAccount(view) {
    const msg = el("p", { id: "account-msg", role: "alert", hidden: true });
    const form = el("form", { id: "account-form", class: "narrow-form", autocomplete: "off" },
      el("h2", {}, t("changePassword")),
      el("label", { for: "current-password" }, t("currentPassword")),
      el("input", { id: "current-password", type: "password", autocomplete: "current-password", required: true }),
      el("label", { for: "changed-password" }, t("newPassword")),
      el("input", { id: "changed-password", type: "password", autocomplete: "new-password", required: true, minlength: "10", maxlength: "200" }),
      el("p", { class: "legend" }, t("passwordRule")),
      el("button", { type: "submit", id: "change-password-button" }, t("changePassword")), msg);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const r = await postJson("/api/v1/me/password", { current: $("current-password").value, password: $("changed-password").value });
      $("current-password").value = "";
      $("changed-password").value = "";
      msg.hidden = false;
      msg.className = r.ok ? "ok" : "error";
      const code = r.data && r.data.error ? r.data.error.code : "";
      msg.textContent = r.ok ? t("passwordChanged")
        : code === "bad_password" ? t("passwordRule") : code === "login_locked" ? r.data.error.message : t("wrongCurrent");
    });
    view.replaceChildren(form);
  }

  async function logout() {
    stopLive();
    await fetch("/api/v1/session", { method: "DELETE", credentials: "same-origin" });
    location.hash = "#/";
    showLogin("");
  }

  function csvLink(id, path) {
    if (!may.export()) return null;  // the coach role takes no downloads (the server refuses them)
    return el("a", { class: "csv", id, href: path, download: "" }, "⤓ " + t("downloadCsv"));
  }
  function cell(value, cls) {
    return value === null ? el("td", { class: "na" }, t("notEnough")) : el("td", { class: cls }, value);
  }

  // --- Stores --------------------------------------------------------------------------------
  const storeAlertText = (a) => `${t("storeAlert", `${nf0().format(a.negative)}/${nf0().format(a.responses)}`)} · ${t("minutes", nf0().format(a.window_min))}`;
  async function renderStores(view) {
    const data = await api(`/api/v1/reports/stores?${periodQuery()}`);
    // Every response first (as the trend counts them), then the rep-adjusted view, each named.
    const rows = data.stores.map((s) => {
      const all = s.current_all;
      const change = s.score_change_all;
      return el("tr", { "data-store": s.store },
        el("td", { class: "name" }, el("a", { href: `#/store/${encodeURIComponent(s.store)}` }, s.name || s.store),
          // A store in another zone can be on other dates ("today" is its own).
          s.from && (s.from !== data.from || s.to !== data.to) ? el("small", { class: "legend" }, ` ${s.from} – ${s.to}`) : null,
          // The store's own time zone where head office set one (its dates are local there).
          s.time_zone ? el("small", { class: "legend tz" }, ` · ${s.time_zone}`) : null),
        el("td", {}, nf0().format(all.responses)),
        cell(pct(all.satisfaction_pct)),
        cell(num1(all.score100)),
        change === null ? el("td", {}, "–")
          : el("td", { class: change >= 0 ? "up" : "down" }, (change >= 0 ? "▲ +" : "▼ ") + nf1().format(change)),
        cell(pct(s.current.satisfaction_pct), "adjusted"),
        cell(num1(s.current.score100), "adjusted"),
        el("td", {}, nf0().format(s.kiosks)),
        el("td", {}, s.stale_kiosks ? el("span", { class: "badge" }, nf0().format(s.stale_kiosks)) : "0"),
        el("td", { class: s.alerts || s.store_alert ? "alert" : "" }, nf0().format(s.alerts),
          // The store-level rule over every till (issue 18), raised by the server.
          s.store_alert ? el("span", { class: "badge store-alert", "data-raised": s.store_alert.raised_at }, " ", storeAlertText(s.store_alert)) : null));
    });
    view.replaceChildren(
      el("h2", {}, t("stores"), " ", el("small", { class: "legend" }, `${data.from} – ${data.to}`)),
      el("div", { class: "card" },
        el("h3", {}, t("stores"), csvLink("csv-stores", `/api/v1/reports/stores.csv?${periodQuery()}`)),
        el("table", { id: "stores-table" },
          el("thead", {}, el("tr", {}, [t("store"), t("responses"), t("satisfaction"), t("score"), t("change"),
            t("adjSatisfaction"), t("adjScore"), t("kiosks"), t("staleKiosks"), t("alerts")].map((h) => el("th", {}, h)))),
          el("tbody", {}, rows)),
        el("p", { class: "legend", id: "stores-legend" }, t("storesLegend")),
        el("p", {}, el("a", { href: "#/linked", id: "linked-link" }, t("linkedPeople") + " →"))));
  }

  // --- One person across stores (issue 18 item 6) ---------------------------------------------
  // Rep ids are per store: only the ids head office linked to one person are put side by side.
  async function renderLinked(view) {
    const data = await api(`/api/v1/reports/reps?${periodQuery()}`);
    const byPerson = new Map();
    for (const r of data.reps) {
      if (!r.person) continue;
      if (!byPerson.has(r.person)) byPerson.set(r.person, []);
      byPerson.get(r.person).push(r);
    }
    const rows = [];
    for (const [person, reps] of [...byPerson.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      reps.sort((a, b) => String(a.store).localeCompare(String(b.store)));
      reps.forEach((r, i) => rows.push(el("tr", { "data-person": person, "data-store": r.store, "data-rep": r.rep_id },
        el("td", { class: "name" }, i === 0 ? person : ""),
        el("td", {}, el("a", { href: `#/store/${encodeURIComponent(r.store)}` }, r.store)),
        el("td", {}, r.rep_id), el("td", { class: "name" }, r.name || "–"),
        el("td", {}, nf0().format(r.fair.responses)),
        cell(pct(r.fair.satisfaction_pct)), cell(num1(r.fair.score100)))));
    }
    view.replaceChildren(
      el("div", { class: "crumbs" }, el("a", { href: "#/stores" }, "← " + t("backToStores"))),
      el("h2", {}, t("linkedPeople"), " ", el("small", { class: "legend" }, `${data.from} – ${data.to}`)),
      el("div", { class: "card" },
        el("p", { class: "legend", id: "linked-legend" }, t("linkedNote")),
        rows.length ? el("table", { id: "linked-table" },
          el("thead", {}, el("tr", {}, [t("person"), t("store"), "id", t("rep"), t("responses"), t("adjSatisfaction"), t("adjScore")]
            .map((h) => el("th", {}, h)))),
          el("tbody", {}, rows)) : el("p", { id: "no-links" }, t("noLinks"))));
  }

  // --- One store -----------------------------------------------------------------------------
  const repColumns = [
    { col: "rep", key: "rep", label: "rep" },
    { col: "responses", key: (r) => r.fair.responses, label: "responses" },
    { col: "dist", label: "distribution" },
    { col: "satisfaction", key: (r) => r.fair.satisfaction_pct, label: "satisfaction" },
    { col: "score", key: (r) => r.fair.score100, label: "score" },
    { col: "lower", key: (r) => r.fair.wilson_lower_pct, label: "lowerBound" },
    { col: "notabout", key: (r) => r.not_about_rep, label: "notAboutRep" },
    { col: "against", key: (r) => r.against_rep, label: "againstRep" },
    { col: "misuse", key: (r) => r.misuse_excluded, label: "misuse" },
  ];
  const repName = (r) => r.name || r.rep_id || t("noRep");

  // The kiosk's order (core::SortRepRows): rows without a value ("not enough data") last in both
  // directions, ties by rep id ("no rep" first).
  function sortReps(reps) {
    const c = repColumns.find((x) => x.col === state.sort.col) || repColumns[5];
    const desc = state.sort.desc;
    const id = (r) => (r.rep_id === null ? "" : "\u0001" + r.rep_id);
    return [...reps].sort((a, b) => {
      if (c.key === "rep") {
        const x = repName(a).localeCompare(repName(b), state.lang);
        return desc ? -x : x;
      }
      const ka = c.key(a), kb = c.key(b);
      const ha = ka !== null && ka !== undefined, hb = kb !== null && kb !== undefined;
      if (ha !== hb) return ha ? -1 : 1;
      if (ha && ka !== kb) return desc ? kb - ka : ka - kb;
      return id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0;
    });
  }
  function distBar(r) {
    // A rep below min_n: the server withholds how their customers rated them (null).
    if (!r.distribution) return el("span", { class: "legend" }, "–");
    const total = r.distribution.reduce((a, b) => a + b, 0);
    const colors = state.scale === 5 ? ["--r1", "--r2", "--r3", "--r4", "--r5"] : ["--r1", "--r2", "--r4", "--r5"];
    const title = r.distribution.map((n, i) => `${i + 1}: ${n}`).join("  ");
    // role img: a span may not carry aria-label; the bar is a picture whose words are the counts.
    return el("span", { class: "dist", role: "img", title, "aria-label": title },
      r.distribution.map((n, i) => el("span", {
        style: { width: `${total ? (100 * n) / total : 0}%`, background: `var(${colors[i]})` },
      })));
  }
  function renderRepsTable() {
    const table = $("reps-table");
    if (!table) return;
    const head = el("tr", {}, repColumns.map((c) => el("th", {
      class: c.col === "dist" ? "" : "sortable", "data-col": c.col,
      "aria-sort": state.sort.col === c.col ? (state.sort.desc ? "descending" : "ascending") : null,
      onclick: c.col === "dist" ? null : () => {
        state.sort = state.sort.col === c.col ? { col: c.col, desc: !state.sort.desc }
          : { col: c.col, desc: c.col !== "rep" };
        renderRepsTable();
      },
    }, t(c.label))));
    // Each cell names its column (data-label): on a phone the rows become cards (app.css).
    const rows = sortReps(state.reps).map((r) => el("tr", { "data-rep": r.rep_id ?? "" }, [
      el("td", { class: "name" }, repName(r)),
      el("td", {}, nf0().format(r.fair.responses)),
      el("td", {}, distBar(r)),
      cell(pct(r.fair.satisfaction_pct)),
      cell(num1(r.fair.score100)),
      cell(pct(r.fair.wilson_lower_pct)),
      el("td", {}, r.not_about_rep === null ? "–" : nf0().format(r.not_about_rep)),
      el("td", {}, r.against_rep === null ? "–" : nf0().format(r.against_rep)),
      el("td", {}, nf0().format(r.misuse_excluded)),
    ].map((td, i) => {
      td.dataset.col = repColumns[i].col;
      td.dataset.label = t(repColumns[i].label);
      return td;
    })));
    table.classList.add("cards-on-phone");
    table.replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
  }
  // Colour-blind safe and readable: score runs from light orange (0) through near white (50) to
  // light blue (100), volume from near white to light blue; every colour is light enough for the
  // cell's dark text to keep 4.5:1 (WCAG AA).
  const mix = (a, b, f) => a.map((x, i) => Math.round(x + (b[i] - x) * f));
  const rgb = (c) => `rgb(${c.join(",")})`;
  const kLow = [246, 190, 140], kMid = [242, 242, 242], kHigh = [140, 190, 236], kEmpty = [238, 240, 243];
  function heatColor(v, max) {
    if (state.heatMode === "score") {
      if (v === null) return rgb(kEmpty);
      return rgb(v < 50 ? mix(kLow, kMid, v / 50) : mix(kMid, kHigh, (v - 50) / 50));
    }
    if (!v) return rgb(kEmpty);
    return rgb(mix([234, 241, 251], [127, 167, 224], v / max));
  }
  function renderHeatmap(box, heat) {
    const max = Math.max(1, ...heat.volume.flat());
    const days = t("weekdays");
    const head = el("tr", {}, el("th", {}), [...Array(24).keys()].map((h) => el("th", {}, h)));
    const rows = days.map((d, wd) => el("tr", {}, el("th", {}, d), [...Array(24).keys()].map((h) => {
      const v = heat.volume[wd][h];
      const s = heat.score100[wd][h];
      const shown = state.heatMode === "score" ? (s === null ? "" : Math.round(s)) : (v || "");
      return el("td", {
        style: { background: heatColor(state.heatMode === "score" ? s : v, max) },
        title: `${d} ${h}:00 · ${t("responses")}: ${v}` + (s === null ? "" : ` · ${t("score")}: ${nf1().format(s)}`),
      }, shown);
    })));
    const toggle = (mode) => el("button", {
      type: "button", id: `heat-${mode}`, "aria-pressed": state.heatMode === mode ? "true" : "false",
      onclick: () => { state.heatMode = state.heatChoice = mode; renderHeatmap(box, heat); },
    }, t(mode === "score" ? "heatScore" : "heatVolume"));
    box.replaceChildren(el("div", {}, toggle("score"), " ", toggle("volume"), " ",
      el("span", { class: "legend" }, t("heatNote", heat.min_n_cell))),
      el("table", { class: "heat", id: "heatmap" }, el("thead", {}, head), el("tbody", {}, rows)));
  }
  function renderTrend(box, trend) {
    const days = trend.days;
    const W = 1000, H = 200, L = 36, B = 24, T = 8;
    const n = Math.max(1, days.length);
    const step = (W - L) / n;
    const maxV = Math.max(1, ...days.map((d) => d.responses));
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", `0 0 ${W} ${H + B}`);
    svg.setAttribute("id", "trend-chart");
    const add = (tag, attrs, text) => {
      const e = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      if (text !== undefined) e.textContent = text;
      svg.append(e);
      return e;
    };
    for (const v of [0, 50, 100]) {
      const y = T + (H - T) * (1 - v / 100);
      add("line", { x1: L, x2: W, y1: y, y2: y, stroke: "#e3e6ec" });
      add("text", { x: 2, y: y + 4 }, String(v));
    }
    days.forEach((d, i) => {
      const h = ((H - T) * d.responses) / maxV * 0.5;
      add("rect", { x: L + i * step + step * 0.15, y: H - h, width: step * 0.7, height: h, fill: "#c9d6f2" })
        .append(Object.assign(document.createElementNS(ns, "title"), { textContent: `${d.day}: ${d.responses}` }));
    });
    let path = "";
    days.forEach((d, i) => {
      if (d.score100 === null) { path += " "; return; }
      const x = L + i * step + step / 2, y = T + (H - T) * (1 - d.score100 / 100);
      path += (path.endsWith(" ") || path === "" ? "M" : "L") + `${x.toFixed(1)},${y.toFixed(1)}`;
      add("circle", { cx: x, cy: y, r: 3, fill: "#2457c5" });
    });
    add("path", { d: path.replace(/ +/g, " ").replace(/ M/g, "M").trim() || "M0,0", fill: "none", stroke: "#2457c5", "stroke-width": 2 });
    if (days.length) {
      add("text", { x: L, y: H + 16 }, days[0].day);
      add("text", { x: W - 70, y: H + 16 }, days[days.length - 1].day);
    }
    box.replaceChildren(svg, el("div", { class: "legend" },
      `— ${t("score")} (≥ ${state.minN} ${t("responses")})   ▮ ${t("responses")}`));
  }
  async function renderStore(view, storeId) {
    const q = `store=${encodeURIComponent(storeId)}&${periodQuery()}`;
    const [reps, reasons, heat, trend, stores] = await Promise.all([
      api(`/api/v1/reports/reps?${q}`), api(`/api/v1/reports/reasons?${q}`),
      api(`/api/v1/reports/heatmap?${q}`), api(`/api/v1/reports/trend?${q}`),
      api(`/api/v1/reports/stores?${q}`)]);
    state.reps = reps.reps;
    // With no cell scored (a quiet store or a short period) the volume says more; otherwise the
    // manager's last choice.
    state.heatMode = heat.score100.flat().every((x) => x === null) ? "volume" : state.heatChoice;
    state.minN = reps.min_n;
    state.scale = reps.scale;
    const store = stores.stores.find((s) => s.store === storeId);
    const reasonRows = reasons.reasons.map((r) => el("tr", {},
      el("td", { class: "name" }, (r.labels && (r.labels[state.lang] || r.labels.en)) || r.reason, r.known ? "" : ` (${t("unknownReason")})`),
      el("td", {}, nf0().format(r.count)),
      el("td", {}, r.attributable_to_rep ? t("yes") : t("no"))));
    const heatBox = el("div", { class: "card", id: "heatmap-box" });
    const trendBox = el("div", { class: "card trend", id: "trend" });
    view.replaceChildren(
      el("div", { class: "crumbs" }, el("a", { href: "#/stores" }, "← " + t("backToStores"))),
      el("h2", { id: "store-title" }, store ? store.name : storeId, " ",
        el("small", { class: "legend" }, `${reps.from} – ${reps.to}`)),
      // The store's own figures, each named: every response (as the trend), and rep-adjusted.
      el("div", { class: "card" },
        el("table", { id: "store-summary" },
          el("thead", {}, el("tr", {}, ["", t("responses"), t("satisfaction"), t("score")].map((h) => el("th", {}, h)))),
          el("tbody", {}, [["all", t("allResponses"), reps.total.raw], ["adjusted", t("repAdjusted"), reps.total.fair]].map(([key, label, f]) =>
            el("tr", { "data-figures": key }, el("td", { class: "name" }, label), el("td", {}, nf0().format(f.responses)),
              cell(pct(f.satisfaction_pct)), cell(num1(f.score100))))))),
      el("div", { class: "card" },
        el("h3", {}, t("reps"), csvLink("csv-reps", `/api/v1/reports/reps.csv?${q}`)),
        el("p", { class: "legend" }, t("fairNote", state.minN)),
        state.reps.length ? el("table", { id: "reps-table" }) : el("p", {}, t("noData"))),
      el("div", { class: "card" },
        el("h3", {}, t("reasons"), csvLink("csv-reasons", `/api/v1/reports/reasons.csv?${q}`)),
        el("table", { id: "reasons-table" },
          el("thead", {}, el("tr", {}, [t("reason"), t("count"), t("aboutRep")].map((h) => el("th", {}, h)))),
          el("tbody", {}, reasonRows))),
      el("h3", {}, t("heatmap"), csvLink("csv-heatmap", `/api/v1/reports/heatmap.csv?${q}`)), heatBox,
      el("h3", {}, t("trend"), csvLink("csv-trend", `/api/v1/reports/trend.csv?${q}`)), trendBox);
    renderRepsTable();
    renderHeatmap(heatBox, heat);
    renderTrend(trendBox, trend);
  }

  // --- Fleet ---------------------------------------------------------------------------------
  async function renderFleet(view) {
    const data = await api("/api/v1/reports/fleet");
    const rows = data.kiosks.map((k) => el("tr", {
      class: k.stale ? "stale" : "", "data-kiosk": k.kiosk_id, title: k.stale_reason || "",
    },
      el("td", { class: "name" }, k.kiosk_id),
      el("td", {}, k.store_id),
      el("td", {}, k.last_seen_age_s === null ? t("never") : t("ago", age(k.last_seen_age_s * 1000))),
      el("td", {}, k.pending_reported === null ? "–" : nf0().format(k.pending_reported)),
      el("td", {}, age(k.oldest_pending_age_ms)),
      el("td", {}, k.clock_skew_ms === null ? "–" : nf1().format(k.clock_skew_ms / 1000) + " s"),
      el("td", {}, nf0().format(k.acked_seq)),
      el("td", {}, [
        k.gaps.map(([a, b]) => (a === b ? a : `${a}–${b}`)).join(", "),
        // Seqs the kiosk reported lost (a damaged kiosk file) are explained, not gaps.
        ...(k.lost || []).map((l) => `${l.from === l.to ? l.from : `${l.from}–${l.to}`} lost: ${l.reason}`),
      ].filter((s) => s !== "").join("; ") || "–"),
      el("td", {}, k.version || "–"),
      // The survey definition version it runs; flagged when not on the newest for over an hour.
      el("td", { class: k.config_behind ? "alert survey-behind" : "", "data-survey": k.config_version ?? "" },
        (k.config_version == null ? t("surveyOwn") : "v" + k.config_version) +
          (k.config_behind ? " · " + t("surveyBehind", "v" + k.latest_config_version) : "")),
      el("td", { class: k.alert ? "alert" : "" }, k.alert || "–"),
      el("td", {}, k.stale ? t("stale") : t("ok"))));
    view.replaceChildren(
      el("h2", {}, t("fleet")),
      el("div", { class: "card" },
        el("h3", {}, t("fleet"), csvLink("csv-fleet", "/api/v1/reports/fleet.csv")),
        el("p", { class: "legend" }, t("staleNote", age(data.stale_after_s * 1000))),
        el("table", { id: "fleet-table" },
          el("thead", {}, el("tr", {}, [t("kiosk"), t("store"), t("lastSeen"), t("pending"), t("oldestPending"),
            t("clockSkew"), t("acked"), t("gaps"), t("version"), t("survey"), t("alert"), t("stale")].map((h) => el("th", {}, h)))),
          el("tbody", {}, rows))));
  }


  // --- Calls (live) --------------------------------------------------------------------------
  // Help calls of one store over server-sent events (GET /api/v1/calls/stream): a snapshot of the
  // open calls, then each new call, update, escalation and store alert. New calls beep and put
  // the count in the tab title until the page is looked at.
  const live = { source: null, store: null, calls: new Map(), unseen: 0, alerts: [], repNames: new Map(), reasonLabels: new Map() };
  function stopLive() {
    if (live.source) live.source.close();
    live.source = null;
    live.store = null;
    live.unseen = 0;
    document.title = t("title");
  }
  function beep() {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      for (const [at, f] of [[0, 880], [0.25, 660]]) {
        const o = ctx.createOscillator();
        const g = ctx.createGain();
        o.frequency.value = f;
        g.gain.setValueAtTime(0.25, ctx.currentTime + at);
        g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + at + 0.22);
        o.connect(g).connect(ctx.destination);
        o.start(ctx.currentTime + at);
        o.stop(ctx.currentTime + at + 0.23);
      }
    } catch (e) { /* no audio: the title still changes */ }
  }
  function titleForCalls() {
    const open = [...live.calls.values()].filter((c) => c.status !== "closed").length;
    document.title = (live.unseen ? `🔔 (${live.unseen}) ` : open ? `(${open}) ` : "") + t("callsTitle");
  }
  async function callAction(id, action, body) {
    const res = await fetch(`/api/v1/calls/${encodeURIComponent(id)}/${action}`, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    let data = null;
    try { data = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) throw new Error(data && data.error ? data.error.message : "HTTP " + res.status);
    live.calls.set(data.response_id, data);
    drawCalls();
  }
  function staffName() {
    const name = ($("call-name") && $("call-name").value.trim()) || "";
    if (name) localStorage.setItem("fk-staff", name);
    return name;
  }
  function callCard(c) {
    const since = Date.now() - Date.parse(c.received_at);
    const face = ["😞", "🙁", "🙂", "😀", "🤩"][Math.max(0, Math.min(4, Math.round((c.rating - 1) * 4 / (c.scale - 1))))];
    const reasonLabels = live.reasonLabels.get(c.reason);
    const reason = c.reason && ((reasonLabels && (reasonLabels[state.lang] || reasonLabels.en)) || c.reason);
    const rep = c.rep_id && (live.repNames.get(c.rep_id) || c.rep_id);
    const info = [t("kiosk") + " " + c.kiosk_id, reason ? t("reason") + ": " + reason : null,
      rep ? t("rep") + ": " + rep : null, c.language].filter(Boolean).join(" · ");
    const error = el("p", { class: "error", role: "alert", hidden: true });
    const fail = (e) => { error.textContent = e.message; error.hidden = false; };
    const outcome = el("select", { "aria-label": t("outcome"), class: "outcome" },
      ["helped", "refund_or_replacement", "customer_left", "other"].map((o) => el("option", { value: o }, t("outcome_" + o))));
    const note = el("input", { type: "text", maxlength: "500", placeholder: t("note"), "aria-label": t("note") });
    const needName = () => { const n = staffName(); if (!n) { fail(new Error(t("nameFirst"))); $("call-name").focus(); } return n; };
    const actions = el("div", { class: "call-actions" },
      c.acked_at ? null : el("button", { type: "button", class: "primary", "data-action": "ack", onclick: () => {
        const by = needName(); if (by) callAction(c.response_id, "ack", { by }).catch(fail);
      } }, t("ack")),
      outcome, note,
      el("button", { type: "button", "data-action": "close", onclick: () => {
        const by = needName();
        if (!by) return;
        const body = { by, outcome: outcome.value };
        if (note.value.trim()) body.note = note.value.trim();
        callAction(c.response_id, "close", body).catch(fail);
      } }, t("closeCall")));
    return el("article", { class: "call " + c.status + (c.escalated ? " escalated" : ""), "data-call": c.response_id },
      el("div", { class: "call-head" },
        el("span", { class: "face", "aria-hidden": "true" }, face),
        el("strong", {}, t("ago", age(since))),
        el("span", { class: "badge state" }, t("status_" + c.status)),
        c.late ? el("span", { class: "badge late" }, t("late")) : null,
        c.repeats ? el("span", { class: "badge repeats" }, t("repeats", nf0().format(c.repeats))) : null,
        c.escalated ? el("span", { class: "badge" }, t("escalated")) : null),
      el("p", { class: "call-info" }, info),
      c.acked_by ? el("p", { class: "call-info" }, t("ackedBy", c.acked_by)) : null,
      actions, error);
  }
  function drawCalls() {
    const list = $("call-list");
    if (!list) return;
    const open = [...live.calls.values()].filter((c) => c.status !== "closed")
      .sort((a, b) => (a.received_at < b.received_at ? 1 : -1));
    list.replaceChildren(...(open.length ? open.map(callCard) : [el("p", { class: "legend" }, t("callsNone"))]));
    $("call-alerts").replaceChildren(...live.alerts.slice(-3).map((a) => el("p", { class: "alert-banner" }, `${a.kiosk_id}: ${a.alert}`)));
    titleForCalls();
  }
  // Store names for headings that are given only an id (the Calls view's address).
  const storeNames = new Map();
  async function storeName(id) {
    if (!storeNames.has(id)) {
      const data = await api(`/api/v1/reports/stores?period=today`);
      data.stores.forEach((s) => storeNames.set(s.store, s.name || s.store));
    }
    return storeNames.get(id) || id;
  }
  async function renderCalls(view, store) {
    if (!store) {
      const data = await api(`/api/v1/reports/stores?period=today`);
      data.stores.forEach((s) => storeNames.set(s.store, s.name || s.store));
      if (data.stores.length === 1) { location.hash = `#/calls/${encodeURIComponent(data.stores[0].store)}`; return; }
      stopLive();
      view.replaceChildren(el("h2", {}, t("calls")), el("div", { class: "card" },
        el("p", {}, t("chooseStore")),
        el("ul", { class: "store-pick" }, data.stores.map((s) => el("li", {},
          el("a", { href: `#/calls/${encodeURIComponent(s.store)}` }, s.name || s.store))))));
      return;
    }
    if (live.store !== store) {
      stopLive();
      live.store = store;
      live.calls = new Map();
      live.alerts = [];
      // Staff look for a name and a reason in words: the store's reports of the last 30 days
      // carry the roster's names and the reasons' labels (a rep with no response yet shows the id).
      const q = `store=${encodeURIComponent(store)}&period=30d`;
      const [reps, reasons] = await Promise.all([api(`/api/v1/reports/reps?${q}`), api(`/api/v1/reports/reasons?${q}`)]);
      live.repNames = new Map(reps.reps.filter((r) => r.rep_id && r.name).map((r) => [r.rep_id, r.name]));
      live.reasonLabels = new Map(reasons.reasons.filter((r) => r.labels).map((r) => [r.reason, r.labels]));
    }
    const name = await storeName(store);
    const status = el("span", { id: "call-live", class: "legend" }, t("connecting"));
    view.replaceChildren(
      el("h2", { id: "calls-heading" }, t("callsFor", name)),
      el("div", { class: "card calls" },
        el("label", { class: "call-name" }, t("yourName"),
          el("input", { id: "call-name", type: "text", maxlength: "64", value: localStorage.getItem("fk-staff") || "", autocomplete: "name" })),
        status,
        el("div", { id: "call-alerts" }),
        el("div", { id: "call-list" }),
        el("p", {}, csvLink("csv-calls", `/api/v1/calls.csv?store=${encodeURIComponent(store)}&status=all`))));
    drawCalls();
    if (live.source) { status.textContent = t("callsLive"); return; }
    const source = new EventSource(`/api/v1/calls/stream?store=${encodeURIComponent(store)}`);
    live.source = source;
    const setStatus = (key) => { const s = $("call-live"); if (s) s.textContent = t(key); };
    source.onopen = () => setStatus("callsLive");
    source.onerror = () => setStatus("callsOffline");
    source.addEventListener("snapshot", (ev) => {
      const data = JSON.parse(ev.data);
      live.calls = new Map(data.calls.map((c) => [c.response_id, c]));
      drawCalls();
    });
    source.addEventListener("call", (ev) => {
      const c = JSON.parse(ev.data);
      live.calls.set(c.response_id, c);
      if (document.hidden || !document.hasFocus()) live.unseen += 1;
      beep();
      drawCalls();
    });
    source.addEventListener("update", (ev) => {
      const c = JSON.parse(ev.data);
      const old = live.calls.get(c.response_id);
      live.calls.set(c.response_id, Object.assign(c, { escalated: old && old.escalated }));
      drawCalls();
    });
    source.addEventListener("escalation", (ev) => {
      const c = JSON.parse(ev.data).call;
      live.calls.set(c.response_id, Object.assign(c, { escalated: true }));
      beep();
      drawCalls();
    });
    source.addEventListener("alert", (ev) => { live.alerts.push(JSON.parse(ev.data)); beep(); drawCalls(); });
    source.addEventListener("store_alert", (ev) => {
      const a = JSON.parse(ev.data);
      live.alerts.push({ kiosk_id: a.store_id, alert: storeAlertText(a) });
      beep(); drawCalls();
    });
  }
  const seen = () => { if (live.unseen && !document.hidden) { live.unseen = 0; titleForCalls(); } };
  document.addEventListener("visibilitychange", seen);
  window.addEventListener("focus", seen);

  // --- Routing -------------------------------------------------------------------------------
  let generation = 0;
  async function route() {
    const mine = ++generation;
    const view = $("view");
    const hash = location.hash || "#/stores";
    for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", hash.startsWith(a.getAttribute("href")));
    $("status").hidden = true;
    view.setAttribute("aria-busy", "true");
    try {
      // The period picker means nothing to the live Calls view.
      // Nor to People and Account.
      const periodless = /^#\/(calls|users|account|survey)/.test(hash);
      $("period-box").hidden = periodless;
      $("custom-range").hidden = periodless || state.period !== "custom";
      if (!hash.startsWith("#/calls")) stopLive();
      if (hash.startsWith("#/users") && may.users()) await renderUsers(view);
      else if (hash.startsWith("#/account") && may.account()) renderAccount(view);
      else if (hash.startsWith("#/survey") && may.survey()) await renderSurvey(view, decodeURIComponent(hash.slice(9)));
      else if (hash.startsWith("#/calls") && may.calls()) await renderCalls(view, decodeURIComponent(hash.slice(8)));
      else if (hash.startsWith("#/store/")) await renderStore(view, decodeURIComponent(hash.slice(8)));
      else if (hash.startsWith("#/linked")) await renderLinked(view);
      else if (hash.startsWith("#/fleet")) await renderFleet(view);
      else await renderStores(view);
    } catch (e) {
      if (mine !== generation) return;
      if (e instanceof AuthError) { showLogin(t("sessionExpired")); return; }
      $("status").textContent = t("loadError", e.message);
      $("status").hidden = false;
    } finally {
      if (mine === generation) view.setAttribute("aria-busy", "false");
    }
  }

  async function start() {
    state.lang = pickLang();
    applyLang();
    $("period").value = state.period;
    $("lang").addEventListener("change", () => {
      state.lang = $("lang").value;
      localStorage.setItem("fk-lang", state.lang);
      applyLang();
      if (!$("view").hidden) route();
    });
    $("period").addEventListener("change", () => {
      state.period = $("period").value;
      $("custom-range").hidden = state.period !== "custom";
      if (state.period !== "custom" || (state.from && state.to)) route();
    });
    for (const id of ["from", "to"]) {
      $(id).addEventListener("change", () => {
        state[id] = $(id).value;
        if (state.from && state.to) route();
      });
    }
    $("login-form").addEventListener("submit", login);
    $("set-password-form").addEventListener("submit", setPassword);
    $("logout").addEventListener("click", logout);
    window.addEventListener("hashchange", () => {
      if (linkSecret()) showSetPassword("");
      else if (!$("view").hidden) route();
    });
    if (linkSecret()) { showSetPassword(""); return; }
    const res = await fetch("/api/v1/session", { credentials: "same-origin" });
    if (res.ok) { showApp(await res.json()); route(); } else showLogin("");
  }
  start();
})();
