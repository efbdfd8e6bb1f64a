// The Sandbox's web chat: several people's chats with the bot side by side, live.
//
// The Sandbox pushes the people and each shown chat as server-sent events (/web/events)
// whenever they change; this script draws them as Telegram's app does: a message edited by
// the bot is redrawn where it is, a deleted one disappears, a press's answer shows as a
// toast or an alert. Typing and pressing go to the Sandbox's control API as that person.
// Every node is built from text (never innerHTML of what the bot sent).
"use strict";

const MAX_PANES = 4;
const TOAST_MS = 2500;

const state = {
  people: [],
  /** Chat views by chat id, as last pushed. */
  chats: new Map(),
  panes: [],
  focused: null,
  source: null,
  subscribed: "",
};

// MARK: - Small helpers

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = text;
  return element;
}

function personByID(id) {
  return state.people.find((person) => person.id === id) || null;
}

const AVATAR_COLOURS = ["#e17076", "#7bc862", "#65aadd", "#a695e7", "#ee7aae", "#6ec9cb", "#faa774"];

function paintAvatar(element, person) {
  element.textContent = person ? Array.from(person.name.trim())[0] || "?" : "?";
  element.style.background = person ? AVATAR_COLOURS[person.id % AVATAR_COLOURS.length] : "#aab";
}

function describe(person) {
  const parts = [person.note || "id " + person.id];
  if (person.note) parts.push(String(person.id));
  if (person.language) parts.push(person.language);
  if (person.blocked_bot) parts.push("blocked the bot");
  return parts.join(" · ");
}

function clock(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

function size(bytes) {
  if (bytes === null || bytes === undefined) return "";
  if (bytes < 1024) return bytes + " B";
  if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + " KB";
  return (bytes / 1024 / 1024).toFixed(1) + " MB";
}

/** Posts JSON (or bytes) to the Sandbox; resolves to the result, or throws its description. */
async function post(path, body, contentType) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": contentType || "application/json" },
    body: contentType ? body : JSON.stringify(body),
  });
  let answer = null;
  try {
    answer = await response.json();
  } catch (_) {
    answer = null;
  }
  if (!response.ok || (answer && answer.ok === false)) {
    throw new Error((answer && answer.description) || "the Sandbox answered " + response.status);
  }
  return answer && "result" in answer ? answer.result : answer;
}

// MARK: - Telegram's HTML (parse_mode HTML): the tags it knows, everything else as text
//
// Read by hand, never by the browser's HTML parser: even an inert parse of the bot's
// markup fetches its images and fires their handlers.

const HTML_TAGS = {
  b: "strong", strong: "strong", i: "em", em: "em", u: "u", ins: "u", s: "s", strike: "s", del: "s",
  code: "code", pre: "pre", blockquote: "blockquote", "tg-spoiler": "span", span: "span", a: "a",
};

