// The content editor's live preview: a moment after the typing stops, ask the server for
// the preview of the words typed (the words as people get them, the findings, the scores,
// and the addresses of the picture card and the voice note) and draw it in the preview,
// changing only what changed (the preview is aria-live). Nothing is saved here. Without
// this script, the Check button shows the same preview. No libraries.
(() => {
  "use strict";
  const form = document.getElementById("content-form");
  const region = document.getElementById("preview");
  if (!form || !region) return;
  const WAIT_MS = 300; // after the last key press
  let timer = null;
  let newest = 0; // the number of the newest request: older answers are dropped
  let pending = null;

  function csrfToken() {
    const found = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/);
    if (found) return decodeURIComponent(found[1]);
    const field = form.elements.namedItem("csrftoken");
    return field ? field.value : "";
  }

  function fields() {
    const data = new URLSearchParams(new FormData(form));
    data.delete("action");
    data.delete("csrftoken");
    return data;
  }

  const one = (selector) => region.querySelector(selector);
  const shown = (name) => one(`[data-preview="${name}"]`);
  const part = (name) => one(`[data-part="${name}"]`);

  function setText(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  function show(node, visible) {
    if (node && node.hidden === visible) node.hidden = !visible;
  }

  function finding(item) {
    const line = document.createElement("li");
    const tag = document.createElement("strong");
    const problem = item.severity === "Problem";
    tag.className = `govuk-tag ${problem ? "govuk-tag--red" : "govuk-tag--yellow"}`;
    tag.textContent = item.severity;
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = `#${item.field}`;
    link.textContent = item.label;
    line.append(tag, " ", link, `: ${item.message}`);
    return line;
  }

  function drawFindings(findings) {
    const list = document.getElementById("findings");
    const said = JSON.stringify(findings);
    if (!list || list.dataset.said === said) return;
    list.dataset.said = said;
    list.replaceChildren(...findings.map(finding));
  }

  function drawCard(view) {
    const image = shown("card");
    if (!image) return;
    if (view.card_url) {
      if (image.getAttribute("src") !== view.card_url) image.src = view.card_url;
      if (image.alt !== view.card_alt) image.alt = view.card_alt;
      setText(shown("caption"), view.caption);
    }
    show(part("card"), Boolean(view.card_url));
    show(part("no-card"), !view.card_url);
  }

  function drawVoice(view) {
    const audio = shown("voice");
    if (!audio) return;
    // preload="none": the voice note is made only when it is played.
    if (view.voice_url && audio.getAttribute("src") !== view.voice_url) {
      audio.src = view.voice_url;
      show(part("voice-failed"), false); // new words: not known to fail yet
    }
    setText(shown("voice_script"), view.voice_script);
    show(part("voice"), Boolean(view.voice_url));
    show(part("no-voice"), !view.voice_url);
  }

  function draw(view) {
    setText(shown("summary"), view.summary);
    setText(shown("refused"), view.refused);
    show(shown("refused"), Boolean(view.refused));
    drawFindings(view.findings);
    if (view.kind === "button") {
      setText(shown("label"), view.label);
      return;
    }
    show(part("formats"), !view.refused);
    if (view.refused) return;
    setText(shown("plain"), view.plain);
    setText(shown("easy"), view.easy);
    for (const score of view.scores) setText(one(`[data-score="${score.field}"]`), score.text);
    drawCard(view);
    drawVoice(view);
  }

  async function refresh() {
    const number = ++newest;
    if (pending) pending.abort();
    pending = new AbortController();
    let view;
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        body: fields(),
        headers: { "x-csrftoken": csrfToken(), accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal,
      });
      if (response.status === 403) throw new Error("This page has expired. Load it again.");
      if (!response.ok) throw new Error("The preview did not update. Press Check to see it.");
      view = await response.json();
    } catch (error) {
      if (error.name === "AbortError") return;
      const said = error instanceof TypeError ? "No connection: the preview did not update." : error.message;
      if (number === newest) setText(shown("summary"), said);
      return;
    }
    if (number === newest) draw(view);
  }

  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, WAIT_MS);
  });

  // A voice note that cannot be made is a 503, and the player alone would show nothing:
  // say so beside it.
  const player = shown("voice");
  if (player) player.addEventListener("error", () => show(part("voice-failed"), true));
})();
