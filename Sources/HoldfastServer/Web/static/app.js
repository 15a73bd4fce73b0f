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
  async api(method, path, body, extraHeaders) {
    const headers = Object.assign(this.headers(), extraHeaders || {});
    const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const error = new Error((data && data.error && data.error.message) || response.statusText);
      error.code = data && data.error && data.error.code; error.status = response.status; error.seats = data && data.error && data.error.seatIds;
      throw error;
    }
    return data;
  },
  // A waiting room's admission for a show, kept for this tab until it lapses.
  admission(showId) {
    const stored = JSON.parse(sessionStorage.getItem("holdfast.admission." + showId) || "null");
    return stored && Date.parse(stored.expiresAt) > Date.now() ? stored.token : null;
  },
  admit(showId, token, expiresAt) { sessionStorage.setItem("holdfast.admission." + showId, JSON.stringify({ token, expiresAt })); },
  holdHeaders(showId) { const token = this.admission(showId); return token ? { "Admission-Token": token } : {}; },
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
    holdButton.disabled = chosen.size === 0 || holdButton.dataset.queued === "1";
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
      const hold = await Holdfast.api("POST", "/holds", { showId, seatIds: [...chosen], quantity: chosen.size }, Holdfast.holdHeaders(showId));
      chosen.forEach((id) => { seats.get(id).dataset.mine = "1"; });
      message.textContent = "";
      summary.textContent = "Held: " + hold.seatIds.join(", ") + ".";
      picker.dataset.hold = hold.holdId;
      location.href = "/checkout/" + hold.holdId;
    } catch (error) {
      message.textContent = error.code === "SEATS_UNAVAILABLE"
        ? "Sorry, " + (error.seats || []).join(", ") + " just went to someone else. Choose other seats."
        : "Could not hold the seats: " + error.message;
      holdButton.disabled = chosen.size === 0;
    }
  });

  const bestButton = document.getElementById("best-button");
  bestButton.addEventListener("click", async () => {
    if (!Holdfast.user() && !Holdfast.token()) { location.href = "/signin?next=" + encodeURIComponent(location.pathname); return; }
    bestButton.disabled = true;
    try {
      const quantity = Number(document.getElementById("best-count").value);
      const hold = await Holdfast.api("POST", "/holds", { showId, quantity }, Holdfast.holdHeaders(showId));
      summary.textContent = "Held: " + hold.seatIds.join(", ") + ".";
      location.href = "/checkout/" + hold.holdId;
    } catch (error) {
      message.textContent = error.code === "NOT_ENOUGH_SEATS_TOGETHER"
        ? "No " + document.getElementById("best-count").value + " seats side by side are free. Try fewer, or pick seats yourself."
        : "Could not hold seats: " + error.message;
      bestButton.disabled = false;
    }
  });
  holdButton.addEventListener("queue-admitted", render);
  setUpQueue(showId, [holdButton, bestButton]);

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

// A high-demand show's waiting room: join, show the place and the wait, poll, and keep the admission.
function setUpQueue(showId, buttons) {
  const section = document.getElementById("queue");
  if (!section) return;
  const status = document.getElementById("queue-status");
  const lock = (locked) => buttons.forEach((button) => { button.dataset.queued = locked ? "1" : ""; if (locked) button.disabled = true; });
  const admitted = () => {
    section.dataset.state = "admitted";
    status.textContent = "It is your turn: choose your seats.";
    lock(false);
    buttons[1].disabled = false;
    buttons[0].dispatchEvent(new Event("queue-admitted"));
  };
  if (Holdfast.admission(showId)) return admitted();
  if (!Holdfast.user() && !Holdfast.token()) {
    status.innerHTML = "";
    const link = document.createElement("a");
    link.href = "/signin?next=" + encodeURIComponent(location.pathname); link.textContent = "Sign in to join the line";
    status.append(link);
    return lock(true);
  }
  lock(true);
  async function poll(method) {
    try {
      const place = await Holdfast.api(method, "/shows/" + showId + "/queue");
      if (place.admitted) { Holdfast.admit(showId, place.admissionToken, place.admissionExpiresAt); return admitted(); }
      section.dataset.state = "waiting";
      status.textContent = "You are number " + place.position + " in line; about " + place.estimatedWaitSeconds + " s to go.";
      setTimeout(() => poll("GET"), Math.max(1, place.pollAfterSeconds) * 1000);
    } catch (error) {
      if (error.code === "NO_WAITING_ROOM") return admitted();
      status.textContent = "Could not join the line: " + error.message + ". Retrying…";
      setTimeout(() => poll("POST"), 3000);
    }
  }
  poll("POST");
}

