/* The inspection checklist offline (docs/inspections.md): each answer is kept in localStorage
   with an idempotency key made on the phone and POSTed when online; the server stores a key
   once, so sending again after a lost reply changes nothing. Without this script the forms
   post normally. */
(function () {
  "use strict";
  var root = document.getElementById("checklist");
  if (!root) { return; }
  var storageKey = root.dataset.storage;
  var sending = false;

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(storageKey) || "{}"); } catch (e) { return {}; }
  }
  function save(queue) { localStorage.setItem(storageKey, JSON.stringify(queue)); }
  function formOf(item) { return root.querySelector('form.answer-form[data-item="' + item + '"]'); }
  function show(item, text, bad) {
    var form = formOf(item);
    if (!form) { return; }
    var state = form.querySelector(".answer-state");
    state.textContent = text;
    state.classList.toggle("text-danger", !!bad);
    state.classList.toggle("text-success", !bad && text === root.dataset.sent);
  }
  function read(form) {
    var checked = form.querySelector('input[name="result"]:checked');
    var staff = form.querySelector('select[name="staff"]');
    return {
      result: checked ? checked.value : "",
      note: form.querySelector('textarea[name="note"]').value,
      staff: staff ? staff.value : ""
    };
  }
  function same(a, b) { return a.result === b.result && a.note === b.note && a.staff === b.staff; }

  function remember(form) {
    var answer = read(form);
    if (!answer.result) { return; }
    var queue = load();
    var item = form.dataset.item;
    var before = queue[item];
    if (before && same(before, answer)) { return; }
    answer.key = newKey();
    answer.url = form.action;
    answer.sent = false;
    queue[item] = answer;
    save(queue);
    show(item, root.dataset.unsent);
  }

  function csrf() {
    var input = root.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function flush() {
    if (sending || !navigator.onLine) { return; }
    var queue = load();
    var waiting = Object.keys(queue).filter(function (item) { return !queue[item].sent; });
    if (!waiting.length) { return; }
    sending = true;
    var item = waiting[0];
    var answer = queue[item];
    var body = new FormData();
    body.append("key", answer.key);
    body.append("result", answer.result);
    body.append("note", answer.note);
    body.append("staff", answer.staff);
    show(item, root.dataset.sending);
    fetch(answer.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (reply) {
      var now = load();
      if (now[item] && now[item].key === answer.key) {
        if (reply.data.ok) {
          now[item].sent = true;
          show(item, root.dataset.sent);
        } else {
          delete now[item];  // refused: kept nowhere, the reason is shown
          show(item, reply.data.error || "", true);
        }
        save(now);
      }
      sending = false;
      flush();
    }).catch(function () {
      sending = false;  // offline or the server unreachable: kept, sent on "online"
      show(item, root.dataset.unsent);
    });
  }

  root.querySelectorAll("form.answer-form").forEach(function (form) {
    form.addEventListener("change", function () { remember(form); flush(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      remember(form);
      flush();
    });
  });
  var queue = load();
  Object.keys(queue).forEach(function (item) {
    show(item, queue[item].sent ? root.dataset.sent : root.dataset.unsent);
  });
  window.addEventListener("online", flush);
  flush();
})();
