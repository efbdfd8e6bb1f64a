"""Each thing the web chat shows, in a real headless Chromium, against `bookingbot sandbox`.

Run by WebChatPageTests (Swift), which starts the command and passes JSON:

    web_chat_features.py '{"url": ..., "token": ..., "owner": 7001, "shots": "<dir>", "chromium": "/usr/bin/chromium"}'

This script plays both sides: a person in the page, and the bot through the Bot API
(getUpdates to see what the person did, then the bot's answer). It checks what Telegram's
app would show: text and Telegram's HTML (and nothing that runs), inline keyboards in the
bot's rows, a press's answer as an alert or a toast, an edit in place, a deletion, the
reply keyboard and its removal, a document to download, a photo sent from the page and
shown when the bot sends it back, and a second chat side by side. It fails on any console
error or uncaught exception of the page (harness.py).
"""

import json
import os
import tempfile
import urllib.request
import uuid

from harness import check, run


class BotAPI:
    """The bot's side, over HTTP as the real bot talks to Telegram."""

    def __init__(self, base, token):
        self.base = f"{base}/bot{token}"
        self.offset = 0

    def call(self, method, **parameters):
        request = urllib.request.Request(f"{self.base}/{method}", data=json.dumps(parameters).encode(),
                                         headers={"Content-Type": "application/json"})
        return self._answer(request)

    def upload(self, method, fields, field, filename, data, mime_type):
        boundary = uuid.uuid4().hex
        body = b""
        for name, value in fields.items():
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                 f"Content-Type: {mime_type}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(f"{self.base}/{method}", data=body,
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        return self._answer(request)

    def next_update(self):
        """The next thing a user did (a long poll, as the ingress makes)."""
        updates = self.call("getUpdates", offset=self.offset, timeout=10, limit=1)
        check(updates, "no update came from the page within 10 s")
        self.offset = updates[0]["update_id"] + 1
        return updates[0]

    @staticmethod
    def _answer(request):
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        check(answer.get("ok"), f"the Bot API refused: {answer}")
        return answer["result"]