function decodeEntities(text) {
  return text.replace(/&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-f]{1,6});/gi, (whole, name) => {
    const named = { lt: "<", gt: ">", amp: "&", quot: '"' }[name.toLowerCase()];
    if (named) return named;
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function attribute(attributes, name) {
  const match = new RegExp(name + "\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')", "i").exec(attributes);
  return match ? decodeEntities(match[1] !== undefined ? match[1] : match[2]) : null;
}

function appendTelegramHTML(parent, html) {
  const open = [{ tag: null, element: parent }];
  const pieces = /<(\/?)([a-z][a-z-]*)([^>]*)>|([^<]+|<)/gi;
  let piece;
  while ((piece = pieces.exec(html)) !== null) {
    const [, closing, rawTag, attributes, text] = piece;
    const current = open[open.length - 1].element;
    if (text !== undefined) {
      current.appendChild(document.createTextNode(decodeEntities(text)));
      continue;
    }
    const tag = rawTag.toLowerCase();
    if (!HTML_TAGS[tag]) continue;
    if (closing) {
      const index = open.map((entry) => entry.tag).lastIndexOf(tag);
      if (index > 0) open.length = index;
      continue;
    }
    const element = node(HTML_TAGS[tag]);
    if (tag === "a") {
      const href = attribute(attributes, "href") || "";
      if (/^https?:/i.test(href)) {
        element.href = href;
        element.target = "_blank";
        element.rel = "noopener noreferrer";
      }
    }
    if (tag === "tg-spoiler" || (tag === "span" && /tg-spoiler/.test(attribute(attributes, "class") || ""))) {
      element.className = "spoiler";
      element.addEventListener("click", () => element.classList.add("shown"));
    }
    current.appendChild(element);
    open.push({ tag, element });
  }
}

// MARK: - People

function renderPeople() {
  const list = document.getElementById("people-list");
  list.replaceChildren();
  const current = state.focused ? state.focused.personID : null;
  for (const person of state.people) {
    const item = node("li", "person" + (person.id === current ? " current" : ""));
    item.dataset.personId = String(person.id);
    item.tabIndex = 0;
    const avatar = node("span", "avatar");
    paintAvatar(avatar, person);
    const text = node("span", "person-text");
    text.append(node("span", "person-name", person.name), node("span", "person-meta", describe(person)));
    item.append(avatar, text);
    const choose = () => showPerson(state.focused || state.panes[0], person.id);
    item.addEventListener("click", choose);
    item.addEventListener("keydown", (event) => { if (event.key === "Enter") choose(); });
    list.appendChild(item);
  }
  for (const pane of state.panes) renderHeader(pane);
}

async function createPerson(event) {
  event.preventDefault();
  const name = document.getElementById("new-person-name");
  const language = document.getElementById("new-person-language");
  const error = document.getElementById("new-person-error");
  error.hidden = true;
  try {
    const person = await post("/web/people", { name: name.value, language: language.value });
    name.value = "";
    if (!personByID(person.id)) state.people.push(person);
    showPerson(state.focused || state.panes[0], person.id);
  } catch (failure) {
    error.textContent = failure.message;
    error.hidden = false;
  }
}

// MARK: - Panes

function addPane(personID) {
  if (state.panes.length >= MAX_PANES) return null;
  const root = document.getElementById("pane-template").content.firstElementChild.cloneNode(true);
  // `stuck`: the reader is at the end of the chat, and stays there as it grows or reflows.
  const pane = { root, personID: null, rendered: new Map(), answersSeen: null, toastTimer: null, stuck: true };
  const list = root.querySelector(".messages");
  list.addEventListener("scroll", () => {
    pane.stuck = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  });
  // The chat reflows when the pane narrows (another beside it) or a message grows after
  // it was placed (a font or picture arriving): each message is watched too.
  pane.reflow = new ResizeObserver(() => {
    if (pane.stuck) list.scrollTop = list.scrollHeight;
  });
  pane.reflow.observe(list);
  root.querySelector(".pane-header").addEventListener("click", () => focus(pane));
  root.addEventListener("focusin", () => focus(pane));
  root.querySelector(".close-pane").addEventListener("click", (event) => {
    event.stopPropagation();
    closePane(pane);
  });
  root.querySelector(".start-button").addEventListener("click", () => sendText(pane, "/start"));
  root.querySelector(".alert-ok").addEventListener("click", () => { root.querySelector(".alert-backdrop").hidden = true; });
  const composer = root.querySelector(".composer");
  const input = root.querySelector(".input");
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (text.trim() === "") return;
    input.value = "";
    sendText(pane, text);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  const picker = root.querySelector(".attach input");
  picker.addEventListener("change", () => {
    const file = picker.files[0];
    picker.value = "";
    if (file) sendPhoto(pane, file, input.value);
    input.value = "";
  });
  state.panes.push(pane);
  document.getElementById("panes").appendChild(root);
  focus(pane);
  showPerson(pane, personID);
  return pane;
}

function closePane(pane) {
  if (state.panes.length === 1) {
    showPerson(pane, null);
    return;
  }
  state.panes = state.panes.filter((other) => other !== pane);
  pane.root.remove();
  if (state.focused === pane) focus(state.panes[state.panes.length - 1]);
  subscribe();
}

function focus(pane) {
  if (state.focused === pane) return;
  state.focused = pane;
  for (const other of state.panes) other.root.classList.toggle("focused", other === pane);
  renderPeople();
}

function showPerson(pane, personID) {
  if (!pane) return;
  pane.personID = personID;
  for (const known of pane.rendered.values()) pane.reflow.unobserve(known.element);
  pane.rendered = new Map();
  pane.answersSeen = null;
  pane.stuck = true;
  pane.root.dataset.chatId = personID === null ? "" : String(personID);
  pane.root.querySelector(".messages").replaceChildren();
  pane.root.querySelector(".pane-error").hidden = true;
  renderHeader(pane);
  renderChat(pane, personID === null ? null : state.chats.get(personID) || null);
  renderPeople();
  subscribe();
}

function renderHeader(pane) {
  const person = pane.personID === null ? null : personByID(pane.personID);
  paintAvatar(pane.root.querySelector(".pane-header .avatar"), person);
  pane.root.querySelector(".pane-name").textContent = person ? person.name : pane.personID === null ? "Nobody yet" : "User " + pane.personID;
  pane.root.querySelector(".pane-note").textContent = person ? describe(person) : "pick someone on the left";
}

// MARK: - One chat

function renderChat(pane, view) {
  const list = pane.root.querySelector(".messages");
  const chosen = pane.personID !== null;
  pane.root.querySelector(".composer").classList.toggle("disabled", !chosen);
  pane.root.querySelector(".start").hidden = !chosen || (view !== null && view.messages.length > 0);
  if (!view) {
    if (!list.firstChild) list.appendChild(node("p", "empty", chosen ? "No messages here yet." : "Pick someone on the left to act as them."));
    renderReplyKeyboard(pane, null);
    return;
  }
  const placeholder = list.querySelector(".empty");
  if (placeholder) placeholder.remove();
  let changed = false;
  const present = new Set();
  view.messages.forEach((message, index) => {
    present.add(message.id);
    const json = JSON.stringify(message);
    const known = pane.rendered.get(message.id);
    let element = known ? known.element : null;
    if (!known || known.json !== json) {
      const fresh = messageNode(pane, message);
      if (known && known.edits !== message.edits) fresh.classList.add("flash");
      if (element) {
        pane.reflow.unobserve(element);
        element.replaceWith(fresh);
      }
      pane.reflow.observe(fresh);
      changed = true;
      element = fresh;
      pane.rendered.set(message.id, { element, json, edits: message.edits });
    }
    // Keep the page's order the chat's order (a new message can only come last, but be sure).
    if (list.children[index] !== element) list.insertBefore(element, list.children[index] || null);
  });
  for (const [id, known] of pane.rendered) {
    if (!present.has(id)) {
      pane.reflow.unobserve(known.element);
      known.element.remove();
      pane.rendered.delete(id);
    }
  }
  // As in Telegram: a reader at the end stays at the end (a new message, a screen edited
  // in place that grew); one reading back is left where they are.
  if (changed && pane.stuck) list.scrollTop = list.scrollHeight;
  renderReplyKeyboard(pane, view.reply_keyboard);
  showNewAnswers(pane, view.answers);
}

function messageNode(pane, message) {
  const element = node("div", "message " + (message.from_bot ? "in" : "out"));
  element.dataset.messageId = String(message.id);
  element.dataset.edits = String(message.edits);
  const bubble = node("div", "bubble");
  if (message.forwarded_from) bubble.appendChild(node("div", "forwarded", "Forwarded from " + message.forwarded_from));
  if (message.photo) {
    const image = node("img", "photo");
    image.src = message.photo.url;
    image.alt = "photo";
    bubble.appendChild(image);
  }
  if (message.document) bubble.appendChild(documentNode(message.document));
  const words = message.text !== null && message.text !== undefined ? message.text : message.caption;
  if (words !== null && words !== undefined) {
    const text = node("span", "text");
    if (message.parse_mode && message.parse_mode.toUpperCase() === "HTML") appendTelegramHTML(text, words);
    else text.textContent = words;
    bubble.appendChild(text);
  }
  bubble.appendChild(node("span", "meta", (message.edits > 0 ? "edited " : "") + clock(message.date)));
  element.appendChild(bubble);
  if (message.keyboard.length > 0) {
    element.classList.add("with-keyboard");
    element.appendChild(inlineKeyboard(pane, message));
  }
  return element;
}

function documentNode(file) {
  const link = node("a", "document");
  link.href = file.url + (file.url.includes("?") ? "&" : "?") + "download=1";
  link.setAttribute("download", file.name || "file");
  const icon = node("span", "icon", "📄");
  const text = node("span", "person-text");
  text.append(node("span", "name", file.name || "file"), node("span", "size", size(file.size)));
  link.append(icon, text);
  return link;
}

function inlineKeyboard(pane, message) {
  const keyboard = node("div", "inline-keyboard");
  for (const row of message.keyboard) {
    const line = node("div", "inline-row");
    for (const button of row) {
      const element = node("button", "inline-button", button.text);
      element.type = "button";
      element.title = button.text;
      if (button.data !== null && button.data !== undefined) {
        element.dataset.callback = button.data;
        element.addEventListener("click", () => press(pane, message.id, button.data, element));
      } else if (button.url && /^https?:/i.test(button.url)) {
        element.classList.add("link");
        element.addEventListener("click", () => window.open(button.url, "_blank", "noopener"));
      } else {
        element.disabled = true;
      }
      line.appendChild(element);
    }
    keyboard.appendChild(line);
  }
  return keyboard;
}

function renderReplyKeyboard(pane, rows) {
  const area = pane.root.querySelector(".reply-keyboard");
  const shown = JSON.stringify(rows || null);
  if (area.dataset.rows === shown) return;
  area.dataset.rows = shown;
  area.replaceChildren();
  area.hidden = !rows || rows.length === 0;
  for (const row of rows || []) {
    const line = node("div", "reply-row");
    for (const label of row) {
      const button = node("button", "reply-button", label);
      button.type = "button";
      button.addEventListener("click", () => sendText(pane, label));
      line.appendChild(button);
    }
    area.appendChild(line);
  }
}

/** A press's answer shows once: a toast, or an alert that waits for OK. */
function showNewAnswers(pane, answers) {
  if (pane.answersSeen === null) {
    pane.answersSeen = answers.length;
    return;
  }
  for (const answer of answers.slice(pane.answersSeen)) {
    if (!answer.text) continue;
    if (answer.alert) {
      pane.root.querySelector(".alert-text").textContent = answer.text;
      pane.root.querySelector(".alert-backdrop").hidden = false;
    } else {
      const toast = pane.root.querySelector(".toast");
      toast.textContent = answer.text;
      toast.hidden = false;
      clearTimeout(pane.toastTimer);
      pane.toastTimer = setTimeout(() => { toast.hidden = true; }, TOAST_MS);
    }
  }
  pane.answersSeen = answers.length;
}

// MARK: - Acting as the pane's person

function showError(pane, failure) {
  const line = pane.root.querySelector(".pane-error");
  line.textContent = failure.message;
  line.hidden = false;
}

async function act(pane, path, body, contentType) {
  if (pane.personID === null) return;
  pane.root.querySelector(".pane-error").hidden = true;
  try {
    await post(path, body, contentType);
  } catch (failure) {
    showError(pane, failure);
  }
}

function sendText(pane, text) {
  return act(pane, "/control/messages", { user_id: pane.personID, text });
}

function press(pane, messageID, data, element) {
  element.classList.add("pressing");
  return act(pane, "/control/callbacks", { user_id: pane.personID, message_id: messageID, callback_data: data });
}

function sendPhoto(pane, file, caption) {
  const query = new URLSearchParams({ user_id: String(pane.personID) });
  if (caption.trim() !== "") query.set("caption", caption);
  return act(pane, "/web/photos?" + query.toString(), file, file.type || "image/jpeg");
}

// MARK: - The live feed

function subscribe() {
  const ids = [...new Set(state.panes.map((pane) => pane.personID).filter((id) => id !== null))];
  const wanted = ids.join(",");
  history.replaceState(null, "", wanted ? "#chats=" + wanted : "#");
  if (state.source && state.subscribed === wanted) return;
  if (state.source) state.source.close();
  state.subscribed = wanted;
  // A chat no pane shows is no longer pushed: forget it, so coming back to it starts from
  // what is live then (its old answers are not shown again as new).
  for (const id of [...state.chats.keys()]) if (!ids.includes(id)) state.chats.delete(id);
  const source = new EventSource("/web/events?chats=" + encodeURIComponent(wanted));
  state.source = source;
  const status = document.getElementById("connection");
  source.onopen = () => {
    status.dataset.state = "live";
    status.textContent = "live";
  };
  source.onerror = () => {
    status.dataset.state = "lost";
    status.textContent = "reconnecting…";
    // EventSource retries a dropped stream by itself, but gives up on a refused one (the
    // Sandbox restarted, too many pages): start it again a little later.
    if (source.readyState === EventSource.CLOSED) {
      setTimeout(() => {
        if (state.source !== source) return;
        state.source = null;
        subscribe();
      }, 2000);
    }
  };
  source.addEventListener("people", (event) => {
    state.people = JSON.parse(event.data);
    renderPeople();
  });
  source.addEventListener("chat", (event) => {
    const view = JSON.parse(event.data);
    state.chats.set(view.chat_id, view);
    for (const pane of state.panes) if (pane.personID === view.chat_id) renderChat(pane, view);
  });
}

/** The page says where it is served: on loopback only this machine reaches it. */
function describeListener() {
  const local = ["127.0.0.1", "localhost", "[::1]"].includes(location.hostname);
  const note = document.getElementById("local-note");
  if (!local) {
    note.textContent = "Offline Telegram served at " + location.host + ": anyone who can reach this address can act as anyone here.";
    note.classList.add("exposed");
  }
}

function start() {
  describeListener();
  document.getElementById("new-person").addEventListener("submit", createPerson);
  document.getElementById("add-pane").addEventListener("click", () => addPane(null));
  // The chats shown come back after a reload (#chats=5001,1001).
  const match = /chats=([\d,]+)/.exec(location.hash);
  const ids = match ? match[1].split(",").map(Number).filter((id) => Number.isSafeInteger(id) && id > 0).slice(0, MAX_PANES) : [];
  if (ids.length === 0) addPane(null);
  for (const id of ids) addPane(id);
  focus(state.panes[0]);
}

start();