// A sold-out show's waiting list.
function setUpWaitlist() {
  const section = document.getElementById("waitlist");
  if (!section) return;
  const form = document.getElementById("waitlist-form");
  const message = document.getElementById("waitlist-message");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!Holdfast.user() && !Holdfast.token()) { location.href = "/signin?next=" + encodeURIComponent(location.pathname); return; }
    try {
      const entry = await Holdfast.api("POST", "/shows/" + section.dataset.show + "/waitlist", {
        quantity: Number(document.getElementById("waitlist-count").value), email: document.getElementById("waitlist-email").value.trim(),
      });
      message.textContent = "You are number " + entry.position + " on the waiting list. We will email you when seats are held for you.";
      form.hidden = true;
    } catch (error) {
      message.textContent = error.code === "SEATS_AVAILABLE" ? "Seats are free right now: choose them above." : "Could not join: " + error.message;
    }
  });
}

// The door: an usher's token (kept on this device), the door's name, and one ticket code after another.
function setUpDoor() {
  const form = document.getElementById("door-form");
  if (!form) return;
  const token = document.getElementById("door-token"), door = document.getElementById("door-name");
  const code = document.getElementById("ticket-code"), result = document.getElementById("door-result");
  token.value = localStorage.getItem("holdfast.usherToken") || "";
  door.value = localStorage.getItem("holdfast.door") || door.value;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    localStorage.setItem("holdfast.usherToken", token.value.trim());
    localStorage.setItem("holdfast.door", door.value.trim());
    const response = await fetch("/checkin", {
      method: "POST", headers: { "Content-Type": "application/json", "Authorization": "Bearer " + token.value.trim() },
      body: JSON.stringify({ ticketCode: code.value.trim(), door: door.value.trim() || undefined }),
    });
    const data = await response.json().catch(() => null);
    if (response.ok) {
      result.dataset.outcome = "admitted";
      result.textContent = "Admitted: " + data.customerName + ", seats " + data.seatIds.join(", ") + ".";
    } else {
      result.dataset.outcome = "refused";
      result.textContent = "Not admitted: " + ((data && data.error && data.error.message) || response.statusText);
    }
    code.value = "";
    code.focus();
  });
}

document.addEventListener("DOMContentLoaded", () => { setUpSignIn(); setUpPicker(); setUpWaitlist(); setUpDoor(); });

// Checkout: the hold's seats, a countdown to its expiry, the customer form and the simulated payment.
function setUpCheckout() {
  const section = document.getElementById("checkout");
  if (!section) return;
  const holdId = section.dataset.hold;
  const form = document.getElementById("checkout-form");
  const message = document.getElementById("checkout-message");
  const countdown = document.getElementById("countdown");
  const summary = document.getElementById("checkout-summary");
  let deadline = null, showId = null, orderId = null, timer = null;

  function expired(text) {
    clearInterval(timer);
    countdown.textContent = "";
    [...form.elements].forEach((element) => { element.disabled = true; });
    message.innerHTML = "";
    message.append(text + " ");
    if (showId) {
      const again = document.createElement("a");
      again.href = "/show/" + showId; again.textContent = "Choose seats again";
      message.append(again);
    }
  }
  function tick() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = "Your seats are held for " + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") + " more.";
    if (left === 0) expired("Your hold expired and the seats were released.");
  }
  function startCountdown(until) { deadline = new Date(until).getTime(); clearInterval(timer); tick(); timer = setInterval(tick, 500); }

  Holdfast.api("GET", "/holds/" + holdId).then((hold) => {
    showId = hold.showId;
    summary.textContent = "Seats " + hold.seatIds.join(", ") + ".";
    if (hold.status !== "HELD") return expired("This hold is no longer active.");
    startCountdown(hold.expiresAt);
  }).catch((error) => expired(error.status === 404 ? "This hold is not yours or does not exist." : "Could not load the hold: " + error.message));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.textContent = "";
    if (!form.checkValidity()) {
      const invalid = form.querySelector(":invalid");
      message.textContent = "Please check " + form.querySelector('label[for="' + invalid.id + '"]').textContent.toLowerCase() + ".";
      invalid.focus();
      return;
    }
    const button = document.getElementById("pay-button");
    button.disabled = true;
    try {
      if (!orderId) {
        const customer = { name: form.name.value.trim(), email: form.email.value.trim(), phone: form.phone.value.trim() };
        const order = await Holdfast.api("POST", "/orders", { holdId, customer });
        orderId = order.orderId;
        startCountdown(order.expiresAt);
      }
      await Holdfast.api("POST", "/orders/" + orderId + "/confirm-payment", { paymentToken: form.card.value });
      location.href = "/ticket/" + orderId;
    } catch (error) {
      button.disabled = false;
      if (error.code === "PAYMENT_DECLINED") message.textContent = "Your card was declined. Your seats are still held: try another card.";
      else if (error.code === "HOLD_EXPIRED" || error.code === "ORDER_EXPIRED") expired("Too late: the seats were released.");
      else if (error.status === 400) message.textContent = error.message;
      else message.textContent = "Payment could not be completed: " + error.message;
    }
  });
}

