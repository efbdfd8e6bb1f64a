"""Drives the Sandbox's web chat in a real headless Chromium, as a person would.

Run by WebChatEndToEndTests (Swift), which starts the bot and the Sandbox and passes the
journey's words as JSON (the texts come from the bot's catalogs there):

    web_chat_journey.py '{"url": ..., "owner": 1001, "client": {"name": ..., "language": ...},
                          "book": ..., "service": ..., "confirm": ..., "booked": ..., "booked_alert": ...,
                          "shots": "<dir>", "chromium": "/usr/bin/chromium"}'

The owner opens their chat and presses START; beside it a new client is created in the
page, presses START, Book, a service, a green day of the calendar grid, a time and
Confirm, and sees that they are booked, while the owner's chat, open all along, shows
the new-booking notice. It checks that an edit by the bot replaces its message in place,
writes screenshots of the calendar and of the owner's view, and fails on any console
error or uncaught exception of the page (harness.py). Prints one JSON line on success.
"""

import re

from harness import Failed as JourneyFailed, run


def journey(page, spec):
    page.goto(spec["url"])
    page.wait_for_selector("#connection[data-state=live]")

    # The owner's chat, opened first: it stays on screen and must show the notice live.
    owner_pane = pane_of(page, spec["owner"], choose=True)
    start_chat(owner_pane)

    # A second chat beside it, for a client made in the page.
    page.click("#add-pane")
    page.fill("#new-person-name", spec["client"]["name"])
    page.select_option("#new-person-language", spec["client"]["language"])
    page.click("#new-person button[type=submit]")
    expect_text(page.locator(".pane.focused .pane-name"), spec["client"]["name"])
    client_id = int(page.locator(".pane.focused").get_attribute("data-chat-id"))
    client_pane = page.locator(f'.pane[data-chat-id="{client_id}"]')
    start_chat(client_pane)

    # Book (the reply keyboard under the input): a service list arrives.
    client_pane.locator(".reply-button", has_text=spec["book"]).click()
    service = client_pane.locator(".message.in .inline-button", has_text=spec["service"]).last
    service.wait_for()
    services_message = message_of(service)
    message_id = services_message.get_attribute("data-message-id")
    edits_before = int(services_message.get_attribute("data-edits"))
    messages_before = client_pane.locator(".message").count()

    # The service: the bot edits the same message into the calendar.
    service.click()
    client_pane.locator(f'.message[data-message-id="{message_id}"][data-edits="{edits_before + 1}"]').wait_for()
    calendar = client_pane.locator(f'.message[data-message-id="{message_id}"]')
    edited_in_place = {
        "message_id": int(message_id),
        "copies": client_pane.locator(f'.message[data-message-id="{message_id}"]').count(),
        "messages_before": messages_before,
        "messages_after": client_pane.locator(".message").count(),
    }
    if edited_in_place["copies"] != 1 or edited_in_place["messages_after"] != messages_before:
        raise JourneyFailed(f"the edit did not replace the message in place: {edited_in_place}")
    green_day = pick_green_day(calendar)
    rows = calendar.locator(".inline-row")
    widest_row = max(rows.nth(i).locator(".inline-button").count() for i in range(rows.count()))
    if widest_row != 7:
        raise JourneyFailed(f"the calendar is not a 7-column grid (widest row {widest_row})")
    calendar.scroll_into_view_if_needed()
    page.screenshot(path=f'{spec["shots"]}/web-chat-calendar.png')

    # A green day, then its first time: both edit the same message again.
    day_label = green_day.inner_text()
    green_day.click()
    time_button = client_pane.locator(f'.message[data-message-id="{message_id}"] .inline-button').filter(
        has_text=re.compile(r"^\s*\d{1,2}:\d{2}\s*$")).first
    time_button.wait_for()
    time_label = time_button.inner_text().strip()
    time_button.click()
    confirm = client_pane.locator(f'.message[data-message-id="{message_id}"] .inline-button', has_text=spec["confirm"])
    confirm.wait_for()
    confirm.click()

    # Booked: the press's answer as a toast, and the booked message.
    expect_text(client_pane.locator(".toast:not([hidden])"), spec["booked_alert"])
    booked = client_pane.locator(".message.in .text", has_text=spec["booked"]).last
    booked.wait_for()

    # The owner's chat, never touched since: the notice arrived live.
    notice = owner_pane.locator(".message.in .text", has_text=spec["client"]["name"]).last
    notice.wait_for()
    notice_text = notice.inner_text()
    if spec["service"] not in notice_text:
        raise JourneyFailed(f"the owner's message naming the client is not the booking notice: {notice_text!r}")
    owner_pane.locator(".pane-header").click()
    page.screenshot(path=f'{spec["shots"]}/web-chat-owner.png')

    for pane in (owner_pane, client_pane):
        ids = pane.locator(".message").evaluate_all("nodes => nodes.map(n => n.dataset.messageId)")
        if len(ids) != len(set(ids)):
            raise JourneyFailed(f"a message is shown twice: {ids}")
    return {"client_id": client_id, "day": day_label.strip(), "time": time_label, "edited_in_place": edited_in_place,
            "booked": booked.inner_text(), "owner_notice": notice_text}


def pane_of(page, person_id, choose):
    """The focused pane, showing that person (chosen in the list of people)."""
    if choose:
        page.click(f'li[data-person-id="{person_id}"]')
    pane = page.locator(f'.pane[data-chat-id="{person_id}"]')
    pane.wait_for()
    return pane


def start_chat(pane):
    """START in a new chat (/start typed in one opened before); waits for the bot's welcome
    and its menu."""
    before = pane.locator(".message.in").count()
    start = pane.locator(".start-button")
    if start.is_visible():
        start.click()
    else:
        pane.locator(".input").fill("/start")
        pane.locator(".input").press("Enter")
    pane.locator(".message.in").nth(before).wait_for()
    # The welcome may come as more than one message: the count settles with the menu.
    pane.locator(".reply-button").first.wait_for()


def message_of(button):
    return button.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' message ')]")


def pick_green_day(calendar):
    """The first 🟢 day shown; the next month's (▶) when this one has none left."""
    for _ in range(3):
        green = calendar.locator(".inline-button").filter(has_text=re.compile(r"^\s*🟢"))
        if green.count() > 0:
            return green.first
        edits = int(calendar.get_attribute("data-edits"))
        calendar.locator(".inline-button", has_text="▶").click()
        calendar.and_(calendar.page.locator(f'[data-edits="{edits + 1}"]')).wait_for()
    raise JourneyFailed("no green day in three months")


def expect_text(locator, text):
    locator.filter(has_text=text).first.wait_for()


if __name__ == "__main__":
    run(journey)
