package io.aviary.xep0045;

class InMemoryRoomStoreTest extends RoomStoreContract {

    @Override
    protected RoomStore store() {
        return new InMemoryRoomStore();
    }
}
