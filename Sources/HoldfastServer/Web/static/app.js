// Holdfast pages: who is signed in, API calls with their credentials, and the live seat picker.
"use strict";
const Holdfast = {
  user() { return localStorage.getItem("holdfast.user"); },
  token() { return localStorage.getItem("holdfast.token"); },
  headers() {
    const headers = { "Content-Type": "application/json" };
    if (this.token()) headers["Authorization"] = "Bearer " + this.token();
    else if (this.user()) headers["x-user-id"] = this.user();
    return headers;
  },
  async api(method, path, body) {
    const response = await fetch(path, { method, headers: this.headers(), body: body ? JSON.stringify(body) : undefined });
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const error = new Error((data && data.error && data.error.message) || response.statusText);
      error.code = data && data.error && data.error.code; error.status = response.status; error.seats = data && data.error && data.error.seatIds;
      throw error;
    }
    return data;
  },
  socketURL() {
    const query = this.token() ? "token=" + encodeURIComponent(this.token()) : "user=" + encodeURIComponent(this.user() || "");
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws?" + query;
  },
};

function setUpSignIn() {
  const link = document.getElementById("signin-link");
  const who = Holdfast.user() || (Holdfast.token() ? "token user" : null);
  if (link && who) link.textContent = "Signed in as " + who;
  const form = document.getElementById("signin-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const user = form.querySelector("#user"), token = form.querySelector("#token");
    localStorage.removeItem("holdfast.user"); localStorage.removeItem("holdfast.token");
    if (user) localStorage.setItem("holdfast.user", user.value.trim());
    if (token) localStorage.setItem("holdfast.token", token.value.trim());
    document.getElementById("signin-message").textContent = "Signed in.";
    location.href = new URLSearchParams(location.search).get("next") || "/";
  });
}

function setUpPicker() {
  const picker = document.getElementById("picker");
  if (!picker) return;
  const showId = picker.dataset.show;
  const seats = new Map([...picker.querySelectorAll("button.seat")].map((b) => [b.dataset.seat, b]));
  const chosen = new Set();
  const message = document.getElementById("picker-message");
  const holdButton = document.getElementById("hold-button");
  const summary = document.getElementById("selection");

  function render() {
    summary.textContent = chosen.size ? "Chosen: " + [...chosen].join(", ") : "No seats chosen.";
    holdButton.disabled = chosen.size === 0;
  }
  function apply(id, state, version) {
    const button = seats.get(id);
    if (!button || version <= Number(button.dataset.version)) return; // older than what we show: already applied
    button.dataset.version = version;
    button.classList.remove("available", "held", "booked");
    button.classList.add(state);
    button.disabled = state !== "available" && !chosen.has(id);
    button.setAttribute("aria-label", button.getAttribute("aria-label").replace(/(available|held|booked)$/, state));
    if (state !== "available" && chosen.has(id) && !button.dataset.mine) {
      chosen.delete(id); button.setAttribute("aria-pressed", "false"); button.disabled = true;
      message.textContent = "Seat " + id + " was just taken by someone else.";
      render();
    }
  }
  seats.forEach((button, id) => button.addEventListener("click", () => {
    if (chosen.has(id)) chosen.delete(id); else chosen.add(id);
    button.setAttribute("aria-pressed", chosen.has(id) ? "true" : "false");
    message.textContent = "";
    render();
  }));
  holdButton.addEventListener("click", async () => {
    if (!Holdfast.user() && !Holdfast.token()) { location.href = "/signin?next=" + encodeURIComponent(location.pathname); return; }
    holdButton.disabled = true;
    try {
      const hold = await Holdfast.api("POST", "/holds", { showId, seatIds: [...chosen], quantity: chosen.size });
      chosen.forEach((id) => { seats.get(id).dataset.mine = "1"; });
      message.textContent = "";
      summary.textContent = "Held: " + hold.seatIds.join(", ") + ". Hold " + hold.holdId + " expires at " + new Date(hold.expiresAt).toLocaleTimeString() + ".";
      picker.dataset.hold = hold.holdId;
    } catch (error) {
      message.textContent = error.code === "SEATS_UNAVAILABLE"
        ? "Sorry, " + (error.seats || []).join(", ") + " just went to someone else. Choose other seats."
        : "Could not hold the seats: " + error.message;
      holdButton.disabled = chosen.size === 0;
    }
  });

  function connect() {
    const socket = new WebSocket(Holdfast.socketURL());
    socket.addEventListener("open", () => socket.send(JSON.stringify({ action: "watch_show", show_id: showId })));
    socket.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === "seatmap") frame.seats.forEach((s) => apply(s.seat_id, s.state, s.version));
      else if (frame.type === "seat") apply(frame.seat.seat_id, frame.seat.state, frame.seat.version);
    });
    socket.addEventListener("close", () => setTimeout(connect, 1000));
    picker.dataset.live = "connecting";
    socket.addEventListener("open", () => { picker.dataset.live = "on"; });
  }
  connect();
  render();
}

document.addEventListener("DOMContentLoaded", () => { setUpSignIn(); setUpPicker(); });
