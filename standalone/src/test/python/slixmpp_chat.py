#!/usr/bin/env python3
"""Logs in to Aviary with slixmpp, sends one chat message and waits for a reply.

Usage: slixmpp_chat.py HOST PORT JID PASSWORD PEER BODY
Prints "REPLY <body>" and exits 0 when a reply arrives within 20 seconds; exits 1 otherwise.
"""
import sys

import slixmpp

import aviary_client


class Chat(slixmpp.ClientXMPP):
    def __init__(self, jid, password, peer, body):
        super().__init__(jid, password)
        self.peer = peer
        self.body = body
        self.reply = None
        aviary_client.trust_any_certificate(self)
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("message", self.message)

    async def start(self, _event):
        self.send_presence()
        self.send_message(mto=self.peer, mbody=self.body, mtype="chat")

    def message(self, msg):
        if msg["type"] in ("chat", "normal") and msg["body"]:
            self.reply = msg["body"]
            self.disconnect()


def main():
    host, port, jid, password, peer, body = sys.argv[1:7]
    client = Chat(jid, password, peer, body)
    aviary_client.run(client, host, port, 20)
    if client.reply is None:
        print("NO REPLY", flush=True)
        return 1
    print("REPLY " + client.reply, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
