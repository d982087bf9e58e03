package io.aviary.muc;

import io.aviary.capability.EventSink;
import io.aviary.capability.Events;
import java.util.List;
import org.jxmpp.jid.EntityBareJid;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The temporary rooms removed on start ({@code aviary.muc.clear-occupants-on-start}: their occupants did not survive
 * the restart, and XEP-0045 §10.1.1 destroys a temporary room when its last occupant is gone), announced as
 * {@code room.destroyed} once the application has started, so that their archives go as a live room's do. Not
 * earlier: the rooms are removed while the room store is made, before the archive's capability listens.
 */
public final class RoomsRemovedOnStart implements ApplicationListener<ApplicationStartedEvent> {

    private final ObjectProvider<EventSink> events;
    private volatile List<EntityBareJid> rooms = List.of();

    public RoomsRemovedOnStart(ObjectProvider<EventSink> events) {
        this.events = events;
    }

    void removed(List<EntityBareJid> removed) {
        rooms = List.copyOf(removed);
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        EventSink sink = events.getIfAvailable();
        if (sink != null) {
            rooms.forEach(room -> sink.emit(Events.ROOM_DESTROYED, room));
        }
        rooms = List.of();
    }
}
