-- Room avatars (XEP-0486): each room's vCard-temp, apart from muc_room_config, which every stanza reads, while the
-- vCard (with its base64 image) is read only when asked for or for the room's disco#info.
CREATE TABLE muc_room_vcards (
    room  VARCHAR(2047)    NOT NULL,
    vcard VARCHAR(1048576) NOT NULL,
    CONSTRAINT pk_muc_room_vcards PRIMARY KEY (room),
    CONSTRAINT fk_muc_room_vcards FOREIGN KEY (room) REFERENCES muc_rooms (jid) ON DELETE CASCADE
);
