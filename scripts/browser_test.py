#!/usr/bin/env python3
"""The moviegoer's pages in headless Chromium (Debian's chromium and chromium-driver, driven by selenium).

Starts `holdfast serve` on a fresh SQLite file and checks, in real browsers:
  - two browsers open the same show; one holds a seat, and the other sees it taken without reloading;
  - the second, having chosen that seat before it went, is told it was taken and cannot hold it;
  - the first goes through checkout: a bad email is explained, a declined card is explained and the seats stay
    held, a good card leads to the ticket page with its ticket code;
  - the first's orders list the order, and cancelling it frees the seat;
  - the first searches hotels in Goa, books a room, moves the stay by a day and cancels it;
  - the second holds another seat and waits: the page shows the hold expiring and offers to choose again;
  - the two, as a ride's driver and passenger, chat and go through a call, each seeing the other live.
Saves screenshots of the pages in a folder it prints. Skips (and says so) when chromium, chromedriver or
selenium are missing. Prints 'N passed, M failed'.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from testkit import stop

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "debug", "holdfast")
passed, failed = [], []
HOLD_SECONDS = 20

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    webdriver = None


def check(name, condition, detail=""):
    (passed if condition else failed).append(name)
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else "  " + str(detail)), flush=True)


def get_json(port, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=10) as response:
        return json.loads(response.read())


def browser(user, port):
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1400"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    driver.get("http://127.0.0.1:%d/signin" % port)
    driver.find_element(By.ID, "user").send_keys(user)
    driver.find_element(By.CSS_SELECTOR, "#signin-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.rstrip("/").endswith(str(port)))
    return driver


def main():
    missing = [name for name in ("chromium", "chromedriver") if not shutil.which(name)]
    if webdriver is None or missing:
        print("WARNING: browser tests skipped: install chromium and chromium-driver (Debian) and selenium (pip): missing %s"
              % (missing + ([] if webdriver else ["selenium"])))
        return
    sock = socket.socket(); sock.bind(("127.0.0.1", 0)); port = sock.getsockname()[1]; sock.close()
    folder = tempfile.mkdtemp(prefix="holdfast-browser-")
    shots = os.path.join(folder, "screenshots"); os.makedirs(shots)
    env = dict(os.environ, DATABASE_PATH=os.path.join(folder, "holdfast.sqlite"), PORT=str(port), LOG_LEVEL="warning",
               HOLD_TTL_SECONDS=str(HOLD_SECONDS))
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([BINARY, "serve"], env=env, stdout=open(os.path.join(folder, "serve.log"), "w"), stderr=subprocess.STDOUT)
    drivers = []
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                get_json(port, "/health"); break
            except OSError:
                time.sleep(0.3)
        movie = get_json(port, "/movies?pageSize=1")["movies"][0]
        date = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400))
        shows = get_json(port, "/movies/%s/shows?date=%s" % (movie["movieId"], date))["shows"]
        cancellable = {t["theatreId"] for t in get_json(port, "/theatres")["theatres"] if t.get("cancellationAvailable")}
        show_id = next(show["showId"] for show in shows if show["theatreId"] in cancellable)

        amy, ben = browser("amy", port), browser("ben", port)
        drivers += [amy, ben]
        amy.save_screenshot(os.path.join(shots, "now-showing.png"))
        amy.get("http://127.0.0.1:%d/movie/%s?date=%s" % (port, movie["movieId"], date))
        amy.save_screenshot(os.path.join(shots, "movie.png"))
        for driver in drivers:
            driver.get("http://127.0.0.1:%d/show/%s" % (port, show_id))
            WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "picker").get_attribute("data-live") == "on")
        seat = "E5"
        # Both choose the same seat; Amy holds it first.
        for driver in drivers:
            driver.find_element(By.CSS_SELECTOR, 'button[data-seat="%s"]' % seat).click()
        amy.find_element(By.ID, "hold-button").click()
        WebDriverWait(amy, 10).until(lambda d: "/checkout/" in d.current_url)
        check("the first browser holds the seat and goes to checkout", True)
        # Ben sees it taken without reloading, and is told.
        button = ben.find_element(By.CSS_SELECTOR, 'button[data-seat="%s"]' % seat)
        try:
            WebDriverWait(ben, 10).until(lambda d: "held" in button.get_attribute("class") and not button.is_enabled())
            live = True
        except Exception:
            live = False
        check("the second browser sees the seat taken without reloading", live, button.get_attribute("class"))
        message = ben.find_element(By.ID, "picker-message").text
        check("…and is told it was taken", "taken" in message, message)
        check("…and can no longer hold it", not ben.find_element(By.ID, "hold-button").is_enabled())
        ben.save_screenshot(os.path.join(shots, "seat-picker-taken.png"))

        # Amy pays: a bad email and a declined card are explained; a good card gives the ticket.
        WebDriverWait(amy, 10).until(lambda d: "E5" in d.find_element(By.ID, "checkout-summary").text)
        countdown = amy.find_element(By.ID, "countdown").text
        check("checkout shows the seats and a countdown", "held for" in countdown, countdown)
        amy.find_element(By.ID, "name").send_keys("Amy Rao")
        amy.find_element(By.ID, "email").send_keys("amy-at-example")
        amy.find_element(By.ID, "phone").send_keys("9876543210")
        amy.find_element(By.ID, "pay-button").click()
        text = amy.find_element(By.ID, "checkout-message").text
        check("a bad email is explained on the page", "email" in text, text)
        amy.find_element(By.ID, "email").clear()
        amy.find_element(By.ID, "email").send_keys("amy@example.com")
        Select(amy.find_element(By.ID, "card")).select_by_value("tok_decline")
        amy.find_element(By.ID, "pay-button").click()
        WebDriverWait(amy, 10).until(lambda d: "declined" in d.find_element(By.ID, "checkout-message").text)
        check("a declined card is explained and the seats stay held", "still held" in amy.find_element(By.ID, "checkout-message").text)
        amy.save_screenshot(os.path.join(shots, "checkout-declined.png"))
        Select(amy.find_element(By.ID, "card")).select_by_value("tok_success")
        amy.find_element(By.ID, "pay-button").click()
        WebDriverWait(amy, 15).until(lambda d: "/ticket/" in d.current_url and d.find_element(By.ID, "ticket-code").text.startswith("BMS"))
        code = amy.find_element(By.ID, "ticket-code").text
        check("a good card leads to the ticket page with its code", code.startswith("BMS") and len(code) == 11, code)
        amy.save_screenshot(os.path.join(shots, "ticket.png"))

        # Amy's orders list it; she cancels (this theatre allows it) and the seat is free again.
        amy.get("http://127.0.0.1:%d/my/orders" % port)
        WebDriverWait(amy, 10).until(lambda d: code in d.find_element(By.ID, "orders").text)
        amy.save_screenshot(os.path.join(shots, "my-orders.png"))
        amy.find_element(By.CSS_SELECTOR, 'button[aria-label="Cancel order %s"]' % code).click()
        WebDriverWait(amy, 10).until(lambda d: "cancelled" in d.find_element(By.ID, "orders-message").text)
        row = amy.find_element(By.CSS_SELECTOR, "#orders tbody tr").text
        check("my orders lists the order and cancels it", code in row and "Cancelled" in row, row)
        seat_state = [s["state"] for s in get_json(port, "/shows/%s/seatmap" % show_id)["seats"] if s["id"] == seat]
        check("…and the cancelled seat is free again", seat_state == ["available"], seat_state)

        # Amy books a hotel room, moves the stay by a day, then cancels it.
        check_in = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 2 * 86400))
        check_out = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 4 * 86400))
        amy.get("http://127.0.0.1:%d/hotels?city=Goa&checkIn=%s&checkOut=%s&guests=2&rooms=1" % (port, check_in, check_out))
        first = amy.find_element(By.CSS_SELECTOR, "li.hotel")
        hotel_name = first.find_element(By.TAG_NAME, "h2").text
        check("hotel search lists rooms with their total price", "for 2 night(s)" in first.text, first.text)
        amy.save_screenshot(os.path.join(shots, "hotel-search.png"))
        first.find_element(By.NAME, "name").send_keys("Amy Rao")
        first.find_element(By.NAME, "email").send_keys("amy@example.com")
        first.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(amy, 10).until(lambda d: "/my/bookings" in d.current_url and d.find_elements(By.CSS_SELECTOR, "li.booking"))
        booking = amy.find_element(By.CSS_SELECTOR, "li.booking")
        check("the booking shows in my bookings", hotel_name in booking.text and check_in in booking.text and "Confirmed" in booking.text, booking.text)
        amy.save_screenshot(os.path.join(shots, "my-bookings.png"))
        new_in = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 3 * 86400))
        new_out = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 5 * 86400))
        inputs = booking.find_elements(By.CSS_SELECTOR, "input[type=date]")
        for field, value in zip(inputs, (new_in, new_out)):
            amy.execute_script("arguments[0].value = arguments[1]", field, value)
        booking.find_element(By.XPATH, ".//button[text()='Change dates']").click()
        WebDriverWait(amy, 10).until(lambda d: "Dates changed" in d.find_element(By.ID, "bookings-message").text)
        check("the stay moves to new dates", new_in in amy.find_element(By.CSS_SELECTOR, "li.booking").text)
        amy.find_element(By.XPATH, "//button[text()='Cancel booking']").click()
        WebDriverWait(amy, 10).until(lambda d: "cancelled" in d.find_element(By.ID, "bookings-message").text)
        check("the booking is cancelled", "Cancelled" in amy.find_element(By.CSS_SELECTOR, "li.booking").text)

        # Ben holds another seat and lets the hold run out on the checkout page.
        ben.find_element(By.CSS_SELECTOR, 'button[data-seat="F6"]').click()
        ben.find_element(By.ID, "hold-button").click()
        WebDriverWait(ben, 10).until(lambda d: "/checkout/" in d.current_url)
        WebDriverWait(ben, HOLD_SECONDS + 15).until(lambda d: "expired" in d.find_element(By.ID, "checkout-message").text)
        check("an expired hold is explained, with a way back to the seats",
              ben.find_element(By.LINK_TEXT, "Choose seats again").get_attribute("href").endswith("/show/" + show_id))
        check("…and the form is disabled", not ben.find_element(By.ID, "pay-button").is_enabled())
        ben.save_screenshot(os.path.join(shots, "checkout-expired.png"))

        # A ride's driver and passenger chat and call, live.
        token = subprocess.run([BINARY, "token", "--user", "ops", "--role", "admin"], env=env, check=True, capture_output=True, text=True).stdout.strip()
        request = urllib.request.Request(
            "http://127.0.0.1:%d/api/v1/conversations" % port, method="POST",
            data=json.dumps({"booking_code": "RIDE-B1", "participants": [{"user_id": "amy", "role": "driver"}, {"user_id": "ben", "role": "passenger"}]}).encode(),
            headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
        urllib.request.urlopen(request, timeout=10).read()
        for driver in drivers:
            driver.get("http://127.0.0.1:%d/chat/RIDE-B1" % port)
            WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "chat").get_attribute("data-live") == "on")
        amy.find_element(By.ID, "chat-text").send_keys("At the gate")
        amy.find_element(By.CSS_SELECTOR, "#chat-form button").click()
        WebDriverWait(ben, 10).until(lambda d: "driver: At the gate" in d.find_element(By.ID, "messages").text)
        check("a message reaches the other side of the chat without reloading", True)
        ben.find_element(By.ID, "call-start").click()
        WebDriverWait(amy, 10).until(lambda d: d.find_element(By.ID, "call-accept").is_displayed())
        check("the other side sees the incoming call", "Incoming call" in amy.find_element(By.ID, "call-state").text)
        amy.save_screenshot(os.path.join(shots, "chat-incoming-call.png"))
        amy.find_element(By.ID, "call-accept").click()
        WebDriverWait(ben, 10).until(lambda d: "On a call" in d.find_element(By.ID, "call-state").text)
        ben.find_element(By.ID, "call-end").click()
        WebDriverWait(amy, 10).until(lambda d: "Call ended after" in d.find_element(By.ID, "call-state").text)
        check("the call connects and ends on both sides", "Call ended after" in ben.find_element(By.ID, "call-state").text)
        ben.save_screenshot(os.path.join(shots, "chat.png"))

        def admin_call(method, path, body=None, user=None):
            headers = {"Content-Type": "application/json"}
            headers.update({"x-user-id": user} if user else {"Authorization": "Bearer " + token})
            request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), method=method,
                                             data=json.dumps(body).encode() if body is not None else None, headers=headers)
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return json.loads(raw) if raw else None

        # Best available: the picker holds the best block for a number of seats.
        amy.get("http://127.0.0.1:%d/show/%s" % (port, show_id))
        Select(amy.find_element(By.ID, "best-count")).select_by_visible_text("3")
        amy.find_element(By.ID, "best-button").click()
        WebDriverWait(amy, 10).until(lambda d: "/checkout/" in d.current_url)
        WebDriverWait(amy, 10).until(lambda d: "," in d.find_element(By.ID, "checkout-summary").text)
        best_seats = re.findall(r"\b[A-Z]\d+\b", amy.find_element(By.ID, "checkout-summary").text)
        check("'pick the best seats' holds three seats side by side", len(set(best_seats)) == 3 and len({s[0] for s in best_seats}) == 1, best_seats)

        # A waiting room on another show: the first is let in at once, the second waits their turn.
        busy_show = next(show["showId"] for show in shows if show["showId"] != show_id)
        admin_call("PUT", "/admin/shows/%s/waiting-room" % busy_show, {"admissionsPerMinute": 20, "tokenMinutes": 10})
        amy.get("http://127.0.0.1:%d/show/%s" % (port, busy_show))
        WebDriverWait(amy, 10).until(lambda d: d.find_element(By.ID, "queue").get_attribute("data-state") == "admitted")
        ben.get("http://127.0.0.1:%d/show/%s" % (port, busy_show))
        WebDriverWait(ben, 10).until(lambda d: d.find_element(By.ID, "queue").get_attribute("data-state") in ("waiting", "admitted"))
        waiting_text = ben.find_element(By.ID, "queue-status").text
        ben.save_screenshot(os.path.join(shots, "waiting-room.png"))
        check("the second buyer in a waiting room is told their place and wait", "number 1 in line" in waiting_text
              and not ben.find_element(By.ID, "best-button").is_enabled(), waiting_text)
        WebDriverWait(ben, 20).until(lambda d: d.find_element(By.ID, "queue").get_attribute("data-state") == "admitted")
        ben.find_element(By.ID, "best-button").click()
        WebDriverWait(ben, 10).until(lambda d: "/checkout/" in d.current_url)
        check("…and once admitted holds seats with the admission", True)
        admin_call("DELETE", "/admin/shows/%s/waiting-room" % busy_show)

        # A sold-out show (one seat, held by Amy): Ben joins its waiting list.
        theatre = admin_call("POST", "/admin/theatres", {"name": "Tiny Cinema", "timeZone": "UTC"})
        screen = admin_call("POST", "/admin/theatres/%s/screens" % theatre["theatreId"], {"screenName": "Closet", "rows": 1, "cols": 1})
        start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2 * 86400))
        tiny = admin_call("POST", "/admin/shows", {"movieId": movie["movieId"], "layoutId": screen["layoutId"], "startTime": start, "price": 100})
        admin_call("POST", "/holds", {"showId": tiny["showId"], "seatIds": ["A1"]}, user="amy")
        ben.get("http://127.0.0.1:%d/show/%s" % (port, tiny["showId"]))
        ben.find_element(By.ID, "waitlist-email").send_keys("ben@example.com")
        ben.find_element(By.CSS_SELECTOR, "#waitlist-form button").click()
        WebDriverWait(ben, 10).until(lambda d: "number 1" in d.find_element(By.ID, "waitlist-message").text)
        check("a sold-out show offers its waiting list and tells the place", True)
        ben.save_screenshot(os.path.join(shots, "waitlist.png"))

        # The door: an usher lets a paid ticket in once.
        held = admin_call("POST", "/holds", {"showId": show_id, "seatIds": ["H9"]}, user="cleo")
        ordered = admin_call("POST", "/orders", {"holdId": held["holdId"], "customer": {"name": "Cleo", "email": "cleo@example.com", "phone": "9876543210"}}, user="cleo")
        ticket_code = admin_call("POST", "/orders/%s/confirm-payment" % ordered["orderId"], {"paymentToken": "tok_success"}, user="cleo")["ticketCode"]
        usher = subprocess.run([BINARY, "token", "--user", "door-1", "--role", "usher"], env=env, check=True, capture_output=True, text=True).stdout.strip()
        ben.get("http://127.0.0.1:%d/door" % port)
        ben.find_element(By.ID, "door-token").send_keys(usher)
        first_scan, outcome = "", ""
        for _ in range(2):
            ben.find_element(By.ID, "ticket-code").send_keys(ticket_code)
            ben.find_element(By.CSS_SELECTOR, "#door-form button").click()
            WebDriverWait(ben, 10).until(lambda d: d.find_element(By.ID, "door-result").get_attribute("data-outcome"))
            outcome = ben.find_element(By.ID, "door-result").text
            ben.execute_script("document.getElementById('door-result').removeAttribute('data-outcome')")
            if "Admitted" in outcome:
                first_scan = outcome
        check("the door admits a paid ticket once and refuses re-entry", "Admitted: Cleo, seats H9" in first_scan and "already checked in" in outcome,
              (first_scan, outcome))
        ben.save_screenshot(os.path.join(shots, "door.png"))

        # Phone-sized: the pages fit the width (the seat rows scroll inside their own box).
        ben.set_window_size(390, 844)
        fits = []
        for name, path in (("now-showing", "/"), ("seat-picker", "/show/" + show_id), ("hotels", "/hotels?city=Goa"), ("chat", "/chat/RIDE-B1")):
            ben.get("http://127.0.0.1:%d%s" % (port, path))
            time.sleep(0.5)
            ben.save_screenshot(os.path.join(shots, "phone-%s.png" % name))
            fits.append((name, ben.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")))
        check("the pages fit a phone-sized screen", all(ok for _, ok in fits), fits)
        print("screenshots: %s" % shots)
    except Exception as error:  # a broken page must fail the run, not crash it without a count
        check("the browser run completed", False, repr(error))
    finally:
        for driver in drivers:
            driver.quit()
        stop(server)
    print("browser: %d passed, %d failed" % (len(passed), len(failed)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
