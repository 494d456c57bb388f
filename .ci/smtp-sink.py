"""A mail sink for the tests: a real SMTP server (aiosmtpd) on 127.0.0.1 that writes
each message it takes to a directory as JSON (to, subject, the decoded text), so a
test reads what a person would find in their mailbox.

    python smtp-sink.py PORT DIRECTORY

Prints "ready" once it listens; runs until killed.
"""
import email
import email.policy
import json
import pathlib
import sys
import threading
import time
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = pathlib.Path(directory)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "subject": str(message["subject"]),
            "text": body.get_content() if body is not None else "",
        }
        name = f"{time.time_ns()}-{uuid.uuid4().hex}"
        partial = self.directory / f"{name}.part"
        partial.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        partial.rename(self.directory / f"{name}.json")
        return "250 Message accepted"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    pathlib.Path(directory).mkdir(parents=True, exist_ok=True)
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