def features(page, spec):
    bot = BotAPI(spec["url"].rstrip("/"), spec["token"])
    page.goto(spec["url"])
    page.wait_for_selector("#connection[data-state=live]")
    check("127.0.0.1" in page.inner_text("#local-note"), "the page does not say it is local")
    check("owner" in page.inner_text(f'li[data-person-id="{spec["owner"]}"]'), "the owner is not listed as the owner")

    # A new person, in Russian, types a message: the bot gets it from them.
    page.fill("#new-person-name", "Зоя")
    page.select_option("#new-person-language", "ru")
    page.click("#new-person button[type=submit]")
    page.locator(".pane.focused .pane-name", has_text="Зоя").wait_for()
    chat = int(page.locator(".pane.focused").get_attribute("data-chat-id"))
    pane = page.locator(f'.pane[data-chat-id="{chat}"]')
    pane.locator(".input").fill("hello 👋")
    pane.locator(".input").press("Enter")
    message = bot.next_update()["message"]
    check(message["text"] == "hello 👋" and message["from"]["first_name"] == "Зоя"
          and message["from"]["language_code"] == "ru", f"the bot got {message}")
    pane.locator(".message.out .text", has_text="hello 👋").wait_for()

    # Telegram's HTML: its tags shown, nothing that runs or loads.
    bot.call("sendMessage", chat_id=chat, parse_mode="HTML",
             text='<b>bold</b> <img src="/x" onerror="window.pwned=1"><a href="javascript:window.pwned=2">js</a> '
                  '<a href="https://example.org">site</a> <script>window.pwned=3</script>')
    html = pane.locator(".message.in .text").last
    html.locator("strong", has_text="bold").wait_for()
    check(html.locator("img, script, a[href^='javascript']").count() == 0, "markup from the bot became live elements")
    check(html.locator("a[href='https://example.org/'], a[href='https://example.org']").count() == 1, "the link is missing")
    # The page's Content-Security-Policy is a second wall behind the count above: even a
    # handler that slipped through would not run, but the CSP would log an error.
    check(page.evaluate("window.pwned") is None, "the bot's text ran as script")

    # An inline keyboard in the bot's rows; a press answered with an alert, another with a toast.
    sent = bot.call("sendMessage", chat_id=chat, text="Pick one", reply_markup={"inline_keyboard": [
        [{"text": "A", "callback_data": "a"}, {"text": "B", "callback_data": "b"}], [{"text": "C", "callback_data": "c"}]]})
    shown = pane.locator(f'.message[data-message-id="{sent["message_id"]}"]')
    shown.wait_for()
    rows = shown.locator(".inline-row")
    check([rows.nth(i).locator(".inline-button").count() for i in range(rows.count())] == [2, 1], "the rows are not the bot's")
    shown.locator(".inline-button", has_text="A").click()
    query = bot.next_update()["callback_query"]
    check(query["data"] == "a" and query["message"]["message_id"] == sent["message_id"], f"the press arrived as {query}")
    bot.call("answerCallbackQuery", callback_query_id=query["id"], text="Stop right there!", show_alert=True)
    pane.locator(".alert-backdrop:not([hidden]) .alert-text", has_text="Stop right there!").wait_for()
    pane.locator(".alert-ok").click()
    pane.locator(".alert-backdrop").wait_for(state="hidden")
    shown.locator(".inline-button", has_text="B").click()
    bot.call("answerCallbackQuery", callback_query_id=bot.next_update()["callback_query"]["id"], text="Noted")
    pane.locator(".toast:not([hidden])", has_text="Noted").wait_for()
    check(pane.locator(".alert-backdrop").is_hidden(), "a toast's answer opened an alert")

    # The bot edits the message: it changes where it is, once.
    before = pane.locator(".message").count()
    bot.call("editMessageText", chat_id=chat, message_id=sent["message_id"], text="Picked A",
             reply_markup={"inline_keyboard": [[{"text": "Undo", "callback_data": "u"}]]})
    pane.locator(f'.message[data-message-id="{sent["message_id"]}"][data-edits="1"]', has_text="Picked A").wait_for()
    check(pane.locator(".message").count() == before, "the edit added a message")
    check(pane.locator(".message", has_text="Pick one").count() == 0, "the old text is still shown")
    check(shown.locator(".inline-button").all_inner_texts() == ["Undo"], "the edited keyboard is not shown")

    # A deleted message disappears.
    vanishing = bot.call("sendMessage", chat_id=chat, text="This will vanish")
    gone = pane.locator(f'.message[data-message-id="{vanishing["message_id"]}"]')
    gone.wait_for()
    bot.call("deleteMessage", chat_id=chat, message_id=vanishing["message_id"])
    gone.wait_for(state="detached")

    # The reply keyboard under the input: pressing one sends its words; removed, it goes.
    bot.call("sendMessage", chat_id=chat, text="Yes or no?", reply_markup={"keyboard": [["Yes", "No"]], "resize_keyboard": True})
    pane.locator(".reply-button", has_text="Yes").click()
    check(bot.next_update()["message"]["text"] == "Yes", "the reply button did not send its words")
    bot.call("sendMessage", chat_id=chat, text="Thanks", reply_markup={"remove_keyboard": True})
    pane.locator(".reply-keyboard").wait_for(state="hidden")

    # A document, saved from the page with its name and bytes.
    document = "имя,когда\r\nЗоя,завтра\r\n".encode("utf-8-sig")
    bot.upload("sendDocument", {"chat_id": chat, "caption": "Export"}, "document", "отчёт.csv", document, "text/csv")
    link = pane.locator(".document").last
    link.wait_for()
    with page.expect_download() as started:
        link.click()
    download = started.value
    check(download.suggested_filename == "отчёт.csv", f"saved as {download.suggested_filename}")
    with open(download.path(), "rb") as saved:
        check(saved.read() == document, "the saved file differs from what the bot sent")

    # A photo sent from the page reaches the bot, which sends it back: the page shows it.
    picture = os.path.join(tempfile.mkdtemp(), "photo.png")
    with open(picture, "wb") as file:
        file.write(page.screenshot(clip={"x": 0, "y": 0, "width": 120, "height": 80}))
    pane.locator(".attach input").set_input_files(picture)
    photo = bot.next_update()["message"]["photo"][-1]["file_id"]
    bot.call("sendPhoto", chat_id=chat, photo=photo, caption="Your photo, back")
    image = pane.locator(".message.in img.photo").last
    image.wait_for()
    page.wait_for_function("image => image.complete && image.naturalWidth === 120", arg=image.element_handle())

    # A second chat beside the first: the owner's.
    page.click("#add-pane")
    page.click(f'li[data-person-id="{spec["owner"]}"]')
    owner = page.locator(f'.pane[data-chat-id="{spec["owner"]}"]')
    check("owner" in owner.locator(".pane-note").inner_text(), "the owner's chat does not say whose it is")
    check(page.locator(".pane").count() == 2, "the chats are not side by side")
    owner.locator(".start-button").wait_for()
    page.screenshot(path=f'{spec["shots"]}/web-chat-features.png')
    return "all features shown"


if __name__ == "__main__":
    run(features)
