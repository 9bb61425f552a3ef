// The facilitator's live page: polls the room's results and draws them, text only through textContent.
"use strict";
(function () {
  const box = document.getElementById("activities");
  const base = box.dataset.base;  // the facilitator's own address, under the room's path prefix
  const pollMs = Number(box.dataset.poll) || 1000;
  const xsrf = document.querySelector("input[name=_xsrf]").value;
  const words = JSON.parse(box.dataset.words);  // MESSAGES' room_page_* words, from the server

  // One of the page's words, each {name} in it filled in from values.
  function word(name, values) {
    return words[name].replace(/\{(\w+)\}/g, (whole, key) => (values && key in values ? String(values[key]) : whole));
  }
  let lastText = "";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else if (key.startsWith("data-")) node.setAttribute(key, value);
      else node[key] = value;
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    return node;
  }

  function fmt(value) {
    return value === null || value === undefined ? "–" : String(value);
  }

  // A box from the lower to the upper quartile, a whisker from lowest to highest, a tick at the median.
  function chart(item) {
    const width = 160, height = 22, lo = item.low_end ?? 1, hi = item.high_end ?? 5;
    const x = (v) => 6 + ((v - lo) / (hi - lo || 1)) * (width - 12);
    const picture = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": word("box_plot", { median: fmt(item.median), q1: fmt(item.q1), q3: fmt(item.q3) }) });
    picture.append(svg("line", { x1: x(lo), x2: x(hi), y1: 11, y2: 11, class: "axis" }));
    if (item.median !== null) {
      picture.append(svg("line", { x1: x(item.low), x2: x(item.high), y1: 11, y2: 11, class: "whisker" }));
      picture.append(svg("rect", { x: x(item.q1), y: 4, width: Math.max(2, x(item.q3) - x(item.q1)), height: 14,
        class: item.disagreement ? "iqr disagree" : "iqr" }));
      picture.append(svg("line", { x1: x(item.median), x2: x(item.median), y1: 2, y2: 20, class: "median" }));
    }
    return picture;
  }

  async function post(path, fields) {
    const body = new URLSearchParams(fields);
    body.append("_xsrf", xsrf);
    const reply = await fetch(base + path, { method: "POST", body, headers: { "X-XSRFToken": xsrf } });
    const data = await reply.json().catch(() => ({ error: word("no_answer") }));
    return data;
  }

  function button(text, action, cls) {
    const b = el("button", { type: "button", text, className: cls || "" });
    b.addEventListener("click", async () => {
      b.disabled = true;
      await action();
      lastText = "";
      refresh();
    });
    return b;
  }

  function say(card, data) {
    const line = card.querySelector(".note");
    line.textContent = data.error ? "⚠ " + data.error : "✔ " + data.done;
    line.className = data.error ? "note problem" : "note";
  }

  function itemRow(activity, item, card) {
    const parties = Object.entries(item.parties).map(([name, mean]) => `${name}: ${mean}`).join(" · ");
    const flag = item.disagreement ? el("span", { className: "flag", text: "⚠ " + item.why }) : null;
    const accept = el("td", {});
    if (item.accepted) accept.append(el("span", { className: "accepted", text: "✔ " + word("accepted", { how: item.accepted }) }));
    if (activity.kind === "votes") {
      accept.append(el("span", { className: "hint", text: word("for_discussion") }));
    } else if (["risks", "stakeholders", "candidates"].includes(activity.kind)) {
      const agreed = el("input", { type: "text", inputMode: "decimal", size: 3, title: word("agreed_value"),
        placeholder: fmt(item.median), "data-item": item.key });
      accept.append(agreed, button(word("accept"), async () => say(card, await post(
        `/a/${activity.id}/accept`, { item: item.key, value: agreed.value }))));
    } else {
      accept.append(button(word("accept"), async () => say(card, await post(`/a/${activity.id}/accept`, { item: item.key }))));
    }
    return el("tr", { className: item.disagreement ? "disagree" : "", "data-item": item.key },
      el("td", {}, el("span", { text: item.label }), flag ? el("br") : null, flag),
      el("td", { className: "num responses", text: fmt(item.responses) }),
      el("td", { className: "num median", text: fmt(activity.kind === "votes" ? item.total : item.median) }),
      el("td", { className: "num", text: item.q1 === null ? "–" : `${item.q1}–${item.q3}` }),
      el("td", {}, chart(item)),
      el("td", { className: "parties", text: parties }),
      accept);
  }

  function card(activity) {
    const section = el("article", { className: "activity", "data-id": activity.id });
    const state = word(activity.open ? "open_to_room" : "closed");
    section.append(el("h3", { text: activity.title }),
      el("p", { className: "status" },
        el("span", { className: "count", "data-submissions": activity.submissions,
          text: activity.respondents === 1 ? word("responses_one") : word("responses_many", { count: activity.respondents }) }),
        el("span", { text: ` · ${state}${activity.shown ? " · " + word("status_shown") : ""}` })));
    const tools = el("p", { className: "tools" },
      button(word(activity.open ? "close" : "open"), () => post(`/a/${activity.id}/${activity.open ? "close" : "open"}`, {})),
      button(word(activity.shown ? "hide_results" : "show_results"),
        () => post(`/a/${activity.id}/${activity.shown ? "hide" : "show"}`, {})),
      el("a", { href: `${base}/a/${activity.id}/responses.csv`, text: word("responses_csv") }),
      el("a", { href: `${base}/a/${activity.id}/responses.xlsx`, text: word("responses_xlsx") }));
    if (activity.per_person) {
      tools.append(button(word(activity.kind === "health" ? "accept_all_health" : "accept_all"), async () => say(section, await post(`/a/${activity.id}/accept`, {})),
        "primary"));
    }
    section.append(tools, el("p", { className: "note", role: "status" }));
    if (activity.items.length) {
      const middle = activity.kind === "votes" ? "dots" : "median";
      const head = el("tr", {}, ...["item", "answers", middle, "middle_half", "spread", "partners_means", "into_plan"]
        .map((name) => el("th", { scope: "col", text: word(name) })));
      const body = el("tbody", {}, ...activity.items.map((item) => itemRow(activity, item, section)));
      section.append(el("table", { className: "results" }, el("thead", {}, head), body));
    }
    if (activity.ahp) {
      const accept = el("p", { className: "tools" });
      if (activity.ahp.accepted) accept.append(el("span", { className: "accepted", text: "✔ " + word("accepted", { how: activity.ahp.accepted }) }));
      accept.append(button(word("accept_weights"), async () => say(section, await post(
        `/a/${activity.id}/accept`, { item: activity.ahp.item }))));
      section.append(el("h4", { text: word("pairwise_heading") }),
        ...activity.ahp.said.map((words) => el("p", { className: "ahp", text: words })), accept);
    }
    if (activity.comments.length || activity.kind === "parking") {
      const list = el("ul", { className: "comments" });
      for (const comment of activity.comments) {
        list.append(el("li", {}, el("span", { text: comment.text }), " ",
          button(word("keep_comment"), async () => say(section, await post(
            `/a/${activity.id}/accept`, { item: "comment", value: comment.text })))));
      }
      section.append(list);
    }
    return section;
  }

  function draw(state) {
    const notes = {};
    box.querySelectorAll("article").forEach((a) => { notes[a.dataset.id] = a.querySelector(".note").textContent; });
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.item : null;
    if (focused) return false;  // do not redraw under a facilitator typing an agreed value
    box.replaceChildren(...(state.activities.length ? state.activities.map(card)
      : [el("p", { className: "hint", text: word("no_activity") })]));
    box.querySelectorAll("article").forEach((a) => {
      if (notes[a.dataset.id]) a.querySelector(".note").textContent = notes[a.dataset.id];
    });
    return true;
  }

  async function refresh() {
    try {
      const reply = await fetch(base + "/state.json", { cache: "no-store" });
      const text = await reply.text();
      if (text !== lastText && draw(JSON.parse(text))) lastText = text;
    } catch (error) {
      // The room may be restarting: try again at the next tick.
    }
  }

  document.getElementById("start").addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = new URLSearchParams(new FormData(event.target));
    const reply = await fetch(base + "/start", { method: "POST", body: fields, headers: { "X-XSRFToken": xsrf } });
    const data = await reply.json();
    document.getElementById("start-message").textContent = data.error ? "⚠ " + data.error : "✔ " + data.done;
    lastText = "";
    refresh();
  });

  refresh();
  setInterval(refresh, pollMs);
})();
