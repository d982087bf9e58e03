#!/usr/bin/env python3
"""Logs in to Aviary with slixmpp, publishes an avatar (XEP-0084) and sets a bookmark the way older clients do (XEP-0048
in private storage, XEP-0049), then reads the bookmark back from the XEP-0402 PEP node the server converted it into
(XEP-0411).

Usage: slixmpp_pep.py HOST PORT JID PASSWORD ROOM
Prints "AVATAR <sha1> <bytes>" once both avatar nodes are published and "BOOKMARK <room>" once the room is in
urn:xmpp:bookmarks:1; exits 0 when both happened within 30 seconds, 1 otherwise.
"""
import asyncio
import base64
import hashlib
import sys

import slixmpp

import aviary_client
from slixmpp.exceptions import IqError
from slixmpp.plugins.xep_0048.stanza import Bookmarks

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
BOOKMARKS = "urn:xmpp:bookmarks:1"


class Pep(slixmpp.ClientXMPP):
    def __init__(self, jid, password, room):
        super().__init__(jid, password)
        aviary_client.trust_any_certificate(self)
        for plugin in ("xep_0030", "xep_0060", "xep_0163", "xep_0084", "xep_0049", "xep_0048"):
            self.register_plugin(plugin)
        self.room = room
        self.done = set()
        self.add_event_handler("session_start", self.start)

    async def start(self, _event):
        self.send_presence()
        try:
            await self.publish_avatar()
            await self.bookmark()
        finally:
            self.disconnect()

    async def publish_avatar(self):
        sha1 = hashlib.sha1(PNG).hexdigest()
        await self["xep_0084"].publish_avatar(PNG)
        await self["xep_0084"].publish_avatar_metadata(
            {"id": sha1, "type": "image/png", "bytes": str(len(PNG)), "width": "1", "height": "1"})
        print("AVATAR %s %d" % (sha1, len(PNG)), flush=True)
        self.done.add("AVATAR")

    async def bookmark(self):
        bookmarks = Bookmarks()
        bookmarks.add_conference(self.room, "slix", name="Lobby", autojoin=True)
        await self["xep_0048"].set_bookmarks(bookmarks, method="xep_0049")
        # The server converts private storage into the PEP node after answering: look for it a few times.
        for _ in range(20):
            try:
                items = await self["xep_0060"].get_items(self.boundjid.bare, BOOKMARKS)
                if self.room in [item["id"] for item in items["pubsub"]["items"]]:
                    print("BOOKMARK %s" % self.room, flush=True)
                    self.done.add("BOOKMARK")
                    return
            except IqError:
                pass
            await asyncio.sleep(0.5)


def main():
    host, port, jid, password, room = sys.argv[1:6]
    client = Pep(jid, password, room)
    aviary_client.run(client, host, port, 30)
    return 0 if client.done == {"AVATAR", "BOOKMARK"} else 1


if __name__ == "__main__":
    sys.exit(main())
