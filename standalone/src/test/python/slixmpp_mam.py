#!/usr/bin/env python3
"""Logs in to Aviary with slixmpp and reads its XEP-0313 archive of one conversation, a few messages per page.

Usage: slixmpp_mam.py HOST PORT JID PASSWORD WITH PAGE_SIZE
Prints "ARCHIVED <from> <body>" for each archived message, oldest first, then "TOTAL <n>"; exits 0 when the query
finished within 30 seconds, 1 otherwise.
"""
import sys

import slixmpp

import aviary_client


class History(slixmpp.ClientXMPP):
    def __init__(self, jid, password, peer, page_size):
        super().__init__(jid, password)
        aviary_client.trust_any_certificate(self)
        self.register_plugin("xep_0059")
        self.register_plugin("xep_0313")
        self.peer = slixmpp.JID(peer)
        self.page_size = page_size
        self.total = None
        self.add_event_handler("session_start", self.start)

    async def start(self, _event):
        count = 0
        pages = self.plugin["xep_0313"].iterate(with_jid=self.peer, rsm={"max": self.page_size})
        async for result in pages:
            forwarded = result["mam_result"]["forwarded"]["stanza"]
            print("ARCHIVED %s %s" % (forwarded["from"], forwarded["body"]), flush=True)
            count += 1
        self.total = count
        print("TOTAL %d" % count, flush=True)
        self.disconnect()


def main():
    host, port, jid, password, peer, page_size = sys.argv[1:7]
    client = History(jid, password, peer, int(page_size))
    aviary_client.run(client, host, port, 30)
    return 0 if client.total is not None else 1


if __name__ == "__main__":
    sys.exit(main())