// Ticket: the order's ticket code once it is confirmed.
async function setUpTicket() {
  const section = document.getElementById("ticket");
  if (!section) return;
  const status = document.getElementById("ticket-status");
  try {
    const order = await Holdfast.api("GET", "/orders/" + section.dataset.order);
    status.textContent = order.status === "CONFIRMED" ? "Confirmed. Show this code at the door." : "Order status: " + order.status.toLowerCase().replace("_", " ") + ".";
    document.getElementById("ticket-code").textContent = order.ticketCode || "—";
    document.getElementById("ticket-seats").textContent = "Seats: " + order.seatIds.join(", ");
    document.getElementById("ticket-amount").textContent = "Paid: " + order.amount;
  } catch (error) {
    status.textContent = error.status === 404 ? "This order is not yours or does not exist." : "Could not load the order: " + error.message;
  }
}

document.addEventListener("DOMContentLoaded", () => { setUpCheckout(); setUpTicket(); });

// My orders: newest first, with cancel where the order and its theatre allow it.
async function setUpOrders() {
  const table = document.getElementById("orders");
  if (!table) return;
  const message = document.getElementById("orders-message");
  if (!Holdfast.user() && !Holdfast.token()) { location.href = "/signin?next=/my/orders"; return; }
  const label = (status) => status.charAt(0) + status.slice(1).toLowerCase().replace("_", " ");
  try {
    const page = await Holdfast.api("GET", "/orders?pageSize=50");
    if (page.orders.length === 0) { message.textContent = "You have no orders yet."; return; }
    const body = table.querySelector("tbody");
    page.orders.forEach((order) => {
      const row = document.createElement("tr");
      row.dataset.order = order.orderId;
      [order.ticketCode || "—", order.seatIds.join(", "), String(order.amount), label(order.status)].forEach((text) => {
        const cell = document.createElement("td"); cell.textContent = text; row.append(cell);
      });
      const actions = document.createElement("td");
      if (order.status === "CONFIRMED" || order.status === "PAYMENT_PENDING") {
        const cancel = document.createElement("button");
        cancel.type = "button"; cancel.textContent = "Cancel"; cancel.setAttribute("aria-label", "Cancel order " + (order.ticketCode || order.orderId));
        cancel.addEventListener("click", async () => {
          cancel.disabled = true;
          try {
            const cancelled = await Holdfast.api("POST", "/orders/" + order.orderId + "/cancel");
            row.children[3].textContent = label(cancelled.status);
            cancel.remove();
            message.textContent = "Order " + (order.ticketCode || "") + " cancelled; its seats are free again.";
          } catch (error) {
            cancel.disabled = false;
            message.textContent = error.code === "CANCELLATION_NOT_ALLOWED" ? "This theatre does not allow cancellation."
              : error.code === "SHOW_STARTED" ? "The show has already started." : "Could not cancel: " + error.message;
          }
        });
        actions.append(cancel);
      }
      row.append(actions);
      body.append(row);
    });
    table.hidden = false;
  } catch (error) {
    message.textContent = "Could not load your orders: " + error.message;
  }
}

