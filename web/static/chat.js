// The web chat page: draws the messages, sends words and presses, follows new messages
// by Server-Sent Events. No libraries, nothing fetched from elsewhere.
(() => {
  "use strict";
  const chat = document.getElementById("chat");
  if (!chat) return;
  const list = document.getElementById("messages");
  const toast = document.getElementById("toast");
  const state = document.getElementById("state");
  const form = document.getElementById("say");
  const box = document.getElementById("say-text");
  const newer = document.getElementById("newer");
  const urls = chat.dataset;
  const TRY_AGAIN = "That did not work. Please try again.";
  const LINK = /https:\/\/[^\s<>"]+/;
  const NEAR = 48; // pixels from the end that still count as "reading the newest"
  let lastId = 0;
  // True while the person is at the newest message: new ones then scroll into view. When
  // they scroll up to read, new ones wait below and the "New message" button says so.
  let following = true;
  // Where this page last put the list. Only a scroll above it is the person reading up: a
  // message that grows (its picture arrives) fires "scroll" too, and must not stop following.
  let pinnedTop = 0;

  function atEnd() {
    return list.scrollHeight - list.scrollTop - list.clientHeight <= NEAR;
  }

  function toNewest() {
    list.scrollTo({ top: list.scrollHeight, behavior: "instant" });
    pinnedTop = list.scrollTop;
    following = true;
    newer.hidden = true;
  }

  function keepUp() {
    if (following) toNewest();
    else newer.hidden = false;
  }

  list.addEventListener("scroll", () => {
    if (atEnd()) {
      following = true;
      pinnedTop = list.scrollTop;
      newer.hidden = true;
    } else if (list.scrollTop < pinnedTop - 1) {
      following = false;
    }
  });
  newer.addEventListener("click", toNewest);
  // A message grows when its picture or player arrives, and the list shrinks when a phone's
  // keyboard opens: either way, keep the newest in view while the person is following.
  const grows = new ResizeObserver(() => { if (following) toNewest(); });
  grows.observe(list);

  function csrfToken() {
    const found = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/);
    return found ? decodeURIComponent(found[1]) : urls.csrf || "";
  }

  async function post(url, fields) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body: new URLSearchParams(fields),
        headers: { "x-csrftoken": csrfToken(), accept: "application/json" },
        credentials: "same-origin",
      });
    } catch (error) {
      throw new Error("No connection. Please try again.");
    }
    if (response.status === 403) throw new Error("This page has expired. Load it again.");
    let body = {};
    try { body = await response.json(); } catch (error) { body = {}; }
    if (!response.ok) throw new Error(typeof body.detail === "string" ? body.detail : TRY_AGAIN);
    return body;
  }

  function say(words) {
    toast.textContent = words || "";
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function media(message) {
    const file = message.media;
    if (file.kind === "photo") {
      const image = element("img", "card");
      image.src = file.url;
      image.alt = message.text; // the card's words, all of them
      return image;
    }
    if (file.kind === "voice") {
      const audio = element("audio");
      audio.controls = true;
      audio.preload = "none";
      audio.src = file.url;
      audio.setAttribute("aria-label", "Voice note: play it to hear the message");
      return audio;
    }
    const link = element("a", "file", "⬇ Download the file");
    link.href = file.url;
    link.setAttribute("download", "");
    return link;
  }

  function buttons(message) {
    const group = element("div", "buttons");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Answers");
    for (const line of message.buttons) {
      const row = element("div", "line");
      for (const button of line) {
        const node = element("button", "", button.label);
        node.type = "button";
        node.dataset.message = String(message.id);
        node.dataset.data = button.data;
        row.appendChild(node);
      }
      group.appendChild(row);
    }
    return group;
  }

  // The words, with each https:// link in them (a journey planner, a map) made tappable.
  function words(text) {
    const paragraph = element("p", "words");
    let rest = text || "";
    for (let found = rest.match(LINK); found; found = rest.match(LINK)) {
      paragraph.appendChild(document.createTextNode(rest.slice(0, found.index)));
      const link = element("a", "", found[0]);
      link.href = found[0];
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      paragraph.appendChild(link);
      rest = rest.slice(found.index + found[0].length);
    }
    paragraph.appendChild(document.createTextNode(rest));
    return paragraph;
  }

  function draw(message) {
    const item = element("li", message.from_person ? "msg me" : "msg bot");
    item.tabIndex = -1;
    if (message.id) item.dataset.id = String(message.id);
    const bubble = element("div", "bubble");
    if (message.media) bubble.appendChild(media(message));
    bubble.appendChild(words(message.words));
    if (message.buttons && message.buttons.length) bubble.appendChild(buttons(message));
    item.appendChild(bubble);
    grows.observe(item);
    return item;
  }

  function replace(message) {
    const old = message.id ? list.querySelector(`li[data-id="${message.id}"]`) : null;
    if (!old) return false;
    const item = draw(message);
    const hadFocus = old.contains(document.activeElement);
    grows.unobserve(old);
    old.replaceWith(item);
    if (hadFocus) item.focus({ preventScroll: true }); // its buttons went: stay in place
    if (following) toNewest();
    return true;
  }

  function show(message) {
    if (replace(message)) return;
    list.appendChild(draw(message));
    lastId = Math.max(lastId, message.id || 0);
    if (message.from_person) toNewest(); // they wrote it: they want to see what comes
    else keepUp();
  }

  list.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-data]");
    if (!button) return;
    const group = button.closest(".buttons");
    const all = group.querySelectorAll("button");
    all.forEach((node) => { node.disabled = true; });
    say("");
    following = true; // they answered: the reply is what they want to see next
    pinnedTop = list.scrollTop;
    try {
      const answer = await post(urls.press, { message_id: button.dataset.message, data: button.dataset.data });
      say(answer.toast);
    } catch (error) {
      say(error.message);
    } finally {
      all.forEach((node) => { node.disabled = false; });
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = box.value;
    if (!text.trim()) return;
    say("");
    // Shown from this page's memory only: typed words are never stored.
    show({ from_person: true, words: text.trim(), buttons: [] });
    box.value = "";
    try {
      await post(urls.say, { text });
    } catch (error) {
      say(error.message);
    }
  });

  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  function follow() {
    const events = new EventSource(`${urls.events}?after=${lastId}`);
    events.addEventListener("open", () => { state.textContent = "Online"; });
    events.addEventListener("error", () => { state.textContent = "Reconnecting…"; });
    events.addEventListener("message", (event) => show(JSON.parse(event.data)));
    events.addEventListener("update", (event) => replace(JSON.parse(event.data)));
  }

  async function start() {
    try {
      const response = await fetch(urls.messages, { headers: { accept: "application/json" } });
      if (!response.ok) throw new Error(TRY_AGAIN);
      const body = await response.json();
      body.messages.forEach(show);
      toNewest(); // opening the chat lands on the newest message
    } catch (error) {
      say(TRY_AGAIN);
    }
    follow();
  }

  start();
})();
