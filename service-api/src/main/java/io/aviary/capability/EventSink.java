package io.aviary.capability;

/** Where a capability emits its named events; the registry tells the listeners of this process. */
public interface EventSink {

    <T> void emit(EventType<T> event, T payload);
}
