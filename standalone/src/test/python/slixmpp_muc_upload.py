#!/usr/bin/env python3
"""Enters a group chat room with slixmpp, talks with the occupants, and shares a file by XEP-0363 HTTP upload.

Usage: slixmpp_muc_upload.py HOST PORT JID PASSWORD ROOM NICK FILE UPLOAD_SERVICE
Enters ROOM as NICK (XEP-0045), sends "hello from slixmpp" to it and waits for a groupchat message from another
occupant; prints "ROOM <nick> <body>" for it. Then uploads FILE (XEP-0363; set SSL_CERT_FILE to trust the server's
certificate) and prints "UPLOADED <url>". Exits 0 when both happened within 30 seconds, 1 otherwise.
"""
import asyncio
import sys

import slixmpp

import aviary_client


class Occupant(slixmpp.ClientXMPP):
    def __init__(self, jid, password, room, nick, path, upload_service):
        super().__init__(jid, password)
        aviary_client.trust_any_certificate(self)
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0045")
        self.register_plugin("xep_0363")
        self.room = slixmpp.JID(room)
        self.nick = nick
        self.path = path
        self.upload_service = upload_service
        self.answered = asyncio.get_event_loop().create_future()
        self.uploaded = None
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("groupchat_message", self.groupchat)

    async def start(self, _event):
        self.send_presence()
        await self.plugin["xep_0045"].join_muc_wait(self.room, self.nick, maxstanzas=0, timeout=20)
        self.send_message(mto=self.room, mbody="hello from slixmpp", mtype="groupchat")
        await self.answered
        # Debian's slixmpp 1.8.3 fails its own upload-service discovery on Python 3.11 (it hands asyncio.wait bare
        # coroutines): the service is named, as a user names it in a client's settings.
        self.plugin["xep_0363"].upload_service = slixmpp.JID(self.upload_service)
        self.uploaded = await self.plugin["xep_0363"].upload_file(self.path, timeout=20)
        print("UPLOADED %s" % self.uploaded, flush=True)
        self.disconnect()

    def groupchat(self, message):
        if message["mucnick"] != self.nick and message["body"] and not self.answered.done():
            print("ROOM %s %s" % (message["mucnick"], message["body"]), flush=True)
            self.answered.set_result(True)


def main():
    host, port, jid, password, room, nick, path, upload_service = sys.argv[1:9]
    client = Occupant(jid, password, room, nick, path, upload_service)
    aviary_client.run(client, host, port, 30)
    return 0 if client.uploaded else 1


if __name__ == "__main__":
    sys.exit(main())