document.addEventListener("DOMContentLoaded", setUpOrders);

// Hotels: book a room type from the search results.
function setUpHotelBooking() {
  document.querySelectorAll("form.book-form").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const message = form.querySelector(".book-message");
      if (!Holdfast.user() && !Holdfast.token()) { location.href = "/signin?next=" + encodeURIComponent(location.pathname + location.search); return; }
      if (!form.checkValidity()) { message.textContent = "Please give the guest's name and a valid email."; form.querySelector(":invalid").focus(); return; }
      const button = form.querySelector("button"); button.disabled = true;
      const data = form.dataset;
      try {
        const booking = await Holdfast.api("POST", "/book", {
          roomTypeId: data.roomType, checkIn: data.checkIn, checkOut: data.checkOut, rooms: Number(data.rooms), guests: Number(data.guests),
          guest: { name: form.name.value.trim(), email: form.email.value.trim() },
        });
        location.href = "/my/bookings?booked=" + booking.bookingId;
      } catch (error) {
        button.disabled = false;
        message.textContent = error.code === "NO_AVAILABILITY" ? "Those rooms just went. Search again for what is free."
          : error.code === "BOOKING_CONFLICT" ? "Many people are booking these rooms right now; please try again." : "Could not book: " + error.message;
      }
    });
  });
}

// My hotel bookings: change dates or cancel.
async function setUpBookings() {
  const list = document.getElementById("bookings");
  if (!list) return;
  const message = document.getElementById("bookings-message");
  if (!Holdfast.user() && !Holdfast.token()) { location.href = "/signin?next=/my/bookings"; return; }
  if (new URLSearchParams(location.search).get("booked")) message.textContent = "Booked. The confirmation is on its way to the guest.";
  const label = (status) => status.charAt(0) + status.slice(1).toLowerCase().replace("_", " ");
  try {
    const page = await Holdfast.api("GET", "/bookings?pageSize=50");
    if (page.bookings.length === 0) { message.textContent = "You have no hotel bookings yet."; return; }
    const names = {};
    for (const booking of page.bookings) {
      if (!names[booking.hotelId]) names[booking.hotelId] = (await Holdfast.api("GET", "/hotels/" + booking.hotelId)).name;
      const item = document.createElement("li");
      item.className = "booking"; item.dataset.booking = booking.bookingId;
      const title = document.createElement("h2"); title.textContent = names[booking.hotelId];
      const details = document.createElement("p");
      const describe = (b) => b.checkIn + " to " + b.checkOut + " · " + b.rooms + " room(s) · " + b.amount + " · " + label(b.status);
      details.textContent = describe(booking);
      item.append(title, details);
      if (booking.status === "CONFIRMED") {
        const form = document.createElement("form"); form.className = "card";
        const inLabel = document.createElement("label"); inLabel.textContent = "New check-in";
        const checkIn = document.createElement("input"); checkIn.type = "date"; checkIn.required = true; checkIn.value = booking.checkIn; inLabel.append(checkIn);
        const outLabel = document.createElement("label"); outLabel.textContent = "New check-out";
        const checkOut = document.createElement("input"); checkOut.type = "date"; checkOut.required = true; checkOut.value = booking.checkOut; outLabel.append(checkOut);
        const change = document.createElement("button"); change.type = "submit"; change.textContent = "Change dates";
        const cancel = document.createElement("button"); cancel.type = "button"; cancel.textContent = "Cancel booking";
        form.append(inLabel, outLabel, change, cancel);
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          try {
            const moved = await Holdfast.api("PUT", "/bookings/" + booking.bookingId + "/dates", { checkIn: checkIn.value, checkOut: checkOut.value });
            details.textContent = describe(moved); message.textContent = "Dates changed.";
          } catch (error) {
            message.textContent = error.code === "NO_AVAILABILITY" ? "No room is free on those dates; your booking is unchanged." : "Could not change the dates: " + error.message;
          }
        });
        cancel.addEventListener("click", async () => {
          try {
            const cancelled = await Holdfast.api("POST", "/bookings/" + booking.bookingId + "/cancel");
            details.textContent = describe(cancelled); form.remove(); message.textContent = "Booking cancelled.";
          } catch (error) { message.textContent = "Could not cancel: " + error.message; }
        });
        item.append(form);
      }
      list.append(item);
    }
  } catch (error) {
    message.textContent = "Could not load your bookings: " + error.message;
  }
}

