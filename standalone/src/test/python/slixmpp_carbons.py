#!/usr/bin/env python3
"""Logs in to Aviary with slixmpp, enables XEP-0280 carbons and reports the copies it gets.

Usage: slixmpp_carbons.py HOST PORT JID PASSWORD
Prints "CARBONS ON" once enabled, then "RECEIVED <from> <body>" and "SENT <to> <body>" for the copies; exits 0 once
it has one of each within 30 seconds, 1 otherwise.
"""
import sys

import slixmpp

import aviary_client


class Carbons(slixmpp.ClientXMPP):
    def __init__(self, jid, password):
        super().__init__(jid, password)
        aviary_client.trust_any_certificate(self)
        self.register_plugin("xep_0280")
        self.seen = set()
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("carbon_received", self.received)
        self.add_event_handler("carbon_sent", self.sent)

    async def start(self, _event):
        self.send_presence()
        await self.plugin["xep_0280"].enable()
        print("CARBONS ON", flush=True)

    def received(self, msg):
        forwarded = msg["carbon_received"]
        self.report("RECEIVED", forwarded["from"], forwarded["body"])

    def sent(self, msg):
        forwarded = msg["carbon_sent"]
        self.report("SENT", forwarded["to"], forwarded["body"])

    def report(self, direction, peer, body):
        print("%s %s %s" % (direction, peer, body), flush=True)
        self.seen.add(direction)
        if self.seen == {"RECEIVED", "SENT"}:
            self.disconnect()


def main():
    host, port, jid, password = sys.argv[1:5]
    client = Carbons(jid, password)
    aviary_client.run(client, host, port, 30)
    return 0 if client.seen == {"RECEIVED", "SENT"} else 1


if __name__ == "__main__":
    sys.exit(main())