document.addEventListener("DOMContentLoaded", () => { setUpHotelBooking(); setUpBookings(); });

// Chat per booking code: history, live messages and calls over the WebSocket, send and call buttons.
function setUpChat() {
  const section = document.getElementById("chat");
  if (!section) return;
  if (!Holdfast.user() && !Holdfast.token()) { location.href = "/signin?next=" + encodeURIComponent(location.pathname); return; }
  const code = section.dataset.code;
  const list = document.getElementById("messages");
  const status = document.getElementById("chat-status");
  const callState = document.getElementById("call-state");
  const buttons = { start: "call-start", accept: "call-accept", reject: "call-reject", end: "call-end" };
  Object.keys(buttons).forEach((key) => { buttons[key] = document.getElementById(buttons[key]); });
  const seen = new Set();
  let call = null; // { id, state, mine }
  const me = Holdfast.user();

  function show(message) {
    if (seen.has(message.seq)) return;
    seen.add(message.seq);
    const item = document.createElement("li");
    item.dataset.seq = message.seq;
    item.className = (message.type === "call" ? "call " : "") + (message.sender === me ? "mine" : "");
    item.textContent = message.sender_role + ": " + message.message;
    const after = [...list.children].find((child) => Number(child.dataset.seq) > message.seq);
    list.insertBefore(item, after || null);
    list.scrollTop = list.scrollHeight;
    if (message.type === "call") follow(message);
  }
  function follow(message) {
    const text = message.message;
    const state = text.startsWith("Call started") ? "RINGING" : text.startsWith("Call connected") ? "CONNECTED" : "OVER";
    call = state === "OVER" ? null : { id: message.call_id, state, mine: message.sender === me && state === "RINGING" ? true : (call && call.mine) };
    render(text);
  }
  function render(text) {
    buttons.start.hidden = call !== null;
    buttons.accept.hidden = !(call && call.state === "RINGING" && !call.mine);
    buttons.reject.hidden = buttons.accept.hidden;
    buttons.end.hidden = !(call && (call.state === "CONNECTED" || call.mine));
    callState.textContent = call === null ? (text && !text.startsWith("Call started") ? text + "." : "No call.")
      : call.state === "RINGING" ? (call.mine ? "Calling…" : "Incoming call.") : "On a call.";
  }
  async function act(action) {
    try {
      await Holdfast.api("POST", "/api/v1/make_call", { booking_code: code, action, call_id: call ? call.id : undefined });
    } catch (error) { status.textContent = "Could not " + action + " the call: " + error.message; }
  }
  buttons.start.addEventListener("click", () => act("initiate"));
  buttons.accept.addEventListener("click", () => act("accept"));
  buttons.reject.addEventListener("click", () => act("reject"));
  buttons.end.addEventListener("click", () => act("end"));

  document.getElementById("chat-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = document.getElementById("chat-text");
    if (!input.value.trim()) return;
    try {
      show(await Holdfast.api("POST", "/api/v1/send_message", { booking_code: code, message: input.value.trim() }));
      input.value = "";
    } catch (error) { status.textContent = "Could not send: " + error.message; }
  });

  function connect() {
    const socket = new WebSocket(Holdfast.socketURL());
    socket.addEventListener("open", () => socket.send(JSON.stringify({ action: "subscribe", booking_code: code })));
    socket.addEventListener("message", async (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === "subscribed") {
        section.dataset.live = "on";
        // Catch up after subscribing, so nothing sent meanwhile is missed (seen messages are skipped).
        const history = await Holdfast.api("GET", "/api/v1/get_message?limit=100&booking_code=" + encodeURIComponent(code));
        history.messages.reverse().forEach(show);
        if (list.children.length === 0) status.textContent = "No messages yet.";
      } else if (frame.type === "message") {
        status.textContent = "";
        show(frame.message);
      } else if (frame.type === "error") {
        status.textContent = frame.code === "CONVERSATION_NOT_FOUND" ? "This conversation is not open to you." : frame.message;
      }
    });
    socket.addEventListener("close", () => { section.dataset.live = "off"; setTimeout(connect, 1000); });
  }
  connect();
  render("");
}

document.addEventListener("DOMContentLoaded", setUpChat);
